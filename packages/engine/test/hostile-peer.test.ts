// A peer that makes us work for nothing, in memory: renegotiation and KeyUpdate floods get bounded
// answers, records carrying nothing are capped (empty records, warning alerts, dropped
// change_cipher_spec records), TLS 1.2 warning alerts leave the connection usable, and while the
// transport is full (setTransportFull) input is processed but the KeyUpdate answer waits.

import { concat } from '@tls-kit/crypto/bytes';
import { AlertLevel, ClientHello, ContentType, ExtensionType, HandshakeType as H } from '@tls-kit/messages';
import test from 'ava';
import { MAX_RENEGOTIATION_REFUSALS } from '../src/handshake/common12.js';
import { frameHandshake } from '../src/handshake/messages.js';
import {
  AlertDescription as A,
  BadTLSDataError,
  REASON_ALERTS,
  ServerTLS,
  TLSAlertError,
  type TLSVersion,
} from '../src/index.js';
import { MAX_EMPTY_RECORDS, MAX_KEY_UPDATES, MAX_WARNING_ALERTS } from '../src/record/empty-record-caps.js';
import { alertsIn, records } from './helpers/mitm.js';
import { pki } from './helpers/pki.js';
import {
  body,
  CCS_RECORD,
  clientTLS12,
  complete,
  coreOf,
  type End,
  end as endpoint,
  expectAlert,
  plainHandshakeMessages,
  plainRecords,
  send,
  startClient,
  startServer,
} from './helpers/tls12-memory.js';

const VERSIONS: readonly TLSVersion[] = ['TLSv1.3', 'TLSv1.2'];
const encode = (s: string) => new TextEncoder().encode(s);
const decodeText = (b: Uint8Array) => new TextDecoder().decode(b);

interface Pair {
  readonly client: End;
  readonly server: End;
  readonly warnings: number[];
}

/** A completed handshake; `warnings` collects the client's onWarningAlert calls. */
function open(version: TLSVersion): Pair {
  const warnings: number[] = [];
  const tls = clientTLS12({ versions: [version] });
  const client = endpoint((w, c, onEnd) =>
    tls.start(w, c, undefined, { onEnd, onWarningAlert: (code) => warnings.push(code) }),
  );
  const server = startServer(new ServerTLS({ certificates: pki().chain('ecdsa'), versions: [version] }));
  complete(client, server);
  return { client, server, warnings };
}

/**
 * `deliver` fails with BadTLSDataError(reason), `end` ends with a record (an alert, protected or
 * not) and is invalidated; expectAlert reads the alert itself when it is not protected.
 */
function expectFatal(...args: Parameters<typeof expectAlert>): void {
  const [t, end, reason, deliver] = args;
  if (end.connection.tlsVersion !== 'TLSv1.3') {
    expectAlert(...args);
    return;
  }
  const error = t.throws(deliver, { instanceOf: BadTLSDataError });
  t.is(error?.reason, reason);
  t.is(error?.alertCode, REASON_ALERTS[reason]);
  t.is(records(end.take()).at(-1)?.type, ContentType.application_data);
  t.is(end.connection.state, 'invalidated');
  t.is(end.closed, true);
}

/** Makes `end` send one record of `type` carrying `data` under its current keys. */
function sendRecord(end: End, type: number, data: Uint8Array): void {
  const core = coreOf(end.connection);
  core.perform(() => core.sendRaw(type, data));
}

/** `count` copies of an empty handshake message of `type`, packed in one record. */
const packed = (type: number, count: number) =>
  concat(Array.from({ length: count }, () => frameHandshake(type, new Uint8Array(0))));

// --- Section: bounded protocol answers ---

test('TLS 1.2 server: packed renegotiation ClientHellos get a few refusals, then unexpected_message', (t) => {
  const { client, server } = open('TLSv1.2');
  sendRecord(client, ContentType.handshake, packed(H.client_hello, 4096));
  expectAlert(t, server, 'TooManyRenegotiationAttempts', () => send(client, server));
});

