// Finite-field DH parameters and peer-value checks shared by both providers: RFC 7919 named
// groups and explicit parameters (TLS 1.2 ServerDHParams, the design's DER `dh_params`).
import { bigIntToBytes, byteLengthOf, bytesToBigInt, fromHex } from './bytes.js';
import { InvalidKeyShareError } from './errors.js';
import { FFDHE_PRIMES_HEX } from './ffdhe-primes.js';
import { readSequence } from './key-der.js';
import type { DhParameters, KeyExchangeGroup } from './provider.js';

export type FfdheGroupName = keyof typeof FFDHE_PRIMES_HEX;

export interface ResolvedDhGroup {
  readonly p: bigint;
  readonly g: bigint;
  readonly pBytes: Uint8Array;
  readonly gBytes: Uint8Array;
  /** Length of p in bytes: public values and the shared secret are padded to it (RFC 8446 §4.2.8.1). */
  readonly byteLength: number;
  /** Private exponent size: RFC 7919 §5.2 (twice the group's security strength) for named
   * groups; full length for explicit parameters, whose subgroup structure is unknown. */
  readonly exponentBits: number;
}

const FFDHE_EXPONENT_BITS: Record<FfdheGroupName, number> = {
  ffdhe2048: 225,
  ffdhe3072: 275,
  ffdhe4096: 325,
};

/** Explicit primes below this size are refused (Logjam; RFC 9325 §4.1 wants >= 2048 but TLS 1.2
 * servers in the field still send 1024-bit groups, so the engine applies the stricter policy). */
export const MIN_CUSTOM_DH_BITS = 1024;
const MAX_CUSTOM_DH_BITS = 8192;

export function isFfdheGroup(group: KeyExchangeGroup): group is FfdheGroupName | { custom: DhParameters } {
  return typeof group === 'object' || Object.hasOwn(FFDHE_PRIMES_HEX, group);
}

const resolved = new Map<FfdheGroupName, ResolvedDhGroup>();

export function resolveDhGroup(group: FfdheGroupName | { readonly custom: DhParameters }): ResolvedDhGroup {
  if (typeof group === 'string') {
    let named = resolved.get(group);
    if (!named) {
      const pBytes = fromHex(FFDHE_PRIMES_HEX[group]);
      named = {
        p: bytesToBigInt(pBytes),
        g: 2n,
        pBytes,
        gBytes: Uint8Array.of(2),
        byteLength: pBytes.length,
        exponentBits: FFDHE_EXPONENT_BITS[group],
      };
      resolved.set(group, named);
    }
    return named;
  }
  const p = bytesToBigInt(group.custom.p);
  const g = bytesToBigInt(group.custom.g);
  const bits = p.toString(2).length;
  if (bits < MIN_CUSTOM_DH_BITS || bits > MAX_CUSTOM_DH_BITS || p % 2n === 0n) {
    throw new InvalidKeyShareError(`unacceptable DH prime (${bits} bits)`);
  }
  if (g <= 1n || g >= p - 1n) throw new InvalidKeyShareError('DH generator outside (1, p-1)');
  const byteLength = byteLengthOf(p);
  return {
    p,
    g,
    pBytes: bigIntToBytes(p, byteLength),
    gBytes: bigIntToBytes(g, byteLengthOf(g)),
    byteLength,
    exponentBits: bits - 1,
  };
}

/** Peer public value checks (RFC 7919 §5.1, NIST SP 800-56A §5.6.2.3.1): 1 < y < p-1, and no
 * longer than p. Returns y. */
export function checkDhPublicValue(params: ResolvedDhGroup, y: Uint8Array): bigint {
  if (y.length === 0 || y.length > params.byteLength) {
    throw new InvalidKeyShareError(
      `DH public value has length ${y.length}, expected <= ${params.byteLength}`,
    );
  }
  const value = bytesToBigInt(y);
  if (value <= 1n || value >= params.p - 1n)
    throw new InvalidKeyShareError('DH public value outside (1, p-1)');
  return value;
}

/** A random private exponent x with 1 < x < 2^exponentBits (and < p-1). */
export function randomDhExponent(params: ResolvedDhGroup, randomBytes: (n: number) => Uint8Array): bigint {
  const byteCount = Math.ceil(params.exponentBits / 8);
  const excessBits = BigInt(byteCount * 8 - params.exponentBits);
  for (;;) {
    const x = bytesToBigInt(randomBytes(byteCount)) >> excessBits;
    if (x > 1n && x < params.p - 1n) return x;
  }
}

/** Parses PKCS#3 DHParameter DER: SEQUENCE { prime INTEGER, base INTEGER, privateValueLength
 * INTEGER OPTIONAL } (the `openssl dhparam -outform DER` format). */
export function dhParametersFromDer(derBytes: Uint8Array): DhParameters {
  const seq = readSequence(derBytes, 'DHParameter');
  const p = seq.unsignedIntegerBytes('prime');
  const g = seq.unsignedIntegerBytes('base');
  if (!seq.done) seq.unsignedIntegerBytes('privateValueLength');
  seq.finish('DHParameter');
  return { p: p.slice(), g: g.slice() };
}

/** Rejects a shared secret of 0, 1 or p-1 (elements of order <= 2, reachable with explicit
 * parameters whose group has small subgroups); returns the secret. */
export function checkDhSharedSecret(params: ResolvedDhGroup, secret: Uint8Array): Uint8Array {
  const value = bytesToBigInt(secret);
  if (value <= 1n || value === params.p - 1n) throw new InvalidKeyShareError('degenerate DH shared secret');
  return secret;
}
