// tls-kit's sans-IO engine on net sockets (the benchmark's own glue, so what is measured is the
// engine and not the Node adapter), with the node:crypto or the @noble provider, and the same
// engine wired to itself in memory for the record-layer figures.
import net from 'node:net';
import { Certificate, loadCertificateChainPem, ServerCertificateChain, TrustStore } from '@tls-kit/certs';
import { type CryptoProvider, type NamedGroupName, nobleProvider } from '@tls-kit/crypto';
import { concat } from '@tls-kit/crypto/bytes';
import { nodeProvider } from '@tls-kit/crypto/node';
import {
  type ClientOptions,
  type ClientSession12,
  type ClientSession12Cache,
  type ClientSessionCache,
  ClientTLS,
  type Connection,
  type ConnectionEvents,
  MemoryClientSession12Cache,
  MemorySessionCache,
  type ServerOptions,
  ServerTLS,
  type StoredTicket,
} from '@tls-kit/engine';
import { SERVER_NAME } from './pki.js';
import { oneLine } from './rounds.js';
import {
  type Client,
  type Deferred,
  deferred,
  drainOf,
  type Listener,
  listenOnLoopback,
  type Params,
  type Side,
  SideQueue,
  type Stack,
  type StackId,
  TLS13_SUITE,
} from './stack.js';

const SUITES_12 = {
  'aes-128-gcm': 'AES_128_GCM_SHA256',
  'aes-256-gcm': 'AES_256_GCM_SHA384',
  'chacha20-poly1305': 'CHACHA20_POLY1305_SHA256',
} as const;

/** The one suite a case negotiates, in tls-kit's (IANA) spelling. */
export function suiteName(params: Params): string {
  if (params.version === 'TLSv1.3') return TLS13_SUITE[params.aead];
  return `TLS_ECDHE_${params.key === 'rsa' ? 'RSA' : 'ECDSA'}_WITH_${SUITES_12[params.aead]}`;
}

/**
 * X25519 for the key exchange, as every stack does (the default would add an ML-KEM share). TLS
 * 1.2 also lists P-256: an ECDSA certificate's curve must be a supported group (RFC 8422 §5.1),
 * which OpenSSL enforces. In TLS 1.3 a second group would cost tls-kit's client a second share.
 */
function groupsFor(params: Params): NamedGroupName[] {
  return params.version === 'TLSv1.2' ? ['x25519', 'secp256r1'] : ['x25519'];
}

function common(params: Params, provider: CryptoProvider) {
  return {
    provider,
    versions: [params.version],
    cipherSuites: [suiteName(params)],
    groups: groupsFor(params),
  };
}

export function serverOptions(params: Params, provider: CryptoProvider): ServerOptions {
  const pem = params.pki[params.key];
  const chain = loadCertificateChainPem(pem.chain, { provider, key: pem.key });
  return { ...common(params, provider), certificates: new ServerCertificateChain(chain) };
}

export function clientOptions(
  params: Params,
  provider: CryptoProvider,
  caches?: SignalingCaches,
): ClientOptions {
  return {
    ...common(params, provider),
    serverHostname: SERVER_NAME,
    trustRoot: new TrustStore(Certificate.fromPem(params.pki[params.key].root)),
    ...(caches
      ? { sessionCache: caches.sessionCache, sessionCache12: caches.sessionCache12 }
      : { sessionCache: false }),
  };
}

/** Client session caches (TLS 1.3 tickets, TLS 1.2 sessions) that tell the harness when one arrived. */
class SignalingCaches {
  onPut: (() => void) | undefined;
  private readonly tickets13 = new MemorySessionCache();
  private readonly sessions12 = new MemoryClientSession12Cache();

  readonly sessionCache: ClientSessionCache = {
    put: (name: string, ticket: StoredTicket) => {
      this.tickets13.put(name, ticket);
      this.onPut?.();
    },
    take: (name: string) => this.tickets13.take(name),
  };

  readonly sessionCache12: ClientSession12Cache = {
    get: (name: string) => this.sessions12.get(name),
    put: (name: string, session: ClientSession12) => {
      this.sessions12.put(name, session);
      this.onPut?.();
    },
    remove: (name: string, session: ClientSession12) => this.sessions12.remove(name, session),
  };
}

