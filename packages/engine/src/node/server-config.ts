// The server side of a TLSSocket from node:tls options, shared by tls.Server and
// `new TLSSocket(socket, { isServer: true, ... })`: the certificate choice (SNICallback, the
// addContext entries, the default chain), client certificates, tickets, the TLS 1.2 session cache
// and the key log.

import { randomBytes } from 'node:crypto';
import {
  type Certificate,
  type CertificateChainCallback,
  ServerCertificateChain,
  ServerCertificates,
  TrustStore,
  verifyChain,
} from '@tls-kit/certs';
import type { CryptoProvider } from '@tls-kit/crypto';
import type { OcspResponder } from '../handshake/ocsp.js';
import { type ServerOptions, ServerTLS } from '../server/server-tls.js';
import { MemoryServerSessionCache, type ServerSessionCache } from '../server/session-cache.js';
import { TicketKeys } from '../server/ticket-keys.js';
import { invalidArgType, invalidArgValue, nodeError } from './errors.js';
import { fileKeyLog, keyLogSink } from './keylog.js';
import {
  chainsFrom,
  commonOptionsFrom,
  type SecureContext,
  type SecureContextOptions,
  trustStoreFrom,
} from './options.js';

export type SNICallback = (
  servername: string,
  callback: (error: Error | null, context?: SecureContext) => void,
) => void;

/**
 * node:tls' server pskCallback: the key (Buffer) for a client's identity, or null; TLS 1.3
 * external PSKs (RFC 8446 §4.2.11). `Socket` is the TLSSocket of the connection.
 */
export type ServerPskCallback<Socket> = (socket: Socket, identity: string) => Uint8Array | null | undefined;

/** `Socket`: the TLSSocket type handed to the callbacks (tls-socket.ts supplies it). */
export interface ServerSocketOptions<Socket> extends SecureContextOptions {
  /** Ask clients for a certificate, checked against `ca` (default: Node's bundled roots). */
  readonly requestCert?: boolean;
  /**
   * With requestCert: refuse clients without a valid certificate (default true). As in node:tls,
   * a client without one gets certificate_required; one whose chain does not verify completes the
   * handshake and is then dropped. false: accept them, with `authorized === false`.
   */
  readonly rejectUnauthorized?: boolean;
  /**
   * Chooses the certificate by SNI name, now or later (node:tls signature; answer with
   * createSecureContext({ cert, key })). An error aborts the handshake; no context uses cert/key.
   */
  readonly SNICallback?: SNICallback;
  /**
   * Ticket keys to share with other servers: a TicketKeys, or node's 48 bytes (TicketKeys.fromBytes:
   * our servers given the same bytes resume each other's tickets); false turns tickets off.
   */
  readonly ticketKeys?: TicketKeys | Uint8Array | false;
  /**
   * TLS 1.2 sessions by session ID, shared by all connections of this server. Default: a
   * MemoryServerSessionCache (1024 sessions, least recently used out); false turns it off.
   */
  readonly sessionCache?: ServerSessionCache | false;
  /**
   * node:tls' sessionTimeout: seconds a session (ticket or session ID) stays resumable, 1..604800.
   * Default the engine's ticketLifetime (7200).
   */
  readonly sessionTimeout?: number;
  /**
   * Choose the cipher suite by our `ciphers` order (true) or by the client's (false). Default as
   * node:tls: true for a tls.Server, false for `new TLSSocket(socket, { isServer: true })`.
   */
  readonly honorCipherOrder?: boolean;
  /** Certificates are then not needed (see ServerPskCallback). */
  readonly pskCallback?: ServerPskCallback<Socket>;
  /**
   * node:tls' ALPNCallback: `({ servername, protocols })` -> the protocol to use, or undefined to
   * refuse (no_application_protocol). Not together with ALPNProtocols (ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS).
   */
  readonly ALPNCallback?: (info: {
    servername: string | undefined;
    protocols: string[];
  }) => string | undefined;
  /** node:tls' hint for TLS 1.2 PSK suites, which are not implemented; unused in TLS 1.3 (as node). */
  readonly pskIdentityHint?: string;
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

type Chain = readonly Certificate[];

/** The `index`-th chain of a choice (its last when it has fewer): one engine certificate source. */
class NthChain extends ServerCertificates {
  constructor(
    private readonly choose: (name: string | null, deliver: (chains: readonly Chain[]) => void) => void,
    private readonly index: number,
  ) {
    super();
  }

