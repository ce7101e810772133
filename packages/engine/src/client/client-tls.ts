// The design's ClientTLS: configuration shared by the client connections it starts.
import { type ClientCertificateStore, parseIpAddress, TrustStore } from '@tls-kit/certs';
import {
  type CheckServerIdentity,
  type CommonOptions,
  type ResolvedConfig,
  resolveConfig,
} from '../config.js';
import { Connection } from '../connection.js';
import { ConnectionCore, type ConnectionEvents, type WireClose, type WriteToWire } from '../core.js';
import { TLSUsageError } from '../errors.js';
import { type ExternalPsk, type ExternalPskOption, resolveExternalPsk } from '../external-psk.js';
import { OCSP_VERIFICATION_MODES, type OcspVerification } from '../handshake/ocsp-verification.js';
import type { VerifyCallback } from '../verify-callback.js';
import { Client12, startClient12 } from './handshake12.js';
import { startClient13 } from './handshake13.js';
import { type ClientSession12, type ClientSession12Cache, MemoryClientSession12Cache } from './session12.js';
import { type ClientSessionCache, MemorySessionCache, VerifiedTickets } from './tickets.js';

export interface ClientOptions extends CommonOptions {
  /** The server's name: sent as SNI (unless an IP address) and checked against its certificate. */
  readonly serverHostname: string | Uint8Array;
  /** Trusted roots; default TrustStore.system(). */
  readonly trustRoot?: TrustStore;
  /** Source of client certificates when the server asks for one. */
  readonly clientCertificateStore?: ClientCertificateStore;
  /**
   * TLS 1.3: offer post-handshake client authentication (post_handshake_auth, RFC 8446 §4.2.6),
   * so the server may ask for a certificate after the handshake (§4.6.2), as often as it likes.
   * Default false. Needs `clientCertificateStore`, which must answer these requests
   * synchronously (an asynchronous answer fails the connection with internal_error).
   */
  readonly postHandshakeAuth?: boolean;
  /**
   * Where tickets are kept for resumption (RFC 8446 §4.6.1). Default: an in-memory cache per
   * ClientTLS; `false` turns resumption off.
   */
  readonly sessionCache?: ClientSessionCache | false;
  /**
   * Where TLS 1.2 sessions (session IDs and RFC 5077 tickets) are kept. Default: an in-memory
   * cache per ClientTLS; off when `sessionCache` is false.
   */
  readonly sessionCache12?: ClientSession12Cache;
  /**
   * Replaces the built-in hostname check (RFC 9525) of a chain that validated otherwise, as
   * node:tls' option: return an Error to refuse. Its refusal counts as 'hostname-mismatch'.
   */
  readonly checkServerIdentity?: CheckServerIdentity;
  /**
   * TLS 1.2: abort with handshake_failure when the server does not answer renegotiation_info
   * (RFC 5746 §4.1). Default false: we never renegotiate, so the attack RFC 5746 closes (a
   * prefix spliced in by renegotiation) cannot reach us, and §4.1 lets a client go on; RFC 9325
   * §3.5 still recommends using the extension, so set it true if no legacy server must work.
   */
  readonly requireSecureRenegotiation?: boolean;
  /**
   * Ask the server to staple an OCSP response (status_request, RFC 6066 §8; TLS 1.3: RFC 8446
   * §4.4.2.1), as node:tls' requestOCSP. Default false. The response is passed through as
   * `Connection.ocspResponse`, verified only with `ocspVerification`.
   */
  readonly requestOCSP?: boolean;
  /**
   * Checking of the stapled OCSP response (RFC 6066 §8, RFC 6960) against the validated chain.
   * 'off' (default): passed through unchecked. 'verify': a stapled response must verify, be
   * current and say good (revoked: certificate_revoked; anything else:
   * bad_certificate_status_response); none stapled is accepted. 'require': as 'verify', and none
   * stapled is bad_certificate_status_response. 'verify' and 'require' imply requestOCSP. With
   * rejectUnauthorized false a failure is reported in `Connection.peerVerification` instead.
   */
  readonly ocspVerification?: OcspVerification;
  /**
   * TLS 1.3 external PSK (RFC 8446 §4.2.11, RFC 9257), offered with psk_dhe_ke only (an
   * (EC)DHE exchange keeps forward secrecy; psk_ke is not supported). Offered when no usable
   * ticket is cached (a ticket is fresh and used once; RFC 9257 §6 warns that a reused identity
   * links connections). Accepted: no certificates, `Connection.pskIdentity` set, `resumed`
   * false. Not selected by the server: a full certificate handshake, validated against
   * trustRoot as usual. Needs TLS 1.3 and a suite with the PSK's hash.
   */
  readonly psk?: ExternalPskOption;
}

