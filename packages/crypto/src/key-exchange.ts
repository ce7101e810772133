// Key-exchange plumbing shared by both providers.
import { InvalidKeyShareError, UnsupportedAlgorithmError } from './errors.js';
import type {
  KeyExchangeGroup,
  KeyExchangeInitiator,
  KeyExchangeResponse,
  NamedGroupName,
} from './provider.js';

export const NAMED_GROUPS: readonly NamedGroupName[] = [
  'x25519',
  'secp256r1',
  'secp384r1',
  'ffdhe2048',
  'ffdhe3072',
  'ffdhe4096',
  'x25519mlkem768',
];

/** Uncompressed point lengths (RFC 8446 §4.2.8.2: legacy_form = 4, X, Y). */
export const EC_COORDINATE_LENGTH = { secp256r1: 32, secp384r1: 48 } as const;

export function checkUncompressedPoint(group: keyof typeof EC_COORDINATE_LENGTH, point: Uint8Array): void {
  const coordinate = EC_COORDINATE_LENGTH[group];
  if (point.length !== 1 + 2 * coordinate || point[0] !== 4) {
    throw new InvalidKeyShareError(
      `${group} share must be an uncompressed point of ${1 + 2 * coordinate} bytes`,
    );
  }
}

export function checkX25519Share(share: Uint8Array): void {
  if (share.length !== 32)
    throw new InvalidKeyShareError(`x25519 share must be 32 bytes, got ${share.length}`);
}

/** The responder of a plain DH-style exchange generates its own share and completes at once. */
export function respondByStarting(
  start: (group: KeyExchangeGroup) => KeyExchangeInitiator,
  group: KeyExchangeGroup,
  peerPublicKey: Uint8Array,
): KeyExchangeResponse {
  const own = start(group);
  return { publicKey: own.publicKey, sharedSecret: own.complete(peerPublicKey) };
}

export function groupLabel(group: KeyExchangeGroup): string {
  return typeof group === 'string' ? group : 'custom DH group';
}

export function unsupportedGroup(group: KeyExchangeGroup): never {
  throw new UnsupportedAlgorithmError(`key exchange group ${groupLabel(group)} is not supported`);
}