  override getCertificateChainForServerName(name: string | null, deliver: CertificateChainCallback): void {
    this.choose(name, (chains) => deliver(chains[Math.min(this.index, chains.length - 1)] ?? null));
  }
}

/**
 * The server's certificate choice, as node:tls makes it: SNICallback when given, else the
 * addContext entries (latest first), else the default cert/key. With several keys (node's `key`
 * and `cert` lists) `sources` lets the engine try each in turn until one can sign a scheme the
 * client offered.
 */
export class NodeServerCertificates {
  readonly contexts: { pattern: string; context: SecureContext }[] = [];
  /** The roots for client certificates of each context's leaf we served (see clientTrustFor). */
  private readonly clientTrust = new WeakMap<Certificate, TrustStore>();
  /** The engine's certificate sources: the first, second... chain of the choice. */
  readonly sources: readonly ServerCertificates[];

  constructor(
    private readonly callback: SNICallback | undefined,
    /** A chain per key of the default cert/key; server.setSecureContext() replaces them. */
    public fallback: readonly Chain[],
  ) {
    this.sources = Array.from(
      { length: Math.max(1, fallback.length) },
      (_, index) => new NthChain((name, deliver) => this.choose(name, deliver), index),
    );
  }

  private choose(serverName: string | null, deliver: (chains: readonly Chain[]) => void): void {
    if (serverName === null) {
      deliver(this.fallback);
    } else if (this.callback) {
      this.callback(serverName, (error, context) => deliver(error ? [] : this.chainsOf(context)));
    } else {
      const match = [...this.contexts].reverse().find((c) => matchesPattern(c.pattern, serverName));
      deliver(this.chainsOf(match?.context));
    }
  }

  /**
   * The chains of an SNI context, whose roots judge client certificates from then on, as OpenSSL's
   * switch to the context's SSL_CTX does: its `ca`, else node's default roots.
   */
  private chainsOf(context: SecureContext | undefined): readonly Chain[] {
    if (!context?.chain) return this.fallback;
    for (const chain of context.chains)
      if (!this.clientTrust.has(chain[0]!))
        this.clientTrust.set(chain[0]!, context.ca ?? defaultTrustStore());
    return context.chains;
  }

