// The node provider's ML-KEM-768: ./ml-kem768.ts over node:crypto's SHA-3 (OpenSSL's Keccak).
import { createHash } from 'node:crypto';
import { mlKem768 } from './ml-kem768.js';

const digest = (algorithm: string, data: Uint8Array, outputLength?: number): Uint8Array => {
  const out = createHash(algorithm, outputLength === undefined ? {} : { outputLength })
    .update(data)
    .digest();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
};

export const nodeMlKem768 = mlKem768({
  sha3_256: (data) => digest('sha3-256', data),
  sha3_512: (data) => digest('sha3-512', data),
  shake128: (data, outputLength) => digest('shake128', data, outputLength),
  shake256: (data, outputLength) => digest('shake256', data, outputLength),
});
