// nobleProvider: pure JS, runs anywhere with crypto.getRandomValues. @noble/* for hashes, AEADs,
// curves and ML-KEM; RSA and finite-field DH on bigint (./rsa.ts, ./finite-field-dh.ts).
// No node: imports may be reachable from this file (a test enforces it).
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { gcm } from '@noble/ciphers/aes.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { expand as nobleHkdfExpand, extract as nobleHkdfExtract } from '@noble/hashes/hkdf.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { bigIntToBytes, bytesToBigInt, constantTimeEqual, isAllZero } from './bytes.js';
import {
  AeadAuthenticationError,
  CryptoError,
  InvalidKeyError,
  InvalidKeyShareError,
  UnsupportedAlgorithmError,
} from './errors.js';
import {
  checkDhPublicValue,
  checkDhSharedSecret,
  isFfdheGroup,
  randomDhExponent,
  resolveDhGroup,
} from './finite-field-dh.js';
import { respondX25519MlKem768, startX25519MlKem768 } from './hybrid.js';
import {
  EC_CURVES,
  type ParsedPrivateKey,
  type ParsedPublicKey,
  encodePkcs8,
  encodeSpki,
  parsePkcs1PrivateKey,
  parsePkcs8,
  parseSec1PrivateKey,
  parseSpki,
  rsaBits,
} from './key-der.js';
import {
  EC_COORDINATE_LENGTH,
  NAMED_GROUPS,
  checkUncompressedPoint,
  checkX25519Share,
  respondByStarting,
  unsupportedGroup,
} from './key-exchange.js';
import { aeadKeyLength, checkAeadNonce, checkRsaModulus, cryptoRandomBytes } from './policy.js';
import type {
  AeadAlgorithm,
  AeadKey,
  CryptoProvider,
  Hash,
  HashAlgorithm,
  KeyExchangeGroup,
  KeyExchangeInitiator,
  KeyGenerationSpec,
  PrivateKey,
  PrivateKeyFormat,
  PublicKey,
} from './provider.js';
import {
  type RsaHash,
  generateRsaKey,
  modPow,
  signPkcs1v15,
  signPss,
  verifyPkcs1v15,
  verifyPss,
} from './rsa.js';
import { HASH_LENGTH, checkSchemeKey } from './signature-schemes.js';

const HASHES = { sha1, sha256, sha384, sha512 } as const;

function hashFunction(algorithm: HashAlgorithm) {
  const fn = Object.hasOwn(HASHES, algorithm) ? HASHES[algorithm] : undefined;
  if (!fn) throw new UnsupportedAlgorithmError(`hash ${String(algorithm)} is not supported`);
  return fn;
}

type NobleHashState = ReturnType<(typeof HASHES)[HashAlgorithm]['create']>;

class NobleHash implements Hash {
  readonly outputLength: number;
  constructor(
    readonly algorithm: HashAlgorithm,
    private readonly state: NobleHashState,
  ) {
    this.outputLength = HASH_LENGTH[algorithm];
  }
  update(data: Uint8Array): this {
    this.state.update(data);
    return this;
  }
  digest(): Uint8Array {
    return this.state.digest();
  }
  clone(): Hash {
    return new NobleHash(this.algorithm, this.state.clone() as NobleHashState);
  }
}

function rsaHash(algorithm: HashAlgorithm): RsaHash {
  const fn = hashFunction(algorithm);
  return { algorithm, length: HASH_LENGTH[algorithm], digest: (data) => fn(data) };
}

const AEADS = { 'aes-128-gcm': gcm, 'aes-256-gcm': gcm, 'chacha20-poly1305': chacha20poly1305 } as const;

class NobleAeadKey implements AeadKey {
  private readonly key: Uint8Array;
  constructor(
    readonly algorithm: AeadAlgorithm,
    key: Uint8Array,
  ) {
    // A private copy: the caller may wipe or reuse its buffer. noble derives the round keys
    // per call, so there is nothing else to keep.
    this.key = key.slice();
  }
  seal(nonce: Uint8Array, plaintext: Uint8Array, additionalData: Uint8Array): Uint8Array {
    checkAeadNonce(nonce);
    return AEADS[this.algorithm](this.key, nonce, additionalData).encrypt(plaintext);
  }
  open(nonce: Uint8Array, ciphertextAndTag: Uint8Array, additionalData: Uint8Array): Uint8Array {
    checkAeadNonce(nonce);
    if (ciphertextAndTag.length < 16) throw new AeadAuthenticationError('AEAD input shorter than the tag');
    try {
      return AEADS[this.algorithm](this.key, nonce, additionalData).decrypt(ciphertextAndTag);
    } catch {
      throw new AeadAuthenticationError();
    }
  }
}

