// The TLS 1.3 post-handshake state of both roles (RFC 8446 §4.6): KeyUpdate in both
// directions, NewSessionTicket for clients, CertificateRequest for clients that offered
// post_handshake_auth (§4.6.2); every other handshake message, including a renegotiation
// attempt (ClientHello, HelloRequest), is unexpected_message (§4.1.2, §4.6).
import {
  ContentType,
  ExtensionType,
  HandshakeType,
  KeyUpdate,
  KeyUpdateRequest,
  NewSessionTicket13,
  type NewSessionTicket13Message,
} from '@tls-kit/messages';
import type { HandshakeState } from '../core.js';
import { refuse } from '../errors.js';
import { exportKeyingMaterial, nextTrafficSecret } from '../keyschedule/key-schedule.js';
import type { CipherSuite } from '../suites.js';
import type { HandshakeContext } from './context.js';
import { decode, frameHandshake, type HandshakeMessage, handshakeName } from './messages.js';

/** RFC 8446 §4.6.1: ticket lifetimes over seven days are illegal_parameter. */
const MAX_TICKET_LIFETIME = 604800;

/** Where each secret sits in Traffic13's buffer, in units of the hash length. */
const READ = 0;
const WRITE = 1;
const EXPORTER = 2;
/** Client with a ticket receiver: the resumption secret (RFC 8446 §7.1). */
const RESUMPTION = 3;

/** Post-handshake client authentication (RFC 8446 §4.6.2), one implementation per role. */
export interface PostHandshakeAuth {
  /**
   * Handles `message` if it is one this role expects now (false otherwise); `clientSecret` is
   * the client's current application traffic secret, the base key of its Finished (§4.4.4).
   */
  handle(message: HandshakeMessage, clientSecret: Uint8Array): boolean;
  /** Server: sends a CertificateRequest. */
  request?(): void;
}

/**
 * Client: takes each NewSessionTicket, once Traffic13 has checked it (RFC 8446 §4.6.1), with
 * what makes its PSK (§4.6.1: from the resumption secret and the ticket's nonce). The connection
 * and its secret are arguments, so that a receiver keeps no per-connection copy of them.
 */
export interface TicketReceiver {
  receive(
    ticket: NewSessionTicket13Message,
    resumptionSecret: Uint8Array,
    conn: HandshakeContext,
    suite: CipherSuite,
  ): void;
}

export class Traffic13 implements HandshakeState {
  /** On the prototype, as everything constant is: each open connection keeps one of these. */
  get name(): string {
    return 'Traffic';
  }

  constructor(
    private readonly conn: HandshakeContext,
    private readonly suite: CipherSuite,
    readSecret: Uint8Array,
    writeSecret: Uint8Array,
    exporterSecret: Uint8Array,
    /** Client only: the server's tickets go there (undefined: a NewSessionTicket is unexpected). */
    private readonly tickets: TicketReceiver | undefined,
    /** When the client offered post_handshake_auth (RFC 8446 §4.6.2). */
    readonly postHandshakeAuth?: PostHandshakeAuth,
    /** Client: the resumption secret, kept for `tickets` (none: the tickets need no PSK). */
    resumptionSecret?: Uint8Array,
  ) {
    // The read, write and exporter secrets (and a client's resumption secret) go in the buffer
    // of the connection's byte facts: an idle connection keeps one allocation, and views are made
    // when a secret is used (KeyUpdate, exporters, tickets).
    const n = suite.hashLength;
    const secrets = new Uint8Array((resumptionSecret ? 4 : 3) * n);
    secrets.set(readSecret, READ * n);
    secrets.set(writeSecret, WRITE * n);
    secrets.set(exporterSecret, EXPORTER * n);
    if (resumptionSecret) secrets.set(resumptionSecret, RESUMPTION * n);
    conn.facts.trafficSecrets = secrets;
    secrets.fill(0);
  }

  /** A view of one secret, used at once (setting a byte fact moves the buffer). */
  private secret(index: number): Uint8Array {
    const n = this.suite.hashLength;
    return this.conn.facts.trafficSecrets!.subarray(index * n, (index + 1) * n);
  }

