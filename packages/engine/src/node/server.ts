// createServer(): node:tls.createServer for this engine. A net.Server whose connections become
// TLSSockets, served by one ServerTLS (one per connection while 'keylog' has a listener or a
// pskCallback is set, so they know their socket) with the server's TicketKeys and TLS 1.2
// session cache, so a session made on one connection resumes on another (by ticket or by
// session ID, RFC 5246 §7.4.1.2).
import net from 'node:net';
import type { Certificate } from '@tls-kit/certs';
import { TLSUsageError } from '../errors.js';
import { invalidArgType } from './errors.js';
import { createSecureContext, type SecureContext, type SecureContextOptions } from './options.js';
import {
  defaultChains,
  type ServerConfig,
  type ServerSocketOptions,
  serverConfig,
  ticketKeyBytes,
} from './server-config.js';
import { TLSSocket } from './tls-socket.js';

export type { SNICallback } from './server-config.js';

export interface TlsServerOptions extends ServerSocketOptions<TLSSocket> {
  /** Milliseconds a client may take to complete the handshake. Default 120000, as node:tls. */
  readonly handshakeTimeout?: number;
  /** node:net's pauseOnConnect: accepted sockets start paused (resume() the TLSSocket). */
  readonly pauseOnConnect?: boolean;
  /** The readable and writable high-water mark of each TLSSocket, in bytes. */
  readonly highWaterMark?: number;
  /** Each connection's records, decoded, on stderr (node:tls enableTrace). */
  readonly enableTrace?: boolean;
}

type SecureConnectionListener = (socket: TLSSocket) => void;

class TLSServer extends net.Server {
  private readonly handshakeTimeout: number;
  private readonly config: ServerConfig<TLSSocket>;
  private readonly options: TlsServerOptions;

  constructor(
    options: TlsServerOptions | SecureConnectionListener = {},
    onSecureConnection?: SecureConnectionListener,
  ) {
    const listener = typeof options === 'function' ? options : onSecureConnection;
    const opts = typeof options === 'function' ? {} : options;
    if (typeof opts !== 'object' || opts === null) throw invalidArgType('options', 'of type object', opts);
    if (opts.handshakeTimeout !== undefined && typeof opts.handshakeTimeout !== 'number')
      throw invalidArgType('options.handshakeTimeout', 'of type number', opts.handshakeTimeout);
    if (opts.SNICallback !== undefined && typeof opts.SNICallback !== 'function')
      throw invalidArgType('options.SNICallback', 'of type function', opts.SNICallback);
    // The transport stays writable after the client's TCP FIN: our answer and close_notify may follow.
    super({ allowHalfOpen: true, ...(opts.pauseOnConnect ? { pauseOnConnect: true } : {}) });
    this.options = opts;
    this.handshakeTimeout = opts.handshakeTimeout ?? 120_000;
    this.config = serverConfig(
      // node:tls' Server honours its own order unless told not to; its bare SecureContext does not.
      { ...opts, honorCipherOrder: opts.honorCipherOrder ?? true },
      (line, socket) => this.emit('keylog', line, socket),
      () => this.listenerCount('keylog') > 0,
      (chain) => this.ocspRequest(chain),
    );
    if (listener) this.on('secureConnection', listener);
    this.on('connection', (raw: net.Socket) => this.accept(raw));
  }

  /** node:tls addContext: the chain for SNI names matching `hostname` ("*.example.com" allowed). */
  addContext(hostname: string, context: SecureContext | SecureContextOptions): void {
    this.config.certificates.contexts.push({
      pattern: hostname,
      context: 'options' in context && 'chain' in context ? context : createSecureContext(context),
    });
  }

  /** node:tls getTicketKeys: the 48 bytes tickets are sealed with (a copy). */
  getTicketKeys(): Buffer {
    const bytes = this.config.ticketKeys ? this.config.ticketKeys.bytes : undefined;
    if (!bytes)
      throw new TLSUsageError(
        'getTicketKeys: this server has no 48-byte ticket keys (ticketKeys was false or a rotating TicketKeys)',
      );
    return Buffer.from(bytes);
  }

  /**
   * node:tls setTicketKeys: tickets from now on are sealed with these 48 bytes; tickets sealed
   * with the keys before no longer resume (a full handshake instead), as in node:tls.
   */
  setTicketKeys(keys: Uint8Array): void {
    const bytes = ticketKeyBytes('keys', keys);
    if (!this.config.ticketKeys)
      throw new TLSUsageError('setTicketKeys: tickets are off (ticketKeys: false)');
    this.config.ticketKeys.replace(bytes);
  }

  /**
   * node:tls setSecureContext: new `cert`/`key` (or `pfx`) for the connections to come, completed
   * from its `ca`; the other options stay those the server was made with.
   */
  setSecureContext(options: SecureContextOptions): void {
    this.config.certificates.fallback = defaultChains(options);
  }

  /**
   * node:tls' 'OCSPRequest' (certificate, issuer, callback(error, response)): asked when a client
   * wants a stapled response and the event has a listener; the handshake waits for the callback.
   * `issuer` is the certificate after the leaf in the chain we send (null when there is none).
   */
  private ocspRequest(chain: readonly Certificate[]): Promise<Uint8Array | undefined> | undefined {
    if (this.listenerCount('OCSPRequest') === 0) return undefined;
    const der = (c: Certificate | undefined) => (c ? Buffer.from(c.getAsn1Bytes()) : null);
    return new Promise((resolve, reject) => {
      this.emit(
        'OCSPRequest',
        der(chain[0]),
        der(chain[1]),
        (error: Error | null, response?: Uint8Array | null) => {
          if (error) reject(error);
          else resolve(response ?? undefined);
        },
      );
    });
  }

  private accept(raw: net.Socket): void {
    let socket: TLSSocket;
    try {
      socket = new TLSSocket(raw, {
        isServer: true,
        // The server's engine factory itself: no closure per connection.
        tls: this.config.tls,
        rejectUnverifiedPeer: this.config.rejectUnverified,
        handshakeTimeout: this.handshakeTimeout,
        allowHalfOpen: this.options.allowHalfOpen ?? false,
        ...(this.options.highWaterMark !== undefined ? { highWaterMark: this.options.highWaterMark } : {}),
        ...(this.options.enableTrace ? { enableTrace: true } : {}),
        server: this,
      });
    } catch (error) {
      this.emit('tlsClientError', error, undefined);
      return;
    }
    // Until the handshake completes, failures belong to the server ('tlsClientError'), as in node:tls.
    const onError = (error: Error) => this.emit('tlsClientError', error, socket);
    socket.on('error', onError);
    socket.once('secure', () => {
      socket.off('error', onError);
      this.emit('secureConnection', socket);
    });
  }
}

/**
 * node:tls' Server, callable with or without `new`: 'secureConnection' (TLSSocket),
 * 'tlsClientError' (error, socket), 'keylog' (line, socket).
 */
function callableServer(
  options?: TlsServerOptions | SecureConnectionListener,
  onSecureConnection?: SecureConnectionListener,
): TLSServer {
  return new TLSServer(options, onSecureConnection);
}
callableServer.prototype = TLSServer.prototype;
export const Server = callableServer as unknown as typeof TLSServer & typeof callableServer;
export type Server = TLSServer;

/** node:tls.createServer. */
export function createServer(
  options?: TlsServerOptions | SecureConnectionListener,
  onSecureConnection?: SecureConnectionListener,
): Server {
  return new TLSServer(options, onSecureConnection);
}