function startX25519(privateKey?: Uint8Array): KeyExchangeInitiator {
  if (privateKey !== undefined && privateKey.length !== 32)
    throw new CryptoError('x25519 private key must be 32 bytes');
  const ownKey = privateKey ? privateKey.slice() : cryptoRandomBytes(32);
  return {
    group: 'x25519',
    publicKey: x25519.getPublicKey(ownKey),
    complete(peerPublicKey) {
      checkX25519Share(peerPublicKey);
      let secret: Uint8Array;
      try {
        secret = x25519.getSharedSecret(ownKey, peerPublicKey);
      } catch (cause) {
        // noble refuses low-order points, whose result is all zero.
        throw new InvalidKeyShareError('x25519 produced an all-zero shared secret', { cause });
      }
      if (isAllZero(secret)) throw new InvalidKeyShareError('x25519 produced an all-zero shared secret');
      return secret;
    },
  };
}

const ECDH_CURVES = { secp256r1: p256, secp384r1: p384 } as const;

function startEcdh(group: 'secp256r1' | 'secp384r1', privateKey?: Uint8Array): KeyExchangeInitiator {
  const curve = ECDH_CURVES[group];
  if (
    privateKey &&
    (privateKey.length !== EC_COORDINATE_LENGTH[group] || !curve.utils.isValidSecretKey(privateKey))
  ) {
    throw new CryptoError(`${group} private key is invalid`);
  }
  const ownKey = privateKey ? privateKey.slice() : curve.utils.randomSecretKey();
  return {
    group,
    publicKey: curve.getPublicKey(ownKey, false),
    complete(peerPublicKey) {
      checkUncompressedPoint(group, peerPublicKey);
      try {
        // Point decoding checks the curve equation; the compressed output starts with the
        // parity byte, then the x-coordinate that TLS uses (RFC 8446 §7.4.2).
        return curve.getSharedSecret(ownKey, peerPublicKey, true).subarray(1);
      } catch (cause) {
        throw new InvalidKeyShareError(`${group} share is not a point on the curve`, { cause });
      }
    },
  };
}

function startFiniteFieldDh(
  group: Parameters<typeof resolveDhGroup>[0],
  privateKey?: Uint8Array,
): KeyExchangeInitiator {
  const params = resolveDhGroup(group);
  const x = privateKey ? bytesToBigInt(privateKey) : randomDhExponent(params, cryptoRandomBytes);
  if (x <= 1n || x >= params.p - 1n) throw new CryptoError('DH private key out of range');
  return {
    group,
    publicKey: bigIntToBytes(modPow(params.g, x, params.p), params.byteLength),
    complete(peerPublicKey) {
      const y = checkDhPublicValue(params, peerPublicKey);
      return checkDhSharedSecret(params, bigIntToBytes(modPow(y, x, params.p), params.byteLength));
    },
  };
}

function startKeyExchange(group: KeyExchangeGroup, privateKey?: Uint8Array): KeyExchangeInitiator {
  if (group === 'x25519') return startX25519(privateKey);
  if (group === 'secp256r1' || group === 'secp384r1') return startEcdh(group, privateKey);
  if (group === 'x25519mlkem768') return startX25519MlKem768(startX25519, privateKey);
  if (isFfdheGroup(group)) return startFiniteFieldDh(group, privateKey);
  return unsupportedGroup(group);
}

// Keys: parsed once and cached per key object; keys from any provider are accepted.
const SIGNATURE_CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;
const parsedKeys = new WeakMap<PublicKey | PrivateKey, ParsedPublicKey | ParsedPrivateKey>();

