// @tls-kit/engine/node: the engine behind node:tls-style sockets (connect, createServer, an
// https.Agent) and behind WHATWG streams (secureStreams, also in the browser-safe
// '@tls-kit/engine/web').

export {
  type SecureStreams,
  type SecureStreamsOptions,
  type StreamStarter,
  type StreamTransport,
  secureStreams,
} from '../web/streams.js';
export { Agent, type ConnectionOptions, connect } from './client.js';
export {
  createSecureContext,
  groupDisplayName,
  type KeyEntry,
  type PemInput,
  type SecureContext,
  type SecureContextOptions,
} from './options.js';
export { type PeerCertificate, peerCertificate } from './peer-certificate.js';
export { createServer, Server, type SNICallback, type TlsServerOptions } from './server.js';
export { type DecodedSession, decodeSession, encodeSession } from './session.js';
export { type CipherInfo, type EphemeralKeyInfo, TLSSocket, type TLSSocketOptions } from './tls-socket.js';
