// TLS 1.2 sessions on the client, per server name: a session ID (RFC 5246 §7.4.1.2) and/or a
// session ticket (RFC 5077 §3.3) with the master secret they resume. Bounded, in memory by
// default, replaceable through ClientOptions.sessionCache12.
import type { Certificate } from '@tls-kit/certs';

export interface ClientSession12 {
  /** Non-empty when the server gave the session an ID. */
  readonly sessionId: Uint8Array;
  /** Present when the server issued a ticket (RFC 5077). */
  readonly ticket: Uint8Array | undefined;
  readonly masterSecret: Uint8Array;
  readonly suite: number;
  /** Always true: sessions without extended_master_secret are not kept (RFC 7627 §5.3). */
  readonly extendedMasterSecret: boolean;
  readonly peerCertificates: readonly Certificate[];
  /** Clock time the session was made, in ms, and how long it may be offered. */
  readonly createdAt: number;
  readonly lifetimeMs: number;
}

export interface ClientSession12Cache {
  get(serverName: string): ClientSession12 | undefined;
  put(serverName: string, session: ClientSession12): void;
  /** Forgets `serverName`'s session if it is still `session` (a fatal alert ended it: RFC 5246 §7.2.2). */
  remove(serverName: string, session: ClientSession12): void;
}

export class MemoryClientSession12Cache implements ClientSession12Cache {
  private readonly byName = new Map<string, ClientSession12>();

  constructor(private readonly maxNames = 256) {}

  get(serverName: string): ClientSession12 | undefined {
    return this.byName.get(serverName);
  }

  put(serverName: string, session: ClientSession12): void {
    this.byName.delete(serverName);
    this.byName.set(serverName, session);
    while (this.byName.size > this.maxNames) this.byName.delete(this.byName.keys().next().value!);
  }

  remove(serverName: string, session: ClientSession12): void {
    if (this.byName.get(serverName) === session) this.byName.delete(serverName);
  }
}
