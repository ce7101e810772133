// Byte helpers shared by the modules of this package.

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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

export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * A 32-bit FNV-1a digest mixed with the length: a cheap map key for DER bytes. Not collision
 * resistant: every map keyed by it compares the bytes themselves before trusting a match.
 */
export function fingerprint(bytes: Uint8Array): number {
  let h = 0x811c9dc5 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}
