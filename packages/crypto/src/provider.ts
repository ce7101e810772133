// The one interface through which the engine and the certificate validator reach
// cryptography. Everything is synchronous and works on Uint8Array.

export type HashAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** An incremental hash. `clone()` forks the state, so a transcript hash can be
 * read at an intermediate point (RFC 8446 §4.4.1) and keep growing. */
export interface Hash {
  readonly algorithm: HashAlgorithm;
  readonly outputLength: number;
  update(data: Uint8Array): this;
  /** Final value; the hash must not be used afterwards. */
  digest(): Uint8Array;
  clone(): Hash;
}

export type AeadAlgorithm = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

/** An AEAD key imported once per direction. Nonces are 12 bytes, tags 16. */
export interface AeadKey {
  readonly algorithm: AeadAlgorithm;
  /** Returns ciphertext || tag. */
  seal(nonce: Uint8Array, plaintext: Uint8Array, additionalData: Uint8Array): Uint8Array;
  /**
   * `seal` writing ciphertext || tag into `output`, exactly `plaintext.length + 16` bytes, so a
   * caller can assemble a whole record in one buffer. `plaintext` may be the start of `output`
   * itself (in place); any other overlap is not allowed. Optional so that AeadKeys from other
   * providers stay valid: callers fall back to `seal` and a copy. Both built-in providers have it.
   */
  sealInto?(nonce: Uint8Array, plaintext: Uint8Array, additionalData: Uint8Array, output: Uint8Array): void;
  /**
   * `seal` of the plaintext made of `parts` joined in order, without joining them: returns
   * ciphertext || tag as pieces to be sent (or joined) in order, views of the provider's own
   * output where it can, so a record's content and its inner content-type byte are encrypted
   * where they lie (RFC 8446 §5.2). The pieces are the caller's to keep. Optional like
   * `sealInto`; both built-in providers have it.
   */
  sealParts?(nonce: Uint8Array, parts: readonly Uint8Array[], additionalData: Uint8Array): Uint8Array[];
  /** Input is ciphertext || tag. Throws AeadAuthenticationError on a bad tag and
   * never returns unauthenticated plaintext. The result is memory of its own (never a view of the
   * input, never reused by a later call): the caller may keep it. */
  open(nonce: Uint8Array, ciphertextAndTag: Uint8Array, additionalData: Uint8Array): Uint8Array;
}

/** TLS NamedGroup names for the key exchanges a provider can perform. */
export type NamedGroupName =
  | 'x25519'
  | 'x448'
  | 'secp256r1'
  | 'secp384r1'
  | 'secp521r1'
  | 'ffdhe2048'
  | 'ffdhe3072'
  | 'ffdhe4096'
  | 'x25519mlkem768';

/** Finite-field DH parameters given explicitly (the design's `dh_params`, or TLS 1.2 ServerDHParams). */
export interface DhParameters {
  readonly p: Uint8Array;
  readonly g: Uint8Array;
}

export type KeyExchangeGroup = NamedGroupName | { readonly custom: DhParameters };

/** The initiator's half of a key exchange (TLS 1.3 client, TLS 1.2 server for ECDHE/DHE). */
export interface KeyExchangeInitiator {
  readonly group: KeyExchangeGroup;
  /** The key_share / ServerKeyExchange public value, in its TLS wire encoding. */
  readonly publicKey: Uint8Array;
  /** Validates the peer's share and returns the shared secret (TLS encoding rules:
   * X25519/X448 reject an all-zero result, FFDHE is left-padded to the prime length). */
  complete(peerPublicKey: Uint8Array): Uint8Array;
  /** For a hybrid (X25519MLKEM768), its X25519 part as an initiator of its own, whose public key
   * ends this one's: draft-ietf-tls-hybrid-design §3.2 lets one ClientHello send the same X25519
   * value in the hybrid's and in X25519's key_share entries. At most one of the two completes. */
  readonly classical?: KeyExchangeInitiator;
}

/** The responder's half: takes the initiator's share and answers with its own
 * (for ML-KEM hybrids this is encapsulation). */