  /** The resumption secret, or an empty one when none was kept (its receiver makes no PSK). */
  private resumptionSecret(): Uint8Array {
    const at = RESUMPTION * this.suite.hashLength;
    return this.conn.facts.trafficSecrets!.length > at ? this.secret(RESUMPTION) : new Uint8Array(0);
  }

  /** RFC 8446 §7.2: application_traffic_secret_N+1 replaces _N in place (the old one is gone). */
  private nextSecret(index: number): Uint8Array {
    const secret = this.secret(index);
    const next = nextTrafficSecret(this.conn.config.provider, this.suite, secret);
    secret.set(next);
    next.fill(0);
    return secret;
  }

  handle(message: HandshakeMessage): HandshakeState {
    switch (message.type) {
      case HandshakeType.key_update: {
        const { requestUpdate } = decode(KeyUpdate, message.body);
        // RFC 8446 §4.6.3: any other value is illegal_parameter.
        if (
          requestUpdate !== KeyUpdateRequest.update_requested &&
          requestUpdate !== KeyUpdateRequest.update_not_requested
        ) {
          refuse('BadKeyUpdateRequest', `KeyUpdate request_update ${requestUpdate}`);
        }
        this.conn.records.countKeyUpdate();
        this.conn.installKeys('read', {
          version: 'TLSv1.3',
          suite: this.suite,
          secret: this.nextSecret(READ),
        });
        // RFC 8446 §4.6.3: answer update_requested with our own update (not requesting one back);
        // one update answers any number of requests, so it is sent once, at the end of the call.
        if (requestUpdate === KeyUpdateRequest.update_requested) this.conn.owePeerKeyUpdate();
        return this;
      }
      case HandshakeType.new_session_ticket:
        if (this.tickets) {
          const ticket = decode(NewSessionTicket13, message.body);
          if (ticket.ticketLifetime > MAX_TICKET_LIFETIME) {
            refuse('TicketLifetimeTooLong', 'ticket lifetime over 7 days');
          }
          // RFC 8446 §4.6.1: early_data is the only extension defined for NewSessionTicket;
          // unknown ones are ignored.
          for (const e of ticket.extensions) {
            if (e.unknown && e.extensionType in ExtensionType) {
              refuse('ExtensionNotAllowed', `NewSessionTicket with extension ${e.extensionType}`);
            }
          }
          if (ticket.ticketLifetime > 0)
            this.tickets.receive(ticket, this.resumptionSecret(), this.conn, this.suite);
          return this;
        }
        break;
    }
    // RFC 8446 §4.6.2: without post_handshake_auth, or out of order, unexpected_message (below).
    // The client's application traffic secret keys its Finished (§4.4.4): our write secret on
    // the client, our read secret on the server.
    const clientSecret = this.conn.role === 'client' ? this.secret(WRITE) : this.secret(READ);
    if (this.postHandshakeAuth?.handle(message, clientSecret)) return this;
    return refuse('UnexpectedPostHandshakeMessage', `${handshakeName(message.type)} after the handshake`);
  }

  /** Sends KeyUpdate and switches to the next write secret (RFC 8446 §4.6.3, §7.2). */
  updateKeys(requestPeer: boolean): void {
    const requestUpdate = requestPeer
      ? KeyUpdateRequest.update_requested
      : KeyUpdateRequest.update_not_requested;
    this.conn.sendRaw(
      ContentType.handshake,
      frameHandshake(HandshakeType.key_update, KeyUpdate.build({ requestUpdate })),
    );
    this.conn.installKeys('write', { version: 'TLSv1.3', suite: this.suite, secret: this.nextSecret(WRITE) });
  }

  /** Automatic update when our key has protected enough records (the record layer, RFC 8446 §5.5). */
  rekey(): void {
    this.updateKeys(false);
  }

  exportKeyingMaterial(label: string, context: Uint8Array, length: number): Uint8Array {
    return exportKeyingMaterial(
      this.conn.config.provider,
      this.suite,
      this.secret(EXPORTER),
      label,
      context,
      length,
    );
  }
}
