// nodeProvider: everything through node:crypto (OpenSSL), except ML-KEM's lattice arithmetic
// (node 20 has none): ./ml-kem768.ts over node:crypto's SHA-3.
import {
  type CipherGCM,
  checkPrimeSync,
  constants,
  createCipheriv,
  createDecipheriv,
  createDiffieHellman,
  createECDH,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type DecipherGCM,
  diffieHellman,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  createHash as nodeCreateHash,
  sign as nodeSign,
  timingSafeEqual as nodeTimingSafeEqual,
  verify as nodeVerify,
} from 'node:crypto';
import { bigIntToBytes, concat, fromHex } from './bytes.js';
import {
  AeadAuthenticationError,
  CryptoError,
  InvalidKeyError,
  UnsupportedAlgorithmError,
} from './errors.js';
import { hkdfExpandWithHmac } from './hkdf.js';
import { readSequence } from './key-der.js';
import type { KeyAgreementPrimitives, XdhGroup } from './key-exchange.js';
import { nodeMlKem768 } from './ml-kem768-node.js';
import { checkAeadNonce, checkRsaModulus, checkSealOutput } from './policy.js';
import { MILLER_RABIN_ROUNDS } from './primality.js';
import type {
  AeadAlgorithm,
  AeadKey,
  CryptoProvider,
  HashAlgorithm,
  KeyGenerationSpec,
  KeyType,
  PrivateKey,
  PrivateKeyFormat,
  PublicKey,
  SignatureSchemeName,
} from './provider.js';
import { sharedMembers } from './provider-base.js';
import { checkSchemeKey, HASH_LENGTH } from './signature-schemes.js';

/** node:crypto takes Buffers in its typings; this wraps without copying. */
function buf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Returns a plain Uint8Array view of a Buffer (no copy), so callers never see Buffer. */
function view(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function checkHash(algorithm: HashAlgorithm): HashAlgorithm {
  if (!Object.hasOwn(HASH_LENGTH, algorithm))
    throw new UnsupportedAlgorithmError(`hash ${String(algorithm)} is not supported`);
  return algorithm;
}

function hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  return view(createHmac(checkHash(algorithm), key).update(data).digest());
}

/** node's AEAD options, one object for every call (node only reads it). */
const TAG_16 = { authTagLength: 16 } as const;

/**
 * Below this, `new Uint8Array` (on the JavaScript heap up to 64 bytes, a small zero fill above)
 * costs no more than uninitialised memory, which would take a malloc of its own.
 */
const UNINITIALIZED_FROM = 4096;

/**
 * CryptoProvider.allocateUninitialized: `Buffer.allocUnsafeSlow` (never the shared pool, whose
 * slice would keep 8 KiB of unrelated data alive with the record) seen as a plain Uint8Array.
 */
function allocateUninitialized(length: number): Uint8Array {
  return length < UNINITIALIZED_FROM ? new Uint8Array(length) : view(Buffer.allocUnsafeSlow(length));
}

/**
 * Records a key seals or opens with its raw bytes before it is imported as a KeyObject. A
 * KeyObject costs ~2 us to make and ~140 bytes of JavaScript heap (and native memory) for as long
 * as the key lives; a raw key costs ~0.3 us more per cipher (the same for 16 KiB records). Keys
 * used for a few records (a handshake's, an idle connection's) stay raw.
 */
const KEY_OBJECT_AFTER = 16;

/** node's AEAD cipher constructors, as the GCM typings have them (ChaCha20-Poly1305 works alike). */
type AeadFactory<C> = (
  algorithm: 'aes-128-gcm',
  key: KeyObject | Buffer,
  iv: Uint8Array,
  options: typeof TAG_16,
) => C;
const CREATE_CIPHER: AeadFactory<CipherGCM> = createCipheriv;
const CREATE_DECIPHER: AeadFactory<DecipherGCM> = createDecipheriv;

/** A raw key is written here for the one createCipheriv call that copies it, then wiped (by length). */
const KEY_SCRATCH = new Map<number, Buffer>();

