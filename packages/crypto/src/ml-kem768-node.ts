// The node provider's ML-KEM-768: ./ml-kem768.ts over node:crypto's SHA-3 (OpenSSL's Keccak).
import { createHash, hash } from 'node:crypto';
import { mlKem768 } from './ml-kem768.js';

const bytes = (out: Uint8Array): Uint8Array => new Uint8Array(out.buffer, out.byteOffset, out.length);
// The one-shot crypto.hash (Node >= 20.12) skips the Hash object; it has no output length for SHAKE.
const digest = (algorithm: string, data: Uint8Array) => bytes(hash(algorithm, data, 'buffer'));
const xof = (algorithm: string, data: Uint8Array, outputLength: number) =>
  bytes(createHash(algorithm, { outputLength }).update(data).digest());

export const nodeMlKem768 = mlKem768({
  sha3_256: (data) => digest('sha3-256', data),
  sha3_512: (data) => digest('sha3-512', data),
  shake128: (data, outputLength) => xof('shake128', data, outputLength),
  shake256: (data, outputLength) => xof('shake256', data, outputLength),
});
