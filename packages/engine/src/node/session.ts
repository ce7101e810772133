// Sessions as bytes, for node:tls `getSession()` / the `session` event / the `session` option and
// for `s_client --sess_out/--sess_in`: a TLS 1.3 ticket (RFC 8446 §4.6.1) or a TLS 1.2 session
// (RFC 5246 §7.4.1.2 session ID and/or RFC 5077 ticket) with what resuming it needs. The bytes
// hold the resumption secret: keep them as secret as a private key.
import { Certificate } from '@tls-kit/certs';
import type { ClientSession12, ClientSession12Cache } from '../client/session12.js';
import type { ClientSessionCache, StoredTicket } from '../client/tickets.js';
import { TLSUsageError } from '../errors.js';
import { type CipherSuite, suiteByName } from '../suites.js';

const FORMAT = 'tls-kit session 1';

/** A session of either version, bound to the server name it was made with. */
export type DecodedSession =
  | { readonly serverName: string; readonly version: 'TLSv1.3'; readonly ticket: StoredTicket }
  | { readonly serverName: string; readonly version: 'TLSv1.2'; readonly session: ClientSession12 };

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const invalid = (why: string) => new TLSUsageError(`invalid session: ${why}`);

function fromB64(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw invalid(`${what} is not base64`);
  return new Uint8Array(Buffer.from(v, 'base64'));
}

/** Field readers that refuse anything but the expected type. */
class Fields {
  constructor(private readonly json: Record<string, unknown>) {}
  bytes(name: string): Uint8Array {
    return fromB64(this.json[name], name);
  }
  optionalBytes(name: string): Uint8Array | undefined {
    return this.json[name] === null ? undefined : this.bytes(name);
  }
  uint(name: string): number {
    const v = this.json[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalid(`${name} is not a number`);
    return v;
  }
  string(name: string): string {
    const v = this.json[name];
    if (typeof v !== 'string') throw invalid(`${name} is not a string`);
    return v;
  }
  certificates(): Certificate[] {
    const v = this.json.peerCertificates;
    if (!Array.isArray(v)) throw invalid('no peer certificates');
    return v.map((c, i) => Certificate.fromDer(fromB64(c, `peer certificate ${i}`)));
  }
}

/** A session as bytes (UTF-8 JSON). */
export function encodeSession(session: DecodedSession): Uint8Array {
  const common = { format: FORMAT, serverName: session.serverName, version: session.version };
  const json =
    session.version === 'TLSv1.3'
      ? {
          ...common,
          suite: session.ticket.suite.name,
          ticket: b64(session.ticket.ticket),
          psk: b64(session.ticket.psk),
          ageAdd: session.ticket.ageAdd,
          receivedAt: session.ticket.receivedAt,
          lifetimeMs: session.ticket.lifetimeMs,
          alpn: session.ticket.alpn ?? null,
          peerCertificates: session.ticket.peerCertificates.map((c) => b64(c.getAsn1Bytes())),
        }
      : {
          ...common,
          suite: session.session.suite,
          sessionId: b64(session.session.sessionId),
          ticket: session.session.ticket ? b64(session.session.ticket) : null,
          masterSecret: b64(session.session.masterSecret),
          extendedMasterSecret: session.session.extendedMasterSecret,
          createdAt: session.session.createdAt,
          lifetimeMs: session.session.lifetimeMs,
          peerCertificates: session.session.peerCertificates.map((c) => b64(c.getAsn1Bytes())),
        };
  return new TextEncoder().encode(JSON.stringify(json));
}

/** The inverse of encodeSession; throws TLSUsageError on anything else. */
export function decodeSession(bytes: Uint8Array): DecodedSession {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalid('not a tls-kit session');
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== FORMAT) {
    throw invalid('not a tls-kit session');
  }
  const f = new Fields(json as Record<string, unknown>);
  const serverName = f.string('serverName');
  const version = f.string('version');
  if (version === 'TLSv1.3') {
    const suite = suiteByName(f.string('suite'));
    if (!suite) throw invalid('unknown cipher suite');
    const alpn = (json as { alpn?: unknown }).alpn;
    if (alpn !== null && typeof alpn !== 'string') throw invalid('alpn is not a string');
    return {
      serverName,
      version,
      ticket: {
        suite,
        ticket: f.bytes('ticket'),
        psk: f.bytes('psk'),
        ageAdd: f.uint('ageAdd') >>> 0,
        receivedAt: f.uint('receivedAt'),
        lifetimeMs: f.uint('lifetimeMs'),
        alpn: alpn ?? undefined,
        peerCertificates: f.certificates(),
      },
    };
  }
  if (version === 'TLSv1.2') {
    const ems = (json as { extendedMasterSecret?: unknown }).extendedMasterSecret;
    if (typeof ems !== 'boolean') throw invalid('extendedMasterSecret is not a boolean');
    return {
      serverName,
      version,
      session: {
        suite: f.uint('suite'),
        sessionId: f.bytes('sessionId'),
        ticket: f.optionalBytes('ticket'),
        masterSecret: f.bytes('masterSecret'),
        extendedMasterSecret: ems,
        createdAt: f.uint('createdAt'),
        lifetimeMs: f.uint('lifetimeMs'),
        peerCertificates: f.certificates(),
      },
    };
  }
  throw invalid(`unknown version ${version}`);
}

