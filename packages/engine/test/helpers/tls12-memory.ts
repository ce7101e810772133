// In-memory TLS 1.2 endpoints for the state-table and bad-input tests: our client and server
// joined by hand, so a test can look at (and change) each flight between them.
import { InvalidatedError } from '@tls-kit/certs';
import { concat } from '@tls-kit/crypto/bytes';
import { type ClientHello, ContentType, ServerHello } from '@tls-kit/messages';
import type { ExecutionContext } from 'ava';
import type { ConnectionCore } from '../../src/core.js';
import { frameHandshake } from '../../src/handshake/messages.js';
import {
  BadTLSDataError,
  type ClientOptions,
  ClientTLS,
  type Connection,
  REASON_ALERTS,
  type Reason,
  type ServerOptions,
  ServerTLS,
} from '../../src/index.js';
import { records, splitMessages } from './mitm.js';
import { pki } from './pki.js';

export interface End {
  readonly connection: Connection;
  readonly out: Uint8Array[];
  /** wireClose's argument once called. */
  closed: boolean | undefined;
  ended: boolean;
  /** NSS key log lines. */
  readonly keyLog: string[];
  /** Takes everything written so far. */
  take(): Uint8Array;
}

/** An End around the connection `start` makes from its writeToWire, wireClose and onEnd. */
export function end(
  start: (w: (d: Uint8Array) => void, c: (i: boolean) => void, onEnd: () => void) => Connection,
  keyLog: string[] = [],
): End {
  const e = { out: [] as Uint8Array[], closed: undefined, ended: false, keyLog } as unknown as End;
  (e as { connection: Connection }).connection = start(
    (d) => e.out.push(d),
    (i) => {
      e.closed = i;
    },
    () => {
      e.ended = true;
    },
  );
  e.take = () => concat(e.out.splice(0));
  return e;
}

/** A ClientTLS for TLS 1.2 only; reuse it to resume. */
export function clientTLS12(options: Partial<ClientOptions> = {}, keyLog: string[] = []): ClientTLS {
  return new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    versions: ['TLSv1.2'],
    keyLog: (l) => keyLog.push(l),
    ...options,
  });
}

export function serverTLS12(options: Partial<ServerOptions> = {}, keyLog: string[] = []): ServerTLS {
  return new ServerTLS({ certificates: pki().chain('ecdsa'), keyLog: (l) => keyLog.push(l), ...options });
}

export function startClient(tls: ClientTLS, keyLog: string[] = []): End {
  return end((w, c, onEnd) => tls.start(w, c, undefined, { onEnd }), keyLog);
}

export function startServer(tls: ServerTLS, keyLog: string[] = []): End {
  return end((w, c, onEnd) => tls.start(w, c, undefined, { onEnd }), keyLog);
}

/** Moves what `from` wrote to `to`; returns the application data `to` got. */
export function send(from: End, to: End): Uint8Array {
  return to.connection.dataFromWire(from.take());
}

/** Runs the handshake to completion (both sides open). */
export function complete(client: End, server: End): void {
  for (let i = 0; i < 10 && (client.out.length > 0 || server.out.length > 0); i++) {
    if (client.out.length > 0) send(client, server);
    if (server.out.length > 0) send(server, client);
  }
}

/** The content types of the records in `bytes`. */
export function recordTypes(bytes: Uint8Array): number[] {
  return records(bytes).map((r) => r.type);
}

/** The handshake message types in the unprotected handshake records of `bytes`. */
export function plainHandshakeTypes(bytes: Uint8Array): number[] {
  const plain: Uint8Array[] = [];
  for (const r of records(bytes)) {
    if (r.type === ContentType.change_cipher_spec) break;
    if (r.type === ContentType.handshake) plain.push(r.fragment);
  }
  return splitMessages(concat(plain)).map((m) => m[0]!);
}

