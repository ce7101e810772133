// The strict DER reader (X.690 §8 and §10) of every tls-kit package: definite lengths in their
// shortest form, single-byte tags, primitive encodings where DER demands them, every read
// bounds-checked, nesting depth limited. Every failure is an error built by the caller's
// DerErrorFactory with the absolute byte offset, so each package keeps its own typed errors
// (this package's key parsers pass `derError`, certs passes its own DerError).

import { DerError } from './errors.js';

/** Builds the error a malformed input raises; `offset` is the byte position in the outermost input. */
export type DerErrorFactory = (message: string, offset: number) => Error;

/** This package's factory: a `DerError` (an `InvalidKeyError`) carrying the offset. */
export const derError: DerErrorFactory = (message, offset) => new DerError(message, offset);

export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Tag byte of a context-specific [n] element; `constructed` for EXPLICIT tags and constructed IMPLICIT ones. */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

/** Nesting deeper than this is refused: X.509 needs about ten levels (CVE-2025-66031 was unbounded recursion). */
export const MAX_DEPTH = 32;

/** One TLV. `bytes` is the whole input; offsets are absolute positions in it. */
export interface DerElement {
  readonly tag: number;
  readonly offset: number;
  readonly contentOffset: number;
  readonly length: number;
  readonly bytes: Uint8Array;
  readonly depth: number;
  /** The factory of the reader that read it, for the decoders below. */
  readonly newError: DerErrorFactory;
}

export function contentOf(el: DerElement): Uint8Array {
  return el.bytes.subarray(el.contentOffset, el.contentOffset + el.length);
}

/** The complete encoding of the element (tag, length and content). */
export function encodingOf(el: DerElement): Uint8Array {
  return el.bytes.subarray(el.offset, el.contentOffset + el.length);
}

function tagName(tag: number): string {
  return `0x${tag.toString(16).padStart(2, '0')}`;
}

export class DerReader {
  private pos: number;

  /**
   * A reader over bytes[start, end) at nesting `depth` (the defaults cover the whole input);
   * `newError` builds every error it and the decoders of its elements raise.
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly newError: DerErrorFactory,
    start = 0,
    private readonly end = bytes.length,
    private readonly depth = 0,
  ) {
    this.pos = start;
  }

  /** Reader over the content of a constructed element. */
  static inside(el: DerElement): DerReader {
    if ((el.tag & 0x20) === 0) throw el.newError(`element ${tagName(el.tag)} is not constructed`, el.offset);
    if (el.depth + 1 > MAX_DEPTH) throw el.newError(`nesting deeper than ${MAX_DEPTH}`, el.offset);
    return new DerReader(el.bytes, el.newError, el.contentOffset, el.contentOffset + el.length, el.depth + 1);
  }

  /** Reader over DER nested inside a primitive OCTET STRING or BIT STRING (extension values, keys). */
  static encapsulated(el: DerElement): DerReader {
    const skip = el.tag === Tag.BIT_STRING ? 1 : 0;
    if (el.length < skip) throw el.newError('empty BIT STRING', el.offset);
    if (el.depth + 1 > MAX_DEPTH) throw el.newError(`nesting deeper than ${MAX_DEPTH}`, el.offset);
    return new DerReader(
      el.bytes,
      el.newError,
      el.contentOffset + skip,
      el.contentOffset + el.length,
      el.depth + 1,
    );
  }

  /** Reader positioned on the element itself (to re-read an ANY-typed parameter). */
  static over(el: DerElement): DerReader {
    return new DerReader(el.bytes, el.newError, el.offset, el.contentOffset + el.length, el.depth);
  }

