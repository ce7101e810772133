export { AlertDescription, AlertLevel, type AlertLevelRule, alertLevelRule } from './alert.js';
export {
  type AeadAlgorithm,
  type AuthenticationAlgorithm,
  CipherSuite,
  type CipherSuiteInfo,
  cipherSuiteInfo,
  type HashAlgorithm,
  IMPLEMENTED_CIPHER_SUITES,
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
export { NamedGroup } from './named-group.js';
export { enumName, isGrease, type NumericEnum } from './names.js';
export { ProtocolVersion } from './protocol-version.js';
export { SignatureScheme } from './signature-scheme.js';