test('TLS 1.2 server: each refusal is a no_renegotiation warning, up to the cap', (t) => {
  const { client, server } = open('TLSv1.2');
  for (let i = 0; i < MAX_RENEGOTIATION_REFUSALS; i++) {
    sendRecord(client, ContentType.handshake, frameHandshake(H.client_hello, new Uint8Array(0)));
    send(client, server);
  }
  // The refusals reach the client as warnings, which do not end a TLS 1.2 connection.
  send(server, client);
  t.is(client.connection.state, 'open');
  t.deepEqual(client.connection.warningAlerts, Array(MAX_WARNING_ALERTS).fill(A.no_renegotiation));
  sendRecord(client, ContentType.handshake, frameHandshake(H.client_hello, new Uint8Array(0)));
  expectAlert(t, server, 'TooManyRenegotiationAttempts', () => send(client, server));
});

test('TLS 1.2 client: 4,096 HelloRequests in one record get a bounded answer', (t) => {
  const { client, server } = open('TLSv1.2');
  sendRecord(server, ContentType.handshake, packed(H.hello_request, 4096));
  const input = server.take();
  const error = t.throws(() => client.connection.dataFromWire(input), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'TooManyRenegotiationAttempts');
  t.is(error?.alertCode, A.unexpected_message);
  const output = client.take();
  // A few warnings and the fatal alert (31-byte AES-GCM records), whatever the number of requests.
  t.is(records(output).length, MAX_RENEGOTIATION_REFUSALS + 1);
  t.is(client.connection.state, 'invalidated');
});

test('TLS 1.3: KeyUpdate requests are answered by one KeyUpdate, which the peer can read', (t) => {
  const { client, server } = open('TLSv1.3');
  for (let i = 0; i < 10; i++) client.connection.keyUpdate(true);
  server.connection.dataFromWire(client.take());
  const answer = server.take();
  t.is(records(answer).length, 1, 'one record: one KeyUpdate for ten requests');
  client.connection.dataFromWire(answer);
  t.is(client.take().length, 0, 'update_not_requested is not answered');
  server.connection.dataFromApplication(encode('after'));
  t.is(decodeText(send(server, client)), 'after');
  client.connection.dataFromApplication(encode('back'));
  t.is(decodeText(send(client, server)), 'back');
});

test('TLS 1.3: an owed KeyUpdate goes out before our next application data (RFC 8446 §4.6.3)', (t) => {
  const { client, server } = open('TLSv1.3');
  client.connection.keyUpdate(true);
  client.connection.dataFromApplication(encode('x'));
  // The server answers data with data from inside its own call: the KeyUpdate comes first.
  const received = server.connection.dataFromWire(client.take());
  t.is(decodeText(received), 'x');
  server.connection.dataFromApplication(encode('y'));
  const out = server.take();
  t.is(records(out).length, 2, 'KeyUpdate, then the data');
  t.is(decodeText(client.connection.dataFromWire(out)), 'y');
});

test(`TLS 1.3: more than ${MAX_KEY_UPDATES} KeyUpdates without data is unexpected_message`, (t) => {
  const { client, server } = open('TLSv1.3');
  for (let i = 0; i < MAX_KEY_UPDATES; i++) client.connection.keyUpdate(false);
  server.connection.dataFromWire(client.take());
  client.connection.dataFromApplication(encode('data resets the count'));
  for (let i = 0; i < MAX_KEY_UPDATES; i++) client.connection.keyUpdate(false);
  t.is(decodeText(server.connection.dataFromWire(client.take())), 'data resets the count');
  client.connection.keyUpdate(false);
  const error = t.throws(() => server.connection.dataFromWire(client.take()), {
    instanceOf: BadTLSDataError,
  });
  t.is(error?.reason, 'TooManyKeyUpdates');
  t.is(error?.alertCode, A.unexpected_message);
});

// --- Section: records that carry nothing ---

for (const version of VERSIONS) {
  test(`${version}: ${MAX_EMPTY_RECORDS} empty records in a row pass, one more is unexpected_message`, (t) => {
    const { client, server } = open(version);
    const empties = () => {
      for (let i = 0; i < MAX_EMPTY_RECORDS; i++)
        sendRecord(client, ContentType.application_data, new Uint8Array(0));
    };
    empties();
    sendRecord(client, ContentType.application_data, encode('data'));
    empties();
    t.is(decodeText(send(client, server)), 'data', 'data resets the count');
    sendRecord(client, ContentType.application_data, new Uint8Array(0));
    expectFatal(t, server, 'TooManyEmptyRecords', () => send(client, server));
  });

  test(`${version}: an empty alert record is unexpected_message`, (t) => {
    const { client, server } = open(version);
    sendRecord(client, ContentType.alert, new Uint8Array(0));
    expectFatal(t, server, 'EmptyAlertRecord', () => send(client, server));
  });
}

