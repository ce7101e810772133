import { type Bounds, type LengthField, LengthPrefix } from './length.js';

/**
 * A growable output buffer. Length prefixes are written as placeholders with `reserve` and filled
 * in with `patchUInt` once the body is written, so nothing is encoded twice.
 */
export class Writer {
  /** Backing storage; only `buf[0..pos)` is meaningful. */
  buf: Uint8Array;
  /** Number of bytes written so far. */
  pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
  }

  private grow(n: number): void {
    let size = Math.max(this.buf.length * 2, 64);
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends one byte (the caller has validated the range). */
  u8(v: number): void {
    if (this.pos + 1 > this.buf.length) this.grow(1);
    this.buf[this.pos++] = v;
  }

  /** Appends a big-endian uint16. */
  u16(v: number): void {
    if (this.pos + 2 > this.buf.length) this.grow(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 8;
    b[p + 1] = v;
    this.pos = p + 2;
  }

  /** Appends a big-endian uint24. */
  u24(v: number): void {
    if (this.pos + 3 > this.buf.length) this.grow(3);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 16;
    b[p + 1] = v >>> 8;
    b[p + 2] = v;
    this.pos = p + 3;
  }

  /** Appends a big-endian uint32. */
  u32(v: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.pos = p + 4;
  }

  /** Appends raw bytes. */
  bytes(src: Uint8Array): void {
    if (this.pos + src.length > this.buf.length) this.grow(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** Reserves `size` bytes for a length prefix and returns their offset. */
  reserve(size: number): number {
    if (this.pos + size > this.buf.length) this.grow(size);
    const at = this.pos;
    this.pos += size;
    return at;
  }

  /** Writes `value` big-endian into `size` bytes previously reserved at `at`. */
  patchUInt(at: number, size: number, value: number): void {
    const b = this.buf;
    for (let shift = (size - 1) * 8; shift >= 0; shift -= 8) b[at++] = value >>> shift;
  }

  /**
   * Writes `fn`'s output behind a back-patched length prefix of `lengthField`, checked against the
   * field's range and `bounds` (EncodeError). For hand-written codecs.
   */
  prefixed(lengthField: LengthField, fn: (writer: this) => void, bounds?: Bounds): void {
    const prefix = new LengthPrefix(lengthField, bounds);
    const at = prefix.reserve(this);
    fn(this);
    prefix.patch(this, at);
  }

  /**
   * The bytes written, as an exactly-sized array (the buffer itself when it fits exactly, so
   * the writer must not be written to afterwards).
   */
  finish(): Uint8Array {
    return this.pos === this.buf.length ? this.buf : this.buf.slice(0, this.pos);
  }
}