/** The handshake messages (framed) in the unprotected handshake records of `bytes`. */
export function plainHandshakeMessages(bytes: Uint8Array): Uint8Array[] {
  const plain: Uint8Array[] = [];
  for (const r of records(bytes)) {
    if (r.type === ContentType.change_cipher_spec) break;
    if (r.type === ContentType.handshake) plain.push(r.fragment);
  }
  return splitMessages(concat(plain));
}

/** Unprotected handshake records carrying `messages`, one record per message. */
export function plainRecords(messages: readonly Uint8Array[]): Uint8Array {
  return concat(
    messages.map((m) =>
      concat([new Uint8Array([ContentType.handshake, 3, 3, m.length >> 8, m.length & 0xff]), m]),
    ),
  );
}

export const CCS_RECORD = new Uint8Array([ContentType.change_cipher_spec, 3, 3, 0, 1, 1]);

export function coreOf(connection: Connection): ConnectionCore {
  return (connection as unknown as { core: ConnectionCore }).core;
}

/** Makes `connection` send a handshake message under its current keys (e.g. a renegotiation attempt). */
export function inject(connection: Connection, type: number, body: Uint8Array): void {
  const core = coreOf(connection);
  core.perform(() => core.sendRaw(ContentType.handshake, frameHandshake(type, body)));
}

/** `deliver` fails with BadTLSDataError(reason), `end` wrote the reason's alert, and is invalidated. */
export function expectAlert(t: ExecutionContext, end: End, reason: Reason, deliver: () => unknown): void {
  const error = t.throws(deliver, { instanceOf: BadTLSDataError });
  t.is(error?.reason, reason, error?.message);
  const alert = REASON_ALERTS[reason];
  t.is(error?.alertCode, alert);
  const last = records(end.take()).at(-1);
  t.is(last?.type, ContentType.alert);
  // Before ChangeCipherSpec the alert is readable: fatal + description.
  if (last?.fragment.length === 2) t.deepEqual([...last.fragment], [2, alert]);
  t.is(end.connection.state, 'invalidated');
  t.not(end.closed, undefined);
  t.throws(() => end.connection.dataFromWire(new Uint8Array(5)), { instanceOf: InvalidatedError });
}

/**
 * Rewrites (or drops, when `change` returns undefined) the message of `type` among the unprotected
 * handshake records of a flight; records from the first ChangeCipherSpec on are kept as they are.
 */
export function rewrite(
  flight: Uint8Array,
  type: number,
  change: (message: Uint8Array) => Uint8Array | undefined,
): Uint8Array {
  const recs = records(flight);
  const ccs = recs.findIndex((r) => r.type === ContentType.change_cipher_spec);
  const tail = ccs < 0 ? [] : recs.slice(ccs);
  const messages = plainHandshakeMessages(flight).flatMap((m) => {
    if (m[0] !== type) return [m];
    const changed = change(m);
    return changed ? [changed] : [];
  });
  return concat([plainRecords(messages), ...tail.map((r) => concat([r.header, r.fragment]))]);
}

export const body = (m: Uint8Array) => m.subarray(4);

export function withoutExtension(
  message: Uint8Array,
  extension: number,
  codec: typeof ClientHello | typeof ServerHello,
): Uint8Array {
  const parsed = codec.parse(body(message)) as { extensions?: { extensionType: number }[] };
  const extensions = parsed.extensions?.filter((e) => e.extensionType !== extension);
  return frameHandshake(message[0]!, (codec as typeof ClientHello).build({ ...parsed, extensions } as never));
}

/** A ServerHello with one more extension of `type` and an empty body (an answer nobody asked for). */
export function withEmptyExtension(serverHello: Uint8Array, type: number): Uint8Array {
  const sh = ServerHello.parse(body(serverHello));
  const extensions = [...(sh.extensions ?? []), { extensionType: type, extensionData: {} }];
  return frameHandshake(serverHello[0]!, ServerHello.build({ ...sh, extensions } as never));
}
