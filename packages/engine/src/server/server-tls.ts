// The design's ServerTLS: configuration shared by the server connections it starts.
import type { Certificate, ServerCertificates, TrustStore } from '@tls-kit/certs';
import { type DhParameters, dhParametersFromDer } from '@tls-kit/crypto';
import { type CommonOptions, oneOf, type ResolvedConfig, resolveConfig } from '../config.js';
import { Connection } from '../connection.js';
import { ConnectionCore, type ConnectionEvents, type WireClose, type WriteToWire } from '../core.js';
import { TLSUsageError } from '../errors.js';
import type { PskCallback } from '../external-psk.js';
import type { OcspResponder } from '../handshake/ocsp.js';
import type { VerifyCallback } from '../verify-callback.js';
import type { AlpnCallback } from './alpn.js';
import { startServer12 } from './handshake12.js';
import { startServer13 } from './handshake13.js';
import { MemoryServerSessionCache, type ServerSessionCache } from './session-cache.js';
import { authorityNames, ffdheGroups12, type ServerSettings } from './settings.js';
import { TicketKeys } from './ticket-keys.js';

/** Bytes of rejected 0-RTT records a server skips (RFC 8446 §4.2.10), as BoringSSL's kMaxEarlyDataSkipped. */
export const MAX_SKIPPED_EARLY_DATA = 16384;

export interface ServerOptions extends CommonOptions {
  /**
   * The design's `certificates`: ServerCertificateChain, SNIServerCertificates or your own. A list is
   * tried in order until a chain's key can sign one of the client's signature_algorithms, e.g.
   * `[ecdsaCertificates, rsaCertificates]` (TLS 1.2 also needs a suite the client offers for the key).
   */
  readonly certificates: ServerCertificates | readonly ServerCertificates[];
  /** The design's `dh_params` (DER) for TLS 1.2 DHE suites; unused by TLS 1.3 (RFC 7919 groups). */
  readonly dhParams?: Uint8Array;
  /**
   * TLS 1.2 sessions by session ID (the design's CHECK_SESSION_CACHE). Default: an in-memory LRU
   * cache per ServerTLS; `false` turns session-ID resumption off (tickets follow `ticketKeys`).
   */
  readonly sessionCache?: ServerSessionCache | false;
  /** Ask for a client certificate ('request') or insist on one ('require'). Default 'none'. */
  readonly clientAuth?: 'none' | 'request' | 'require';
  /** Roots client certificates must chain to; required when clientAuth is not 'none'. */
  readonly clientTrustRoot?: TrustStore;
  /**
   * Roots for client certificates that depend on the chain we serve (e.g. per SNI name, as
   * node:tls' SNI contexts with their own `ca`): asked once the chain is chosen; undefined keeps
   * clientTrustRoot. Its roots are also the certificate_authorities we send.
   */
  readonly clientTrustRootFor?: (chain: readonly Certificate[]) => TrustStore | undefined;
  /**
   * Session ticket keys (rotating). Default: fresh keys per ServerTLS; `false` turns tickets off.
   * Share one TicketKeys between ServerTLS instances (or processes, by persisting) as you need.
   */
  readonly ticketKeys?: TicketKeys | false;
  /** NewSessionTicket messages per full handshake. Default 1. */
  readonly ticketCount?: number;
  /** Ticket lifetime in seconds (at most 7 days, RFC 8446 §4.6.1). Default 2 hours. */
  readonly ticketLifetime?: number;
  /**
   * Choose the cipher suite by the client's order of preference, not ours (node:tls'
   * `honorCipherOrder: false`). Default false: our `cipherSuites` order decides.
   */
  readonly preferClientCipherOrder?: boolean;
  /** Always answer the first ClientHello with a HelloRetryRequest carrying a cookie. Default false. */
  readonly alwaysHelloRetry?: boolean;
  /**
   * OCSP stapling (RFC 6066 §8; TLS 1.3: RFC 8446 §4.4.2.1): the DER OCSPResponse for the chain
   * we are about to send (leaf first), or undefined for none. Called only when the client asked
   * (status_request) in a full handshake. One callback serves every ServerCertificates source,
   * SNI included; keep your responses fresh outside it (it must answer at once).
   */
  readonly ocspResponse?: OcspResponder;
  /**
   * TLS 1.3 external PSKs (RFC 8446 §4.2.11, RFC 9257), in the spirit of node:tls' pskCallback:
   * the key (16 bytes or more) and hash for a client's PSK identity, or undefined for one we do
   * not know. The client's identities are tried in order; a key whose hash is not the chosen
   * suite's is skipped; a binder that does not verify is decrypt_error. Accepted: no certificate
   * is sent or requested, `Connection.pskIdentity` is set and no ticket is issued. Called
   * synchronously during the ClientHello; an invalid answer fails it with internal_error.
   */
  readonly pskCallback?: PskCallback;
  /**
   * Chooses the ALPN protocol among the client's (in its order), as node:tls' ALPNCallback;
   * undefined refuses with no_application_protocol. Replaces `alpnProtocols` on this side.
   */
  readonly alpnCallback?: AlpnCallback;
}

