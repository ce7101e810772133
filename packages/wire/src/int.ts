import { BaseCodec, type Codec, describe } from './codec.js';
import { EncodeError } from './errors.js';
import type { LengthField } from './length.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** A big-endian unsigned integer codec; also usable as a length or tag field. */
export interface UIntCodec extends Codec<number>, LengthField {}

function rangeError(value: unknown, bits: number): EncodeError {
  return new EncodeError(`${describe(value)} is not an integer in 0..2^${bits}-1`);
}

class UInt8Codec extends BaseCodec<number> implements UIntCodec {
  readonly size = 1;
  readonly max = 0xff;
  read(r: Reader): number {
    return r.u8();
  }
  write(w: Writer, v: number): void {
    // `v & mask` differs from v for NaN, fractions, negatives and overflow (BigInt would throw).
    if (typeof v !== 'number' || (v & 0xff) !== v) throw rangeError(v, 8);
    w.u8(v);
  }
}

class UInt16Codec extends BaseCodec<number> implements UIntCodec {
  readonly size = 2;
  readonly max = 0xffff;
  read(r: Reader): number {
    return r.u16();
  }
  write(w: Writer, v: number): void {
    if (typeof v !== 'number' || (v & 0xffff) !== v) throw rangeError(v, 16);
    w.u16(v);
  }
}

class UInt24Codec extends BaseCodec<number> implements UIntCodec {
  readonly size = 3;
  readonly max = 0xffffff;
  read(r: Reader): number {
    return r.u24();
  }
  write(w: Writer, v: number): void {
    if (typeof v !== 'number' || (v & 0xffffff) !== v) throw rangeError(v, 24);
    w.u24(v);
  }
}

class UInt32Codec extends BaseCodec<number> implements UIntCodec {
  readonly size = 4;
  readonly max = 0xffffffff;
  read(r: Reader): number {
    return r.u32();
  }
  write(w: Writer, v: number): void {
    if (typeof v !== 'number' || v >>> 0 !== v) throw rangeError(v, 32);
    w.u32(v);
  }
}

/** Unsigned 8-bit integer (`uint8`). */
export const UBInt8: UIntCodec = new UInt8Codec();
/** Big-endian unsigned 16-bit integer (`uint16`). */
export const UBInt16: UIntCodec = new UInt16Codec();
/** Big-endian unsigned 24-bit integer (`uint24`, handshake message lengths). */
export const UBInt24: UIntCodec = new UInt24Codec();
/** Big-endian unsigned 32-bit integer (`uint32`). */
export const UBInt32: UIntCodec = new UInt32Codec();