  get offset(): number {
    return this.pos;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  peekTag(): number | undefined {
    return this.done ? undefined : this.bytes[this.pos];
  }

  /** Reads the next TLV, whatever its tag. */
  read(): DerElement {
    const start = this.pos;
    if (start >= this.end) throw this.newError('unexpected end of data, expected a tag', start);
    const tag = this.bytes[start]!;
    // High-tag-number form (X.690 §8.1.2.4) never occurs in X.509 or the key formats.
    if ((tag & 0x1f) === 0x1f) throw this.newError('multi-byte tags are not supported', start);
    let p = start + 1;
    if (p >= this.end) throw this.newError('unexpected end of data, expected a length', p);
    const first = this.bytes[p++]!;
    let length: number;
    if (first < 0x80) {
      length = first;
    } else if (first === 0x80) {
      throw this.newError('indefinite length is not allowed in DER', p - 1);
    } else {
      const n = first & 0x7f;
      if (n > 4) throw this.newError(`length of ${n} bytes is too large`, p - 1);
      if (p + n > this.end) throw this.newError('unexpected end of data inside a length', p);
      if (this.bytes[p] === 0) throw this.newError('length is not minimally encoded', p);
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + this.bytes[p + i]!;
      if (length < 0x80) throw this.newError('length is not minimally encoded', p - 1);
      p += n;
    }
    if (length > this.end - p) {
      throw this.newError(
        `length ${length} runs past the end of its container (${this.end - p} bytes left)`,
        start,
      );
    }
    this.pos = p + length;
    return {
      tag,
      offset: start,
      contentOffset: p,
      length,
      bytes: this.bytes,
      depth: this.depth,
      newError: this.newError,
    };
  }

  /** Reads the next TLV and checks its tag. */
  expect(tag: number, what: string): DerElement {
    const actual = this.peekTag();
    if (actual !== tag) {
      throw this.newError(
        `expected ${what} (tag ${tagName(tag)}), found ${actual === undefined ? 'end of data' : `tag ${tagName(actual)}`}`,
        this.pos,
      );
    }
    return this.read();
  }

  /** Reads the next TLV only if it has this tag. */
  optional(tag: number): DerElement | undefined {
    return this.peekTag() === tag ? this.read() : undefined;
  }

  /** Reads a constructed element with this tag and returns a reader over its content. */
  enter(tag: number, what: string): DerReader {
    return DerReader.inside(this.expect(tag, what));
  }

  /** Asserts that nothing follows in this container. */
  finish(what: string): void {
    if (!this.done) throw this.newError(`unexpected data after ${what}`, this.pos);
  }

  // Convenience readers for universal types.
  integer(what = 'INTEGER'): bigint {
    return decodeInteger(this.expect(Tag.INTEGER, what));
  }
  smallInteger(what = 'INTEGER'): number {
    return decodeSmallInteger(this.expect(Tag.INTEGER, what));
  }
  oid(what = 'OBJECT IDENTIFIER'): string {
    return decodeOid(this.expect(Tag.OID, what));
  }
  /** A non-negative INTEGER's magnitude bytes (no sign byte). */
  unsignedIntegerBytes(what = 'INTEGER'): Uint8Array {
    return decodeUnsignedIntegerBytes(this.expect(Tag.INTEGER, what));
  }
  bitString(what = 'BIT STRING'): BitString {
    return decodeBitString(this.expect(Tag.BIT_STRING, what));
  }
  /** A BIT STRING holding whole bytes, as keys and signatures do. */
  octetAlignedBitString(what = 'BIT STRING'): Uint8Array {
    return decodeOctetAlignedBitString(this.expect(Tag.BIT_STRING, what), what);
  }
  octetString(what = 'OCTET STRING'): Uint8Array {
    return contentOf(this.expect(Tag.OCTET_STRING, what));
  }
  boolean(what = 'BOOLEAN'): boolean {
    return decodeBoolean(this.expect(Tag.BOOLEAN, what));
  }
  null(what = 'NULL'): void {
    decodeNull(this.expect(Tag.NULL, what));
  }
}

/** Parses exactly one element spanning the whole input. */
export function readSingle(bytes: Uint8Array, what: string, newError: DerErrorFactory): DerElement {
  const reader = new DerReader(bytes, newError);
  const el = reader.read();
  reader.finish(what);
  return el;
}

// --- Decoders of primitive contents (usable on IMPLICIT-tagged elements too) ---

function checkPrimitive(el: DerElement, what: string): void {
  if (el.tag & 0x20) throw el.newError(`${what} must use the primitive encoding`, el.offset);
}

/** INTEGER content as a two's-complement bigint (X.690 §8.3: minimal, non-empty). */
export function decodeInteger(el: DerElement): bigint {
  checkIntegerContent(el);
  const c = contentOf(el);
  let v = 0n;
  for (const b of c) v = (v << 8n) | BigInt(b);
  if (c[0]! & 0x80) v -= 1n << BigInt(8 * c.length);
  return v;
}

function checkIntegerContent(el: DerElement): void {
  checkPrimitive(el, 'INTEGER');
  const c = contentOf(el);
  if (c.length === 0) throw el.newError('empty INTEGER', el.offset);
  if (c.length > 1 && ((c[0] === 0 && !(c[1]! & 0x80)) || (c[0] === 0xff && c[1]! & 0x80))) {
    throw el.newError('INTEGER is not minimally encoded', el.contentOffset);
  }
}

export function decodeSmallInteger(el: DerElement): number {
  const v = decodeInteger(el);
  if (v < 0n || v > 0x7fffffffn) throw el.newError('INTEGER out of range', el.contentOffset);
  return Number(v);
}

/** A non-negative INTEGER's magnitude without the sign byte (for RSA moduli and the like). */
export function decodeUnsignedIntegerBytes(el: DerElement): Uint8Array {
  checkIntegerContent(el);
  const c = contentOf(el);
  if (c[0]! & 0x80) throw el.newError('INTEGER must not be negative', el.contentOffset);
  return c[0] === 0 && c.length > 1 ? c.subarray(1) : c;
}

export function decodeBoolean(el: DerElement): boolean {
  checkPrimitive(el, 'BOOLEAN');
  const c = contentOf(el);
  if (c.length !== 1) throw el.newError('BOOLEAN must be one byte', el.offset);
  // X.690 §11.1: DER TRUE is 0xFF.
  if (c[0] === 0xff) return true;
  if (c[0] === 0x00) return false;
  throw el.newError('BOOLEAN must be 0x00 or 0xFF in DER', el.contentOffset);
}

export function decodeNull(el: DerElement): void {
  checkPrimitive(el, 'NULL');
  if (el.length !== 0) throw el.newError('NULL must be empty', el.offset);
}

/**
 * The longest arc, in bytes of its base-128 encoding: 128-bit UUID arcs (X.667's 2.25 arc) take 19.
 * Longer ones are refused, which also keeps decoding linear in the input.
 */
export const MAX_OID_ARC_BYTES = 19;

export function decodeOid(el: DerElement): string {
  checkPrimitive(el, 'OBJECT IDENTIFIER');
  const c = contentOf(el);
  if (c.length === 0) throw el.newError('empty OBJECT IDENTIFIER', el.offset);
  const arcs: string[] = [];
  let value = 0n;
  let fresh = true;
  let arcBytes = 0;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if (fresh && b === 0x80)
      throw el.newError('OBJECT IDENTIFIER arc is not minimally encoded', el.contentOffset + i);
    if (++arcBytes > MAX_OID_ARC_BYTES)
      throw el.newError(`OBJECT IDENTIFIER arc longer than ${MAX_OID_ARC_BYTES} bytes`, el.contentOffset + i);
    value = (value << 7n) | BigInt(b & 0x7f);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      arcBytes = 0;
      if (arcs.length === 0) {
        const first = value < 80n ? value / 40n : 2n;
        arcs.push(first.toString(), (value - first * 40n).toString());
      } else {
        arcs.push(value.toString());
      }
      value = 0n;
    }
  }
  if (!fresh) throw el.newError('OBJECT IDENTIFIER ends inside an arc', el.contentOffset + c.length - 1);
  return arcs.join('.');
}

