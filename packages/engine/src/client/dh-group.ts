// The explicit finite-field group of a TLS 1.2 ServerKeyExchange (RFC 5246 §7.4.3 ServerDHParams):
// an RFC 7919 group is known good; any other prime must be safe, since only then does the
// 1 < Ys < p-1 check keep the exchange out of small subgroups (RFC 7919 §5.1).
import { type CryptoProvider, FFDHE_PRIMES_HEX, isSafeDhPrime, type NamedGroupName } from '@tls-kit/crypto';
import { toHex } from '@tls-kit/crypto/bytes';
import { refuse } from '../errors.js';
import { stripLeadingZeros } from '../handshake/common12.js';

/** RFC 7919 §3 / RFC 9325 §4.1: smaller groups are refused (Logjam). */
export const MIN_DH_BITS = 2048;
/** Larger groups are refused: each costs the client seconds of exponentiation. */
export const MAX_DH_BITS = 8192;
/** Primes whose verdict is remembered, so a server reusing its group is tested once. */
export const DH_VERDICT_CACHE_SIZE = 64;

const FFDHE_BY_PRIME = new Map<string, NamedGroupName>(
  Object.entries(FFDHE_PRIMES_HEX).map(([name, h]) => [h.toLowerCase(), name as NamedGroupName]),
);

/** Safe-prime verdicts by prime (hex), oldest first out. */
const verdicts = new Map<string, boolean>();

/**
 * The name of the server's group (an RFC 7919 name, else `dh<bits>`) if we accept it; else the
 * handshake fails: insufficient_security for a group under MIN_DH_BITS, illegal_parameter for
 * one over MAX_DH_BITS or whose p or (p-1)/2 is not prime.
 */
export function checkServerDhGroup(p: Uint8Array, provider: Pick<CryptoProvider, 'isProbablePrime'>): string {
  const prime = stripLeadingZeros(p);
  const key = toHex(prime);
  const named = FFDHE_BY_PRIME.get(key);
  if (named) return named;
  const bits = prime[0] === 0 ? 0 : (prime.length - 1) * 8 + (32 - Math.clz32(prime[0]!));
  if (bits < MIN_DH_BITS) refuse('WeakDhGroup', `DH group of ${bits} bits`);
  if (bits > MAX_DH_BITS) refuse('OversizedDhGroup', `DH group of ${bits} bits`);
  let safe = verdicts.get(key);
  if (safe === undefined) {
    safe = isSafeDhPrime(prime, provider);
    verdicts.set(key, safe);
    for (const oldest of verdicts.keys()) {
      if (verdicts.size <= DH_VERDICT_CACHE_SIZE) break;
      verdicts.delete(oldest);
    }
  }
  if (!safe) refuse('UnsafeDhPrime', `DH prime of ${bits} bits is not a safe prime`);
  return `dh${bits}`;
}