export interface KeyExchangeResponse {
  readonly publicKey: Uint8Array;
  readonly sharedSecret: Uint8Array;
}

export type SignatureSchemeName =
  | 'rsa_pkcs1_sha1'
  | 'ecdsa_sha1'
  | 'rsa_pkcs1_sha256'
  | 'rsa_pkcs1_sha384'
  | 'rsa_pkcs1_sha512'
  | 'rsa_pss_rsae_sha256'
  | 'rsa_pss_rsae_sha384'
  | 'rsa_pss_rsae_sha512'
  | 'rsa_pss_pss_sha256'
  | 'rsa_pss_pss_sha384'
  | 'rsa_pss_pss_sha512'
  | 'ecdsa_secp256r1_sha256'
  | 'ecdsa_secp384r1_sha384'
  | 'ecdsa_secp521r1_sha512'
  | 'ed25519';

export type KeyType = 'rsa' | 'rsa-pss' | 'ec' | 'ed25519';

export interface PublicKey {
  readonly type: KeyType;
  /** 'P-256' | 'P-384' | 'P-521' for EC keys. */
  readonly curve?: string;
  /** Modulus size for RSA keys. */
  readonly bits?: number;
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
}

export interface PrivateKey {
  readonly type: KeyType;
  readonly curve?: string;
  readonly bits?: number;
  readonly publicKey: PublicKey;
  /** PKCS#8 DER. */
  readonly pkcs8: Uint8Array;
}

export type PrivateKeyFormat = 'pkcs8' | 'pkcs1' | 'sec1';

export type KeyGenerationSpec =
  | { readonly type: 'rsa'; readonly bits: number }
  | { readonly type: 'ec'; readonly curve: 'P-256' | 'P-384' | 'P-521' }
  | { readonly type: 'ed25519' };

export interface CryptoProvider {
  readonly name: string;

  // Hashing and MACs
  createHash(algorithm: HashAlgorithm): Hash;
  hash(algorithm: HashAlgorithm, data: Uint8Array): Uint8Array;
  hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array;
  hkdfExtract(algorithm: HashAlgorithm, salt: Uint8Array, ikm: Uint8Array): Uint8Array;
  hkdfExpand(algorithm: HashAlgorithm, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;

  // Record protection
  importAeadKey(algorithm: AeadAlgorithm, key: Uint8Array): AeadKey;
  /**
   * Memory for output the caller overwrites in full before anything reads it or it leaves the
   * caller (sealed records): may be uninitialised, i.e. hold old bytes of this process, so a
   * caller that cannot prove every byte is written must use `new Uint8Array` instead. Saves the
   * zero fill of large buffers (the node provider: `Buffer.allocUnsafeSlow`); optional, absent
   * where the platform has no such memory (the caller then uses `new Uint8Array`).
   */
  allocateUninitialized?(length: number): Uint8Array;

  // Key exchange
  supportsGroup(group: KeyExchangeGroup): boolean;
  /** `privateKey` is for known-answer tests (RFC 8448) only; normally omitted. */
  startKeyExchange(group: KeyExchangeGroup, privateKey?: Uint8Array): KeyExchangeInitiator;
  respondKeyExchange(group: KeyExchangeGroup, peerPublicKey: Uint8Array): KeyExchangeResponse;

  // Keys and signatures
  importPublicKey(spki: Uint8Array): PublicKey;
  importPrivateKey(der: Uint8Array, format: PrivateKeyFormat): PrivateKey;
  generateKeyPair(spec: KeyGenerationSpec): PrivateKey;
  sign(scheme: SignatureSchemeName, key: PrivateKey, data: Uint8Array): Uint8Array;
  /** False for a wrong signature; throws only for unusable inputs (scheme/key mismatch). */
  verify(scheme: SignatureSchemeName, key: PublicKey, data: Uint8Array, signature: Uint8Array): boolean;

  // Randomness and comparison
  randomBytes(length: number): Uint8Array;
  /**
   * Miller-Rabin on a big-endian unsigned integer with 40 bases from the CSPRNG: a composite,
   * even one chosen by an attacker, passes with probability at most 2^-80.
   */
  isProbablePrime(candidate: Uint8Array): boolean;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}