test('an empty plaintext alert record before the handshake is unexpected_message', (t) => {
  const server = startServer(new ServerTLS({ certificates: pki().chain('ecdsa') }));
  expectAlert(t, server, 'EmptyAlertRecord', () =>
    server.connection.dataFromWire(new Uint8Array([ContentType.alert, 3, 3, 0, 0])),
  );
});

test(`TLS 1.3: ${MAX_EMPTY_RECORDS} change_cipher_spec records before Finished are dropped, more are unexpected_message`, (t) => {
  const client = startClient(clientTLS12({ versions: ['TLSv1.3'] }));
  const server = startServer(new ServerTLS({ certificates: pki().chain('ecdsa') }));
  send(client, server);
  const ccs = (n: number) => concat(Array.from({ length: n }, () => CCS_RECORD));
  server.connection.dataFromWire(ccs(MAX_EMPTY_RECORDS));
  t.is(server.connection.state, 'handshaking');
  expectFatal(t, server, 'TooManyEmptyRecords', () => server.connection.dataFromWire(ccs(1)));
});

// --- Section: TLS 1.2 warning alerts ---

test('TLS 1.2: warning alerts leave the connection usable, are reported and kept', (t) => {
  const { client, server, warnings } = open('TLSv1.2');
  server.connection.sendAlert(A.unrecognized_name, AlertLevel.warning);
  server.connection.sendAlert(A.bad_certificate, AlertLevel.warning);
  sendRecord(server, ContentType.alert, new Uint8Array([AlertLevel.warning, 200]));
  server.connection.dataFromApplication(encode('still here'));
  t.is(decodeText(send(server, client)), 'still here');
  t.is(client.connection.state, 'open');
  t.deepEqual(warnings, [A.unrecognized_name, A.bad_certificate, 200]);
  t.deepEqual(client.connection.warningAlerts, [A.unrecognized_name, A.bad_certificate, 200]);
});

test(`TLS 1.2: more than ${MAX_WARNING_ALERTS} warning alerts in a row is unexpected_message`, (t) => {
  const { client, server } = open('TLSv1.2');
  for (let i = 0; i < MAX_WARNING_ALERTS; i++)
    server.connection.sendAlert(A.unrecognized_name, AlertLevel.warning);
  server.connection.dataFromApplication(encode('data resets the count'));
  for (let i = 0; i < MAX_WARNING_ALERTS; i++)
    server.connection.sendAlert(A.unrecognized_name, AlertLevel.warning);
  t.is(decodeText(send(server, client)), 'data resets the count');
  server.connection.sendAlert(A.unrecognized_name, AlertLevel.warning);
  expectAlert(t, client, 'TooManyWarningAlerts', () => send(server, client));
});

test('TLS 1.2: a warning unrecognized_name before ServerHello does not stop the client', (t) => {
  const warnings: number[] = [];
  const tls = clientTLS12({ versions: ['TLSv1.2'] });
  const client = endpoint((w, c, onEnd) =>
    tls.start(w, c, undefined, { onEnd, onWarningAlert: (code) => warnings.push(code) }),
  );
  const server = startServer(new ServerTLS({ certificates: pki().chain('ecdsa') }));
  send(client, server);
  const warning = new Uint8Array([ContentType.alert, 3, 3, 0, 2, AlertLevel.warning, A.unrecognized_name]);
  client.connection.dataFromWire(concat([warning, server.take()]));
  complete(client, server);
  t.true(client.connection.handshakeComplete);
  t.deepEqual(warnings, [A.unrecognized_name]);
});

test('TLS 1.3: a warning alert other than user_canceled ends the connection (RFC 8446 §6.2)', (t) => {
  const { client, server } = open('TLSv1.3');
  sendRecord(server, ContentType.alert, new Uint8Array([AlertLevel.warning, A.unrecognized_name]));
  const error = t.throws(() => send(server, client), { instanceOf: TLSAlertError });
  t.is(error?.alertCode, A.unrecognized_name);
  t.is(client.connection.state, 'invalidated');
});

// --- Section: alerts under the keys in force; ClientHello checks ---

