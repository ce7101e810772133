// TLS key exchange on top of a provider's raw key-agreement arithmetic: every share and secret
// check lives here once, so both providers refuse the same inputs with the same errors.
import { bytesToBigInt, isAllZero, leftPad } from './bytes.js';
import { CryptoError, InvalidKeyShareError, UnsupportedAlgorithmError } from './errors.js';
import {
  checkDhPublicValue,
  checkDhSharedSecret,
  type FfdheGroupName,
  isFfdheGroup,
  type ResolvedDhGroup,
  randomDhExponent,
  resolveDhGroup,
} from './finite-field-dh.js';
import { respondX25519MlKem768, startX25519MlKem768 } from './hybrid.js';
import type { MlKem768 } from './ml-kem768.js';
import { cryptoRandomBytes } from './policy.js';
import type {
  CryptoProvider,
  DhParameters,
  KeyExchangeGroup,
  KeyExchangeInitiator,
  NamedGroupName,
} from './provider.js';

export const NAMED_GROUPS: readonly NamedGroupName[] = [
  'x25519',
  'x448',
  'secp256r1',
  'secp384r1',
  'secp521r1',
  'ffdhe2048',
  'ffdhe3072',
  'ffdhe4096',
  'x25519mlkem768',
];

/** RFC 7748 §5: private keys, public values and shared secrets all have this length. */
export const XDH_KEY_LENGTH = { x25519: 32, x448: 56 } as const;

export type XdhGroup = keyof typeof XDH_KEY_LENGTH;

/** Coordinate lengths of uncompressed points (RFC 8446 §4.2.8.2: legacy_form = 4, X, Y); also the
 * length of private keys and of the shared secret (the x-coordinate, RFC 8446 §7.4.2). */
const EC_COORDINATE_LENGTH = { secp256r1: 32, secp384r1: 48, secp521r1: 66 } as const;

export type EcdhGroup = keyof typeof EC_COORDINATE_LENGTH;

const isXdhGroup = (group: KeyExchangeGroup): group is XdhGroup =>
  typeof group === 'string' && Object.hasOwn(XDH_KEY_LENGTH, group);
const isEcdhGroup = (group: KeyExchangeGroup): group is EcdhGroup =>
  typeof group === 'string' && Object.hasOwn(EC_COORDINATE_LENGTH, group);

/** One side's key pair, as a provider's library computes it. */
export interface RawKeyAgreement {
  /** The own public value in its TLS encoding (FFDHE values may come shorter than the prime). */
  readonly publicKey: Uint8Array;
  /** The shared secret with a peer value that has passed the checks here; may throw on a value
   * the library itself refuses. */
  derive(peerPublicKey: Uint8Array): Uint8Array;
}

/** A provider's key-agreement arithmetic. Private keys are given only for known-answer tests, with
 * their length already checked; an out-of-range one throws a CryptoError. */
export interface KeyAgreementPrimitives {
  xdh(group: XdhGroup, privateKey: Uint8Array | undefined): RawKeyAgreement;
  ecdh(group: EcdhGroup, privateKey: Uint8Array | undefined): RawKeyAgreement;
  /** g^x mod p for a private exponent already checked to lie in (1, p-1). */
  finiteFieldDh(params: ResolvedDhGroup, x: bigint): RawKeyAgreement;
  /** ML-KEM-768 of X25519MLKEM768. */
  readonly mlKem768: MlKem768;
}