class NodeAeadKey implements AeadKey {
  /**
   * The key's bytes as a one-byte string (a character per byte: 32-48 bytes of heap, where a
   * Uint8Array copy takes ~200) until it has been used KEY_OBJECT_AFTER times, then a KeyObject.
   * A string cannot be wiped; neither can the copies V8's collector makes of small typed arrays
   * or the key buffers the caller derived, so no JavaScript provider promises erasure.
   */
  private key: string | KeyObject;
  private uses = 0;

  constructor(
    readonly algorithm: AeadAlgorithm,
    rawKey: Uint8Array,
  ) {
    this.key = buf(rawKey).toString('latin1');
  }

  /** node has no reusable cipher context: a Cipheriv or Decipheriv per record. */
  private cipher<C>(create: AeadFactory<C>, nonce: Uint8Array): C {
    const algorithm = this.algorithm as 'aes-128-gcm';
    const key = this.key;
    if (typeof key !== 'string') return create(algorithm, key, nonce, TAG_16);
    let raw = KEY_SCRATCH.get(key.length);
    if (raw === undefined) {
      raw = Buffer.alloc(key.length);
      KEY_SCRATCH.set(key.length, raw);
    }
    raw.write(key, 'latin1');
    try {
      if (++this.uses < KEY_OBJECT_AFTER) return create(algorithm, raw, nonce, TAG_16);
      this.key = createSecretKey(raw);
      return create(algorithm, this.key, nonce, TAG_16);
    } finally {
      raw.fill(0);
    }
  }

  seal(nonce: Uint8Array, plaintext: Uint8Array, additionalData: Uint8Array): Uint8Array {
    const out = new Uint8Array(plaintext.length + 16);
    this.sealInto(nonce, plaintext, additionalData, out);
    return out;
  }

  sealInto(nonce: Uint8Array, plaintext: Uint8Array, additionalData: Uint8Array, output: Uint8Array): void {
    checkAeadNonce(nonce);
    checkSealOutput(plaintext, output);
    const cipher = this.cipher(CREATE_CIPHER, nonce);
    cipher.setAAD(additionalData);
    // node has no encrypt-into-buffer API: update() returns a buffer of its own, and copying it
    // into place is the one unavoidable copy. It is read fully before output is written, so an
    // in-place call is safe.
    const body = cipher.update(plaintext);
    cipher.final();
    // GCM and ChaCha20-Poly1305 are stream modes, so update() returned every byte.
    if (body.length !== plaintext.length) throw new CryptoError('AEAD produced an unexpected length');
    output.set(body, 0);
    output.set(cipher.getAuthTag(), plaintext.length);
  }

  sealParts(nonce: Uint8Array, parts: readonly Uint8Array[], additionalData: Uint8Array): Uint8Array[] {
    checkAeadNonce(nonce);
    const cipher = this.cipher(CREATE_CIPHER, nonce);
    cipher.setAAD(additionalData);
    // Stream modes: each update() returns exactly its input's ciphertext, kept as is (no copy).
    const pieces = new Array<Uint8Array>(parts.length + 1);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const body = cipher.update(part);
      if (body.length !== part.length) throw new CryptoError('AEAD produced an unexpected length');
      pieces[i] = view(body);
    }
    cipher.final();
    pieces[parts.length] = view(cipher.getAuthTag());
    return pieces;
  }

  open(nonce: Uint8Array, ciphertextAndTag: Uint8Array, additionalData: Uint8Array): Uint8Array {
    checkAeadNonce(nonce);
    if (ciphertextAndTag.length < 16) throw new AeadAuthenticationError('AEAD input shorter than the tag');
    const split = ciphertextAndTag.length - 16;
    const decipher = this.cipher(CREATE_DECIPHER, nonce);
    decipher.setAuthTag(ciphertextAndTag.subarray(split));
    decipher.setAAD(additionalData);
    const plaintext = decipher.update(ciphertextAndTag.subarray(0, split));
    try {
      decipher.final();
    } catch {
      // The plaintext computed above is dropped: nothing unauthenticated leaves this method.
      plaintext.fill(0);
      throw new AeadAuthenticationError();
    }
    return view(plaintext);
  }
}