test('TLS 1.3 server: two ClientHellos in one record get an alert under the handshake keys', (t) => {
  const secrets = new Map<string, string>();
  const client = startClient(clientTLS12({ versions: ['TLSv1.3'] }));
  const server = startServer(
    new ServerTLS({
      certificates: pki().chain('ecdsa'),
      keyLog: (line) => {
        const [label, , secret] = line.split(' ');
        secrets.set(label!, secret!);
      },
    }),
  );
  const hello = plainHandshakeMessages(client.take())[0]!;
  const error = t.throws(() => server.connection.dataFromWire(plainRecords([concat([hello, hello])])), {
    instanceOf: BadTLSDataError,
  });
  t.is(error?.reason, 'HandshakeMessageSplitAcrossKeyChange');
  t.is(error?.alertCode, A.unexpected_message);
  const out = server.take();
  const types = records(out).map((r) => r.type);
  t.is(types.at(-1), ContentType.application_data, 'the alert is protected');
  const key = Uint8Array.from(Buffer.from(secrets.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!, 'hex'));
  t.deepEqual(alertsIn(out, key), [A.unexpected_message]);
  // The client, which installed the handshake keys from the ServerHello, reads it.
  const received = t.throws(() => client.connection.dataFromWire(out), { instanceOf: TLSAlertError });
  t.is(received?.alertCode, A.unexpected_message);
});

/** The client's first ClientHello rewritten by `change`, in one plaintext record. */
function rewrittenHello(change: (ch: ReturnType<typeof ClientHello.parse>) => object, groups = ['x25519']) {
  const client = startClient(clientTLS12({ versions: ['TLSv1.3', 'TLSv1.2'], groups: groups as never }));
  const ch = ClientHello.parse(body(plainHandshakeMessages(client.take())[0]!));
  return plainRecords([frameHandshake(H.client_hello, ClientHello.build({ ...ch, ...change(ch) } as never))]);
}

for (const legacyVersion of [0x0300, 0x0200, 0x0000]) {
  test(`ClientHello legacy_version 0x${legacyVersion.toString(16).padStart(4, '0')} is protocol_version (RFC 8446 D.5)`, (t) => {
    const server = startServer(new ServerTLS({ certificates: pki().chain('ecdsa') }));
    expectAlert(t, server, 'ObsoleteClientVersion', () =>
      server.connection.dataFromWire(rewrittenHello(() => ({ legacyVersion }))),
    );
  });
}

for (const group of ['x25519', 'x448'] as const) {
  test(`an empty ${group} key share is illegal_parameter`, (t) => {
    const server = startServer(
      new ServerTLS({ certificates: pki().chain('ecdsa'), groups: ['x25519', 'x448'] }),
    );
    const hello = rewrittenHello(
      (ch) => ({
        extensions: ch.extensions?.map((e) =>
          e.extensionType === ExtensionType.key_share
            ? {
                ...e,
                extensionData: {
                  clientShares: (e.extensionData as { clientShares: { group: number }[] }).clientShares.map(
                    (s) => ({ group: s.group, keyExchange: new Uint8Array(0) }),
                  ),
                },
              }
            : e,
        ),
      }),
      [group],
    );
    expectAlert(t, server, 'BadKeyShare', () => server.connection.dataFromWire(hello));
  });
}

// --- Section: transport backpressure ---

for (const version of VERSIONS) {
  test(`${version}: while the transport is full input is still processed`, (t) => {
    const { client, server } = open(version);
    server.connection.setTransportFull(true);
    t.true(server.connection.wantsRead, 'reading does not wait on our writes');
    client.connection.dataFromApplication(encode('read'));
    t.is(decodeText(send(client, server)), 'read');
    server.connection.setTransportFull(false);
    client.connection.dataFromApplication(encode('then'));
    t.is(decodeText(send(client, server)), 'then');
  });
}

test('TLS 1.3: while the transport is full the KeyUpdate answer waits for the drain, one for all', (t) => {
  const { client, server } = open('TLSv1.3');
  server.connection.setTransportFull(true);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < MAX_KEY_UPDATES; i++) client.connection.keyUpdate(true);
    client.connection.dataFromApplication(encode(`${round}`));
    t.is(decodeText(send(client, server)), `${round}`, 'the data is delivered');
  }
  t.is(server.take().length, 0, 'nothing written while full');
  server.connection.setTransportFull(false);
  const answer = server.take();
  t.is(records(answer).length, 1, 'one KeyUpdate on the drain');
  client.connection.dataFromWire(answer);
  server.connection.dataFromApplication(encode('after'));
  t.is(decodeText(send(server, client)), 'after');
});
