// The DER writer of every tls-kit package (X.690 §10): definite, minimal lengths; what the key
// containers here and certs' CertificateBuilder need.

import { bigIntToBytes, byteLengthOf } from './bytes.js';
import { Tag } from './der.js';

export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const length = content.reduce((n, c) => n + c.length, 0);
  const lengthBytes: number[] = [];
  if (length < 0x80) {
    lengthBytes.push(length);
  } else {
    for (let n = length; n > 0; n = Math.floor(n / 256)) lengthBytes.unshift(n & 0xff);
    lengthBytes.unshift(0x80 | lengthBytes.length);
  }
  const out = new Uint8Array(1 + lengthBytes.length + length);
  out[0] = tag;
  out.set(lengthBytes, 1);
  let p = 1 + lengthBytes.length;
  for (const c of content) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

export const sequence = (...items: Uint8Array[]) => tlv(Tag.SEQUENCE, ...items);
export const set = (...items: Uint8Array[]) => tlv(Tag.SET, ...items);
export const octetString = (bytes: Uint8Array) => tlv(Tag.OCTET_STRING, bytes);
export const nullValue = () => tlv(Tag.NULL);
export const boolean = (v: boolean) => tlv(Tag.BOOLEAN, Uint8Array.of(v ? 0xff : 0));
export const utf8String = (s: string) => tlv(Tag.UTF8_STRING, new TextEncoder().encode(s));
export const printableString = (s: string) => tlv(Tag.PRINTABLE_STRING, asciiBytes(s));
export const ia5String = (s: string) => tlv(Tag.IA5_STRING, asciiBytes(s));
export const explicit = (n: number, inner: Uint8Array) => tlv(0xa0 | n, inner);

export function asciiBytes(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0x7f);
}

/** A non-negative INTEGER from a bigint or its unsigned big-endian magnitude. */
export function unsignedInteger(value: bigint | Uint8Array): Uint8Array {
  const magnitude = typeof value === 'bigint' ? bigIntToBytes(value, byteLengthOf(value)) : value;
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const m = magnitude.subarray(start);
  const body = m.length === 0 ? Uint8Array.of(0) : m[0]! & 0x80 ? Uint8Array.of(0, ...m) : m;
  return tlv(Tag.INTEGER, body);
}

export function smallInteger(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return unsignedInteger(Uint8Array.from(bytes));
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(BigInt);
  const values = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  const out: number[] = [];
  for (const v of values) {
    const chunk = [Number(v & 0x7fn)];
    for (let x = v >> 7n; x > 0n; x >>= 7n) chunk.unshift(Number(x & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return tlv(Tag.OID, Uint8Array.from(out));
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(Tag.BIT_STRING, Uint8Array.of(unusedBits), bytes);
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
export function time(date: Date): Uint8Array {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? tlv(Tag.UTC_TIME, asciiBytes(`${digits.slice(2)}Z`))
    : tlv(Tag.GENERALIZED_TIME, asciiBytes(`${digits}Z`));
}
