// The client side of a TLSSocket from node:tls options: the engine options (trust, our chain,
// sessions, key log). node's verification after the handshake is in client.ts.
import { type Certificate, type CertificateChainCallback, ClientCertificateStore } from '@tls-kit/certs';
import { type ClientOptions, ClientTLS } from '../client/client-tls.js';
import { invalidArgType } from './errors.js';
import { keyLogSink } from './keylog.js';
import { chainFrom, commonOptionsFrom, type SecureContextOptions, trustStoreFrom } from './options.js';
import type { PeerCertificate } from './peer-certificate.js';
import { ConnectionSessionCache, type SessionEvents } from './session.js';
import type { TLSSocketInit } from './socket-init.js';

export interface ClientSocketOptions extends SecureContextOptions {
  /** SNI and the name the certificate must match. Default: `host`. An IP address sends no SNI. */
  readonly servername?: string;
  /** Default 'localhost'; the name checked when there is no `servername`. */
  readonly host?: string;
  /**
   * Default true: a chain that does not verify, or a name it does not cover, destroys the socket
   * with node's error (`code` CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID...). false: the
   * socket stays, with `authorized === false` and `authorizationError` set. As in node:tls the
   * handshake completes first; CertificateVerify and Finished are checked all the same.
   */
  readonly rejectUnauthorized?: boolean;
  /**
   * node:tls' hostname check, called after a chain that verified (not on resumption) with the
   * getPeerCertificate(true) shape: return an Error to refuse. Default: node's own
   * tls.checkServerIdentity (SANs; the CN only when there is no DNS SAN).
   */
  readonly checkServerIdentity?: (hostname: string, cert: PeerCertificate) => Error | undefined;
  /** A session from getSession() or the 'session' event, to resume. */
  readonly session?: Uint8Array;
  /**
   * Ask the server to staple an OCSP response: an 'OCSPResponse' event with the DER (a Buffer),
   * or null when none was stapled, comes before 'secureConnect'.
   */
  readonly requestOCSP?: boolean;
  /**
   * node:tls' client pskCallback: called once with the server's hint (null in TLS 1.3), answers
   * `{ psk, identity }` for a TLS 1.3 external PSK (RFC 8446 §4.2.11), or null for none.
   */
  readonly pskCallback?: (hint: string | null) => { psk: Uint8Array; identity: string } | null;
  /** Engine options beyond node:tls' (recordSizeLimit, maxFragmentSize, clock...). */
  readonly engine?: Partial<
    Omit<ClientOptions, 'serverHostname' | 'sessionCache' | 'sessionCache12' | 'keyLog'>
  >;
}

const NO_PSK = {};

/** The engine's psk option from node's client pskCallback. */
function externalPsk(options: ClientSocketOptions): { psk?: { identity: string; key: Uint8Array } } {
  if (options.pskCallback === undefined) return NO_PSK;
  if (typeof options.pskCallback !== 'function')
    throw invalidArgType('options.pskCallback', 'of type function', options.pskCallback);
  const answer = options.pskCallback(null);
  return answer ? { psk: { identity: answer.identity, key: answer.psk } } : NO_PSK;
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

/** node:tls verifies the name after the handshake (verifyAfterHandshake): the engine checks none. */
const noEngineIdentityCheck = (): undefined => undefined;

/** The name node:tls checks the certificate against. */
export const checkedName = (options: ClientSocketOptions): string =>
  options.servername || options.host || 'localhost';

/** Key log lines as the socket's 'keylog' events; made outside clientInit so that it keeps none of its scope. */
const socketKeyLog = (socket: SessionEvents) => keyLogSink((line) => socket.emit('keylog', line));

/** The client TLSSocketInit of `options`: session events and key log lines reach the socket. */
export function clientInit(options: ClientSocketOptions): TLSSocketInit<SessionEvents> {
  const chain = chainFrom(options);
  const trustRoot = trustStoreFrom(options.ca);
  const psk = externalPsk(options);
  const sessions = new ConnectionSessionCache(options.session);
  return {
    isServer: false,
    tls: (self) => {
      sessions.attach(self);
      return new ClientTLS({
        ...commonOptionsFrom(options),
        ...options.engine,
        serverHostname: checkedName(options),
        ...(trustRoot ? { trustRoot } : {}),
        ...(options.requestOCSP ? { requestOCSP: true } : {}),
        ...(chain ? { clientCertificateStore: new FixedClientCertificate(chain) } : {}),
        ...psk,
        sessionCache: sessions,
        sessionCache12: sessions,
        keyLog: socketKeyLog(self),
        // node:tls verifies after the handshake (see verifyAfterHandshake): the engine reports.
        rejectUnauthorized: false,
        checkServerIdentity: noEngineIdentityCheck,
      });
    },
    sessions,
  };
}
