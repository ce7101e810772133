// @tls-kit/crypto: browser-safe entry (no node: imports reachable from here).

export { composeProvider, type ProviderOverrides } from './compose.js';
export {
  AeadAuthenticationError,
  CryptoError,
  DerError,
  InvalidKeyError,
  InvalidKeyShareError,
  UnsupportedAlgorithmError,
} from './errors.js';
export { FFDHE_PRIMES_HEX } from './ffdhe-primes.js';
export { dhParametersFromDer, MIN_CUSTOM_DH_BITS } from './finite-field-dh.js';
export { NAMED_GROUPS } from './key-exchange.js';
export { deriveSecret, hkdfExpandLabel, tls12Prf } from './key-schedule.js';
export { nobleProvider } from './noble.js';
export { AEAD_KEY_LENGTH } from './policy.js';
export { isSafeDhPrime } from './primality.js';
export type {
  AeadAlgorithm,
  AeadKey,
  CryptoProvider,
  DhParameters,
  Hash,
  HashAlgorithm,
  KeyExchangeGroup,
  KeyExchangeInitiator,
  KeyExchangeResponse,
  KeyGenerationSpec,
  KeyType,
  NamedGroupName,
  PrivateKey,
  PrivateKeyFormat,
  PublicKey,
  SignatureSchemeName,
} from './provider.js';
export {
  HASH_LENGTH,
  SIGNATURE_SCHEMES,
  type SignatureAlgorithmKind,
  type SignatureSchemeInfo,
  signatureSchemeInfo,
} from './signature-schemes.js';
