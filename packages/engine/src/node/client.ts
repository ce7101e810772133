// connect(): node:tls.connect for this engine, plus an https.Agent that uses it.
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { type Certificate, ClientCertificateStore, type CertificateChainCallback } from '@tls-kit/certs';
import { type ClientOptions, ClientTLS } from '../client/client-tls.js';
import { BadTLSDataError } from '../errors.js';
import { AlertDescription } from '@tls-kit/messages';
import { chainFrom, commonOptionsFrom, type SecureContextOptions, trustStoreFrom } from './options.js';
import { type PeerCertificate, peerCertificateChain } from './peer-certificate.js';
import { ConnectionSessionCache, decodeSession, encodeSession } from './session.js';
import { TLSSocket } from './tls-socket.js';

export interface ConnectionOptions extends SecureContextOptions {
  /** Default 'localhost'. */
  readonly host?: string;
  /** Default 443. */
  readonly port?: number;
  /** An already connected transport (net.Socket or any Duplex); host/port are then not dialled. */
  readonly socket?: Duplex;
  /** SNI and the name the certificate must match. Default: `host`. An IP address sends no SNI. */
  readonly servername?: string;
  /**
   * Default true: a chain that does not verify fails the handshake. false: the handshake completes
   * with `authorized === false` and `authorizationError` set (the engine's report mode); the
   * CertificateVerify signature and Finished are checked all the same.
   */
  readonly rejectUnauthorized?: boolean;
  /**
   * Replaces the built-in hostname check (RFC 9525) of a chain that validated, as in node:tls:
   * return an Error to refuse it (emitted as the 'error', or with rejectUnauthorized false its
   * `code` or message becomes `authorizationError`).
   */
  readonly checkServerIdentity?: (hostname: string, cert: PeerCertificate) => Error | undefined;
  /** A session from getSession() or the 'session' event, to resume. */
  readonly session?: Uint8Array;
  /**
   * Ask the server to staple an OCSP response (node:tls' requestOCSP): an 'OCSPResponse' event
   * with the DER (a Buffer), or null when none was stapled, comes before 'secureConnect'. The
   * response is verified only with `engine: { ocspVerification }`.
   */
  readonly requestOCSP?: boolean;
  /** Milliseconds the handshake may take. Default 0: no limit beyond the transport's. */
  readonly handshakeTimeout?: number;
  /** Engine options beyond node:tls' (recordSizeLimit, maxFragmentSize, clock...). */
  readonly engine?: Partial<
    Omit<ClientOptions, 'serverHostname' | 'sessionCache' | 'sessionCache12' | 'keyLog'>
  >;
}

/** Sends the configured chain whatever the server asks for, as node:tls does. */
class FixedClientCertificate extends ClientCertificateStore {
  constructor(private readonly chain: readonly Certificate[]) {
    super();
  }
  override getCertificateChainForRoots(
    _roots: ReadonlySet<unknown>,
    callback: CertificateChainCallback,
  ): void {
    try {
      callback(this.chain);
    } catch {
      // A chain that leads to none of the server's roots is refused by the callback, which also
      // reports it to the handshake: the connection fails with NoCertificateChainError.
    }
  }
  override getDefaultCertificateChain(callback: CertificateChainCallback): void {
    callback(this.chain);
  }
}

/**
 * Opens a TLS connection (node:tls.connect). `onSecureConnect` is added as a 'secureConnect'
 * listener. Events: 'secureConnect', 'OCSPResponse' (with requestOCSP), 'session' (Buffer),
 * 'keylog' (Buffer line), 'error', and the stream events.
 */
export function connect(options: ConnectionOptions, onSecureConnect?: () => void): TLSSocket {
  const host = options.host ?? 'localhost';
  const servername = options.servername ?? host;
  const chain = chainFrom(options);
  const trustRoot = trustStoreFrom(options.ca);
  const offered = options.session ? decodeSession(options.session) : undefined;
  const check = options.checkServerIdentity;
  // The user's refusal, reported as node:tls does: the Error itself, or its code.
  let refusal: Error | undefined;
  let latestSession: Uint8Array | undefined = options.session;
  // The newest session is encoded only when asked for (a 'session' listener, getSession()).
  let newSession: Parameters<typeof encodeSession>[0] | undefined;
  const sessionBytes = () => {
    if (newSession) latestSession = encodeSession(newSession);
    newSession = undefined;
    return latestSession;
  };
  const sessionCaches = (self: TLSSocket) => {
    const cache = new ConnectionSessionCache(offered, (session) => {
      newSession = session;
      if (self.listenerCount('session') > 0) self.emit('session', Buffer.from(sessionBytes()!));
    });
    return { sessionCache: cache, sessionCache12: cache };
  };
  const engineOptions = (self: TLSSocket): ClientOptions => ({
    ...commonOptionsFrom(options),
    ...options.engine,
    serverHostname: servername,
    ...(trustRoot ? { trustRoot } : {}),
    ...(options.requestOCSP ? { requestOCSP: true } : {}),
    ...(chain ? { clientCertificateStore: new FixedClientCertificate(chain) } : {}),
    ...sessionCaches(self),
    keyLog: (line) => self.emit('keylog', Buffer.from(`${line}\n`)),
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    ...(check
      ? {
          checkServerIdentity: (name: string, certificates: readonly Certificate[]) => {
            refusal = check(name, peerCertificateChain(certificates)!);
            return refusal;
          },
        }
      : {}),
  });
  // allowHalfOpen: after the peer's TCP FIN we may still have to send (our last data, close_notify).
  const transport = options.socket ?? net.connect({ host, port: options.port ?? 443, allowHalfOpen: true });
  const socket = new TLSSocket(transport, {
    isServer: false,
    tls: (self) => new ClientTLS(engineOptions(self)),
    handshakeError: (error) =>
      refusal && error instanceof BadTLSDataError && error.alertCode === AlertDescription.bad_certificate
        ? refusal
        : error,
    ...(options.handshakeTimeout ? { handshakeTimeout: options.handshakeTimeout } : {}),
    getSession: sessionBytes,
    ...(options.allowHalfOpen ? { allowHalfOpen: true } : {}),
  });
  socket.once('secure', () => {
    if (refusal && !socket.authorized) {
      socket.authorizationError = (refusal as { code?: string }).code ?? refusal.message;
    }
    if (options.requestOCSP) {
      const response = socket.connection.ocspResponse;
      socket.emit('OCSPResponse', response ? Buffer.from(response) : null);
    }
    socket.emit('secureConnect');
  });
  if (onSecureConnect) socket.once('secureConnect', onSecureConnect);
  return socket;
}

/**
 * An https.Agent whose connections are ours: `https.get(url, { agent: new Agent({ ca }) })`.
 * Agent options (ca, cert, key, ALPNProtocols...) apply to every connection it opens.
 */
export class Agent extends https.Agent {
  constructor(private readonly tlsOptions: Omit<ConnectionOptions, 'host' | 'port' | 'socket'> = {}) {
    super({ keepAlive: false });
  }

  /** http's Agent uses the returned socket at once; errors reach the request through it. */
  override createConnection(options: https.RequestOptions): Duplex {
    return connect({
      ...this.tlsOptions,
      ...(options.host ? { host: options.host } : {}),
      ...(options.port ? { port: Number(options.port) } : {}),
      ...(options.servername && !this.tlsOptions.servername ? { servername: options.servername } : {}),
    });
  }
}