export interface BitString {
  readonly bytes: Uint8Array;
  readonly unusedBits: number;
}

export function decodeBitString(el: DerElement): BitString {
  checkPrimitive(el, 'BIT STRING');
  const c = contentOf(el);
  if (c.length === 0) throw el.newError('BIT STRING lacks its unused-bits byte', el.offset);
  const unusedBits = c[0]!;
  if (unusedBits > 7 || (c.length === 1 && unusedBits !== 0)) {
    throw el.newError('invalid BIT STRING unused-bits count', el.contentOffset);
  }
  const bytes = c.subarray(1);
  // X.690 §11.2.1: the unused bits are zero in DER.
  if (unusedBits && bytes[bytes.length - 1]! & ((1 << unusedBits) - 1)) {
    throw el.newError('BIT STRING padding bits are not zero', el.contentOffset + c.length - 1);
  }
  return { bytes, unusedBits };
}

/** A BIT STRING that must hold whole bytes (keys and signatures). */
export function decodeOctetAlignedBitString(el: DerElement, what: string): Uint8Array {
  const bits = decodeBitString(el);
  if (bits.unusedBits !== 0) throw el.newError(`${what} is not a whole number of bytes`, el.contentOffset);
  return bits.bytes;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16be = new TextDecoder('utf-16be', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** A fatal TextDecoder throws a TypeError on bad input; this raises the reader's error instead. */
function decodeText(el: DerElement, decoder: TextDecoder, c: Uint8Array): string {
  try {
    return decoder.decode(c);
  } catch {
    throw el.newError('invalid character encoding in string', el.contentOffset);
  }
}

function checkAscii(el: DerElement, c: Uint8Array, what: string, allowed: (b: number) => boolean): string {
  for (let i = 0; i < c.length; i++) {
    if (!allowed(c[i]!)) throw el.newError(`invalid character in ${what}`, el.contentOffset + i);
  }
  // Latin-1 decodes ASCII as itself, without spreading a long string into arguments.
  return latin1.decode(c);
}

const PRINTABLE_EXTRA = new Set(" '()+,-./:=?".split('').map((ch) => ch.charCodeAt(0)));
const isAlnum = (b: number) =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/** Whether a tag is one of the character-string types this reader decodes. */
export function isStringTag(tag: number): boolean {
  return [
    Tag.UTF8_STRING,
    Tag.NUMERIC_STRING,
    Tag.PRINTABLE_STRING,
    Tag.TELETEX_STRING,
    Tag.IA5_STRING,
    Tag.VISIBLE_STRING,
    Tag.UNIVERSAL_STRING,
    Tag.BMP_STRING,
  ].includes(tag as never);
}

/** Decodes a character string of any of the ASN.1 string types used in certificates. */
export function decodeString(el: DerElement): string {
  checkPrimitive(el, 'string');
  const c = contentOf(el);
  switch (el.tag) {
    case Tag.UTF8_STRING:
      return decodeText(el, utf8, c);
    case Tag.PRINTABLE_STRING:
      return checkAscii(el, c, 'PrintableString', (b) => isAlnum(b) || PRINTABLE_EXTRA.has(b));
    case Tag.NUMERIC_STRING:
      return checkAscii(el, c, 'NumericString', (b) => b === 0x20 || (b >= 0x30 && b <= 0x39));
    case Tag.IA5_STRING:
      return checkAscii(el, c, 'IA5String', (b) => b < 0x80);
    case Tag.VISIBLE_STRING:
      return checkAscii(el, c, 'VisibleString', (b) => b >= 0x20 && b < 0x7f);
    case Tag.TELETEX_STRING:
      // T.61 is practically always used for Latin-1 text in certificates.
      return latin1.decode(c);
    case Tag.BMP_STRING:
      if (c.length % 2) throw el.newError('BMPString has an odd length', el.offset);
      return decodeText(el, utf16be, c);
    case Tag.UNIVERSAL_STRING: {
      if (c.length % 4) throw el.newError('UniversalString length is not a multiple of 4', el.offset);
      let s = '';
      for (let i = 0; i < c.length; i += 4) {
        const cp = ((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
          throw el.newError('invalid code point in UniversalString', el.contentOffset + i);
        }
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      throw el.newError(`tag ${tagName(el.tag)} is not a character string`, el.offset);
  }
}

/**
 * UTCTime / GeneralizedTime as milliseconds since the epoch, with RFC 5280 §4.1.2.5's rules:
 * UTC ("Z"), seconds present, no fractional seconds, UTCTime years 50-99 are 19xx.
 */
export function decodeTime(el: DerElement): Date {
  checkPrimitive(el, 'time');
  const c = contentOf(el);
  const s = latin1.decode(c);
  let year: number;
  let rest: string;
  if (el.tag === Tag.UTC_TIME) {
    if (!/^\d{12}Z$/.test(s)) throw el.newError('UTCTime must be YYMMDDHHMMSSZ', el.contentOffset);
    const yy = Number(s.slice(0, 2));
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    rest = s.slice(2);
  } else if (el.tag === Tag.GENERALIZED_TIME) {
    if (!/^\d{14}Z$/.test(s)) throw el.newError('GeneralizedTime must be YYYYMMDDHHMMSSZ', el.contentOffset);
    year = Number(s.slice(0, 4));
    rest = s.slice(4);
  } else {
    throw el.newError(`expected UTCTime or GeneralizedTime, found tag ${tagName(el.tag)}`, el.offset);
  }
  const [month, day, hour, minute, second] = [0, 2, 4, 6, 8].map((i) => Number(rest.slice(i, i + 2))) as [
    number,
    number,
    number,
    number,
    number,
  ];
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 19xx.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  // Out-of-range fields silently roll over; a round trip catches them.
  if (
    d.getUTCFullYear() !== year ||
    d.getUTCMonth() !== month - 1 ||
    d.getUTCDate() !== day ||
    d.getUTCHours() !== hour ||
    d.getUTCMinutes() !== minute ||
    d.getUTCSeconds() !== second
  ) {
    throw el.newError('time has a field out of range', el.contentOffset);
  }
  return d;
}

// --- A generic tree, for tools and for input whose structure is unknown ---

export interface DerNode {
  readonly tag: number;
  readonly offset: number;
  readonly length: number;
  /** Content bytes for primitive elements. */
  readonly content?: Uint8Array;
  readonly children?: readonly DerNode[];
}

/** Decodes an arbitrary DER value into a tree, checking every level (depth-limited). */
export function parseDerTree(bytes: Uint8Array, newError: DerErrorFactory): DerNode {
  const root = readSingle(bytes, 'the DER value', newError);
  return toNode(root);
}

function toNode(el: DerElement): DerNode {
  if ((el.tag & 0x20) === 0) {
    return { tag: el.tag, offset: el.offset, length: el.length, content: contentOf(el) };
  }
  const reader = DerReader.inside(el);
  const children: DerNode[] = [];
  while (!reader.done) children.push(toNode(reader.read()));
  return { tag: el.tag, offset: el.offset, length: el.length, children };
}