type Start = (
  write: (d: Uint8Array) => void,
  close: (immediate: boolean) => void,
  events: ConnectionEvents,
) => Connection;

const READY = Promise.resolve();

/**
 * Wires a socket to a Connection and is, once the handshake completed, the application's Side:
 * one object per connection, its methods and the facts the Connection knows on the prototype.
 * It is also the Connection's events object. Its `onError` is the Side's; the engine would give
 * it only errors of asynchronous certificate callbacks, which this benchmark does not use and
 * which run before the Side is handed out (and onError set). `established` gets the Side when the
 * handshake completes, `failed` any error before it (the ticket is rejected too); both are let go
 * then (a client's are its connect promise's resolvers). Only what an event API needs as a
 * function is bound.
 */
class TlsKitSide implements Side {
  onData: ((length: number) => void) | undefined = undefined;
  onError: ((error: unknown) => void) | undefined = undefined;
  private readonly connection: Connection | undefined;

  constructor(
    private readonly socket: net.Socket,
    start: Start,
    private readonly ticket: Deferred | undefined,
    private established: ((side: Side) => void) | undefined,
    private failed: ((error: unknown) => void) | undefined,
  ) {
    socket.setNoDelay(true);
    try {
      this.connection = start(this.write.bind(this), this.close.bind(this), this);
    } catch (error) {
      this.fail(error);
      return;
    }
    socket.on('data', this.fromWire.bind(this));
    socket.on('error', this.report.bind(this));
  }

  get protocol(): string {
    return this.connection?.tlsVersion ?? '?';
  }

  get cipher(): string {
    return this.connection?.cipherSuite ?? '?';
  }

  get resumed(): boolean {
    return this.connection?.resumed ?? false;
  }

  get sessionReady(): Promise<void> {
    return this.ticket?.promise ?? READY;
  }

  send(data: Buffer): boolean {
    this.connection!.dataFromApplication(data);
    return !this.socket.writableNeedDrain;
  }

  drained(): Promise<void> {
    return drainOf(this.socket);
  }

  destroy(): void {
    this.socket.destroy();
  }

  onHandshakeComplete(): void {
    // Runs inside start() or dataFromWire, so the Connection is this.connection once start returned.
    const established = this.established!;
    this.established = undefined;
    this.failed = undefined;
    // A TLS 1.2 session stays in the cache and serves again; a TLS 1.3 ticket is used once.
    if (this.resumed && this.protocol === 'TLSv1.2') this.ticket?.resolve();
    // The handshake may complete inside start() (never for TLS) or inside dataFromWire.
    queueMicrotask(() => established(this));
  }

  onApplicationData(d: Uint8Array): void {
    if (d.length > 0) this.onData?.(d.length);
  }

  private write(d: Uint8Array): void {
    this.socket.write(d);
  }

  private close(immediate: boolean): void {
    if (immediate) this.socket.destroy();
    else this.socket.end();
  }

  private fromWire(buf: Buffer): void {
    try {
      this.onApplicationData(this.connection!.dataFromWire(buf));
    } catch (error) {
      this.fail(error);
    }
  }

  /** After the handshake (established let go) errors go to the Side's onError. */
  private report(error: unknown): void {
    if (this.established === undefined) this.onError?.(error);
    else {
      this.ticket?.reject(error);
      this.failed?.(error);
    }
  }

  private fail(error: unknown): void {
    this.socket.destroy();
    this.report(error);
  }
}

