// @tls-kit/certs: X.509 parsing, PEM loading, the design's certificate API, RFC 5280 path
// validation and RFC 9525 hostname checks. Browser-safe: no node: imports are reachable.

export { type DerElement, type DerNode, DerReader, MAX_DEPTH, parseDerTree, Tag } from '@tls-kit/crypto/der';
export { explicit, octetString, sequence, smallInteger, tlv } from '@tls-kit/crypto/der-writer';
export type { AlgorithmIdentifier, SignatureAlgorithm, SubjectPublicKeyInfo } from './algorithms.js';
export { CertificateBuilder, type CertificateOptions, encodeName } from './builder.js';
export type { CertificateChainCallback, ChainDelivery } from './callback.js';
export { Certificate, certificateDersFromPem } from './certificate.js';
export { CertificateCache } from './certificate-cache.js';
export { assembleChain, assembleChains } from './chain.js';
export {
  type ClientCertificateRoot,
  ClientCertificateStore,
  requestClientCertificateChain,
} from './client-certificate-store.js';
export { CertificateRevocationList, type CrlCheck, type RevokedCertificate } from './crl.js';
export { MAX_PBKDF2_ITERATIONS, type Passphrase } from './encrypted-private-key.js';
export {
  CertificateError,
  CertificateNotInChainError,
  CertificateParseError,
  DerError,
  ExtraneousPrivateKeyError,
  InvalidatedError,
  LeafCertificateHasNoPrivateKeyError,
  MoreThanOneLeafCertificateError,
  NoCertificateChainError,
  NoLeafCertificateError,
  PassphraseRequiredError,
  PemError,
  PrivateKeyDecryptionError,
  PrivateKeyMismatchError,
  UnsupportedAlgorithmError,
} from './errors.js';
export type {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Extension,
  GeneralName,
  KeyUsageName,
  NameConstraints,
  PolicyInformation,
} from './extensions.js';
export { parseIpAddress, verifyHostname } from './hostname.js';
export {
  type LoadOptions,
  loadCertificateChainPem,
  loadCertificatesPem,
  loadPrivateKeyPem,
  loadTrustStorePem,
} from './load.js';
export { type AttributeTypeAndValue, Name, type RelativeDistinguishedName } from './name.js';
export {
  type BasicOcspResponse,
  type CrlReason,
  type OcspCertId,
  type OcspCertStatus,
  OcspFailureReason,
  OcspParseError,
  type OcspResponderId,
  type OcspResponse,
  type OcspResponseStatus,
  type OcspSingleResponse,
  type OcspStatus,
  OcspVerificationError,
  type OcspVerifyOptions,
  parseOcspResponse,
  verifyOcspResponse,
} from './ocsp.js';
export { Oid } from './oids.js';
export { decodePem, encodePem, type PemBlock } from './pem.js';
export { type Pkcs12Contents, readPkcs12 } from './pkcs12.js';
export {
  detectPrivateKeyFormat,
  loadPrivateKeyDer,
  type PrivateKeyDerOptions,
  privateKeyToPem,
} from './private-key.js';
export {
  requestServerCertificateChain,
  ServerCertificateChain,
  ServerCertificates,
  SNIServerCertificates,
} from './server-certificates.js';
export { TrustStore } from './trust-store.js';
export {
  DEFAULT_MAX_CHAIN_DEPTH,
  type Profile,
  type Purpose,
  type VerifyFailure,
  VerifyFailureReason,
  type VerifyOptions,
  type VerifyResult,
  verifyChain,
} from './verify.js';
