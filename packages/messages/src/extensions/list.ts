import {
  BaseCodec,
  type Codec,
  DecodeError,
  EncodeError,
  type Infer,
  type Reader,
  WireError,
  type WireErrorOptions,
  type Writer,
} from '@tls-kit/wire';
import { describe } from '../codecs/describe.js';

/** Extension type -> codec of its extension_data, for one kind of message. */
export type ExtensionBodies = { readonly [extensionType: number]: Codec<unknown> };

/** An extension whose type the message context decodes. */
export type KnownExtension<B extends ExtensionBodies> = {
  [K in keyof B & number]: { extensionType: K; extensionData: Infer<B[K]>; unknown?: undefined };
}[keyof B & number];

/**
 * An extension kept as raw bytes: an unknown or GREASE type (RFC 8701), or a known type that this
 * message does not carry (RFC 8446 §4.2: the receiver decides how to reject it). Building it
 * writes the bytes back unchanged; it can also be used to send any body verbatim.
 */
export interface RawExtension {
  extensionType: number;
  extensionData: Uint8Array;
  unknown: true;
}

/** `struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension`. */
export type Extension<B extends ExtensionBodies> = KnownExtension<B> | RawExtension;

/**
 * A second extension of a type already in the block (RFC 8446 §4.2: "There MUST NOT be more than
 * one extension of the same type in a given extension block"; RFC 5246 §7.4.1.4 likewise). A
 * class of its own so a receiver can pick its alert without reading messages: the RFCs name none,
 * and the engine answers illegal_parameter here, decode_error for other DecodeErrors (§6.2). Path
 * and offset locate the repeated `extensionType` field, like any DecodeError's.
 */
export class DuplicateExtensionError extends DecodeError {
  constructor(
    readonly extensionType: number,
    options?: WireErrorOptions,
  ) {
    super(`duplicate extension type ${extensionType}`, options);
  }
}

/** Building a block with a second extension of the same type (RFC 8446 §4.2). */
export class DuplicateExtensionEncodeError extends EncodeError {
  constructor(readonly extensionType: number) {
    super(`duplicate extension type ${extensionType}`);
  }
}

/**
 * `Extension extensions<min..2^16-1>` for one message kind. Parsing refuses a second extension of
 * the same type with a DuplicateExtensionError, building with a DuplicateExtensionEncodeError.
 */
export class ExtensionListCodec<B extends ExtensionBodies> extends BaseCodec<Extension<B>[]> {
  private readonly bodies: Map<number, Codec<unknown>>;

  constructor(
    bodies: B,
    readonly min = 0,
    readonly max = 0xffff,
  ) {
    super();
    this.bodies = new Map(
      Object.entries(bodies).map(([type, codec]) => [Number(type), codec as Codec<unknown>]),
    );
  }

  /** The codec decoding `extensionType` in this context, if any. */
  bodyCodec(extensionType: number): Codec<unknown> | undefined {
    return this.bodies.get(extensionType);
  }

  read(r: Reader): Extension<B>[] {
    const length = r.u16();
    if (length < this.min || length > this.max)
      throw r.error(`length ${length} outside ${this.min}..${this.max}`, r.pos - 2);
    const saved = r.enter(length);
    const out: Extension<B>[] = [];
    const seen = new Set<number>();
    let field = 'extensionType';
    let index = 0;
    try {
      for (; r.pos < r.end; index++) {
        field = 'extensionType';
        const extensionType = r.u16();
        if (seen.has(extensionType)) throw new DuplicateExtensionError(extensionType, { offset: r.pos - 2 });
        seen.add(extensionType);
        field = 'extensionData';
        const dataLength = r.u16();
        const inner = r.enter(dataLength);
        const codec = this.bodies.get(extensionType);
        if (codec === undefined) out.push({ extensionType, extensionData: r.rest(), unknown: true });
        else out.push({ extensionType, extensionData: codec.read(r) } as Extension<B>);
        r.leave(inner);
      }
    } catch (e) {
      if (e instanceof WireError) e.prependPath(field).prependPath(index);
      throw e;
    }
    r.leave(saved);
    return out;
  }

  write(w: Writer, list: Extension<B>[]): void {
    if (!Array.isArray(list)) throw new EncodeError(`expected an array, got ${describe(list)}`);
    const at = w.reserve(2);
    const seen = new Set<number>();
    let field = 'extensionType';
    let i = 0;
    try {
      for (; i < list.length; i++) {
        const ext = list[i]!;
        field = 'extensionType';
        if (typeof ext !== 'object' || ext === null)
          throw new EncodeError(`expected an object, got ${describe(ext)}`);
        const type = ext.extensionType;
        if ((type & 0xffff) !== type) throw new EncodeError(`${describe(type)} is not a u16 extension type`);
        if (seen.has(type)) throw new DuplicateExtensionEncodeError(type);
        seen.add(type);
        w.u16(type);
        field = 'extensionData';
        const dataAt = w.reserve(2);
        const codec = ext.unknown === true ? undefined : this.bodies.get(type);
        if (codec !== undefined) codec.write(w, ext.extensionData);
        else {
          if (!(ext.extensionData instanceof Uint8Array))
            throw new EncodeError(`extension ${type} has no codec here: extensionData must be a Uint8Array`);
          w.bytes(ext.extensionData);
        }
        const dataLength = w.pos - dataAt - 2;
        if (dataLength > 0xffff) throw new EncodeError(`length ${dataLength} exceeds 65535`);
        w.patchUInt(dataAt, 2, dataLength);
      }
    } catch (e) {
      if (e instanceof WireError) e.prependPath(field).prependPath(i);
      throw e;
    }
    const length = w.pos - at - 2;
    if (length < this.min || length > this.max)
      throw new EncodeError(`length ${length} outside ${this.min}..${this.max}`);
    w.patchUInt(at, 2, length);
  }
}

/** The decoded extension of `extensionType` in `list`, or undefined (raw ones are skipped). */
export function findExtension<
  L extends readonly { extensionType: number; unknown?: boolean }[] | undefined,
  T extends number,
>(
  list: L,
  extensionType: T,
): Extract<NonNullable<L>[number], { extensionType: T; unknown?: undefined }> | undefined {
  if (list === undefined) return undefined;
  for (const e of list) {
    if (e.extensionType === extensionType && e.unknown !== true)
      return e as Extract<NonNullable<L>[number], { extensionType: T; unknown?: undefined }>;
  }
  return undefined;
}