function publicKeyFrom(parsed: ParsedPublicKey, spki: Uint8Array): PublicKey {
  let key: PublicKey;
  switch (parsed.type) {
    case 'rsa':
    case 'rsa-pss': {
      const bits = rsaBits(parsed.rsa.n);
      checkRsaModulus(bits, parsed.rsa.e);
      key = { type: parsed.type, bits, spki };
      break;
    }
    case 'ec':
      if (
        !SIGNATURE_CURVES[parsed.curve].utils.isValidPublicKey(
          parsed.point,
          parsed.point.length !== 1 + 2 * EC_CURVES[parsed.curve].scalarLength,
        )
      ) {
        throw new InvalidKeyError(`${parsed.curve} public key is not a point on the curve`);
      }
      key = { type: 'ec', curve: parsed.curve, spki };
      break;
    case 'ed25519':
      if (!ed25519.utils.isValidPublicKey(parsed.raw, false))
        throw new InvalidKeyError('invalid Ed25519 public key');
      key = { type: 'ed25519', spki };
      break;
  }
  parsedKeys.set(key, parsed);
  return key;
}

function privateKeyFrom(parsed: ParsedPrivateKey): PrivateKey {
  let publicParsed: ParsedPublicKey;
  let ecPoint: Uint8Array | undefined;
  switch (parsed.type) {
    case 'rsa':
    case 'rsa-pss':
      publicParsed = { type: parsed.type, rsa: { n: parsed.rsa.n, e: parsed.rsa.e } };
      break;
    case 'ec': {
      const curve = SIGNATURE_CURVES[parsed.curve];
      if (!curve.utils.isValidSecretKey(parsed.scalar))
        throw new InvalidKeyError('EC private key out of range');
      ecPoint = curve.getPublicKey(parsed.scalar, false);
      if (parsed.point && !constantTimeEqual(curve.Point.fromBytes(parsed.point).toBytes(false), ecPoint)) {
        throw new InvalidKeyError('EC private key does not match its embedded public key');
      }
      publicParsed = { type: 'ec', curve: parsed.curve, point: ecPoint };
      break;
    }
    case 'ed25519':
      publicParsed = { type: 'ed25519', raw: ed25519.getPublicKey(parsed.seed) };
      break;
  }
  const publicKey = publicKeyFrom(publicParsed, encodeSpki(publicParsed));
  const key: PrivateKey = {
    type: publicKey.type,
    ...(publicKey.curve ? { curve: publicKey.curve } : {}),
    ...(publicKey.bits ? { bits: publicKey.bits } : {}),
    publicKey,
    pkcs8: encodePkcs8(parsed, ecPoint),
  };
  parsedKeys.set(key, parsed);
  return key;
}

/** Runs a parser, turning anything but our own typed errors into InvalidKeyError. */
function parseKey<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (cause) {
    if (cause instanceof CryptoError) throw cause;
    throw new InvalidKeyError(`cannot parse ${what}`, { cause });
  }
}

function importPublicKey(spki: Uint8Array): PublicKey {
  return parseKey('SubjectPublicKeyInfo', () => publicKeyFrom(parseSpki(spki), spki.slice()));
}

function importPrivateKey(der: Uint8Array, format: PrivateKeyFormat): PrivateKey {
  return parseKey(`${format} private key`, () => {
    switch (format) {
      case 'pkcs8':
        return privateKeyFrom(parsePkcs8(der));
      case 'pkcs1':
        return privateKeyFrom(parsePkcs1PrivateKey(der));
      case 'sec1':
        return privateKeyFrom(parseSec1PrivateKey(der));
      default:
        throw new UnsupportedAlgorithmError(`private key format ${String(format)} is not supported`);
    }
  });
}

function parsedPublic(key: PublicKey): ParsedPublicKey {
  return (
    (parsedKeys.get(key) as ParsedPublicKey | undefined) ??
    (parsedKeys.get(importPublicKey(key.spki)) as ParsedPublicKey)
  );
}

function parsedPrivate(key: PrivateKey): ParsedPrivateKey {
  return (
    (parsedKeys.get(key) as ParsedPrivateKey | undefined) ??
    (parsedKeys.get(importPrivateKey(key.pkcs8, 'pkcs8')) as ParsedPrivateKey)
  );
}

