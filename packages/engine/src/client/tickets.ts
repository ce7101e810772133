// Client-side session tickets (RFC 8446 §4.6.1) kept per server name, bounded, used once each
// (RFC 8446 §C.4: clients should not reuse a ticket).
import type { Certificate } from '@tls-kit/certs';
import type { NewSessionTicket13Message } from '@tls-kit/messages';
import type { HandshakeContext } from '../handshake/context.js';
import type { TicketReceiver } from '../handshake/traffic13.js';
import { resumptionPsk } from '../keyschedule/key-schedule.js';
import type { CipherSuite } from '../suites.js';

export interface StoredTicket {
  readonly ticket: Uint8Array;
  readonly psk: Uint8Array;
  readonly suite: CipherSuite;
  readonly ageAdd: number;
  /** Clock time the ticket arrived, in ms. */
  readonly receivedAt: number;
  readonly lifetimeMs: number;
  readonly peerCertificates: readonly Certificate[];
  readonly alpn: string | undefined;
}

/** Where a ClientTLS keeps tickets between connections; replaceable through the `sessionCache` option. */
export interface ClientSessionCache {
  put(serverName: string, ticket: StoredTicket): void;
  /** Removes and returns a ticket for `serverName`, if any. */
  take(serverName: string): StoredTicket | undefined;
}

export class MemorySessionCache implements ClientSessionCache {
  private readonly byName = new Map<string, StoredTicket[]>();

  constructor(
    private readonly maxNames = 256,
    private readonly maxPerName = 4,
  ) {}

  put(serverName: string, ticket: StoredTicket): void {
    const list = this.byName.get(serverName) ?? [];
    list.push(ticket);
    if (list.length > this.maxPerName) list.shift();
    this.byName.delete(serverName);
    this.byName.set(serverName, list);
    if (this.byName.size > this.maxNames) this.byName.delete(this.byName.keys().next().value!);
  }

  take(serverName: string): StoredTicket | undefined {
    const list = this.byName.get(serverName);
    const ticket = list?.pop();
    if (list && list.length === 0) this.byName.delete(serverName);
    return ticket;
  }
}

/**
 * The TLS 1.3 tickets of a ClientTLS's connections, made into stored tickets for `cache` under
 * `hostname`, when the connection's chain verified: a resumption skips the certificate, so a
 * session whose chain failed (rejectUnauthorized: false) would hide the failure. One per
 * ClientTLS: the connection and its resumption secret (kept by its traffic state) are arguments.
 */
export class VerifiedTickets implements TicketReceiver {
  constructor(
    private readonly cache: ClientSessionCache,
    private readonly hostname: string,
  ) {}

  receive(
    ticket: NewSessionTicket13Message,
    resumptionSecret: Uint8Array,
    conn: HandshakeContext,
    suite: CipherSuite,
  ): void {
    if (conn.facts.peerVerification?.ok === false) return;
    this.cache.put(this.hostname, {
      ticket: ticket.ticket.slice(),
      psk: resumptionPsk(conn.config.provider, suite, resumptionSecret, ticket.ticketNonce),
      suite,
      ageAdd: ticket.ticketAgeAdd,
      receivedAt: conn.config.clock(),
      lifetimeMs: ticket.ticketLifetime * 1000,
      peerCertificates: conn.facts.peerCertificates,
      alpn: conn.facts.alpnProtocol,
    });
  }
}
