import type { AeadAlgorithm } from '@tls-kit/crypto';
import {
  AeadAuthenticationError,
  CryptoError,
  InvalidKeyError,
  UnsupportedAlgorithmError,
} from '@tls-kit/crypto';
import { concat } from '@tls-kit/crypto/bytes';
import test from 'ava';
import fc from 'fast-check';
import { between, hex, hexAfter, providers, rfcText } from './helpers.js';

const rfc8439 = rfcText('rfc8439.txt');
// §2.8.2: nonce = 32-bit fixed-common part || 64-bit IV.
const s282 = between(rfc8439, '2.8.2.  Example and Test Vector', '3.  Implementation Advice');
const aeadVector = {
  key: hexAfter(s282, 'Key:'),
  nonce: Uint8Array.of(...hexAfter(s282, '32-bit fixed-common part:'), ...hexAfter(s282, 'IV:')),
  aad: hexAfter(s282, 'AAD:'),
  plaintext: hexAfter(s282, 'Plaintext:'),
  ciphertext: hexAfter(s282, 'Ciphertext:'),
  tag: hexAfter(s282, 'Tag:'),
};
// Appendix A.5: decryption of a received message.
const a5 = between(rfc8439, 'A.5.  ChaCha20-Poly1305 AEAD Decryption', 'Appendix B.');
const decryptVector = {
  key: hexAfter(a5, 'The ChaCha20 Key'),
  nonce: hexAfter(a5, 'The nonce:'),
  aad: hexAfter(a5, 'The AAD:'),
  ciphertext: hexAfter(a5, 'Ciphertext:'),
  tag: hexAfter(a5, 'Received Tag:'),
  plaintext: hexAfter(a5, 'Plaintext::'),
};

const ALGORITHMS: readonly { algorithm: AeadAlgorithm; keyLength: number }[] = [
  { algorithm: 'aes-128-gcm', keyLength: 16 },
  { algorithm: 'aes-256-gcm', keyLength: 32 },
  { algorithm: 'chacha20-poly1305', keyLength: 32 },
];

test('RFC 8439 vectors parse with the stated sizes', (t) => {
  t.is(aeadVector.plaintext.length, 114);
  t.is(aeadVector.nonce.length, 12);
  t.is(aeadVector.tag.length, 16);
  t.is(decryptVector.ciphertext.length, 265);
  t.is(decryptVector.plaintext.length, 265);
});

for (const provider of providers) {
  test(`${provider.name}: ChaCha20-Poly1305 RFC 8439 §2.8.2 seal`, (t) => {
    const key = provider.importAeadKey('chacha20-poly1305', aeadVector.key);
    const sealed = key.seal(aeadVector.nonce, aeadVector.plaintext, aeadVector.aad);
    t.is(hex(sealed), hex(aeadVector.ciphertext) + hex(aeadVector.tag));
    t.is(hex(key.open(aeadVector.nonce, sealed, aeadVector.aad)), hex(aeadVector.plaintext));
  });

  test(`${provider.name}: ChaCha20-Poly1305 RFC 8439 appendix A.5 open`, (t) => {
    const key = provider.importAeadKey('chacha20-poly1305', decryptVector.key);
    const input = Uint8Array.of(...decryptVector.ciphertext, ...decryptVector.tag);
    t.is(hex(key.open(decryptVector.nonce, input, decryptVector.aad)), hex(decryptVector.plaintext));
  });

  for (const { algorithm, keyLength } of ALGORITHMS) {
    test(`${provider.name}: ${algorithm} rejects tampering with a typed error`, (t) => {
      const key = provider.importAeadKey(algorithm, provider.randomBytes(keyLength));
      const nonce = provider.randomBytes(12);
      const aad = Uint8Array.of(23, 3, 3, 0, 40);
      const sealed = key.seal(nonce, new Uint8Array(24).fill(7), aad);
      t.is(sealed.length, 24 + 16);
      const flipped = (i: number) => sealed.map((byte, j) => (j === i ? byte ^ 1 : byte));
      for (const bad of [
        flipped(0),
        flipped(sealed.length - 1),
        sealed.subarray(0, sealed.length - 1),
        sealed.subarray(0, 15),
        new Uint8Array(0),
      ]) {
        t.throws(() => key.open(nonce, bad, aad), { instanceOf: AeadAuthenticationError });
      }
      t.throws(() => key.open(nonce, sealed, Uint8Array.of(23, 3, 3, 0, 41)), {
        instanceOf: AeadAuthenticationError,
      });
      t.throws(() => key.open(provider.randomBytes(12), sealed, aad), {
        instanceOf: AeadAuthenticationError,
      });
      t.throws(() => key.seal(new Uint8Array(8), sealed, aad), { instanceOf: CryptoError });
      t.deepEqual(key.open(nonce, sealed, aad), new Uint8Array(24).fill(7));
      // An empty plaintext still carries a tag (TLS 1.3 never sends one, TLS 1.2 may).
      t.is(key.open(nonce, key.seal(nonce, new Uint8Array(0), aad), aad).length, 0);
    });

    test(`${provider.name}: ${algorithm} rejects wrong key sizes`, (t) => {
      for (const length of [0, keyLength - 1, keyLength + 1, 24]) {
        t.throws(() => provider.importAeadKey(algorithm, new Uint8Array(length)), {
          instanceOf: InvalidKeyError,
        });
      }
    });
  }

  test(`${provider.name}: unknown AEAD is UnsupportedAlgorithmError`, (t) => {
    t.throws(() => provider.importAeadKey('aes-128-cbc' as AeadAlgorithm, new Uint8Array(16)), {
      instanceOf: UnsupportedAlgorithmError,
    });
  });
}

