// HKDF-Expand (RFC 5869 §2.3): the output-length rule both providers apply, and the expansion on
// top of a provider's HMAC for libraries with no expand-only primitive (node:crypto's hkdfSync
// always extracts first).
import { CryptoError } from './errors.js';
import type { HashAlgorithm } from './provider.js';
import { HASH_LENGTH } from './signature-schemes.js';

/** RFC 5869 §2.3: L <= 255 * HashLen. */
export function checkHkdfExpandLength(algorithm: HashAlgorithm, length: number): void {
  if (!Number.isInteger(length) || length < 0 || length > 255 * HASH_LENGTH[algorithm]) {
    throw new CryptoError(`HKDF-Expand length ${length} out of range`);
  }
}

export function hkdfExpandWithHmac(
  hmac: (algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array) => Uint8Array,
  algorithm: HashAlgorithm,
  prk: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  checkHkdfExpandLength(algorithm, length);
  const hashLength = HASH_LENGTH[algorithm];
  if (length > 0 && length <= hashLength) {
    // One block, T(1) = HMAC(PRK, info || 0x01): the common case in TLS, with no copies.
    const input = new Uint8Array(info.length + 1);
    input.set(info);
    input[info.length] = 1;
    const block = hmac(algorithm, prk, input);
    return length === hashLength ? block : block.slice(0, length);
  }
  const out = new Uint8Array(length);
  // T(i) = HMAC(PRK, T(i-1) || info || i); the input buffer is reused across blocks.
  const input = new Uint8Array(hashLength + info.length + 1);
  let previousLength = 0;
  for (let offset = 0, counter = 1; offset < length; counter++) {
    input.set(info, previousLength);
    input[previousLength + info.length] = counter;
    const block = hmac(algorithm, prk, input.subarray(0, previousLength + info.length + 1));
    out.set(block.subarray(0, Math.min(hashLength, length - offset)), offset);
    offset += hashLength;
    input.set(block, 0);
    previousLength = hashLength;
  }
  return out;
}
