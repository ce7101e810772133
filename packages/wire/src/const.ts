import { BaseCodec, type Codec, describe } from './codec.js';
import { EncodeError } from './errors.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return a === b;
}

export class ConstCodec<T> extends BaseCodec<T> {
  /** Marks the field as not stored in a Struct's value. */
  readonly hidden = true;
  constructor(
    readonly codec: Codec<T>,
    readonly value: T,
  ) {
    super();
  }
  read(r: Reader): T {
    const at = r.pos;
    const v = this.codec.read(r);
    if (!sameValue(v, this.value)) throw r.error(`expected ${describe(this.value)}, got ${describe(v)}`, at);
    return v;
  }
  /** Writes the constant; `v` may be omitted (undefined) but must otherwise equal it. */
  write(w: Writer, v: T | undefined): void {
    if (v !== undefined && !sameValue(v, this.value))
      throw new EncodeError(`expected ${describe(this.value)}, got ${describe(v)}`);
    this.codec.write(w, this.value);
  }
}

/**
 * A fixed value: parsing checks it (DecodeError otherwise), building writes it. Inside a Struct
 * the field is checked but not stored in the value, e.g. TLS 1.3's
 * `legacy_compression_method: Const(UBInt8, 0)`.
 */
export function Const<T>(codec: Codec<T>, value: T): ConstCodec<T> {
  return new ConstCodec(codec, value);
}