// X25519/X448 public keys travel as JWK (RFC 8037 §2: base64url of the raw bytes): node has no raw
// import, and OpenSSL's JWK path is an order of magnitude faster than its DER decoder/encoder.
// A private key given for known-answer tests goes through its fixed PKCS#8 wrapper (RFC 8410).
// Key generation hands the public key back as JWK itself (no KeyObject to export); node's typings
// only know both encodings or neither.
type XdhPair = { privateKey: KeyObject; publicKey: JsonWebKey };
const XDH_FORMS = {
  x25519: {
    crv: 'X25519',
    pkcs8Prefix: fromHex('302e020100300506032b656e04220420'),
    generate: () =>
      generateKeyPairSync('x25519', { publicKeyEncoding: { format: 'jwk' } } as object) as unknown as XdhPair,
  },
  x448: {
    crv: 'X448',
    pkcs8Prefix: fromHex('3046020100300506032b656f043a0438'),
    generate: () =>
      generateKeyPairSync('x448', { publicKeyEncoding: { format: 'jwk' } } as object) as unknown as XdhPair,
  },
} as const;

function xdhPublicKey(group: XdhGroup, raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: XDH_FORMS[group].crv, x: buf(raw).toString('base64url') },
    format: 'jwk',
  });
}

function rawXdh(publicKey: JsonWebKey): Uint8Array {
  return view(Buffer.from(publicKey.x as string, 'base64url'));
}

const NODE_CURVE = { secp256r1: 'prime256v1', secp384r1: 'secp384r1', secp521r1: 'secp521r1' } as const;

const keyAgreement: KeyAgreementPrimitives = {
  xdh(group, privateKey) {
    let ownKey: KeyObject;
    let ownPublic: JsonWebKey;
    if (privateKey) {
      ownKey = createPrivateKey({
        key: buf(concat([XDH_FORMS[group].pkcs8Prefix, privateKey])),
        format: 'der',
        type: 'pkcs8',
      });
      ownPublic = createPublicKey(ownKey).export({ format: 'jwk' });
    } else {
      ({ privateKey: ownKey, publicKey: ownPublic } = XDH_FORMS[group].generate());
    }
    return {
      publicKey: rawXdh(ownPublic),
      // The caller has checked the length: JWK import takes any value of that length, as DER did.
      derive: (peerPublicKey) =>
        view(diffieHellman({ privateKey: ownKey, publicKey: xdhPublicKey(group, peerPublicKey) })),
    };
  },
  ecdh(group, privateKey) {
    const ecdh = createECDH(NODE_CURVE[group]);
    if (privateKey) {
      try {
        ecdh.setPrivateKey(privateKey);
      } catch (cause) {
        throw new CryptoError(`${group} private key is out of range`, { cause });
      }
    } else {
      ecdh.generateKeys();
    }
    // OpenSSL decodes the peer point with EC_POINT_oct2point, which rejects points off the curve.
    return { publicKey: view(ecdh.getPublicKey()), derive: (peer) => view(ecdh.computeSecret(peer)) };
  },
  finiteFieldDh(params, x) {
    const dh = createDiffieHellman(buf(params.pBytes), buf(params.gBytes));
    dh.setPrivateKey(buf(bigIntToBytes(x, params.byteLength)));
    dh.generateKeys(); // computes g^x mod p for the private key set above
    return { publicKey: view(dh.getPublicKey()), derive: (peer) => view(dh.computeSecret(peer)) };
  },
  mlKem768: nodeMlKem768,
};

// Keys: a PublicKey/PrivateKey made by any provider is accepted; node's KeyObject is cached.
const keyObjects = new WeakMap<PublicKey | PrivateKey, KeyObject>();

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