/** The design's dh_params (PKCS#3 DER, as `openssl dhparam -outform DER` writes). */
function parseDhParams(der: Uint8Array): DhParameters {
  try {
    return dhParametersFromDer(der);
  } catch (error) {
    throw new TLSUsageError(`dhParams is not PKCS#3 DHParameter DER: ${(error as Error).message}`);
  }
}

function certificateSources(certificates: ServerOptions['certificates']) {
  const list = Array.isArray(certificates) ? certificates : [certificates as ServerCertificates];
  const [first, ...more] = list;
  if (!first) throw new TLSUsageError('certificates must not be empty');
  return { certificates: first, moreCertificates: more };
}

export class ServerTLS {
  private readonly config: ResolvedConfig;
  private readonly settings: Omit<ServerSettings, 'verifyCallback'>;

  constructor(options: ServerOptions) {
    this.config = resolveConfig(options, 'server');
    const clientAuth = oneOf(
      options.clientAuth ?? 'none',
      ['none', 'request', 'require'] as const,
      'clientAuth',
    );
    if (clientAuth !== 'none' && !options.clientTrustRoot) {
      throw new TLSUsageError('clientAuth needs clientTrustRoot to validate client certificates');
    }
    const lifetime = options.ticketLifetime ?? 7200;
    if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 604800) {
      throw new TLSUsageError('ticketLifetime must be 1..604800 seconds');
    }
    if (options.ocspResponse !== undefined && typeof options.ocspResponse !== 'function')
      throw new TLSUsageError('ocspResponse must be a function');
    if (options.pskCallback !== undefined && typeof options.pskCallback !== 'function')
      throw new TLSUsageError('pskCallback must be a function');
    if (options.clientTrustRootFor !== undefined && typeof options.clientTrustRootFor !== 'function')
      throw new TLSUsageError('clientTrustRootFor must be a function');
    if (options.alpnCallback !== undefined && typeof options.alpnCallback !== 'function')
      throw new TLSUsageError('alpnCallback must be a function');
    const ticketCount = options.ticketCount ?? 1;
    if (!Number.isInteger(ticketCount) || ticketCount < 0 || ticketCount > 16) {
      throw new TLSUsageError('ticketCount must be an integer in 0..16');
    }
    this.settings = {
      ...certificateSources(options.certificates),
      clientAuth,
      clientTrustStore: options.clientTrustRoot,
      certificateAuthorities: authorityNames(options.clientTrustRoot),
      clientTrustRootFor: options.clientTrustRootFor,
      ticketKeys:
        options.ticketKeys === false
          ? undefined
          : (options.ticketKeys ??
            new TicketKeys({ provider: this.config.provider, clock: this.config.clock })),
      pskCallback: options.pskCallback,
      alpnCallback: options.alpnCallback,
      ticketCount,
      ticketLifetimeSeconds: lifetime,
      preferClientCipherOrder: options.preferClientCipherOrder ?? false,
      forceHelloRetry: options.alwaysHelloRetry ?? false,
      ocspResponse: options.ocspResponse,
      maxSkippedEarlyData: MAX_SKIPPED_EARLY_DATA,
      tls12: this.config.versions.includes('TLSv1.2')
        ? {
            dhParams: options.dhParams ? parseDhParams(options.dhParams) : undefined,
            ffdheGroups: ffdheGroups12(options.groups).filter((g) => this.config.provider.supportsGroup(g)),
            sessionCache:
              options.sessionCache === false
                ? undefined
                : (options.sessionCache ?? new MemoryServerSessionCache()),
          }
        : undefined,
    };
  }

  /** Starts a connection that waits for a ClientHello. See ClientTLS.start for the arguments. */
  start(
    writeToWire: WriteToWire,
    wireClose: WireClose,
    verifyCallback?: VerifyCallback,
    events: ConnectionEvents = {},
  ): Connection {
    let connection: Connection | undefined;
    const core = new ConnectionCore(this.config, 'server', writeToWire, wireClose, events, (c) => {
      connection = new Connection(c);
      const settings = {
        ...this.settings,
        verifyCallback,
      };
      // TLS 1.2 alone starts in the design's IDLE (server/handshake12.ts).
      return this.config.versions.includes('TLSv1.3')
        ? startServer13(c, settings)
        : startServer12(c, settings);
    });
    return connection ?? new Connection(core);
  }
}
