// @tls-kit/engine: the sans-IO TLS client and server of the design document's Python TLS API.
export { ClientTLS, type ClientOptions } from './client/client-tls.js';
export type { VerifyCallback } from './verify-callback.js';
export { type ClientSessionCache, MemorySessionCache, type StoredTicket } from './client/tickets.js';
export { ServerTLS, type ServerOptions } from './server/server-tls.js';
export type { ExternalPskKey, ExternalPskOption, PskCallback } from './external-psk.js';
export type { OcspResponder } from './handshake/ocsp.js';
export type { OcspVerification, StatusFailureReason } from './handshake/ocsp-verification.js';
export { TicketKeys, type TicketKeysOptions } from './server/ticket-keys.js';
// TLS 1.2: session caches and suites.
export {
  type ClientSession12,
  type ClientSession12Cache,
  MemoryClientSession12Cache,
} from './client/session12.js';
export {
  MemoryServerSessionCache,
  type MemoryServerSessionCacheOptions,
  type ServerSessionCache,
  type Session12,
} from './server/session-cache.js';
export { TLS12_SUITES, type Tls12CipherSuite } from './suites.js';
export { Connection } from './connection.js';
export type {
  ConnectionEvents,
  ConnectionState,
  PeerVerification,
  WireClose,
  WriteToWire,
} from './core.js';
export type { CheckServerIdentity, CommonOptions, TLSVersion } from './config.js';
export { alertName } from './alerts.js';
export { BadTLSDataError, InvalidAlertLevel, TLSAlertError, TLSUsageError } from './errors.js';
export { REASON_ALERTS, type Reason } from './reasons.js';
// The alert constants for sendAlert (the design's "constants specified in this module").
export { AlertDescription, AlertLevel, alertLevelRule } from '@tls-kit/messages';
export { TLS13_SUITES, type CipherSuite } from './suites.js';
// The certificate-side exceptions of the design's exceptions live in @tls-kit/certs.
export {
  ExtraneousPrivateKeyError,
  InvalidatedError,
  LeafCertificateHasNoPrivateKeyError,
  MoreThanOneLeafCertificateError,
  NoCertificateChainError,
  NoLeafCertificateError,
} from '@tls-kit/certs';
