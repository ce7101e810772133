// isProbablePrime (node: OpenSSL's BN_check_prime; noble: bigint Miller-Rabin) and the safe-prime
// test for explicit DH groups, against primes and composites node:crypto generates and known cases.
import { generatePrimeSync, getDiffieHellman } from 'node:crypto';
import { FFDHE_PRIMES_HEX, isSafeDhPrime } from '@tls-kit/crypto';
import test from 'ava';
import { providers } from './helpers.js';

const bytes = (n: bigint) => {
  const h = n.toString(16);
  return Uint8Array.from(Buffer.from(h.length % 2 ? `0${h}` : h, 'hex'));
};

// 561 and 41041 are Carmichael numbers (Fermat liars for every coprime base); 3215031751 is a
// strong pseudoprime to bases 2, 3, 5 and 7.
const COMPOSITES = [1n, 9n, 561n, 41041n, 3215031751n, 2n ** 127n + 1n];
const PRIMES = [2n, 3n, 1999n, 2n ** 127n - 1n];

for (const provider of providers) {
  test(`${provider.name}: isProbablePrime tells known primes from composites`, (t) => {
    for (const n of PRIMES) t.true(provider.isProbablePrime(bytes(n)), `${n}`);
    for (const n of COMPOSITES) t.false(provider.isProbablePrime(bytes(n)), `${n}`);
  });

  test(`${provider.name}: random 512-bit primes pass, products of two primes do not`, (t) => {
    for (let i = 0; i < 3; i++) {
      const p = generatePrimeSync(512, { bigint: true });
      const q = generatePrimeSync(256, { bigint: true });
      t.true(provider.isProbablePrime(bytes(p)));
      t.false(provider.isProbablePrime(bytes(p * q)));
      t.false(provider.isProbablePrime(bytes(q * q)));
    }
  });

  test(`${provider.name}: isSafeDhPrime wants p and (p-1)/2 prime`, (t) => {
    const safe = generatePrimeSync(256, { bigint: true, safe: true });
    t.true(isSafeDhPrime(bytes(safe), provider));
    // p = 1 (mod 6) is prime but 3 divides (p-1)/2.
    t.false(isSafeDhPrime(bytes(generatePrimeSync(256, { bigint: true, add: 6n, rem: 1n })), provider));
    // q prime, 2q + 1 composite.
    for (;;) {
      const q = generatePrimeSync(255, { bigint: true });
      if (provider.isProbablePrime(bytes(2n * q + 1n))) continue;
      t.false(isSafeDhPrime(bytes(2n * q + 1n), provider));
      break;
    }
    t.false(isSafeDhPrime(bytes(safe * 3n), provider));
    t.true(isSafeDhPrime(Uint8Array.of(7), provider));
    t.false(isSafeDhPrime(Uint8Array.of(13), provider));
  });
}

test('node: isSafeDhPrime accepts the RFC 7919 and RFC 3526 groups', (t) => {
  const node = providers[0]!;
  t.true(isSafeDhPrime(Buffer.from(FFDHE_PRIMES_HEX.ffdhe2048, 'hex'), node));
  t.true(isSafeDhPrime(new Uint8Array(getDiffieHellman('modp14').getPrime()), node));
});
