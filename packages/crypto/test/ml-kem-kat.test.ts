// FIPS 203 known answers for the ML-KEM-768 of each provider (the noble provider's
// @noble/post-quantum, the node provider's src/ml-kem768.ts over node:crypto's SHA-3; the
// X25519MLKEM768 tests in key-exchange.test.ts tie each provider's shares to them): the accumulated
// vectors of C2SP CCTV (ML-KEM, "Accumulated pq-crystals vectors", final FIPS 203 with k appended
// to d). A deterministic RNG (SHAKE-128 of the empty string) draws d, z, m and a random ciphertext
// per test; ek, dk, ct, K and the implicit-rejection K of the random ciphertext go into a running
// SHAKE-128, whose 32-byte digest is the known answer. 10,000 tests hash to
// f959d18d3d1180121433bf0e05f11e7908cf9d03edc150b2b07cb90bef5bc1c1 (CCTV's published value,
// which this procedure reproduces with either in ~25 s / ~12 s of CPU); the suite runs the first
// 100, whose digest crystals-kyber-js' test suite, an independent implementation, publishes too.
import { createHash } from 'node:crypto';
import { shake128 } from '@noble/hashes/sha3.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import test from 'ava';
import { type MlKem768, mlKem768 } from '../src/ml-kem768.js';
import { nodeMlKem768 } from '../src/ml-kem768-node.js';
import { hex } from './helpers.js';

const CIPHERTEXT_LENGTH = 1088;

function accumulate(kem: MlKem768, count: number): string {
  const rng = shake128.create({});
  const digest = shake128.create({ dkLen: 32 });
  for (let i = 0; i < count; i++) {
    const d = rng.xof(32);
    const z = rng.xof(32);
    const m = rng.xof(32);
    const randomCiphertext = rng.xof(CIPHERTEXT_LENGTH);
    const { publicKey, secretKey } = kem.keygen(Uint8Array.of(...d, ...z));
    const { cipherText, sharedSecret } = kem.encapsulate(publicKey, m);
    if (hex(kem.decapsulate(cipherText, secretKey)) !== hex(sharedSecret)) {
      throw new Error(`test ${i}: decapsulation did not recover the encapsulated key`);
    }
    const rejected = kem.decapsulate(randomCiphertext, secretKey);
    digest.update(publicKey).update(secretKey).update(cipherText).update(sharedSecret).update(rejected);
  }
  return hex(digest.digest());
}

test("the deterministic RNG is CCTV's (SHAKE-128 of the empty string)", (t) => {
  t.is(hex(shake128.create({}).xof(16)), '7f9c2ba4e88f827d616045507605853e');
});

for (const [name, kem] of [
  ['@noble/post-quantum', ml_kem768],
  ['node provider (node:crypto SHA-3)', nodeMlKem768],
] as const) {
  test(`ML-KEM-768, ${name}: the first 100 accumulated CCTV vectors (keygen, encaps, decaps, implicit rejection)`, (t) => {
    t.is(accumulate(kem, 100), '8d65b902f28edc683cebee2872962fd165a4d197c9e24ec74caa4470270df0b7');
  });
}

test('ML-KEM-768 (src/ml-kem768.ts): the first 100 CCTV vectors take SampleNTT past three SHAKE-128 blocks', (t) => {
  // About 1 matrix entry in 140 needs more than the 504 bytes asked first: count those requests.
  let longer = 0;
  const digest = (algorithm: string, data: Uint8Array, outputLength?: number) =>
    new Uint8Array(createHash(algorithm, { outputLength }).update(data).digest());
  const kem = mlKem768({
    sha3_256: (data) => digest('sha3-256', data),
    sha3_512: (data) => digest('sha3-512', data),
    shake128: (data, outputLength) => {
      if (outputLength > 3 * 168) longer++;
      return digest('shake128', data, outputLength);
    },
    shake256: (data, outputLength) => digest('shake256', data, outputLength),
  });
  t.is(accumulate(kem, 100), '8d65b902f28edc683cebee2872962fd165a4d197c9e24ec74caa4470270df0b7');
  t.true(longer > 0);
});

test("ML-KEM-768, node provider: refuses malformed inputs (FIPS 203 §7.2, §7.3), same answers with or without keygen's matrix", (t) => {
  const { publicKey, secretKey } = nodeMlKem768.keygen(new Uint8Array(64).fill(7));
  const m = new Uint8Array(32);
  // A coefficient of 4095 (>= q) in the encapsulation key; wrong lengths.
  const badKey = publicKey.slice();
  badKey[0] = 0xff;
  badKey[1] = 0x0f;
  t.throws(() => nodeMlKem768.encapsulate(badKey, m), { message: /modulus check/ });
  t.throws(() => nodeMlKem768.encapsulate(publicKey.subarray(1), m), { message: /length/ });
  const { cipherText, sharedSecret } = nodeMlKem768.encapsulate(publicKey, m);
  // Decapsulation re-encrypts with keygen's matrix for its own key object, and expands it again
  // for a copy: both give the same answers, also on implicit rejection.
  const random = new Uint8Array(1088).fill(3);
  t.is(hex(nodeMlKem768.decapsulate(cipherText, secretKey.slice())), hex(sharedSecret));
  t.is(hex(nodeMlKem768.decapsulate(cipherText, secretKey)), hex(sharedSecret));
  t.is(
    hex(nodeMlKem768.decapsulate(random, secretKey.slice())),
    hex(nodeMlKem768.decapsulate(random, secretKey)),
  );
  t.throws(() => nodeMlKem768.decapsulate(cipherText.subarray(1), secretKey), { message: /length/ });
  // H(ek) inside the decapsulation key must match its ek.
  const badSecret = secretKey.slice();
  badSecret[2 * 1152 + 32] = badSecret[2 * 1152 + 32]! ^ 1;
  t.throws(() => nodeMlKem768.decapsulate(cipherText, badSecret), { message: /hash check/ });
});
