export { AlertDescription, AlertLevel, alertLevelRule, type AlertLevelRule } from './alert.js';
export {
  CipherSuite,
  cipherSuiteInfo,
  IMPLEMENTED_CIPHER_SUITES,
  type AeadAlgorithm,
  type AuthenticationAlgorithm,
  type CipherSuiteInfo,
  type HashAlgorithm,
  type KeyExchangeAlgorithm,
} from './cipher-suite.js';
export { ContentType } from './content-type.js';
export { ExtensionType } from './extension-type.js';
export { HandshakeType } from './handshake-type.js';
export {
  CertificateStatusType,
  ClientCertificateType,
  CompressionMethod,
  ECCurveType,
  ECPointFormat,
  HeartbeatMode,
  KeyUpdateRequest,
  MaxFragmentLength,
  NameType,
  PskKeyExchangeMode,
} from './misc.js';
export { enumName, isGrease, type NumericEnum } from './names.js';
export { NamedGroup } from './named-group.js';
export { ProtocolVersion } from './protocol-version.js';
export { SignatureScheme } from './signature-scheme.js';
