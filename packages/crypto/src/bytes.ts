// The byte-array helpers of every tls-kit package (`@tls-kit/crypto/bytes`; browser-safe). Not a
// codec: encodings live in @tls-kit/wire and @tls-kit/messages.

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Variable-time equality, for public values only (secrets go through constantTimeEqual). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Constant-time for equal lengths; a length mismatch is not secret and returns false at once. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const byte of bytes) acc |= byte;
  return acc === 0;
}

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
// Every byte value is mapped to ASCII, so this decoder reads the digits back one to one.
const ascii = new TextDecoder('latin1');

/**
 * Lowercase hex as one flat string: the digits are written into a byte array and decoded at once,
 * where appending two characters per byte would leave a rope of two string objects per byte.
 */
export function toHex(bytes: Uint8Array): string {
  const digits = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    digits[2 * i] = HEX_DIGITS[b >>> 4]!;
    digits[2 * i + 1] = HEX_DIGITS[b & 15]!;
  }
  return ascii.decode(digits);
}

/** The bytes of an even-length hex string (trusted input: constants, key log lines already checked). */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

/** Big-endian, left-padded to `length` bytes; throws if the value does not fit. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16);
  if (value < 0n || hex.length > length * 2) throw new RangeError('integer does not fit');
  return fromHex(hex.padStart(length * 2, '0'));
}

export function byteLengthOf(value: bigint): number {
  return Math.ceil(value.toString(2).length / 8);
}

/** Left-pads to `length` (RFC 8446 §7.4.1: the FFDHE secret has the prime's length). */
export function leftPad(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length === length) return bytes;
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

const textEncoder = new TextEncoder();
export function utf8(text: string): Uint8Array {
  return textEncoder.encode(text);
}
