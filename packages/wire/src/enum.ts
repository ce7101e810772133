import { Remaining } from './bytes.js';
import { type AnyCodec, BaseCodec, type Codec, describe, type Infer } from './codec.js';
import { EncodeError, WireError } from './errors.js';
import type { UIntCodec } from './int.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** A TS numeric enum object (or a plain `{ name: code }` object). */
export type EnumObject = { readonly [name: string]: string | number };
/** The member type of an enum object: the enum type itself for a TS numeric enum. */
export type EnumValue<E extends EnumObject> = Extract<E[keyof E], number>;

/** Options of EnumClass / EnumSwitch. */
export interface EnumOptions {
  /** Refuse codes that are not members of the enum (default false: TLS keeps unknown/GREASE codes). */
  readonly strict?: boolean;
  /** Root segment of error paths when parsed or built at top level. */
  readonly name?: string;
}

/** Code -> member name, from a TS enum (skipping its reverse mapping) or a plain object. */
function namesOf(enumObject: EnumObject): Map<number, string> {
  const names = new Map<number, string>();
  for (const [name, code] of Object.entries(enumObject)) if (typeof code === 'number') names.set(code, name);
  return names;
}

export class EnumCodec<E extends EnumObject> extends BaseCodec<EnumValue<E>> {
  private readonly names: Map<number, string>;
  readonly strict: boolean;

  constructor(
    readonly typeField: UIntCodec,
    readonly enumObject: E,
    options: EnumOptions = {},
  ) {
    super();
    this.names = namesOf(enumObject);
    this.strict = options.strict ?? false;
    this.name = options.name;
  }

  /** The member name of `code`, for display; undefined for unknown codes. */
  nameOf(code: number): string | undefined {
    return this.names.get(code);
  }

  /** Whether `code` is a member of the enum. */
  has(code: number): boolean {
    return this.names.has(code);
  }

  read(r: Reader): EnumValue<E> {
    const code = this.typeField.read(r);
    if (this.strict && !this.names.has(code))
      throw r.error(`${code} is not a known value`, r.pos - this.typeField.size);
    return code as EnumValue<E>;
  }

  write(w: Writer, v: EnumValue<E>): void {
    if (typeof v !== 'number') throw new EncodeError(`${describe(v)} is not a member of the enum`);
    if (this.strict && !this.names.has(v)) throw new EncodeError(`${v} is not a member of the enum`);
    this.typeField.write(w, v);
  }
}

/**
 * Maps wire codes to members of a TS numeric enum; the parsed value is the member, i.e. the plain
 * number. Open by default: unknown codes (GREASE, new registrations) parse and build as their raw
 * numbers; `{ strict: true }` refuses them both ways. `build` always refuses non-numbers.
 *
 * @example const ContentTypeCodec = EnumClass(UBInt8, ContentType);
 */
export function EnumClass<E extends EnumObject>(
  typeField: UIntCodec,
  enumObject: E,
  options?: EnumOptions,
): EnumCodec<E> {
  return new EnumCodec(typeField, enumObject, options);
}

/** Tag -> codec of the value for that tag. */
export type Choices = { readonly [tag: number]: AnyCodec };

/**
 * The value of an EnumSwitch: `{ type, value }` for a tag in `choices`; for any other tag
 * `{ type, value, unknown: true }` with the value decoded by the default codec (raw bytes unless
 * given) and `type` any number (GREASE, unregistered codes). Narrow with
 * `if (!x.unknown) switch (x.type) ...`.
 */
export type SwitchValue<C extends Choices, D> =
  | { [K in keyof C & number]: { type: K; value: Infer<C[K]>; unknown?: undefined } }[keyof C & number]
  | { type: number; value: D; unknown: true };

export class EnumSwitchCodec<E extends EnumObject, C extends Choices, D> extends BaseCodec<
  SwitchValue<C, D>
> {
  readonly tag: EnumCodec<E>;
  private readonly codecs: Map<number, Codec<unknown>>;

  constructor(
    typeField: UIntCodec,
    readonly enumObject: E,
    readonly choices: C,
    readonly fallback: Codec<D>,
    options: EnumOptions = {},
  ) {
    super();
    this.tag = new EnumCodec(typeField, enumObject, { strict: options.strict ?? false });
    this.name = options.name;
    this.codecs = new Map(
      Object.entries(choices).map(([tag, codec]) => [Number(tag), codec as Codec<unknown>]),
    );
  }

  read(r: Reader): SwitchValue<C, D> {
    const type = this.tag.read(r);
    const codec = this.codecs.get(type);
    try {
      if (codec !== undefined) return { type, value: codec.read(r) } as SwitchValue<C, D>;
      return { type, value: this.fallback.read(r), unknown: true };
    } catch (e) {
      if (e instanceof WireError) e.prependPath('value');
      throw e;
    }
  }

  write(w: Writer, v: SwitchValue<C, D>): void {
    if (typeof v !== 'object' || v === null) throw new EncodeError(`expected an object, got ${describe(v)}`);
    try {
      this.tag.write(w, v.type as EnumValue<E>);
    } catch (e) {
      if (e instanceof WireError) e.prependPath('type');
      throw e;
    }
    const codec = v.unknown === true ? undefined : this.codecs.get(v.type);
    try {
      if (codec !== undefined) codec.write(w, v.value);
      else this.fallback.write(w, v.value as D);
    } catch (e) {
      if (e instanceof WireError) e.prependPath('value');
      throw e;
    }
  }
}

/**
 * A tagged union: the tag is read with `typeField`, then `choices[tag]` decodes the value. No
 * length prefix of its own (wrap the choices, or the whole switch, in `Opaque` where TLS has one).
 * A tag without a choice decodes with `defaultCodec`, by default `Remaining`: the rest of the
 * enclosing input as raw bytes, so building the parsed value gives back the same bytes.
 *
 * @example
 * const Handshake = EnumSwitch(UBInt8, HandshakeType,
 *   { [HandshakeType.finished]: Opaque(Bytes(32), UBInt24) }, PrefixedBytes(UBInt24));
 */
export function EnumSwitch<E extends EnumObject, C extends Choices, D = Uint8Array>(
  typeField: UIntCodec,
  enumObject: E,
  choices: C,
  defaultCodec?: Codec<D>,
  options?: EnumOptions,
): EnumSwitchCodec<E, C, D> {
  return new EnumSwitchCodec(
    typeField,
    enumObject,
    choices,
    (defaultCodec ?? Remaining) as Codec<D>,
    options,
  );
}
