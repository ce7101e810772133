// What ClientTLS resolves once per connection and hands to the client handshake: the TLS 1.3
// settings (with the parts TLS 1.2 shares) and what TLS 1.2 adds.
import type { ClientCertificateStore, TrustStore } from '@tls-kit/certs';
import type { ExternalPsk } from '../external-psk.js';
import type { OcspVerification } from '../handshake/ocsp-verification.js';
import type { TicketReceiver } from '../handshake/traffic13.js';
import type { VerifyCallback } from '../verify-callback.js';
import type { ClientSession12Cache } from './session12.js';
import type { StoredTicket } from './tickets.js';

export interface ClientSettings {
  /** For certificate hostname checks. */
  readonly hostname: string;
  /** server_name to send; absent for IP literals (RFC 6066 §3). */
  readonly sni: string | undefined;
  readonly trustStore: TrustStore;
  readonly clientCertificateStore: ClientCertificateStore | undefined;
  /** Offer post_handshake_auth (ClientOptions.postHandshakeAuth, RFC 8446 §4.2.6). */
  readonly postHandshakeAuth: boolean;
  /** Send status_request (ClientOptions.requestOCSP, or implied by ocspVerification). */
  readonly requestOCSP: boolean;
  /** ClientOptions.ocspVerification. */
  readonly ocspVerification: OcspVerification;
  readonly verifyCallback: VerifyCallback | undefined;
  /** A ticket to offer for resumption (RFC 8446 §4.2.11). */
  readonly ticket: StoredTicket | undefined;
  /** ClientOptions.psk, offered when there is no usable ticket (RFC 8446 §4.2.11). */
  readonly externalPsk: ExternalPsk | undefined;
  /** Where tickets go; undefined when resumption is off (tickets are then checked and dropped). */
  readonly tickets: TicketReceiver | undefined;
}

export interface Client12Settings {
  readonly hostname: string;
  readonly sni: string | undefined;
  readonly trustStore: TrustStore;
  readonly clientCertificateStore: ClientCertificateStore | undefined;
  /** Send status_request (ClientOptions.requestOCSP, or implied by ocspVerification). */
  readonly requestOCSP: boolean;
  /** ClientOptions.ocspVerification. */
  readonly ocspVerification: OcspVerification;
  readonly verifyCallback: VerifyCallback | undefined;
  /** Where TLS 1.2 sessions are kept per server name; undefined turns resumption off. */
  readonly sessions: ClientSession12Cache | undefined;
  /** ClientOptions.requireSecureRenegotiation (RFC 5746 §4.1). */
  readonly requireSecureRenegotiation: boolean;
}