test('providers agree on every AEAD for random keys, nonces, data (and 16 KiB records)', (t) => {
  const [a, b] = providers as [(typeof providers)[0], (typeof providers)[0]];
  fc.assert(
    fc.property(
      fc.constantFrom(...ALGORITHMS),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 12, maxLength: 12 }),
      fc.uint8Array({ maxLength: 64 }),
      fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.constant(new Uint8Array(16384 + 1).fill(0xa5))),
      ({ algorithm, keyLength }, keyBytes, nonce, aad, plaintext) => {
        const keyA = a.importAeadKey(algorithm, keyBytes.subarray(0, keyLength));
        const keyB = b.importAeadKey(algorithm, keyBytes.subarray(0, keyLength));
        const sealed = keyA.seal(nonce, plaintext, aad);
        t.is(hex(keyB.seal(nonce, plaintext, aad)), hex(sealed));
        t.is(hex(keyB.open(nonce, sealed, aad)), hex(plaintext));
      },
    ),
    { numRuns: 80 },
  );
});

test('an AEAD key does not depend on the caller keeping its key buffer intact', (t) => {
  for (const provider of providers) {
    const raw = new Uint8Array(16).fill(1);
    const key = provider.importAeadKey('aes-128-gcm', raw);
    const nonce = new Uint8Array(12);
    const before = key.seal(nonce, new Uint8Array(5), new Uint8Array(0));
    raw.fill(0);
    t.deepEqual(key.seal(nonce, new Uint8Array(5), new Uint8Array(0)), before, provider.name);
  }
});

// The node provider keeps a young key as raw bytes and makes it a KeyObject after its first
// records (KEY_OBJECT_AFTER): a long-used key must seal and open as a fresh one, by every method.
test('an AEAD key used for many records agrees with a fresh key and the other provider at every use', (t) => {
  const [a, b] = providers as [(typeof providers)[0], (typeof providers)[0]];
  for (const { algorithm, keyLength } of ALGORITHMS) {
    const raw = Uint8Array.from({ length: keyLength }, (_, i) => i * 7 + 1);
    const used = a.importAeadKey(algorithm, raw);
    const reference = b.importAeadKey(algorithm, raw);
    const aad = Uint8Array.of(23, 3, 3, 0, 40);
    for (let i = 0; i < 40; i++) {
      const nonce = new Uint8Array(12);
      nonce[11] = i;
      const plaintext = new Uint8Array(i + 1).fill(i);
      const expected = hex(reference.seal(nonce, plaintext, aad));
      const fresh = a.importAeadKey(algorithm, raw);
      const message = `${algorithm}, use ${i}`;
      // Four uses of `used` per round: seal, sealInto, sealParts, open.
      t.is(hex(used.seal(nonce, plaintext, aad)), expected, message);
      t.is(hex(fresh.seal(nonce, plaintext, aad)), expected, message);
      const into = new Uint8Array(plaintext.length + 16);
      used.sealInto?.(nonce, plaintext, aad, into);
      t.is(hex(into), expected, message);
      t.is(
        hex(concat(used.sealParts?.(nonce, [plaintext.subarray(0, 1), plaintext.subarray(1)], aad) ?? [])),
        expected,
        message,
      );
      t.is(hex(used.open(nonce, into, aad)), hex(plaintext), message);
      into[0]! ^= 1;
      t.throws(() => used.open(nonce, into, aad), { instanceOf: AeadAuthenticationError }, message);
    }
  }
});

