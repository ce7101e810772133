// Small byte helpers shared by both providers (browser-safe).

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
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

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex === '' ? 0n : BigInt(`0x${hex}`);
}

/** Big-endian, left-padded to `length` bytes; throws if the value does not fit. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16);
  if (value < 0n || hex.length > length * 2) throw new RangeError('integer does not fit');
  return hexToBytes(hex.padStart(length * 2, '0'));
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
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
