// nobleProvider: pure JS, runs anywhere with crypto.getRandomValues. @noble/* for hashes, AEADs,
// curves and ML-KEM; RSA and finite-field DH on bigint (./rsa.ts, ./finite-field-dh.ts).
// No node: imports may be reachable from this file (a test enforces it).

import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x448 } from '@noble/curves/ed448.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { expand as nobleHkdfExpand, extract as nobleHkdfExtract } from '@noble/hashes/hkdf.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { bigIntToBytes, bytesToBigInt, concat, constantTimeEqual } from './bytes.js';
import {
  AeadAuthenticationError,
  CryptoError,
  InvalidKeyError,
  UnsupportedAlgorithmError,
} from './errors.js';
import { checkHkdfExpandLength } from './hkdf.js';
import {
  EC_CURVES,
  encodePkcs8,
  encodeSpki,
  type ParsedPrivateKey,
  type ParsedPublicKey,
  parsePkcs1PrivateKey,
  parsePkcs8,
  parseSec1PrivateKey,
  parseSpki,
  rsaBits,
} from './key-der.js';
import { type KeyAgreementPrimitives, XDH_KEY_LENGTH } from './key-exchange.js';
import { checkAeadNonce, checkRsaModulus, checkSealOutput, cryptoRandomBytes } from './policy.js';
import { isProbablePrime, modPow } from './primality.js';
import type {
  AeadAlgorithm,
  AeadKey,
  CryptoProvider,
  HashAlgorithm,
  KeyGenerationSpec,
  PrivateKey,
  PrivateKeyFormat,
  PublicKey,
} from './provider.js';
import { sharedMembers } from './provider-base.js';
import { generateRsaKey, type RsaHash, type RsaPadding, rsaSign, rsaVerify } from './rsa.js';
import { checkSchemeKey, HASH_LENGTH } from './signature-schemes.js';

const HASHES = { sha1, sha256, sha384, sha512 } as const;

function hashFunction(algorithm: HashAlgorithm) {
  const fn = Object.hasOwn(HASHES, algorithm) ? HASHES[algorithm] : undefined;
  if (!fn) throw new UnsupportedAlgorithmError(`hash ${String(algorithm)} is not supported`);
  return fn;
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
  sealInto(nonce: Uint8Array, plaintext: Uint8Array, additionalData: Uint8Array, output: Uint8Array): void {
    checkAeadNonce(nonce);
    checkSealOutput(plaintext, output);
    if (this.algorithm === 'chacha20-poly1305') {
      // noble's ChaCha20-Poly1305 writes into a given output, in place included.
      chacha20poly1305(this.key, nonce, additionalData).encrypt(plaintext, output);
    } else {
      // noble's GCM has no output parameter.
      output.set(gcm(this.key, nonce, additionalData).encrypt(plaintext));
    }
  }
  sealParts(nonce: Uint8Array, parts: readonly Uint8Array[], additionalData: Uint8Array): Uint8Array[] {
    // noble's AEADs take one plaintext: the parts are joined (its own cost dwarfs the copy).
    return [this.seal(nonce, concat(parts), additionalData)];
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

const XDH_CURVES = { x25519, x448 } as const;
const ECDH_CURVES = { secp256r1: p256, secp384r1: p384, secp521r1: p521 } as const;

const keyAgreement: KeyAgreementPrimitives = {
  xdh(group, privateKey) {
    const curve = XDH_CURVES[group];
    const own = privateKey ? privateKey.slice() : cryptoRandomBytes(XDH_KEY_LENGTH[group]);
    return {
      publicKey: curve.getPublicKey(own),
      derive: (peerPublicKey) => curve.getSharedSecret(own, peerPublicKey),
    };
  },
  ecdh(group, privateKey) {
    const curve = ECDH_CURVES[group];
    if (privateKey && !curve.utils.isValidSecretKey(privateKey))
      throw new CryptoError(`${group} private key is out of range`);
    const own = privateKey ? privateKey.slice() : curve.utils.randomSecretKey();
    return {
      publicKey: curve.getPublicKey(own, false),
      // The compressed output starts with the parity byte, then the x-coordinate that TLS uses
      // (RFC 8446 §7.4.2).
      derive: (peerPublicKey) => curve.getSharedSecret(own, peerPublicKey, true).subarray(1),
    };
  },
  finiteFieldDh(params, x) {
    const power = (base: bigint) => bigIntToBytes(modPow(base, x, params.p), params.byteLength);
    return { publicKey: power(params.g), derive: (peerPublicKey) => power(bytesToBigInt(peerPublicKey)) };
  },
  // Pure JS, audited; the node provider's ML-KEM gives the same bytes (test/ml-kem-kat.test.ts).
  mlKem768: ml_kem768,
};

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

  ...sharedMembers({
    hash: {
      create: (algorithm) => hashFunction(algorithm).create(),
      fork: (state) => state.clone(),
      finish: (state) => state.digest(),
    },
    aeadKey: (algorithm, key) => new NobleAeadKey(algorithm, key),
    ...keyAgreement,
  }),
  hash: (algorithm, data) => hashFunction(algorithm)(data),
  hmac: (algorithm, key, data) => nobleHmac(hashFunction(algorithm), key, data),
  hkdfExtract: (algorithm, salt, ikm) => nobleHkdfExtract(hashFunction(algorithm), ikm, salt),
  hkdfExpand(algorithm, prk, info, length) {
    checkHkdfExpandLength(algorithm, length);
    return length === 0 ? new Uint8Array(0) : nobleHkdfExpand(hashFunction(algorithm), prk, info, length);
  },

  importPublicKey,
  importPrivateKey,
  generateKeyPair,
  sign(scheme, key, data) {
    const info = checkSchemeKey(scheme, key, true);
    const hash = info.hash as HashAlgorithm; // undefined only for Ed25519, which hashes internally
    const parsed = parsedPrivate(key);
    switch (parsed.type) {
      case 'rsa':
      case 'rsa-pss':
        return rsaSign(info.kind as RsaPadding, parsed.rsa, rsaHash(hash), data, cryptoRandomBytes);
      case 'ec': {
        const digest = hashFunction(hash)(data);
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
    const hash = info.hash as HashAlgorithm;
    const parsed = parsedPublic(key);
    try {
      switch (parsed.type) {
        case 'rsa':
        case 'rsa-pss':
          return rsaVerify(info.kind as RsaPadding, parsed.rsa, rsaHash(hash), data, signature);
        case 'ec': {
          const digest = hashFunction(hash)(data);
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

  timingSafeEqual: constantTimeEqual,
  isProbablePrime: (candidate) => isProbablePrime(bytesToBigInt(candidate), cryptoRandomBytes),
};