/** The ticket of an encoded session (TLS 1.3, or a TLS 1.2 RFC 5077 ticket), for node:tls getTLSTicket(). */
export function sessionTicket(bytes: Uint8Array): Buffer | undefined {
  const session = decodeSession(bytes);
  const ticket = session.version === 'TLSv1.3' ? session.ticket.ticket : session.session.ticket;
  return ticket ? Buffer.from(ticket) : undefined;
}

/** What the client engine reports to its socket: 'session' events. */
export interface SessionEvents {
  emit(event: 'session', value: Buffer): boolean;
  listenerCount(event: 'session'): number;
  readonly destroyed: boolean;
  /** Runs `run` once 'secure' ('secureConnect') was emitted, at once if it was. */
  afterSecure(run: () => void): void;
}

/** A session the engine gave a cache, for encodeSession. */
function decodedSession(serverName: string, value: StoredTicket | ClientSession12): DecodedSession {
  return 'psk' in value
    ? { serverName, version: 'TLSv1.3', ticket: value }
    : { serverName, version: 'TLSv1.2', session: value };
}

/**
 * The newest TLS 1.3 session's bytes: ageAdd, receivedAt, lifetimeMs, the ticket's length, the
 * SNI name's length, then the ticket, the PSK and the name, in one buffer without views (numbers as
 * fields would be boxed: ageAdd and the clock time are over 2^30).
 */
const AGE_ADD = 0;
const RECEIVED_AT = 4;
const LIFETIME_MS = 12;
const TICKET_LENGTH = 16;
const NAME_LENGTH = 18;
const TICKET = 20;

/** A TLS 1.3 session as ConnectionSessionCache keeps it: its buffer (above), then what is not bytes. */
function compactTicket(serverName: string, ticket: StoredTicket): ArrayBuffer {
  const name = new TextEncoder().encode(serverName);
  const bytes = new ArrayBuffer(TICKET + ticket.ticket.length + ticket.psk.length + name.length);
  const view = new DataView(bytes);
  view.setUint32(AGE_ADD, ticket.ageAdd);
  view.setFloat64(RECEIVED_AT, ticket.receivedAt);
  view.setUint32(LIFETIME_MS, ticket.lifetimeMs);
  // RFC 8446 §4.6.1: a ticket is at most 2^16-1 bytes; RFC 6066 §3: a host name too.
  view.setUint16(TICKET_LENGTH, ticket.ticket.length);
  view.setUint16(NAME_LENGTH, name.length);
  const array = new Uint8Array(bytes);
  array.set(ticket.ticket, TICKET);
  array.set(ticket.psk, TICKET + ticket.ticket.length);
  array.set(name, bytes.byteLength - name.length);
  return bytes;
}

