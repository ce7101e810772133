// @tls-kit/engine: the sans-IO TLS client and server of the design document's Python TLS API.

// The certificate-side exceptions of the design's exceptions live in @tls-kit/certs.
export {
  ExtraneousPrivateKeyError,
  InvalidatedError,
  LeafCertificateHasNoPrivateKeyError,
  MoreThanOneLeafCertificateError,
  NoCertificateChainError,
  NoLeafCertificateError,
} from '@tls-kit/certs';
// The alert constants for sendAlert (the design's "constants specified in this module").
export { AlertDescription, AlertLevel, alertLevelRule } from '@tls-kit/messages';
export { alertName } from './alerts.js';
export { type ClientOptions, ClientTLS } from './client/client-tls.js';
// TLS 1.2: session caches and suites.
export {
  type ClientSession12,
  type ClientSession12Cache,
  MemoryClientSession12Cache,
} from './client/session12.js';
export { type ClientSessionCache, MemorySessionCache, type StoredTicket } from './client/tickets.js';
export type { CheckServerIdentity, CommonOptions, TLSVersion } from './config.js';
export { Connection } from './connection.js';
export type {
  ConnectionEvents,
  ConnectionState,
  PeerVerification,
  WireClose,
  WriteToWire,
} from './core.js';
export { BadTLSDataError, InvalidAlertLevel, TLSAlertError, TLSUsageError } from './errors.js';
export type { ExternalPskKey, ExternalPskOption, PskCallback } from './external-psk.js';
export type { OcspResponder } from './handshake/ocsp.js';
export type { OcspVerification, StatusFailureReason } from './handshake/ocsp-verification.js';
export { REASON_ALERTS, type Reason } from './reasons.js';
export { type ServerOptions, ServerTLS } from './server/server-tls.js';
export {
  MemoryServerSessionCache,
  type MemoryServerSessionCacheOptions,
  type ServerSessionCache,
  type Session12,
} from './server/session-cache.js';
export { TicketKeys, type TicketKeysOptions } from './server/ticket-keys.js';
export { type CipherSuite, TLS12_SUITES, TLS13_SUITES, type Tls12CipherSuite } from './suites.js';
export type { VerifyCallback } from './verify-callback.js';
