// createServer(): node:tls.createServer for this engine. A net.Server whose connections become
// TLSSockets; one ServerTLS per connection (so 'keylog' and SNICallback know their socket) sharing
// the server's TicketKeys, so tickets issued on one connection resume on another.
import net from 'node:net';
import {
  type Certificate,
  type CertificateChainCallback,
  ServerCertificateChain,
  ServerCertificates,
  TrustStore,
} from '@tls-kit/certs';
import { type ServerOptions, ServerTLS } from '../server/server-tls.js';
import { MemoryServerSessionCache } from '../server/session-cache.js';
import { TicketKeys } from '../server/ticket-keys.js';
import { TLSUsageError } from '../errors.js';
import {
  chainFrom,
  commonOptionsFrom,
  createSecureContext,
  type SecureContext,
  type SecureContextOptions,
  trustStoreFrom,
} from './options.js';
import { TLSSocket } from './tls-socket.js';

export type SNICallback = (
  servername: string,
  callback: (error: Error | null, context?: SecureContext) => void,
) => void;

export interface TlsServerOptions extends SecureContextOptions {
  /** Ask clients for a certificate, checked against `ca` (default: Node's bundled roots). */
  readonly requestCert?: boolean;
  /**
   * With requestCert: refuse clients without a valid certificate (default true). false: accept
   * them, with `authorized === false` and `authorizationError` on the socket.
   */
  readonly rejectUnauthorized?: boolean;
  /**
   * Chooses the certificate by SNI name, now or later (node:tls signature; answer with
   * createSecureContext({ cert, key })). An error aborts the handshake; no context uses cert/key.
   */
  readonly SNICallback?: SNICallback;
  /** Milliseconds a client may take to complete the handshake. Default 120000, as node:tls. */
  readonly handshakeTimeout?: number;
  /** Ticket keys to share with other servers; false turns tickets (resumption) off. */
  readonly ticketKeys?: TicketKeys | false;
  /** Engine options beyond node:tls' (ticketLifetime, alwaysHelloRetry, recordSizeLimit...). */
  readonly engine?: Partial<Omit<ServerOptions, 'certificates' | 'keyLog'>>;
}

/** node:tls addContext patterns: an exact name, or "*.example.com" for one more label. */
function matchesPattern(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  if (!p.startsWith('*.')) return p === n;
  const dot = n.indexOf('.');
  return dot > 0 && n.slice(dot + 1) === p.slice(2);
}

/**
 * The server's certificate choice, as node:tls makes it: SNICallback when given, else the
 * addContext entries (latest first), else the default cert/key.
 */
class NodeServerCertificates extends ServerCertificates {
  readonly contexts: { pattern: string; context: SecureContext }[] = [];

  constructor(
    private readonly callback: SNICallback | undefined,
    private readonly fallback: readonly Certificate[] | null,
  ) {
    super();
  }

  override getCertificateChainForServerName(
    serverName: string | null,
    deliver: CertificateChainCallback,
  ): void {
    if (serverName === null) {
      deliver(this.fallback);
    } else if (this.callback) {
      this.callback(serverName, (error, context) =>
        deliver(error ? null : (context?.chain ?? this.fallback)),
      );
    } else {
      const match = [...this.contexts].reverse().find((c) => matchesPattern(c.pattern, serverName));
      deliver(match?.context.chain ?? this.fallback);
    }
  }
}

export class Server extends net.Server {
  /** The engine options of one connection; `socket` receives its key log lines. */
  private readonly engineOptions: (socket?: TLSSocket) => ServerOptions;
  /** The engine of every connection while nobody listens for 'keylog' (which needs one per socket). */
  private readonly sharedTls: ServerTLS;
  private readonly handshakeTimeout: number;
  private readonly certificates: NodeServerCertificates;

  private readonly allowHalfOpen: boolean;

  constructor(options: TlsServerOptions, onSecureConnection?: (socket: TLSSocket) => void) {
    // The transport stays writable after the client's TCP FIN: our answer and close_notify may follow.
    super({ allowHalfOpen: true });
    this.allowHalfOpen = options.allowHalfOpen ?? false;
    const chain = chainFrom(options);
    if (!chain && !options.SNICallback)
      throw new TLSUsageError('a server needs cert and key, or an SNICallback');
    const certificates = new NodeServerCertificates(
      options.SNICallback,
      chain ? new ServerCertificateChain(chain).chain : null,
    );
    this.certificates = certificates;
    const clientAuth = !options.requestCert
      ? 'none'
      : options.rejectUnauthorized === false
        ? 'request'
        : 'require';
    const clientTrustRoot =
      clientAuth === 'none' ? undefined : (trustStoreFrom(options.ca) ?? TrustStore.system());
    const common = commonOptionsFrom(options);
    const ticketKeys =
      options.ticketKeys ?? new TicketKeys(common.provider ? { provider: common.provider } : {});
    // One TLS 1.2 session cache for the server, as one ticket key set: shared by the per-socket engines too.
    const sessionCache = new MemoryServerSessionCache();
    this.handshakeTimeout = options.handshakeTimeout ?? 120_000;
    this.engineOptions = (socket) => ({
      ...common,
      sessionCache,
      ...options.engine,
      certificates,
      clientAuth,
      rejectUnauthorized: clientAuth !== 'request',
      ...(clientTrustRoot ? { clientTrustRoot } : {}),
      ticketKeys,
      ...(socket ? { keyLog: (line: string) => this.emit('keylog', Buffer.from(`${line}\n`), socket) } : {}),
    });
    // Bad options fail here, not on the first connection.
    this.sharedTls = new ServerTLS(this.engineOptions());
    if (onSecureConnection) this.on('secureConnection', onSecureConnection);
    this.on('connection', (raw: net.Socket) => this.accept(raw));
  }

  /** node:tls addContext: the chain for SNI names matching `hostname` ("*.example.com" allowed). */
  addContext(
    hostname: string,
    context: SecureContext | Pick<SecureContextOptions, 'cert' | 'key' | 'passphrase'>,
  ): void {
    this.certificates.contexts.push({
      pattern: hostname,
      context: 'chain' in context ? context : createSecureContext(context),
    });
  }

  private accept(raw: net.Socket): void {
    let socket: TLSSocket;
    try {
      socket = new TLSSocket(raw, {
        isServer: true,
        // A ServerTLS per socket only to route its key log lines to 'keylog' (node:tls logs only then too).
        tls: (self) =>
          this.listenerCount('keylog') > 0 ? new ServerTLS(this.engineOptions(self)) : this.sharedTls,
        handshakeTimeout: this.handshakeTimeout,
        allowHalfOpen: this.allowHalfOpen,
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

/** node:tls.createServer: 'secureConnection' (TLSSocket), 'tlsClientError' (error, socket), 'keylog' (line, socket). */
export function createServer(
  options: TlsServerOptions,
  onSecureConnection?: (socket: TLSSocket) => void,
): Server {
  return new Server(options, onSecureConnection);
}
