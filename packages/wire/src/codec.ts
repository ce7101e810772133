import { DecodeError, EncodeError, type PathSegment, WireError } from './errors.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

/**
 * The one interface every codec implements. `parse`/`build` work on whole byte strings;
 * `read`/`write` are the streaming pair that composites use to share one Reader/Writer.
 */
export interface Codec<T> {
  /** Root segment of error paths when this codec is the outermost one (e.g. 'ClientHello'). */
  readonly name: string | undefined;
  /** Decodes a value at the reader's cursor, advancing it. */
  read(reader: Reader): T;
  /** Encodes `value` at the writer's end, validating it (range, length, enum membership). */
  write(writer: Writer, value: T): void;
  /** Decodes `bytes`; every byte must be consumed (else DecodeError). */
  parse(bytes: Uint8Array): T;
  /** Encodes `value` into a new Uint8Array. */
  build(value: T): Uint8Array;
}

/** Any codec; `Codec<T>` is invariant in T, so only `any` admits every field/choice codec. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type AnyCodec = Codec<any>;

/** The value type of a codec: `Infer<typeof ClientHello>`. */
export type Infer<C> = C extends Codec<infer T> ? T : never;

/** Adds `name` as the root of the error's path when the codec has one. */
function rooted(error: unknown, name: string | undefined): unknown {
  if (name !== undefined && error instanceof WireError) error.prependPath(name);
  return error;
}

/** Shared implementation of `parse`/`build` on top of `read`/`write`. */
export abstract class BaseCodec<T> implements Codec<T> {
  name: string | undefined = undefined;

  abstract read(reader: Reader): T;
  abstract write(writer: Writer, value: T): void;

  parse(bytes: Uint8Array): T {
    if (!(bytes instanceof Uint8Array)) throw rooted(new DecodeError('input is not a Uint8Array'), this.name);
    const reader = new Reader(bytes);
    try {
      const value = this.read(reader);
      reader.expectEnd();
      return value;
    } catch (e) {
      throw rooted(e, this.name);
    }
  }

  /** Size of the last built output: the next build starts with a buffer that fits it. */
  private sizeHint = 64;

  build(value: T): Uint8Array {
    const writer = new Writer(this.sizeHint);
    try {
      this.write(writer, value);
    } catch (e) {
      throw rooted(e, this.name);
    }
    this.sizeHint = writer.pos || 1;
    return writer.finish();
  }
}

/** Runs `fn`, prefixing the path of any WireError it throws with `segment` (field name or index). */
export function withPath<T>(segment: PathSegment, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WireError) e.prependPath(segment);
    throw e;
  }
}

/** The `read`/`write` pair of a hand-written codec; see `defineCodec`. */
export interface CodecImpl<T> {
  read(reader: Reader): T;
  write(writer: Writer, value: T): void;
}

class DefinedCodec<T> extends BaseCodec<T> {
  constructor(
    private readonly impl: CodecImpl<T>,
    name: string | undefined,
  ) {
    super();
    this.name = name;
  }
  read(r: Reader): T {
    return this.impl.read(r);
  }
  write(w: Writer, v: T): void {
    this.impl.write(w, v);
  }
}

/**
 * A hand-written codec with the same `parse`/`build` semantics as the built-in ones (all input
 * consumed, errors rooted at `name`). `read` should throw `reader.error(...)` (DecodeError) and
 * `write` EncodeError on bad values.
 */
export function defineCodec<T>(impl: CodecImpl<T>, name?: string): BaseCodec<T> {
  return new DefinedCodec(impl, name);
}

/** Describes a value for error messages without risking a throw (e.g. on symbols or cycles). */
export function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'array' : 'object';
  return String(value as string);
}

/** Throws an EncodeError unless `value` is a Uint8Array. */
export function expectBytes(value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new EncodeError(`expected a Uint8Array, got ${describe(value)}`);
}
