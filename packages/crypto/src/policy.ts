// Input rules both providers enforce identically, so they fail the same way on the same input.
import { CryptoError, InvalidKeyError, UnsupportedAlgorithmError } from './errors.js';
import type { AeadAlgorithm } from './provider.js';

export const AEAD_KEY_LENGTH: Record<AeadAlgorithm, number> = {
  'aes-128-gcm': 16,
  'aes-256-gcm': 32,
  'chacha20-poly1305': 32,
};

/** The key length of an AEAD, or undefined for an unknown name (own keys only: no prototype names). */
export function aeadKeyLength(algorithm: AeadAlgorithm): number | undefined {
  return Object.hasOwn(AEAD_KEY_LENGTH, algorithm) ? AEAD_KEY_LENGTH[algorithm] : undefined;
}

/** TLS uses 12-byte AEAD nonces for every suite (RFC 8446 §5.3, RFC 5288 §3, RFC 7905 §2). */
export function checkAeadNonce(nonce: Uint8Array): void {
  if (nonce.length !== 12) throw new CryptoError(`AEAD nonce must be 12 bytes, got ${nonce.length}`);
}

/** sealInto's output: ciphertext || tag in exactly its room, in place or apart from the input. */
export function checkSealOutput(plaintext: Uint8Array, output: Uint8Array): void {
  if (output.length !== plaintext.length + 16)
    throw new CryptoError(`AEAD output must be ${plaintext.length + 16} bytes, got ${output.length}`);
  const overlaps =
    plaintext.buffer === output.buffer &&
    plaintext.byteOffset < output.byteOffset + output.length &&
    output.byteOffset < plaintext.byteOffset + plaintext.length;
  if (overlaps && plaintext.byteOffset !== output.byteOffset)
    throw new CryptoError('AEAD output overlaps the plaintext at another offset');
}

/** RSA keys between 1024 and 16384 bits with an odd exponent >= 3: smaller moduli are broken,
 * larger ones are a denial-of-service vector. */
export function checkRsaModulus(bits: number, exponent: bigint): void {
  if (bits < 1024 || bits > 16384)
    throw new UnsupportedAlgorithmError(`RSA modulus of ${bits} bits is not supported`);
  if (exponent < 3n || exponent % 2n === 0n)
    throw new InvalidKeyError('RSA public exponent must be odd and >= 3');
}

/** CSPRNG bytes from crypto.getRandomValues (available in Node >= 19 and browsers). It fills at
 * most 65536 bytes per call. */
export function cryptoRandomBytes(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0) throw new CryptoError(`invalid random length ${length}`);
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
  }
  return out;
}
