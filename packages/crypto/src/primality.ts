// Probable primes in bigint arithmetic: modular exponentiation, Miller-Rabin with random bases
// (the portable provider's isProbablePrime, RSA key generation) and the safe-prime test that
// explicit TLS 1.2 DHE groups must pass (RFC 7919 §5.1: only a safe prime makes 1 < Y < p-1 enough).
import { bigIntToBytes, byteLengthOf, bytesToBigInt } from './bytes.js';
import type { CryptoProvider } from './provider.js';

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** A composite passes one Miller-Rabin round with probability at most 1/4, so 40 rounds with
 * random bases bound the error by 2^-80 even for a composite chosen by an attacker. */
export const MILLER_RABIN_ROUNDS = 40;

const SMALL_PRIMES = (() => {
  const primes: bigint[] = [];
  for (let n = 3; primes.length < 300; n += 2)
    if (primes.every((p) => n % Number(p) !== 0)) primes.push(BigInt(n));
  return primes;
})();

/** The verdict of trial division by the small odd primes, or undefined when it cannot tell. */
function trialDivision(n: bigint): boolean | undefined {
  if (n < 2n) return false;
  if ((n & 1n) === 0n) return n === 2n;
  for (const p of SMALL_PRIMES) if (n % p === 0n) return n === p;
  return undefined;
}

/** Miller-Rabin with MILLER_RABIN_ROUNDS bases drawn from `randomBytes` (a CSPRNG). */
export function isProbablePrime(n: bigint, randomBytes: (length: number) => Uint8Array): boolean {
  const small = trialDivision(n);
  if (small !== undefined) return small;
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  // 8 spare bytes keep the base's modulo bias below 2^-64.
  const k = byteLengthOf(n) + 8;
  witness: for (let round = 0; round < MILLER_RABIN_ROUNDS; round++) {
    const a = 2n + (bytesToBigInt(randomBytes(k)) % (n - 3n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < s; i++) {
      x = (x * x) % n;
      if (x === n - 1n) continue witness;
    }
    return false;
  }
  return true;
}

/**
 * Whether p and q = (p-1)/2 are both prime, q by `qIsProbablePrime` (a provider's Miller-Rabin).
 * Composites with small factors are refused by trial division before any exponentiation. p itself
 * needs one exponentiation: by Pocklington's criterion, with q prime and q > sqrt(p), 2^(p-1) = 1
 * (mod p) and gcd(2^2 - 1, p) = 1 (3 does not divide p) prove p prime.
 */
export function isSafePrime(p: bigint, qIsProbablePrime: (q: bigint) => boolean): boolean {
  if (p < 11n) return p === 5n || p === 7n;
  const q = (p - 1n) >> 1n;
  if (trialDivision(p) === false || trialDivision(q) === false) return false;
  return qIsProbablePrime(q) && modPow(2n, p - 1n, p) === 1n;
}

/** isSafePrime for a big-endian prime, with the provider's Miller-Rabin (TLS 1.2 ServerDHParams). */
export function isSafeDhPrime(p: Uint8Array, provider: Pick<CryptoProvider, 'isProbablePrime'>): boolean {
  return isSafePrime(bytesToBigInt(p), (q) => provider.isProbablePrime(bigIntToBytes(q, byteLengthOf(q))));
}
