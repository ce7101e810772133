import { type AnyCodec, BaseCodec, type Codec, describe, type Infer } from './codec.js';
import { EncodeError, WireError } from './errors.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** The fields of a Struct, in wire order. */
export type Fields = { readonly [key: string]: AnyCodec };

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type HiddenKeys<F> = { [K in keyof F]: F[K] extends { readonly hidden: true } ? K : never }[keyof F];
type OptionalKeys<F> = { [K in keyof F]: F[K] extends { readonly optional: true } ? K : never }[keyof F];

/**
 * The value type of `Struct(fields)`: one property per field, `Optional` fields as optional
 * properties, `Const` fields left out (they are checked and written, not stored).
 */
export type StructValue<F extends Fields> = Simplify<
  { [K in Exclude<keyof F, HiddenKeys<F> | OptionalKeys<F>>]: Infer<F[K]> } & {
    [K in OptionalKeys<F>]?: Infer<F[K]>;
  }
>;

export class StructCodec<F extends Fields> extends BaseCodec<StructValue<F>> {
  /** The field codecs, so that a struct can be extended: `Struct({ ...Base.fields, extra })`. */
  readonly fields: F;
  private readonly keys: string[];
  private readonly codecs: Codec<unknown>[];
  private readonly stored: boolean[];

  constructor(fields: F, name?: string) {
    super();
    this.fields = fields;
    this.name = name;
    this.keys = Object.keys(fields);
    this.codecs = this.keys.map((k) => fields[k]!);
    this.stored = this.codecs.map((c) => (c as { hidden?: boolean }).hidden !== true);
  }

  read(r: Reader): StructValue<F> {
    const { keys, codecs, stored } = this;
    const out: Record<string, unknown> = {};
    let i = 0;
    try {
      for (; i < keys.length; i++) {
        const value = codecs[i]!.read(r);
        if (stored[i]) out[keys[i]!] = value;
      }
    } catch (e) {
      if (e instanceof WireError) e.prependPath(keys[i]!);
      throw e;
    }
    return out as StructValue<F>;
  }

  write(w: Writer, v: StructValue<F>): void {
    if (typeof v !== 'object' || v === null) throw new EncodeError(`expected an object, got ${describe(v)}`);
    const { keys, codecs } = this;
    const obj = v as Record<string, unknown>;
    let i = 0;
    try {
      for (; i < keys.length; i++) codecs[i]!.write(w, obj[keys[i]!]);
    } catch (e) {
      if (e instanceof WireError) e.prependPath(keys[i]!);
      throw e;
    }
  }
}

/**
 * Fields in order; the value type is inferred (`Infer<typeof MyStruct>`). `name` becomes the root
 * of error paths when this struct is parsed or built at top level (e.g. `ClientHello.random`).
 *
 * @example const Extension = Struct({ type: UBInt16, data: PrefixedBytes(UBInt16) }, 'Extension');
 */
export function Struct<F extends Fields>(fields: F, name?: string): StructCodec<F> {
  return new StructCodec(fields, name);
}