/**
 * The session caches of one adapter connection (TLS 1.3 and 1.2): offer the caller's session
 * (once, and only to the server name it was made for), keep the newest one (encoded only when
 * asked for: a 'session' listener, getSession()) and report each to the socket.
 */
export class ConnectionSessionCache implements ClientSessionCache, ClientSession12Cache {
  /** The socket told of new sessions (see attach). */
  private socket: SessionEvents | undefined;
  /**
   * The newest session, encoded only when asked for: a TLS 1.2 session, or a TLS 1.3 session's
   * bytes (compactTicket) with the three fields after it (no object of its own per connection).
   */
  private newest: ArrayBuffer | DecodedSession | undefined;
  private newestSuite: CipherSuite | undefined;
  private newestCertificates: readonly Certificate[] | undefined;
  private newestAlpn: string | undefined;
  private offered: DecodedSession | undefined;
  private readonly given: DecodedSession | undefined;

  /** `latest`: the session bytes of the `session` option, if any. */
  constructor(private latest: Uint8Array | undefined) {
    this.given = latest && decodeSession(latest);
  }

  /** A new engine of `socket` starts (setServername() may start another): the given session is offered again. */
  attach(socket: SessionEvents): void {
    this.socket = socket;
    this.offered = this.given;
  }

  /** The newest session as bytes, or the one given. */
  bytes(): Uint8Array | undefined {
    const newest = this.newest;
    if (newest) this.latest = encodeSession(newest instanceof ArrayBuffer ? this.decoded(newest) : newest);
    this.newest = undefined;
    this.newestSuite = undefined;
    this.newestCertificates = undefined;
    this.newestAlpn = undefined;
    return this.latest;
  }

  /** The newest TLS 1.3 session from its bytes and fields. */
  private decoded(bytes: ArrayBuffer): DecodedSession {
    const view = new DataView(bytes);
    const pskAt = TICKET + view.getUint16(TICKET_LENGTH);
    const nameAt = bytes.byteLength - view.getUint16(NAME_LENGTH);
    return {
      serverName: new TextDecoder().decode(new Uint8Array(bytes, nameAt)),
      version: 'TLSv1.3',
      ticket: {
        ticket: new Uint8Array(bytes, TICKET, pskAt - TICKET),
        psk: new Uint8Array(bytes, pskAt, nameAt - pskAt),
        suite: this.newestSuite!,
        ageAdd: view.getUint32(AGE_ADD),
        receivedAt: view.getFloat64(RECEIVED_AT),
        lifetimeMs: view.getUint32(LIFETIME_MS),
        peerCertificates: this.newestCertificates!,
        alpn: this.newestAlpn,
      },
    };
  }

  put(serverName: string, value: StoredTicket | ClientSession12): void {
    const tls13 = 'psk' in value;
    this.newest = tls13 ? compactTicket(serverName, value) : decodedSession(serverName, value);
    this.newestSuite = tls13 ? value.suite : undefined;
    this.newestCertificates = tls13 ? value.peerCertificates : undefined;
    this.newestAlpn = tls13 ? value.alpn : undefined;
    // As node:tls, 'session' follows 'secureConnect' (and a socket dropped for its chain reports
    // none), also for a ticket read with the server's Finished (RFC 8446 §4.6.1 lets it come there).
    const socket = this.socket;
    socket?.afterSecure(() => {
      if (!socket.destroyed && socket.listenerCount('session') > 0)
        socket.emit('session', Buffer.from(encodeSession(decodedSession(serverName, value))));
    });
  }

  /** TLS 1.3 tickets. */
  take(serverName: string): StoredTicket | undefined {
    const o = this.offered;
    if (o?.version !== 'TLSv1.3' || o.serverName !== serverName) return undefined;
    this.offered = undefined;
    return o.ticket;
  }

  /** TLS 1.2 sessions. */
  get(serverName: string): ClientSession12 | undefined {
    const o = this.offered;
    return o?.version === 'TLSv1.2' && o.serverName === serverName ? o.session : undefined;
  }

  remove(serverName: string, session: ClientSession12): void {
    if (this.get(serverName) === session) this.offered = undefined;
  }
}