export function tlsKitStack(id: StackId, label: string, provider: CryptoProvider): Stack {
  return {
    id,
    label,
    async listen(params): Promise<Listener> {
      const tls = new ServerTLS(serverOptions(params, provider));
      const queue = new SideQueue();
      // Shared by every connection: the glue keeps references, not per-connection closures.
      const start: Start = (w, c, e) => tls.start(w, c, undefined, e);
      const established = (side: Side) => queue.push(side);
      const failed = (error: unknown) => queue.fail(error);
      const server = net.createServer(
        (socket) => new TlsKitSide(socket, start, undefined, established, failed),
      );
      return listenOnLoopback(server, queue);
    },
    client(params): Client {
      const caches = params.resume ? new SignalingCaches() : undefined;
      const tls = new ClientTLS(clientOptions(params, provider, caches));
      const start: Start = (w, c, e) => tls.start(w, c, undefined, e);
      return {
        connect(port) {
          return new Promise<Side>((resolve, reject) => {
            // Only a resuming case waits for a session; the others' sessionReady is already settled.
            const ticket = caches ? deferred() : undefined;
            if (caches && ticket) caches.onPut = ticket.resolve;
            const socket = net.connect(port, '127.0.0.1');
            socket.once('error', reject);
            socket.once('connect', () => {
              // From here on the glue reports errors (as node-stack's client hands over at secureConnect).
              socket.off('error', reject);
              new TlsKitSide(socket, start, ticket, resolve, reject);
            });
          });
        },
      };
    },
  };
}

export const tlsKitNode = tlsKitStack('tlskit-node', 'tls-kit (node:crypto)', nodeProvider);
export const tlsKitNoble = tlsKitStack('tlskit-noble', 'tls-kit (@noble)', nobleProvider);

/** A client and a server Connection joined in memory; `pump` moves bytes until both are idle. */
export interface MemoryPair {
  readonly client: Connection;
  readonly server: Connection;
  /** Bytes the client wrote that the server has not read yet, taken from the pair, one buffer per write. */
  takeToServer(): Uint8Array[];
  pump(): void;
}

/**
 * Starts a connection of `client` against one of `server`, joined in memory. With `gather`, the
 * client writes through `writeToWireParts` (as a driver with gather writes does) and the "wire"
 * joins each write's pieces when they are taken, as the kernel would: outside the client's calls.
 */
export function joinInMemory(clientTls: ClientTLS, serverTls: ServerTLS, gather = false): MemoryPair {
  const toServer: (Uint8Array | readonly Uint8Array[])[] = [];
  const toClient: Uint8Array[] = [];
  const ignoreClose = () => {};
  const server = serverTls.start((d) => toClient.push(d), ignoreClose);
  const client = clientTls.start(
    (d) => toServer.push(d),
    ignoreClose,
    undefined,
    gather ? { writeToWireParts: (pieces) => toServer.push(pieces) } : undefined,
  );
  const takeToServer = () =>
    toServer.splice(0).map((write) => (write instanceof Uint8Array ? write : concat(write)));
  const move = (pending: Uint8Array[], to: Connection) => {
    for (const bytes of pending) to.dataFromWire(bytes);
    return pending.length > 0;
  };
  return {
    client,
    server,
    takeToServer,
    pump() {
      for (let i = 0; i < 100; i++) {
        const moved = move(takeToServer(), server) || move(toClient.splice(0), client);
        if (!moved) return;
      }
      throw new Error('the in-memory handshake did not settle');
    },
  };
}

export function memoryPair(params: Params, provider: CryptoProvider, gather = false): MemoryPair {
  return joinInMemory(
    new ClientTLS(clientOptions(params, provider)),
    new ServerTLS(serverOptions(params, provider)),
    gather,
  );
}

/**
 * Whether the engine negotiates `params` (and, with `resume`, resumes it on a second
 * connection), tried in memory with node:crypto; undefined when it does, else why not.
 */
export function probe(params: Params): string | undefined {
  try {
    const caches = params.resume ? new SignalingCaches() : undefined;
    const client = new ClientTLS(clientOptions(params, nodeProvider, caches));
    const server = new ServerTLS(serverOptions(params, nodeProvider));
    for (let i = 0; i < (params.resume ? 2 : 1); i++) {
      const pair = joinInMemory(client, server);
      pair.pump();
      if (!pair.client.handshakeComplete || !pair.server.handshakeComplete)
        return 'the handshake did not complete';
      if (pair.client.tlsVersion !== params.version) return `negotiated ${pair.client.tlsVersion}`;
      if (i === 1 && !pair.client.resumed) return 'the second connection did not resume';
    }
    return undefined;
  } catch (error) {
    return oneLine(error);
  }
}
