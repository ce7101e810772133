// TLS 1.2 session state on the server: the session cache behind session IDs (RFC 5246 §7.4.1.2,
// the design's CHECK_SESSION_CACHE) and the same state sealed into session tickets (RFC 5077 §4).
// The cache is an interface the user may replace (e.g. one shared between processes); the
// default keeps a bounded number of sessions in memory, least recently used first out.

import { toHex } from '@tls-kit/crypto/bytes';
import {
  type Infer,
  PrefixedBytes,
  Struct,
  TLSPrefixedArray,
  UBInt8,
  UBInt16,
  UBInt24,
  UBInt32,
} from '@tls-kit/wire';
import { expired } from './stored-time.js';

/** Marks a sealed TLS 1.2 session, so a TLS 1.3 ticket never parses as one (and vice versa). */
export const SESSION12_TAG = 0x12;

/** What resuming a TLS 1.2 session needs (RFC 5246 §7.4.1.2 "session state" items). */
export const Session12Codec = Struct(
  {
    tag: UBInt8,
    suite: UBInt16,
    /** Creation time in ms since the epoch, as two u32 halves. */
    createdHigh: UBInt32,
    createdLow: UBInt32,
    lifetimeSeconds: UBInt32,
    masterSecret: PrefixedBytes(UBInt8, { min: 48, max: 48 }),
    /** 1 if the master secret is an extended one (RFC 7627); we only resume those. */
    extendedMasterSecret: UBInt8,
    serverName: PrefixedBytes(UBInt16),
    /** The client's chain (DER, leaf first) when it authenticated. */
    clientCertificates: TLSPrefixedArray(PrefixedBytes(UBInt24, { min: 1 }), UBInt24),
  },
  'Session12',
);

export type Session12 = Infer<typeof Session12Codec>;

/** Where a ServerTLS keeps TLS 1.2 sessions by session ID; replaceable through `sessionCache`. */
export interface ServerSessionCache {
  get(sessionId: Uint8Array): Session12 | undefined;
  put(sessionId: Uint8Array, session: Session12): void;
  /** Forgets a session: expired, or its connection ended with a fatal alert (RFC 5246 §7.2.2). */
  remove(sessionId: Uint8Array): void;
}

export interface MemoryServerSessionCacheOptions {
  /** Most sessions kept; the least recently used goes first. Default 1024. */
  readonly maxEntries?: number;
  /** Milliseconds since the epoch, to expire sessions. Default Date.now. */
  readonly clock?: () => number;
}

/**
 * The default ServerSessionCache: in memory, LRU, bounded; expired sessions are dropped when met
 * (the handshake checks lifetimes too, so a replacement cache need not).
 */
export class MemoryServerSessionCache implements ServerSessionCache {
  private readonly entries = new Map<string, Session12>();
  private readonly maxEntries: number;
  private readonly clock: () => number;

  constructor(options: MemoryServerSessionCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1024;
    this.clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(sessionId: Uint8Array): Session12 | undefined {
    const k = toHex(sessionId);
    const session = this.entries.get(k);
    if (session && expired(session, this.clock())) {
      this.entries.delete(k);
      return undefined;
    }
    if (session) {
      // Most recently used goes to the end of the Map's order.
      this.entries.delete(k);
      this.entries.set(k, session);
    }
    return session;
  }

  put(sessionId: Uint8Array, session: Session12): void {
    const k = toHex(sessionId);
    this.entries.delete(k);
    this.entries.set(k, session);
    // The least recently used first: drop it while over the bound or expired.
    const now = this.clock();
    for (const [oldest, s] of this.entries) {
      if (this.entries.size <= this.maxEntries && !expired(s, now)) break;
      this.entries.delete(oldest);
    }
  }

  remove(sessionId: Uint8Array): void {
    this.entries.delete(toHex(sessionId));
  }
}