export function keyExchangeMembers(
  primitives: KeyAgreementPrimitives,
): Pick<CryptoProvider, 'supportsGroup' | 'startKeyExchange' | 'respondKeyExchange'> {
  function startXdh(group: XdhGroup, privateKey?: Uint8Array): KeyExchangeInitiator {
    const length = XDH_KEY_LENGTH[group];
    if (privateKey !== undefined && privateKey.length !== length)
      throw new CryptoError(`${group} private key must be ${length} bytes`);
    const own = primitives.xdh(group, privateKey);
    return {
      group,
      publicKey: own.publicKey,
      complete(peerPublicKey) {
        if (peerPublicKey.length !== length)
          throw new InvalidKeyShareError(
            `${group} share must be ${length} bytes, got ${peerPublicKey.length}`,
          );
        let secret: Uint8Array;
        try {
          secret = own.derive(peerPublicKey);
        } catch (cause) {
          // Both libraries refuse a low-order peer point themselves: its result is all zero.
          throw new InvalidKeyShareError(`${group} produced an all-zero shared secret`, { cause });
        }
        // RFC 8446 §7.4.2, RFC 7748 §6: an all-zero X25519/X448 secret MUST be refused.
        if (isAllZero(secret)) throw new InvalidKeyShareError(`${group} produced an all-zero shared secret`);
        return secret;
      },
    };
  }

  function startEcdh(group: EcdhGroup, privateKey?: Uint8Array): KeyExchangeInitiator {
    const coordinate = EC_COORDINATE_LENGTH[group];
    if (privateKey !== undefined && privateKey.length !== coordinate)
      throw new CryptoError(`${group} private key has the wrong size`);
    const own = primitives.ecdh(group, privateKey);
    return {
      group,
      publicKey: own.publicKey,
      complete(peerPublicKey) {
        if (peerPublicKey.length !== 1 + 2 * coordinate || peerPublicKey[0] !== 4) {
          throw new InvalidKeyShareError(
            `${group} share must be an uncompressed point of ${1 + 2 * coordinate} bytes`,
          );
        }
        try {
          // Both libraries check the curve equation when they decode the point.
          return own.derive(peerPublicKey);
        } catch (cause) {
          throw new InvalidKeyShareError(`${group} share is not a point on the curve`, { cause });
        }
      },
    };
  }

  function startFiniteFieldDh(
    group: FfdheGroupName | { readonly custom: DhParameters },
    privateKey?: Uint8Array,
  ): KeyExchangeInitiator {
    const params = resolveDhGroup(group);
    const x = privateKey ? bytesToBigInt(privateKey) : randomDhExponent(params, cryptoRandomBytes);
    if (x <= 1n || x >= params.p - 1n) throw new CryptoError('DH private key out of range');
    const own = primitives.finiteFieldDh(params, x);
    return {
      group,
      // RFC 8446 §4.2.8.1: public values and the secret are left-padded to the prime's length.
      publicKey: leftPad(own.publicKey, params.byteLength),
      complete(peerPublicKey) {
        checkDhPublicValue(params, peerPublicKey);
        let secret: Uint8Array;
        try {
          secret = leftPad(own.derive(peerPublicKey), params.byteLength);
        } catch (cause) {
          throw new InvalidKeyShareError('DH public value rejected', { cause });
        }
        return checkDhSharedSecret(params, secret);
      },
    };
  }

  function startKeyExchange(group: KeyExchangeGroup, privateKey?: Uint8Array): KeyExchangeInitiator {
    if (isXdhGroup(group)) return startXdh(group, privateKey);
    if (isEcdhGroup(group)) return startEcdh(group, privateKey);
    if (group === 'x25519mlkem768')
      return startX25519MlKem768(
        primitives.mlKem768,
        (x25519Key) => startXdh('x25519', x25519Key),
        privateKey,
      );
    if (isFfdheGroup(group)) return startFiniteFieldDh(group, privateKey);
    throw new UnsupportedAlgorithmError(
      `key exchange group ${typeof group === 'string' ? group : 'custom DH group'} is not supported`,
    );
  }

  /** The responder of a DH-style exchange generates its own share and completes at once. */
  function respondByStarting(group: KeyExchangeGroup, peerPublicKey: Uint8Array) {
    const own = startKeyExchange(group);
    return { publicKey: own.publicKey, sharedSecret: own.complete(peerPublicKey) };
  }

  return {
    supportsGroup: (group) => typeof group === 'object' || NAMED_GROUPS.includes(group),
    startKeyExchange,
    respondKeyExchange: (group, peerPublicKey) =>
      group === 'x25519mlkem768'
        ? respondX25519MlKem768(
            primitives.mlKem768,
            (share) => respondByStarting('x25519', share),
            peerPublicKey,
          )
        : respondByStarting(group, peerPublicKey),
  };
}