function generateKeyPair(spec: KeyGenerationSpec): PrivateKey {
  switch (spec.type) {
    case 'rsa': {
      checkRsaModulus(spec.bits, 65537n);
      return privateKeyFrom({ type: 'rsa', rsa: generateRsaKey(spec.bits, cryptoRandomBytes) });
    }
    case 'ec': {
      const curve = SIGNATURE_CURVES[spec.curve];
      if (!curve) throw new UnsupportedAlgorithmError(`curve ${spec.curve} is not supported`);
      return privateKeyFrom({ type: 'ec', curve: spec.curve, scalar: curve.utils.randomSecretKey() });
    }
    case 'ed25519':
      return privateKeyFrom({ type: 'ed25519', seed: cryptoRandomBytes(32) });
    default:
      throw new UnsupportedAlgorithmError('unsupported key generation spec');
  }
}

export const nobleProvider: CryptoProvider = {
  name: 'noble',

  createHash: (algorithm) => new NobleHash(algorithm, hashFunction(algorithm).create() as NobleHashState),
  hash: (algorithm, data) => hashFunction(algorithm)(data),
  hmac: (algorithm, key, data) => nobleHmac(hashFunction(algorithm), key, data),
  hkdfExtract: (algorithm, salt, ikm) => nobleHkdfExtract(hashFunction(algorithm), ikm, salt),
  hkdfExpand(algorithm, prk, info, length) {
    const hashLength = HASH_LENGTH[algorithm];
    if (!Number.isInteger(length) || length < 0 || length > 255 * hashLength) {
      throw new CryptoError(`HKDF-Expand length ${length} out of range`);
    }
    return length === 0 ? new Uint8Array(0) : nobleHkdfExpand(hashFunction(algorithm), prk, info, length);
  },

  importAeadKey(algorithm, key) {
    const expected = aeadKeyLength(algorithm);
    if (expected === undefined)
      throw new UnsupportedAlgorithmError(`AEAD ${String(algorithm)} is not supported`);
    if (key.length !== expected)
      throw new InvalidKeyError(`${algorithm} key must be ${expected} bytes, got ${key.length}`);
    return new NobleAeadKey(algorithm, key);
  },

  supportsGroup: (group) => (typeof group === 'object' ? true : NAMED_GROUPS.includes(group)),
  startKeyExchange,
  respondKeyExchange(group, peerPublicKey) {
    if (group === 'x25519mlkem768') {
      return respondX25519MlKem768(
        (share) => respondByStarting(startKeyExchange, 'x25519', share),
        peerPublicKey,
      );
    }
    return respondByStarting(startKeyExchange, group, peerPublicKey);
  },

  importPublicKey,
  importPrivateKey,
  generateKeyPair,
  sign(scheme, key, data) {
    const info = checkSchemeKey(scheme, key, true);
    const parsed = parsedPrivate(key);
    switch (parsed.type) {
      case 'rsa':
      case 'rsa-pss': {
        const sign = info.kind === 'pss' ? signPss : signPkcs1v15;
        return sign(parsed.rsa, rsaHash(info.hash as HashAlgorithm), data, cryptoRandomBytes);
      }
      case 'ec': {
        const digest = hashFunction(info.hash as HashAlgorithm)(data);
        // Hedged RFC 6979 nonces (extra entropy); DER as TLS carries ECDSA signatures.
        return SIGNATURE_CURVES[parsed.curve].sign(digest, parsed.scalar, {
          prehash: false,
          format: 'der',
          extraEntropy: true,
        });
      }
      case 'ed25519':
        return ed25519.sign(data, parsed.seed);
    }
  },
  verify(scheme, key, data, signature) {
    const info = checkSchemeKey(scheme, key, false);
    const parsed = parsedPublic(key);
    try {
      switch (parsed.type) {
        case 'rsa':
        case 'rsa-pss': {
          const verify = info.kind === 'pss' ? verifyPss : verifyPkcs1v15;
          return verify(parsed.rsa, rsaHash(info.hash as HashAlgorithm), data, signature);
        }
        case 'ec': {
          const digest = hashFunction(info.hash as HashAlgorithm)(data);
          // Real-world signers do not normalise S: accept high-S, require DER.
          return SIGNATURE_CURVES[parsed.curve].verify(signature, digest, parsed.point, {
            prehash: false,
            format: 'der',
            lowS: false,
          });
        }
        case 'ed25519':
          // Strict RFC 8032 (not ZIP-215): canonical S < L and canonical point encodings.
          return ed25519.verify(signature, data, parsed.raw, { zip215: false });
      }
    } catch {
      return false; // malformed signature encoding
    }
  },

  randomBytes: cryptoRandomBytes,
  timingSafeEqual: constantTimeEqual,
};
