// The design's Connection: the application's handle on one TLS connection.
import type { Certificate } from '@tls-kit/certs';
import type { SignatureSchemeName } from '@tls-kit/crypto';
import { schemeName } from './algorithms.js';
import type { TLSVersion } from './config.js';
import type { ConnectionCore, ConnectionState, HandshakeState, PeerVerification } from './core.js';
import { TLSUsageError } from './errors.js';

export class Connection {
  /** @internal */
  constructor(private readonly core: ConnectionCore) {
    core.publicConnection = this;
  }

  /**
   * Feeds bytes read from the transport. Returns the application data they completed (possibly
   * empty). Incomplete records are buffered (bounded by `maxBufferedInput`).
   * Raises TLSAlertError (the peer sent an alert), BadTLSDataError (we sent an alert), or
   * InvalidatedError (the connection already failed or closed).
   */
  dataFromWire(input: Uint8Array): Uint8Array {
    return this.core.dataFromWire(input);
  }

  /**
   * dataFromWire, with the application data of each record apart, in order, instead of joined
   * into one buffer: a driver that hands data on in pieces (a Node stream) saves the copy.
   */
  dataFromWireParts(input: Uint8Array): readonly Uint8Array[] {
    return this.core.dataFromWireParts(input);
  }

  /** Encrypts and writes application data; before the handshake completes it is queued. */
  dataFromApplication(output: Uint8Array): void {
    this.core.dataFromApplication(output);
  }

  /**
   * Writes an alert. Without `level` the level the RFC fixes for `alertCode` is used, and an
   * ambiguous code raises InvalidAlertLevel, as does a level the code does not allow. A fatal
   * alert invalidates the connection; close_notify is applicationFinished().
   */
  sendAlert(alertCode: number, level?: number): void {
    this.core.sendAlert(alertCode, level);
  }

  /**
   * Backpressure from the transport: a driver whose transport stops accepting our output (a
   * socket's write() returned false) calls `setTransportFull(true)`, and `setTransportFull(false)`
   * once it drained. Input is still processed meanwhile (reading must not wait on our writes, or
   * two peers writing to each other would both stop), but the answer a peer can ask for without
   * bound (KeyUpdate, RFC 8446 §4.6.3: one answers any number of requests) waits for the drain or
   * our next data; the other answers have fixed caps (see Limits). Errors of the deferred answer go
   * to `events.onError` (or are raised by the next call).
   */
  setTransportFull(full: boolean): void {
    this.core.setTransportFull(full);
  }

  /**
   * Whether the driver should read more input now: false while a certificate callback is pending
   * (input is buffered, bounded), and once input is no longer read (closed, invalidated, or the
   * peer's close_notify arrived).
   */
  get wantsRead(): boolean {
    return this.core.wantsRead;
  }

  /**
   * TLS 1.2: the codes of the last warning alerts the peer sent (at most 4, oldest first), which
   * left the connection usable (RFC 5246 §7.2); `events.onWarningAlert` announces each one.
   */
  get warningAlerts(): readonly number[] {
    return this.core.warningAlerts?.slice() ?? [];
  }

  /** No more data from the application: sends close_notify (in the design document, "Finished" means close_notify). */
  applicationFinished(): void {
    this.core.applicationFinished();
  }

  /** TLS 1.3 KeyUpdate (RFC 8446 §4.6.3); `requestPeer` asks the peer to update its keys too. */
  keyUpdate(requestPeer = true): void {
    const state = this.established();
    if (!state.updateKeys) throw new TLSUsageError('the handshake has not completed');
    this.core.perform(() => state.updateKeys?.(requestPeer));
  }

  /**
   * Server, TLS 1.3: asks the client for a certificate after the handshake (RFC 8446 §4.6.2); the
   * client must have offered post_handshake_auth. The result arrives as the handshake's does
   * (peerCertificates, peerVerification; a refused chain or a missing one with clientAuth
   * 'require' fails the connection), announced by `events.onClientAuthenticated`. One request
   * at a time; needs the server's clientTrustRoot.
   */
  requestClientCertificate(): void {
    // TLS 1.2 has no post-handshake authentication: its state has no postHandshakeAuth either.
    const request = this.established().postHandshakeAuth?.request;
    if (!request)
      throw new TLSUsageError('requestClientCertificate: the client did not offer post_handshake_auth');
    request();
  }

  /** RFC 8446 §7.5 / RFC 5705 keying material exporter (TLS 1.2: on the master secret). */
  exportKeyingMaterial(label: string, context: Uint8Array, length: number): Uint8Array {
    const state = this.established();
    if (!state.exportKeyingMaterial) throw new TLSUsageError('the handshake has not completed');
    return state.exportKeyingMaterial(label, context, length);
  }