function describe(keyObject: KeyObject): { type: KeyType; curve?: string; bits?: number } {
  const details = keyObject.asymmetricKeyDetails ?? {};
  switch (keyObject.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss': {
      const bits = details.modulusLength ?? 0;
      checkRsaModulus(bits, details.publicExponent ?? 0n);
      return { type: keyObject.asymmetricKeyType, bits };
    }
    case 'ec': {
      const curve = CURVE_NAMES[details.namedCurve ?? ''];
      if (!curve) throw new UnsupportedAlgorithmError(`EC curve ${details.namedCurve} is not supported`);
      return { type: 'ec', curve };
    }
    case 'ed25519':
      return { type: 'ed25519' };
    default:
      throw new UnsupportedAlgorithmError(`key type ${keyObject.asymmetricKeyType} is not supported`);
  }
}

/** `spki` is the DER the key was imported from, kept as given; absent, it is exported. */
function wrapPublic(keyObject: KeyObject, spki?: Uint8Array): PublicKey {
  // Object.assign, not a spread (peers' keys are imported in every handshake): see CONTRIBUTING.md, "Hot paths".
  const key: PublicKey = Object.assign(describe(keyObject), {
    spki: spki ?? view(keyObject.export({ format: 'der', type: 'spki' })),
  });
  keyObjects.set(key, keyObject);
  return key;
}

function wrapPrivate(keyObject: KeyObject): PrivateKey {
  const publicKey = wrapPublic(createPublicKey(keyObject));
  const pkcs8 = view(keyObject.export({ format: 'der', type: 'pkcs8' }));
  const key: PrivateKey = Object.assign(describe(keyObject), { publicKey, pkcs8 });
  keyObjects.set(key, keyObject);
  return key;
}

/** OpenSSL ignores bytes after the outer SEQUENCE; DER does not allow them. */
function checkSingleSequence(der: Uint8Array): void {
  readSequence(der, 'the key');
}

// SubjectPublicKeyInfo of a named-curve EC key with an uncompressed point, up to the point's 0x04
// (RFC 5480 §2). OpenSSL's JWK import takes these about twice as fast as its DER decoder, and
// checks the point is on the curve just the same.
const EC_SPKI_PREFIXES = [
  { crv: 'P-256', prefix: fromHex('3059301306072a8648ce3d020106082a8648ce3d03010703420004'), size: 32 },
  { crv: 'P-384', prefix: fromHex('3076301006072a8648ce3d020106052b8104002203620004'), size: 48 },
  { crv: 'P-521', prefix: fromHex('30819b301006072a8648ce3d020106052b810400230381860004'), size: 66 },
] as const;

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function createSpkiPublicKey(spki: Uint8Array): KeyObject {
  for (const { crv, prefix, size } of EC_SPKI_PREFIXES) {
    if (spki.length === prefix.length + 2 * size && startsWith(spki, prefix)) {
      const point = buf(spki.subarray(prefix.length));
      const x = point.subarray(0, size).toString('base64url');
      const y = point.subarray(size).toString('base64url');
      return createPublicKey({ key: { kty: 'EC', crv, x, y }, format: 'jwk' });
    }
  }
  return createPublicKey({ key: buf(spki), format: 'der', type: 'spki' });
}

function importPublicKey(spki: Uint8Array): PublicKey {
  checkSingleSequence(spki);
  let keyObject: KeyObject;
  try {
    keyObject = createSpkiPublicKey(spki);
  } catch (cause) {
    throw new InvalidKeyError('cannot parse SubjectPublicKeyInfo', { cause });
  }
  // The input was one DER SEQUENCE that OpenSSL accepted: kept (copied) instead of re-encoded.
  return wrapPublic(keyObject, spki.slice());
}

function importPrivateKey(der: Uint8Array, format: PrivateKeyFormat): PrivateKey {
  checkSingleSequence(der);
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: buf(der), format: 'der', type: format });
  } catch (cause) {
    throw new InvalidKeyError(`cannot parse ${format} private key`, { cause });
  }
  return wrapPrivate(keyObject);
}

