// A man in the middle for bad-input tests: runs a real handshake up to a flight, decrypts the
// flight with the secrets from the key log, lets the test rewrite its messages, and re-encrypts.

import { concat } from '@tls-kit/crypto/bytes';
import { defaultProvider } from '@tls-kit/crypto/default';
import { ContentType, HandshakeType } from '@tls-kit/messages';
import type { ExecutionContext } from 'ava';
import {
  BadTLSDataError,
  type ClientOptions,
  ClientTLS,
  type Connection,
  InvalidatedError,
  REASON_ALERTS,
  type Reason,
  type ServerOptions,
  ServerTLS,
} from '../../src/index.js';
import { trafficKeys } from '../../src/keyschedule/key-schedule.js';
import { Deframer, type RawRecord } from '../../src/record/deframer.js';
import { PlaintextProtection, Tls13Protection } from '../../src/record/protection.js';
import { suiteByName } from '../../src/suites.js';
import { pki } from './pki.js';

export const suite = suiteByName('TLS_AES_128_GCM_SHA256')!;

export function records(bytes: Uint8Array): RawRecord[] {
  const d = new Deframer(1 << 24);
  d.push(bytes);
  const out: RawRecord[] = [];
  for (let r = d.next(); r; r = d.next()) out.push(r);
  return out;
}

export function protection(secret: Uint8Array) {
  const k = trafficKeys(defaultProvider, suite, secret);
  return new Tls13Protection(defaultProvider, suite, k.key, k.iv);
}

/** Splits concatenated handshake messages. */
export function splitMessages(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const len = (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
    out.push(bytes.slice(at, at + 4 + len));
    at += 4 + len;
  }
  return out;
}

export interface Endpoint {
  readonly connection: Connection;
  readonly out: Uint8Array[];
  readonly secrets: Map<string, Uint8Array>;
  closed: boolean | undefined;
  take(): Uint8Array;
}

function endpoint(
  start: (w: (d: Uint8Array) => void, c: (i: boolean) => void) => Connection,
  secrets: Map<string, Uint8Array>,
): Endpoint {
  const e = { out: [] as Uint8Array[], secrets, closed: undefined as boolean | undefined } as Endpoint;
  (e as { connection: Connection }).connection = start(
    (d) => e.out.push(d),
    (i) => {
      e.closed = i;
    },
  );
  e.take = () => concat(e.out.splice(0));
  return e;
}

const keyLogInto = (m: Map<string, Uint8Array>) => (line: string) => {
  const [label, , secret] = line.split(' ');
  m.set(label!, Uint8Array.from(Buffer.from(secret!, 'hex')));
};

export function makeClient(options: Partial<ClientOptions> = {}): Endpoint {
  const secrets = new Map<string, Uint8Array>();
  const tls = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    versions: ['TLSv1.3'],
    cipherSuites: [suite.name],
    keyLog: keyLogInto(secrets),
    ...options,
  });
  return endpoint((w, c) => tls.start(w, c), secrets);
}

export function makeServer(options: Partial<ServerOptions> = {}): Endpoint {
  const secrets = new Map<string, Uint8Array>();
  const tls = new ServerTLS({
    certificates: pki().chain('ecdsa'),
    versions: ['TLSv1.3'],
    keyLog: keyLogInto(secrets),
    ...options,
  });
  return endpoint((w, c) => tls.start(w, c), secrets);
}

/**
 * The server's first flight, decrypted: ServerHello and the encrypted handshake messages (the
 * NewSessionTickets that follow under the application key, RFC 8446 §4.6.1, are left out).
 */
export function serverFlight(
  client: Endpoint,
  server: Endpoint,
): { serverHello: Uint8Array; messages: Uint8Array[] } {
  server.connection.dataFromWire(client.take());
  const recs = records(server.take());
  const serverHello = recs[0]!.fragment.slice();
  const read = protection(server.secrets.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!);
  const inner: Uint8Array[] = [];
  for (const r of recs.filter((r) => r.type === ContentType.application_data)) {
    const messages = splitMessages(read.open(r).fragment);
    inner.push(...messages);
    if (messages.at(-1)![0] === HandshakeType.finished) break;
  }
  return { serverHello, messages: inner };
}

/** ServerHello in clear, then `messages` in one record under the server handshake key. */
export function encodeServerFlight(
  server: Endpoint,
  serverHello: Uint8Array,
  messages: Uint8Array[],
): Uint8Array {
  const write = protection(server.secrets.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!);
  const parts = [new PlaintextProtection().seal(ContentType.handshake, serverHello)];
  if (messages.length > 0) parts.push(write.seal(ContentType.handshake, concat(messages)));
  return concat(parts);
}

/**
 * The alert descriptions in `bytes`, decrypting with `secret` when given. Records under other keys
 * (the rest of a flight) fail to open and are skipped.
 */
export function alertsIn(bytes: Uint8Array, secret?: Uint8Array): number[] {
  let read = secret ? protection(secret) : undefined;
  const out: number[] = [];
  for (const r of records(bytes)) {
    if (r.type === ContentType.change_cipher_spec) continue;
    let opened = { type: r.type, fragment: r.fragment };
    if (r.type === ContentType.application_data) {
      if (!read || !secret) continue;
      try {
        opened = read.open(r);
      } catch {
        read = protection(secret);
        continue;
      }
    }
    if (opened.type === ContentType.alert) out.push(opened.fragment[1]!);
  }
  return out;
}

/** Handshake message bytes with a new body. */
export function message(type: number, body: Uint8Array): Uint8Array {
  return concat([
    new Uint8Array([type, body.length >>> 16, (body.length >>> 8) & 0xff, body.length & 0xff]),
    body,
  ]);
}

/**
 * `input` makes `e` fail for `reason`: the exception, the reason's alert on the wire (decrypted
 * with `secret`, by default the endpoint's handshake write key once it has one), and invalidation.
 */
export function expectFailure(
  t: ExecutionContext,
  e: Endpoint,
  input: Uint8Array,
  reason: Reason,
  secret?: Uint8Array,
): void {
  const error = t.throws(() => e.connection.dataFromWire(input), { instanceOf: BadTLSDataError });
  t.is(error?.reason, reason, error?.message);
  const alert = REASON_ALERTS[reason];
  t.is(error?.alertCode, alert);
  const key = secret ?? e.secrets.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET');
  t.deepEqual(alertsIn(e.take(), key), [alert], 'alert on the wire');
  t.is(e.connection.state, 'invalidated');
  t.is(e.closed, true, 'wireClose(true)');
  t.throws(() => e.connection.dataFromWire(new Uint8Array([22])), { instanceOf: InvalidatedError });
  t.throws(() => e.connection.dataFromApplication(new Uint8Array(1)), { instanceOf: InvalidatedError });
}

/** Runs the client against a server flight rewritten by `rewrite`. */
export function clientSees(
  rewrite: (f: { serverHello: Uint8Array; messages: Uint8Array[] }) => {
    serverHello: Uint8Array;
    messages: Uint8Array[];
  },
  clientOptions: Partial<ClientOptions> = {},
  serverOptions: Partial<ServerOptions> = {},
) {
  const client = makeClient(clientOptions);
  const server = makeServer(serverOptions);
  const flight = rewrite(serverFlight(client, server));
  return { client, server, bytes: encodeServerFlight(server, flight.serverHello, flight.messages) };
}