  /** The current state, once the handshake completed and while the connection is open. */
  private established(): HandshakeState {
    this.core.assertUsable();
    if (this.core.status !== 'open') throw new TLSUsageError('the handshake has not completed');
    return this.core.currentState;
  }

  get state(): ConnectionState {
    return this.core.status;
  }
  /** True once the peer's close_notify arrived (end of stream). */
  get ended(): boolean {
    return this.core.ended;
  }
  get handshakeComplete(): boolean {
    return this.core.completedHandshake;
  }
  get tlsVersion(): TLSVersion | undefined {
    return this.core.facts.tlsVersion;
  }
  get cipherSuite(): string | undefined {
    return this.core.facts.cipherSuite;
  }
  get namedGroup(): string | undefined {
    return this.core.facts.namedGroup;
  }
  /** The scheme of the server's CertificateVerify (ours on a server). */
  get signatureScheme(): string | undefined {
    return this.core.facts.signatureScheme;
  }
  /**
   * The schemes both sides accept, in the peer's order: those of its signature_algorithms
   * (ClientHello on a server, CertificateRequest on a client: empty without one) we accept too.
   */
  get sharedSignatureSchemes(): SignatureSchemeName[] {
    const ours = this.core.config.signatureSchemes;
    return this.core.facts.peerSignatureSchemes
      .map(schemeName)
      .filter((name): name is SignatureSchemeName => name !== undefined && ours.includes(name));
  }
  get alpnProtocol(): string | undefined {
    return this.core.facts.alpnProtocol;
  }
  /** The SNI name: the one we sent (client) or received (server). */
  get serverName(): string | undefined {
    return this.core.facts.serverName;
  }
  /** TLS 1.3: the legacy_session_id of the hellos (middlebox compatibility); TLS 1.2: the session ID (may be empty). */
  get sessionId(): Uint8Array | undefined {
    return this.core.facts.sessionId?.slice();
  }
  /** The peer's validated chain, leaf first (from the ticket's handshake when resumed). */
  get peerCertificates(): readonly Certificate[] {
    return this.core.facts.peerCertificates;
  }
  /**
   * The certificates the peer sent in its Certificate message, as sent (the validated chain,
   * `peerCertificates`, may reorder them, drop extras and end at a trust anchor the peer did not
   * send). Empty when the peer sent none, e.g. on a resumed connection.
   */
  get receivedCertificates(): readonly Certificate[] {
    return this.core.facts.receivedCertificates;
  }
  /**
   * How the peer's chain fared: `{ ok: true }`, or with `rejectUnauthorized: false` the reason it
   * is not trusted (`{ ok: false, reason, message }`, reason a certs VerifyFailureReason; then
   * `peerCertificates` is the chain as received). Undefined before a chain arrived and for a
   * server's client that sent none. A resumed connection reports the verdict of a verified
   * session: sessions from unverified handshakes are never kept for resumption.
   */
  get peerVerification(): PeerVerification | undefined {
    const { facts } = this.core;
    if (facts.peerVerification === undefined && facts.resumed && facts.peerCertificates.length > 0)
      return { ok: true };
    return facts.peerVerification;
  }
  /**
   * Client with `requestOCSP`: the DER OCSPResponse the server stapled (RFC 6066 §8, RFC 8446
   * §4.4.2.1), passed through and NOT verified. Undefined when none was stapled, on resumed
   * connections (no Certificate is sent) and on servers.
   */
  get ocspResponse(): Uint8Array | undefined {
    return this.core.facts.ocspResponse;
  }
  get resumed(): boolean {
    return this.core.facts.resumed;
  }
  /** The chain we sent, leaf first, without our private key; empty when we sent none. */
  get localCertificates(): readonly Certificate[] {
    return this.core.facts.localCertificates.map((c) => c.withoutPrivateKey());
  }
  /** The verify_data of the latest Finished we sent (node:tls getFinished). */
  get finished(): Uint8Array | undefined {
    return this.core.facts.finished?.slice();
  }
  /** The verify_data of the peer's latest Finished (node:tls getPeerFinished). */
  get peerFinished(): Uint8Array | undefined {
    return this.core.facts.peerFinished?.slice();
  }
  /**
   * Client: the identity of the external PSK (ClientOptions.psk) the server accepted; then no
   * certificate was exchanged and the PSK alone authenticated the server. Undefined otherwise
   * (an external-PSK handshake is not a resumption: `resumed` stays false).
   */
  get pskIdentity(): Uint8Array | undefined {
    return this.core.facts.pskIdentity?.slice();
  }
  /** The name of the current handshake state (for debugging and tests). */
  get handshakeState(): string {
    return this.core.stateName;
  }
}
