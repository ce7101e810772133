import { EncodeError } from './errors.js';
import type { Reader } from './reader.js';

/** What a length prefix needs of its integer field (UBInt8..UBInt32 are ones). */
export interface LengthField {
  /** Width in bytes. */
  readonly size: 1 | 2 | 3 | 4;
  /** Largest encodable value. */
  readonly max: number;
  read(reader: Reader): number;
}

/**
 * The part of Writer a length prefix writes through; structural, so that the Writer (whose
 * `prefixed` uses LengthPrefix) and this file do not import each other.
 */
interface PrefixTarget {
  readonly pos: number;
  reserve(size: number): number;
  patchUInt(at: number, size: number, value: number): void;
}

/**
 * Inclusive byte-length bounds of a TLS vector, as in `opaque x<min..max>` (RFC 8446 §3.4).
 * Both default to the length field's range.
 */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

/** A length prefix with its accepted range, resolved once when a codec is made. */
export class LengthPrefix {
  readonly min: number;
  readonly max: number;

  constructor(
    readonly field: LengthField,
    bounds: Bounds | undefined,
  ) {
    this.min = bounds?.min ?? 0;
    this.max = Math.min(bounds?.max ?? field.max, field.max);
  }

  private problem(length: number): string {
    return `length ${length} outside ${this.min}..${this.max}`;
  }

  /** Reads the prefix and checks its range before the body is awaited (no unbounded buffering). */
  read(r: Reader): number {
    const at = r.pos;
    const length = this.field.read(r);
    if (length < this.min || length > this.max) throw r.error(this.problem(length), at);
    return length;
  }

  /** Throws an EncodeError if `length` is outside the range. */
  check(length: number): void {
    if (length < this.min || length > this.max) throw new EncodeError(this.problem(length));
  }

  /** Writes a prefix for a body of known length. */
  write(w: PrefixTarget, length: number): void {
    this.check(length);
    w.patchUInt(w.reserve(this.field.size), this.field.size, length);
  }

  /** Reserves the prefix before a body of unknown length; returns its offset for `patch`. */
  reserve(w: PrefixTarget): number {
    return w.reserve(this.field.size);
  }

  /** Back-patches the prefix reserved at `at` once the body has been written. */
  patch(w: PrefixTarget, at: number): void {
    const length = w.pos - at - this.field.size;
    this.check(length);
    w.patchUInt(at, this.field.size, length);
  }
}
