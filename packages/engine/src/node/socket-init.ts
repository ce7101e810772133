// What a TLSSocket is made from: the engine factory of its role and the socket-level settings,
// built from node:tls options by client-config.ts and server-config.ts.
import type net from 'node:net';
import type { ConnectionStarter } from '../connection-starter.js';
import type { VerifyCallback } from '../verify-callback.js';

/**
 * How a TLSSocket is set up: its role and engine. `Socket` is what the engine factory is handed
 * (the TLSSocket itself; a config needs only part of it).
 */
export interface TLSSocketInit<Socket> {
  readonly isServer: boolean;
  /**
   * The engine side of this socket; receives the socket so its callbacks (keyLog...) can reach it,
   * and the name setServername() chose, if any.
   */
  readonly tls: (socket: Socket, servername?: string) => ConnectionStarter;
  /** The server that accepted this socket (node:tls' `server` option). */
  readonly server?: net.Server;
  /** node:tls' server with requestCert and rejectUnauthorized: a peer whose chain did not verify is dropped. */
  readonly rejectUnverifiedPeer?: boolean;
  /** The readable and writable high-water mark (node's `highWaterMark`). */
  readonly highWaterMark?: number;
  /** node:tls' enableTrace: the records, decoded, on stderr. */
  readonly enableTrace?: boolean;
  readonly verifyCallback?: VerifyCallback;
  /** Milliseconds the handshake may take; 0 for no limit. */
  readonly handshakeTimeout?: number;
  /** node:tls allowHalfOpen: keep our writable side open after the peer's close_notify. Default false. */
  readonly allowHalfOpen?: boolean;
  /** Client: the connection's sessions, for getSession(). */
  readonly sessions?: { bytes(): Uint8Array | undefined };
}