// sealInto: the same bytes as seal, written into a caller's buffer (apart or in place).
for (const provider of providers) {
  for (const { algorithm, keyLength } of ALGORITHMS) {
    test(`${provider.name}: ${algorithm} sealInto equals seal, apart and in place`, (t) => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: keyLength, maxLength: keyLength }),
          fc.uint8Array({ minLength: 12, maxLength: 12 }),
          fc.uint8Array({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 20 }),
          fc.nat({ max: 7 }),
          (rawKey, nonce, plaintext, aad, offset) => {
            const key = provider.importAeadKey(algorithm, rawKey);
            const expected = hex(key.seal(nonce, plaintext, aad));
            t.truthy(key.sealInto);
            // Apart, at an offset inside a larger buffer whose other bytes must stay untouched.
            const big = new Uint8Array(offset + plaintext.length + 16 + 3).fill(0xa5);
            key.sealInto?.(nonce, plaintext, aad, big.subarray(offset, offset + plaintext.length + 16));
            t.is(hex(big.subarray(offset, offset + plaintext.length + 16)), expected);
            t.true(big.subarray(0, offset).every((b) => b === 0xa5));
            t.true(big.subarray(offset + plaintext.length + 16).every((b) => b === 0xa5));
            // In place: the plaintext laid out at the start of the output.
            const record = new Uint8Array(offset + plaintext.length + 16);
            record.set(plaintext, offset);
            const output = record.subarray(offset);
            key.sealInto?.(nonce, output.subarray(0, plaintext.length), aad, output);
            t.is(hex(output), expected);
            t.is(hex(key.open(nonce, output, aad)), hex(plaintext));
          },
        ),
        { numRuns: 40 },
      );
    });

    test(`${provider.name}: ${algorithm} sealParts equals seal of the joined parts`, (t) => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: keyLength, maxLength: keyLength }),
          fc.uint8Array({ minLength: 12, maxLength: 12 }),
          fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 4 }),
          fc.uint8Array({ maxLength: 20 }),
          (rawKey, nonce, parts, aad) => {
            const key = provider.importAeadKey(algorithm, rawKey);
            const joined = concat(parts);
            t.truthy(key.sealParts);
            const pieces = key.sealParts?.(nonce, parts, aad) ?? [];
            t.is(hex(concat(pieces)), hex(key.seal(nonce, joined, aad)));
            // The pieces are the caller's: the input stays as it was and they outlive the call.
            t.is(hex(concat(parts)), hex(joined));
            t.is(hex(key.open(nonce, concat(pieces), aad)), hex(joined));
          },
        ),
        { numRuns: 40 },
      );
      t.throws(
        () =>
          provider
            .importAeadKey(algorithm, new Uint8Array(keyLength))
            .sealParts?.(new Uint8Array(8), [], new Uint8Array(0)),
        {
          instanceOf: CryptoError,
        },
      );
    });

    test(`${provider.name}: ${algorithm} sealInto refuses a wrong output size or a shifted overlap`, (t) => {
      const key = provider.importAeadKey(algorithm, new Uint8Array(keyLength).fill(1));
      const nonce = new Uint8Array(12);
      const plaintext = new Uint8Array(32).fill(7);
      for (const size of [0, 47, 49]) {
        t.throws(() => key.sealInto?.(nonce, plaintext, new Uint8Array(0), new Uint8Array(size)), {
          instanceOf: CryptoError,
          message: /output must be 48 bytes/,
        });
      }
      const buffer = new Uint8Array(64);
      t.throws(
        () => key.sealInto?.(nonce, buffer.subarray(4, 36), new Uint8Array(0), buffer.subarray(0, 48)),
        {
          instanceOf: CryptoError,
          message: /overlaps/,
        },
      );
      t.throws(() => key.sealInto?.(new Uint8Array(8), plaintext, new Uint8Array(0), new Uint8Array(48)), {
        instanceOf: CryptoError,
      });
    });
  }
}