export class ClientTLS {
  private readonly config: ResolvedConfig;
  private readonly hostname: string;
  private readonly trustStore: TrustStore;
  private readonly sessionCache: ClientSessionCache | undefined;
  /** Where every connection's TLS 1.3 tickets go (one receiver for all). */
  private readonly tickets: VerifiedTickets | undefined;
  private readonly sessionCache12: ClientSession12Cache | undefined;
  private readonly externalPsk: ExternalPsk | undefined;

  constructor(private readonly options: ClientOptions) {
    this.config = resolveConfig(options, 'client', options.checkServerIdentity);
    const name = options.serverHostname;
    this.hostname = (typeof name === 'string' ? name : new TextDecoder().decode(name)).toLowerCase();
    if (this.hostname.length === 0) throw new TLSUsageError('serverHostname must not be empty');
    for (const flag of ['requireSecureRenegotiation', 'requestOCSP', 'postHandshakeAuth'] as const) {
      const value = options[flag];
      if (value !== undefined && typeof value !== 'boolean')
        throw new TLSUsageError(`${flag} must be a boolean`);
    }
    const ocsp = options.ocspVerification;
    if (ocsp !== undefined && !OCSP_VERIFICATION_MODES.includes(ocsp))
      throw new TLSUsageError(`ocspVerification must be one of ${OCSP_VERIFICATION_MODES.join(', ')}`);
    if (ocsp !== undefined && ocsp !== 'off' && options.requestOCSP === false)
      throw new TLSUsageError(
        `ocspVerification '${ocsp}' needs requestOCSP (it implies it; false contradicts it)`,
      );
    if (options.postHandshakeAuth && !options.clientCertificateStore)
      throw new TLSUsageError('postHandshakeAuth needs a clientCertificateStore');
    if (options.psk !== undefined) {
      this.externalPsk = resolveExternalPsk(options.psk);
      const hash = this.externalPsk.hash;
      if (!this.config.versions.includes('TLSv1.3'))
        throw new TLSUsageError('psk (an external PSK) needs TLS 1.3');
      if (!this.config.suites.some((s) => s.hash === hash))
        throw new TLSUsageError(`psk.hash ${hash}: no enabled TLS 1.3 cipher suite uses it`);
    }
    this.trustStore = options.trustRoot ?? TrustStore.system();
    this.sessionCache =
      options.sessionCache === false ? undefined : (options.sessionCache ?? new MemorySessionCache());
    this.tickets = this.sessionCache && new VerifiedTickets(this.sessionCache, this.hostname);
    this.sessionCache12 =
      options.sessionCache === false
        ? undefined
        : (options.sessionCache12 ?? new MemoryClientSession12Cache());
  }

  /**
   * Starts a connection: writes the ClientHello through `writeToWire` before returning.
   * `verifyCallback(chain, connection)` runs after the built-in validation; its exceptions
   * invalidate the connection. `events` receives asynchronous results (see ConnectionEvents).
   */
  start(
    writeToWire: WriteToWire,
    wireClose: WireClose,
    verifyCallback?: VerifyCallback,
    events: ConnectionEvents = {},
  ): Connection {
    const isIp = parseIpAddress(this.hostname) !== undefined;
    const cache = this.sessionCache;
    const hostname = this.hostname;
    let connection: Connection | undefined;
    const core = new ConnectionCore(this.config, 'client', writeToWire, wireClose, events, (c) => {
      connection = new Connection(c);
      const common = {
        hostname,
        sni: isIp ? undefined : hostname.replace(/\.$/, ''),
        trustStore: this.trustStore,
        clientCertificateStore: this.options.clientCertificateStore,
        ocspVerification: this.options.ocspVerification ?? 'off',
        requestOCSP:
          (this.options.requestOCSP ?? false) || (this.options.ocspVerification ?? 'off') !== 'off',
        verifyCallback,
      };
      // TLS 1.2: offered beside 1.3 in one ClientHello, or alone.
      const versions = this.config.versions;
      // Sessions of a handshake whose chain did not verify (rejectUnauthorized: false) are not
      // kept: a resumption would skip the certificate and hide the failure.
      const verified = () => c.facts.peerVerification?.ok !== false;
      const sessions12 = this.sessionCache12;
      const settings12 = {
        ...common,
        requireSecureRenegotiation: this.options.requireSecureRenegotiation ?? false,
        sessions: sessions12 && {
          get: (name: string) => sessions12.get(name),
          put: (name: string, session: ClientSession12) => {
            if (verified()) sessions12.put(name, session);
          },
          remove: (name: string, session: ClientSession12) => sessions12.remove(name, session),
        },
      };
      if (!versions.includes('TLSv1.3')) return startClient12(c, settings12);
      return startClient13(c, {
        ...common,
        postHandshakeAuth: this.options.postHandshakeAuth ?? false,
        externalPsk: this.externalPsk,
        ticket: cache?.take(hostname),
        tickets: this.tickets,
        tls12: versions.includes('TLSv1.2') ? new Client12(c, settings12, true) : undefined,
      });
    });
    return connection ?? new Connection(core);
  }
}