function nativePublic(key: PublicKey): KeyObject {
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    keyObject = keyObjects.get(importPublicKey(key.spki)) as KeyObject;
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

function nativePrivate(key: PrivateKey): KeyObject {
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    keyObject = keyObjects.get(importPrivateKey(key.pkcs8, 'pkcs8')) as KeyObject;
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

function signingOptions(scheme: SignatureSchemeName, key: PublicKey | PrivateKey, signing: boolean) {
  const info = checkSchemeKey(scheme, key, signing);
  const algorithm = info.kind === 'eddsa' ? null : (info.hash as HashAlgorithm);
  const options =
    info.kind === 'pkcs1'
      ? { padding: constants.RSA_PKCS1_PADDING }
      : info.kind === 'pss'
        ? // RFC 8446 §4.2.3: the salt length equals the digest length.
          { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
        : info.kind === 'ecdsa'
          ? { dsaEncoding: 'der' as const }
          : {};
  return { algorithm, options };
}

function generateKeyPair(spec: KeyGenerationSpec): PrivateKey {
  switch (spec.type) {
    case 'rsa':
      checkRsaModulus(spec.bits, 65537n);
      return wrapPrivate(
        generateKeyPairSync('rsa', { modulusLength: spec.bits, publicExponent: 65537 }).privateKey,
      );
    case 'ec': {
      const namedCurve = Object.keys(CURVE_NAMES).find((name) => CURVE_NAMES[name] === spec.curve);
      if (!namedCurve) throw new UnsupportedAlgorithmError(`curve ${spec.curve} is not supported`);
      return wrapPrivate(generateKeyPairSync('ec', { namedCurve }).privateKey);
    }
    case 'ed25519':
      return wrapPrivate(generateKeyPairSync('ed25519').privateKey);
    default:
      throw new UnsupportedAlgorithmError('unsupported key generation spec');
  }
}

export const nodeProvider: CryptoProvider = {
  name: 'node',

  ...sharedMembers({
    hash: {
      create: (algorithm) => nodeCreateHash(checkHash(algorithm)),
      fork: (state) => state.copy(),
      finish: (state) => view(state.digest()),
    },
    aeadKey: (algorithm, key) => new NodeAeadKey(algorithm, key),
    ...keyAgreement,
  }),
  allocateUninitialized,
  hash: (algorithm, data) => view(nodeCreateHash(checkHash(algorithm)).update(data).digest()),
  hmac,
  // HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM) (RFC 5869 §2.2); an empty salt and HashLen zeros
  // give the same HMAC key.
  hkdfExtract: (algorithm, salt, ikm) => hmac(algorithm, salt, ikm),
  hkdfExpand: (algorithm, prk, info, length) =>
    hkdfExpandWithHmac(hmac, checkHash(algorithm), prk, info, length),

  importPublicKey,
  importPrivateKey,
  generateKeyPair,
  sign(scheme, key, data) {
    const { algorithm, options } = signingOptions(scheme, key, true);
    try {
      return view(nodeSign(algorithm, data, { key: nativePrivate(key), ...options }));
    } catch (cause) {
      throw new CryptoError(`${scheme} signing failed`, { cause });
    }
  },
  verify(scheme, key, data, signature) {
    const { algorithm, options } = signingOptions(scheme, key, false);
    // RFC 8017 §8.1.2/§8.2.2 step 1: an RSA signature is exactly k octets. OpenSSL would
    // left-pad a short one, accepting a signature with its leading zero byte cut off.
    if (key.bits !== undefined && signature.length !== Math.ceil(key.bits / 8)) return false;
    try {
      return nodeVerify(algorithm, data, { key: nativePublic(key), ...options }, signature);
    } catch {
      // OpenSSL throws on some malformed signatures (bad DER, wrong length): a wrong signature.
      return false;
    }
  },

  timingSafeEqual: (a, b) => a.length === b.length && nodeTimingSafeEqual(a, b),
  // OpenSSL's BN_check_prime: trial division, then Miller-Rabin with bases from its CSPRNG.
  isProbablePrime: (candidate) => checkPrimeSync(candidate, { checks: MILLER_RABIN_ROUNDS }),
};