  /** The engine's clientTrustRootFor: an SNI context's roots; undefined for the server's own chain. */
  clientTrustFor(chain: Chain): TrustStore | undefined {
    return chain[0] ? this.clientTrust.get(chain[0]) : undefined;
  }
}

/** node's default roots: its bundled ones (and NODE_EXTRA_CA_CERTS), else the system's. */
function defaultTrustStore(): TrustStore {
  return trustStoreFrom(undefined) ?? TrustStore.system();
}

/**
 * Our chain, completed from `ca` as OpenSSL's automatic chain building does when `cert` holds
 * only part of it (leaf first, the anchor last); as given when `ca` does not complete it.
 */
function completedChain(chain: Certificate[], ca: TrustStore | undefined): readonly Certificate[] {
  const assembled = new ServerCertificateChain(chain).chain;
  if (!ca) return assembled;
  const [leaf, ...intermediates] = assembled;
  // Path building only: the profile that accepts what OpenSSL's chain building would.
  const result = verifyChain({ leaf: leaf!, intermediates, trustStore: ca, profile: 'rfc5280' });
  return result.ok && result.chain.length > assembled.length ? result.chain : assembled;
}

/** node:tls' ticket keys: 48 bytes (a Buffer or any Uint8Array), checked as node checks them. */
export function ticketKeyBytes(name: string, given: unknown): Uint8Array {
  if (!(given instanceof Uint8Array)) throw invalidArgType(name, 'an instance of Buffer', given);
  if (given.length !== 48) throw invalidArgValue(name, given, 'must be exactly 48 bytes');
  return given;
}

/**
 * node:tls' ticketKeys (48 bytes) or ours; when none are given, 48 random bytes for this server's
 * life, as node's (getTicketKeys() returns them).
 */
function ticketKeysFrom(
  given: ServerSocketOptions<unknown>['ticketKeys'],
  provider: CryptoProvider | undefined,
): TicketKeys | false {
  const options = provider ? { provider } : {};
  if (given === false || given instanceof TicketKeys) return given;
  const bytes = given === undefined ? randomBytes(48) : ticketKeyBytes('options.ticketKeys', given);
  return TicketKeys.fromBytes(bytes, options);
}

/** The chains of `cert`/`key` (or `pfx`; one per key) completed from `ca`; none when none is given. */
export function defaultChains(
  options: SecureContextOptions,
  ca = options.ca === undefined ? undefined : trustStoreFrom(options.ca),
): readonly Chain[] {
  return (chainsFrom(options) ?? []).map((chain) => completedChain(chain, ca));
}

/** What every connection of one server shares; `engineOptions(socket)` makes one connection's. */
export interface ServerConfig<Socket> {
  readonly certificates: NodeServerCertificates;
  /** Shared by every connection; false when tickets are off. */
  readonly ticketKeys: TicketKeys | false;
  /** The engine of one connection; `socket` receives its key log lines. */
  tls(socket: Socket): ServerTLS;
  /** requestCert with rejectUnauthorized: a client whose chain did not verify is dropped. */
  readonly rejectUnverified: boolean;
}

export function serverConfig<Socket>(
  options: ServerSocketOptions<Socket>,
  onKeyLog: (line: Buffer, socket: Socket) => void,
  /** Whether key log lines have a listener now ('keylog' needs an engine per socket). */
  logsKeys: () => boolean = () => true,
  /** The engine's ocspResponse for the server's 'OCSPRequest' event (`engine.ocspResponse` wins). */
  ocspRequest?: OcspResponder,
): ServerConfig<Socket> {
  const ca = options.ca === undefined ? undefined : trustStoreFrom(options.ca);
  const certificates = new NodeServerCertificates(options.SNICallback, defaultChains(options, ca));
  // node:tls: a bad chain completes the handshake and is dropped after it; no certificate at all
  // is refused in it (certificate_required).
  const clientAuth = !options.requestCert
    ? 'none'
    : options.rejectUnauthorized === false
      ? 'request'
      : 'require';
  const clientTrustRoot = clientAuth === 'none' ? undefined : (ca ?? defaultTrustStore());
  const common = commonOptionsFrom(options);
  const ticketKeys = ticketKeysFrom(options.ticketKeys, common.provider);
  const sessionCache = options.sessionCache ?? new MemoryServerSessionCache();
  const psk = options.pskCallback;
  if (psk !== undefined && typeof psk !== 'function')
    throw invalidArgType('options.pskCallback', 'of type function', psk);
  // The hint goes out only with TLS 1.2 PSK suites (RFC 4279 §2), which are not implemented; TLS 1.3
  // has none (node ignores it there too), so a string is accepted and has nothing to do.
  const hint = options.pskIdentityHint;
  if (hint !== undefined && typeof hint !== 'string')
    throw invalidArgType('options.pskIdentityHint', 'of type string', hint);
  const alpn = options.ALPNCallback;
  if (alpn !== undefined && typeof alpn !== 'function')
    throw invalidArgType('options.ALPNCallback', 'of type function', alpn);
  if (alpn && options.ALPNProtocols) {
    throw nodeError(
      'ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS',
      'The ALPNCallback and ALPNProtocols TLS options are mutually exclusive',
      undefined,
      TypeError,
    );
  }
  const engineOptions = (socket?: Socket): ServerOptions => ({
    ...common,
    sessionCache,
    ...(options.sessionTimeout !== undefined ? { ticketLifetime: options.sessionTimeout } : {}),
    preferClientCipherOrder: !options.honorCipherOrder,
    ...(ocspRequest ? { ocspResponse: ocspRequest } : {}),
    ...options.engine,
    ...(alpn
      ? {
          alpnCallback: (offered: readonly string[], servername: string | undefined) =>
            alpn({ servername, protocols: [...offered] }),
        }
      : {}),
    ...(psk && socket
      ? {
          pskCallback: (identity: Uint8Array) => {
            const key = psk(socket, new TextDecoder().decode(identity));
            return key ? { key } : undefined;
          },
        }
      : {}),
    certificates: certificates.sources,
    clientAuth,
    rejectUnauthorized: false,
    ...(clientTrustRoot
      ? { clientTrustRoot, clientTrustRootFor: (chain) => certificates.clientTrustFor(chain) }
      : {}),
    ticketKeys,
    ...keyLogOption(socket),
  });
  const fileOnly = fileKeyLog();
  const keyLogOption = (socket?: Socket) =>
    socket ? { keyLog: keyLogSink((line) => onKeyLog(line, socket)) } : fileOnly ? { keyLog: fileOnly } : {};
  // Bad options fail here, not on the first connection. This engine then serves every connection
  // that needs nothing of its socket (no pskCallback, no 'keylog' listener): its options, trust
  // store and caches are resolved once, not per connection.
  const shared = new ServerTLS(engineOptions());
  return {
    certificates,
    ticketKeys,
    tls: (socket) => (psk || logsKeys() ? new ServerTLS(engineOptions(socket)) : shared),
    rejectUnverified: clientAuth === 'require',
  };
}
