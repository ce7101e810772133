// @tls-kit/engine/web: the entry for browsers and workers. Everything of '@tls-kit/engine' plus
// secureStreams (TLS over WHATWG streams on any byte transport); no node: import is reachable
// from here (test/browser-safe.test.ts checks it with Node's built-ins blocked).
export * from '../index.js';
export {
  type SecureStreams,
  type SecureStreamsOptions,
  type StreamStarter,
  type StreamTransport,
  secureStreams,
} from './streams.js';
