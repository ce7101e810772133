import { BaseCodec, expectBytes } from './codec.js';
import { EncodeError } from './errors.js';
import { UBInt8, type UIntCodec } from './int.js';
import { type Bounds, LengthPrefix } from './length.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

class FixedBytesCodec extends BaseCodec<Uint8Array> {
  constructor(readonly length: number) {
    super();
  }
  read(r: Reader): Uint8Array {
    return r.bytes(this.length);
  }
  write(w: Writer, v: Uint8Array): void {
    expectBytes(v);
    if (v.length !== this.length) throw new EncodeError(`expected ${this.length} bytes, got ${v.length}`);
    w.bytes(v);
  }
}

/** Exactly `n` bytes, e.g. `Bytes(32)` for a Random. Parsed as a zero-copy view. */
export function Bytes(n: number): BaseCodec<Uint8Array> {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`Bytes(${n}): length must be a non-negative integer`);
  return new FixedBytesCodec(n);
}

class PrefixedBytesCodec extends BaseCodec<Uint8Array> {
  private readonly prefix: LengthPrefix;
  constructor(lengthField: UIntCodec, bounds: Bounds | undefined) {
    super();
    this.prefix = new LengthPrefix(lengthField, bounds);
  }
  read(r: Reader): Uint8Array {
    return r.bytes(this.prefix.read(r));
  }
  write(w: Writer, v: Uint8Array): void {
    expectBytes(v);
    this.prefix.write(w, v.length);
    w.bytes(v);
  }
}

/**
 * Length-prefixed opaque bytes, TLS's `opaque x<min..max>`. `build` refuses non-Uint8Array values
 * and lengths beyond the length field or `bounds`; `parse` refuses lengths outside `bounds`.
 *
 * @example PrefixedBytes(UBInt16, { min: 1 }) // opaque cookie<1..2^16-1>
 */
export function PrefixedBytes(lengthField: UIntCodec = UBInt8, bounds?: Bounds): BaseCodec<Uint8Array> {
  return new PrefixedBytesCodec(lengthField, bounds);
}

class RemainingCodec extends BaseCodec<Uint8Array> {
  read(r: Reader): Uint8Array {
    return r.rest();
  }
  write(w: Writer, v: Uint8Array): void {
    expectBytes(v);
    w.bytes(v);
  }
}

/**
 * Every byte left in the enclosing container (or input), as a zero-copy view: record fragments,
 * bodies of unknown extensions, ciphertext.
 */
export const Remaining: BaseCodec<Uint8Array> = new RemainingCodec();
