import type { HashAlgorithm } from '@tls-kit/crypto';
import { UnsupportedAlgorithmError } from '@tls-kit/crypto';
import { defaultProvider } from '@tls-kit/crypto/default';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import fc from 'fast-check';
import { hex, providers, utf8 } from './helpers.js';

test('the default provider under Node is the node provider', (t) => {
  t.is(defaultProvider, nodeProvider);
});

for (const provider of providers) {
  test(`${provider.name}: timingSafeEqual`, (t) => {
    t.true(provider.timingSafeEqual(new Uint8Array(0), new Uint8Array(0)));
    t.true(provider.timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3)));
    t.false(provider.timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4)));
    t.false(provider.timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2)));
    t.false(provider.timingSafeEqual(new Uint8Array(0), Uint8Array.of(0)));
  });

  test(`${provider.name}: randomBytes returns fresh CSPRNG output of any length`, (t) => {
    t.is(provider.randomBytes(0).length, 0);
    const big = provider.randomBytes(70_000); // above getRandomValues' 65536-byte limit
    t.is(big.length, 70_000);
    t.true(big.subarray(65_536).some((byte) => byte !== 0));
    t.not(hex(provider.randomBytes(32)), hex(provider.randomBytes(32)));
  });

  test(`${provider.name}: hashes are incremental and forkable`, (t) => {
    for (const algorithm of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
      const running = provider.createHash(algorithm).update(utf8('Client'));
      t.is(running.algorithm, algorithm);
      const fork = running.clone();
      running.update(utf8('Hello'));
      t.is(hex(fork.digest()), hex(provider.hash(algorithm, utf8('Client'))));
      t.is(hex(running.digest()), hex(provider.hash(algorithm, utf8('ClientHello'))));
      t.is(provider.createHash(algorithm).outputLength, provider.hash(algorithm, new Uint8Array(0)).length);
    }
    t.is(
      hex(provider.hash('sha256', utf8('abc'))),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    t.throws(() => provider.createHash('md5' as HashAlgorithm), { instanceOf: UnsupportedAlgorithmError });
  });
}

test('providers agree on hashes of random chunked input', (t) => {
  const [a, b] = providers as [(typeof providers)[0], (typeof providers)[0]];
  fc.assert(
    fc.property(
      fc.constantFrom<HashAlgorithm>('sha1', 'sha256', 'sha384', 'sha512'),
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }),
      (algorithm, chunks) => {
        const ha = a.createHash(algorithm);
        const hb = b.createHash(algorithm);
        for (const chunk of chunks) {
          ha.update(chunk);
          hb.update(chunk);
          t.is(hex(ha.clone().digest()), hex(hb.clone().digest()));
        }
        t.is(hex(ha.digest()), hex(hb.digest()));
      },
    ),
    { numRuns: 60 },
  );
});

test('names inherited from Object.prototype are unknown algorithms, not crashes', (t) => {
  for (const provider of providers) {
    const name = 'constructor';
    t.throws(() => provider.createHash(name as HashAlgorithm), { instanceOf: UnsupportedAlgorithmError });
    t.throws(() => provider.hash(name as HashAlgorithm, new Uint8Array(0)), {
      instanceOf: UnsupportedAlgorithmError,
    });
    t.throws(() => provider.importAeadKey(name as never, new Uint8Array(16)), {
      instanceOf: UnsupportedAlgorithmError,
    });
    t.false(provider.supportsGroup('toString' as never));
    t.throws(() => provider.startKeyExchange('toString' as never), { instanceOf: UnsupportedAlgorithmError });
    const key = provider.generateKeyPair({ type: 'ed25519' });
    t.throws(() => provider.verify(name as never, key.publicKey, new Uint8Array(0), new Uint8Array(64)), {
      instanceOf: UnsupportedAlgorithmError,
    });
  }
});
