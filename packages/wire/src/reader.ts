import { DecodeError, IncompleteDataError } from './errors.js';

/**
 * A bounds-checked cursor over a Uint8Array. `end` is the current limit: the end of the input,
 * or of the innermost length-prefixed container entered with `enter`. Byte fields are returned as
 * zero-copy `subarray` views of the input.
 */
export class Reader {
  /** The whole input. */
  readonly buf: Uint8Array;
  /** Offset of the next byte to read. */
  pos: number;
  /** Current limit (exclusive): end of the input or of the innermost container. */
  end: number;
  /** How many containers are entered; reads past the limit at depth 0 mean "need more data". */
  depth = 0;

  constructor(buf: Uint8Array, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  /** Bytes left before the current limit. */
  remaining(): number {
    return this.end - this.pos;
  }

  /** Whether the cursor is at the current limit. */
  atEnd(): boolean {
    return this.pos === this.end;
  }

  /** Throws unless `n` more bytes are available before the current limit. */
  need(n: number): void {
    if (this.pos + n > this.end || !(n >= 0)) this.short(n);
  }

  /** Reads one unsigned byte. */
  u8(): number {
    if (this.pos + 1 > this.end) this.short(1);
    return this.buf[this.pos++]!;
  }

  /** Reads a big-endian uint16. */
  u16(): number {
    const p = this.pos;
    if (p + 2 > this.end) this.short(2);
    const b = this.buf;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  /** Reads a big-endian uint24. */
  u24(): number {
    const p = this.pos;
    if (p + 3 > this.end) this.short(3);
    const b = this.buf;
    this.pos = p + 3;
    return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  }

  /** Reads a big-endian uint32. */
  u32(): number {
    const p = this.pos;
    if (p + 4 > this.end) this.short(4);
    const b = this.buf;
    this.pos = p + 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  /** Returns the next `n` bytes as a zero-copy view. */
  bytes(n: number): Uint8Array {
    const p = this.pos;
    if (p + n > this.end || !(n >= 0)) this.short(n);
    this.pos = p + n;
    return this.buf.subarray(p, p + n);
  }

  /** Returns every byte up to the current limit as a zero-copy view. */
  rest(): Uint8Array {
    const p = this.pos;
    this.pos = this.end;
    return this.buf.subarray(p, this.end);
  }

  /**
   * Narrows the limit to the next `length` bytes (a length-prefixed container) and returns the
   * previous limit, to be handed back to `leave`.
   */
  enter(length: number): number {
    if (this.pos + length > this.end || !(length >= 0)) this.short(length);
    const saved = this.end;
    this.end = this.pos + length;
    this.depth++;
    return saved;
  }

  /** Leaves a container entered with `enter`; its content must have been consumed exactly. */
  leave(saved: number): void {
    if (this.pos !== this.end) this.trailing();
    this.end = saved;
    this.depth--;
  }

  /**
   * Runs `fn` on the next `length` bytes only (a length-prefixed region); `fn` must consume them
   * exactly. For hand-written codecs; built-in ones use `enter`/`leave` to avoid the closure.
   */
  limit<T>(length: number, fn: (reader: this) => T): T {
    const saved = this.enter(length);
    const value = fn(this);
    this.leave(saved);
    return value;
  }

  /** A DecodeError located at `offset` (default: the cursor), for codecs to throw. */
  error(reason: string, offset = this.pos): DecodeError {
    return new DecodeError(reason, { offset });
  }

  /** Throws a DecodeError unless every byte up to the current limit was consumed. */
  expectEnd(): void {
    if (this.pos !== this.end) this.trailing();
  }

  private short(n: number): never {
    // A negative or NaN count can only come from a hand-written codec's arithmetic.
    if (!(n >= 0)) throw this.error(`invalid byte count ${n}`);
    const available = this.end - this.pos;
    if (this.depth === 0) throw new IncompleteDataError(n - available, { offset: this.end });
    throw this.error(`needs ${n} byte(s) but its container has ${available} left`);
  }

  private trailing(): never {
    throw this.error(`${this.end - this.pos} unexpected trailing byte(s)`);
  }
}
