// Handshake features in memory: HelloRetryRequest, client authentication, asynchronous
// certificate callbacks, resumption, KeyUpdate, exporters, record_size_limit, alerts, 0-RTT rejection.
import {
  type Certificate,
  type CertificateChainCallback,
  ClientCertificateStore,
  ServerCertificates,
} from '@tls-kit/certs';
import { concat } from '@tls-kit/crypto/bytes';
import { ClientHello, type ClientHelloExtension, ContentType, ExtensionType } from '@tls-kit/messages';
import test from 'ava';
import { frameHandshake } from '../src/handshake/messages.js';
import {
  AlertDescription as A,
  AlertLevel,
  BadTLSDataError,
  type ClientOptions,
  ClientTLS,
  InvalidAlertLevel,
  InvalidatedError,
  type ServerOptions,
  ServerTLS,
  TicketKeys,
} from '../src/index.js';
import { PlaintextProtection } from '../src/record/protection.js';
import {
  encodeServerFlight,
  makeClient,
  makeServer,
  protection,
  records,
  serverFlight,
} from './helpers/mitm.js';
import { pair, side, str, text } from './helpers/pipe.js';
import { type KeyKind, pki } from './helpers/pki.js';

function connect(
  clientOptions: Partial<ClientOptions> = {},
  serverOptions: Partial<ServerOptions> = {},
  tls?: { client?: ClientTLS; server?: ServerTLS },
) {
  const client =
    tls?.client ??
    new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore, ...clientOptions });
  const server = tls?.server ?? new ServerTLS({ certificates: pki().chain('ecdsa'), ...serverOptions });
  const p = pair(
    (w, c) => client.start(w, c),
    (w, c) => server.start(w, c),
  );
  p.pump();
  return { ...p, tls: { client, server } };
}

test('HelloRetryRequest: server supports only P-384, client shares ML-KEM hybrid and X25519', (t) => {
  const { client, server } = connect({}, { groups: ['secp384r1'] });
  t.is(client.connection.state, 'open');
  t.is(client.connection.namedGroup, 'secp384r1');
  t.is(server.connection.namedGroup, 'secp384r1');
});

/** The key_share entries (group code -> key_exchange) of the first ClientHello of these options. */
function clientShares(options: Partial<ClientOptions>): Map<number, Uint8Array> {
  const ch = ClientHello.parse(records(makeClient(options).take())[0]!.fragment.subarray(4));
  const ext = ch.extensions!.find((e) => e.extensionType === ExtensionType.key_share)!;
  const shares = (ext.extensionData as { clientShares: { group: number; keyExchange: Uint8Array }[] })
    .clientShares;
  return new Map(shares.map((s) => [s.group, s.keyExchange]));
}

test("default groups: the X25519 share is the hybrid's X25519 key (draft-ietf-tls-hybrid-design §3.2), and completes alone", (t) => {
  const shares = clientShares({});
  t.deepEqual([...shares.keys()], [0x11ec, 0x001d]);
  t.deepEqual(shares.get(0x001d), shares.get(0x11ec)!.subarray(1184));
  // A server without ML-KEM picks X25519 from that share (no HelloRetryRequest: it was sent).
  const { client, server } = connect({}, { groups: ['x25519'] });
  t.is(client.connection.namedGroup, 'x25519');
  t.is(server.connection.namedGroup, 'x25519');
  t.is(client.connection.state, 'open');
  // A fixed X25519 key (known-answer tests) still gets its own share.
  const fixed = new Uint8Array(32).fill(9);
  const own = clientShares({ keySharePrivateKeys: { x25519: fixed } });
  t.notDeepEqual(own.get(0x001d), own.get(0x11ec)!.subarray(1184));
});

test('HelloRetryRequest with only a cookie (alwaysHelloRetry)', (t) => {
  const { client, server } = connect({}, { alwaysHelloRetry: true });
  t.is(client.connection.state, 'open');
  t.is(server.connection.namedGroup, 'x25519mlkem768');
});

for (const group of ['x25519', 'secp256r1', 'secp384r1', 'x25519mlkem768'] as const) {
  test(`key exchange ${group}`, (t) => {
    const { client, server } = connect({ groups: [group] }, {});
    t.is(client.connection.namedGroup, group);
    t.is(server.connection.namedGroup, group);
  });
}

for (const kind of ['ecdsa', 'ecdsa384', 'rsa', 'ed25519'] as const) {
  test(`server certificate ${kind}`, (t) => {
    const { client } = connect({}, { certificates: pki().chain(kind) });
    t.is(client.connection.state, 'open');
    t.is(client.connection.peerCertificates.length, 2);
  });
}

test('SNI: SNIServerCertificates picks the chain for the name', async (t) => {
  const { SNIServerCertificates } = await import('@tls-kit/certs');
  const a = pki().leaf('ecdsa', ['DNS:a.example']);
  const b = pki().leaf('ed25519', ['DNS:b.example']);
  const certificates = new SNIServerCertificates([a, b, pki().root.withoutPrivateKey()]);
  for (const [name, scheme] of [
    ['a.example', 'ecdsa_secp256r1_sha256'],
    ['b.example', 'ed25519'],
  ] as const) {
    const { client, server } = connect({ serverHostname: name }, { certificates });
    t.is(client.connection.signatureScheme, scheme);
    t.is(server.connection.serverName, name);
  }
});

class Store extends ClientCertificateStore {
  roots: number | undefined;
  pending: (() => void) | undefined;
  constructor(
    private readonly kind: KeyKind | null,
    private readonly later = false,
  ) {
    super();
  }
  private answer(callback: CertificateChainCallback) {
    const go = () => callback(this.kind ? [pki().leaf(this.kind)] : null);
    if (this.later) this.pending = go;
    else go();
  }
  getCertificateChainForRoots(roots: ReadonlySet<unknown>, callback: CertificateChainCallback) {
    this.roots = roots.size;
    this.answer(callback);
  }
  getDefaultCertificateChain(callback: CertificateChainCallback) {
    this.roots = 0;
    this.answer(callback);
  }
}

test('client authentication: required, certificate_authorities passed to the store', (t) => {
  const store = new Store('rsa');
  const { client, server } = connect(
    { clientCertificateStore: store },
    { clientAuth: 'require', clientTrustRoot: pki().trustStore },
  );
  t.is(store.roots, 1);
  t.is(client.connection.state, 'open');
  t.is(server.connection.peerCertificates[0]!.subject.toString(), pki().leaf('rsa').subject.toString());
});

test('client authentication: requested, client has none, handshake completes', (t) => {
  const { client, server } = connect({}, { clientAuth: 'request', clientTrustRoot: pki().trustStore });
  t.is(client.connection.state, 'open');
  t.is(server.connection.peerCertificates.length, 0);
});

test('client authentication: required, client has none: certificate_required', (t) => {
  const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
  const server = new ServerTLS({
    certificates: pki().chain('ecdsa'),
    clientAuth: 'require',
    clientTrustRoot: pki().trustStore,
  });
  const p = pair(
    (w, c) => client.start(w, c),
    (w, c) => server.start(w, c),
  );
  const error = t.throws(() => p.pump(), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'NoClientCertificate');
  t.is(error?.alertCode, A.certificate_required);
});

test('client authentication answered asynchronously: the handshake pauses, then resumes', (t) => {
  const store = new Store('ed25519', true);
  const c = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    clientCertificateStore: store,
  });
  const s = new ServerTLS({
    certificates: pki().chain('ecdsa'),
    clientAuth: 'require',
    clientTrustRoot: pki().trustStore,
  });
  const p = pair(
    (w, cl) => c.start(w, cl),
    (w, cl) => s.start(w, cl),
  );
  p.client.connection.dataFromApplication(text('early bird'));
  p.pump();
  t.is(p.client.connection.state, 'waiting');
  t.truthy(store.pending);
  store.pending!();
  t.throws(() => store.pending!(), { instanceOf: InvalidatedError }, 'the callback works once');
  p.pump();
  t.is(p.client.connection.state, 'open');
  t.is(p.server.connection.state, 'open');
  t.is(str(p.server.received), 'early bird');
  t.is(p.server.connection.peerCertificates.length, 2);
});

class LaterCertificates extends ServerCertificates {
  pending: ((chain: Iterable<Certificate> | null) => void) | undefined;
  name: string | null | undefined;
  getCertificateChainForServerName(serverName: string | null, callback: CertificateChainCallback) {
    this.name = serverName;
    this.pending = callback;
  }
}

test('asynchronous ServerCertificates: input is buffered, app data after the resume goes to onApplicationData', (t) => {
  const certificates = new LaterCertificates();
  const server = new ServerTLS({ certificates });
  const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
  const lateData: Uint8Array[] = [];
  const c = side((write, close) => client.start(write, close));
  const s = side((write, close) =>
    server.start(write, close, undefined, { onApplicationData: (d) => lateData.push(d) }),
  );
  s.connection.dataFromWire(concat(c.out.splice(0)));
  t.is(s.connection.state, 'waiting');
  t.is(certificates.name, 'localhost');
  t.is(s.out.length, 0);
  certificates.pending!([pki().leaf('ecdsa'), pki().root.withoutPrivateKey()]);
  t.is(s.connection.state, 'handshaking');
  c.connection.dataFromWire(concat(s.out.splice(0)));
  c.connection.dataFromApplication(text('ping'));
  s.connection.dataFromWire(concat(c.out.splice(0)));
  t.is(s.connection.state, 'open');
  t.is(lateData.length, 0);
  t.pass();
});

test('asynchronous ServerCertificates: records arriving while waiting are processed on resume', (t) => {
  const certificates = new LaterCertificates();
  const server = new ServerTLS({ certificates });
  const client = makeClient({ cipherSuites: ['TLS_AES_128_GCM_SHA256'] });
  const delivered: Uint8Array[] = [];
  const out: Uint8Array[] = [];
  const s = server.start(
    (d) => out.push(d),
    () => {},
    undefined,
    { onApplicationData: (d) => delivered.push(d) },
  );
  const ch = client.take();
  // The ClientHello split in two calls, then a change_cipher_spec while waiting.
  s.dataFromWire(ch.subarray(0, 10));
  s.dataFromWire(ch.subarray(10));
  s.dataFromWire(new PlaintextProtection().seal(ContentType.change_cipher_spec, new Uint8Array([1])));
  t.is(s.state, 'waiting');
  certificates.pending!([pki().leaf('ecdsa')]);
  t.true(out.length > 0);
  client.connection.dataFromWire(concat(out.splice(0)));
  client.connection.dataFromApplication(text('after resume'));
  t.is(s.dataFromWire(client.take()).length, 12);
  t.is(s.state, 'open');
});

test('ServerCertificates answering null: unrecognized_name, reported through onError', (t) => {
  const certificates = new LaterCertificates();
  const server = new ServerTLS({ certificates });
  const client = makeClient();
  const errors: Error[] = [];
  const out: Uint8Array[] = [];
  const s = server.start(
    (d) => out.push(d),
    () => {},
    undefined,
    { onError: (e) => errors.push(e) },
  );
  s.dataFromWire(client.take());
  certificates.pending!(null);
  t.is(errors.length, 1);
  t.true(errors[0] instanceof BadTLSDataError);
  t.is((errors[0] as BadTLSDataError).reason, 'NoCertificateForServerName');
  t.is((errors[0] as BadTLSDataError).alertCode, A.unrecognized_name);
  t.is(s.state, 'invalidated');
  t.throws(() => s.dataFromWire(new Uint8Array(1)), { instanceOf: InvalidatedError });
});

test('resumption with a ticket: PSK handshake, no certificates sent, facts carried over', (t) => {
  const first = connect({ alpnProtocols: ['h2'] }, { alpnProtocols: ['h2'] });
  t.false(first.client.connection.resumed);
  const second = connect({}, {}, first.tls);
  t.true(second.client.connection.resumed);
  t.true(second.server.connection.resumed);
  t.is(second.client.connection.peerCertificates.length, 2);
  t.is(second.client.connection.alpnProtocol, 'h2');
  second.client.connection.dataFromApplication(text('resumed'));
  second.pump();
  t.is(str(second.server.received), 'resumed');
  // The ticket was used once; the second connection got a fresh one.
  const third = connect({}, {}, first.tls);
  t.true(third.client.connection.resumed);
});

test('a ticket from other ticket keys is ignored: full handshake', (t) => {
  const first = connect();
  const other = new ServerTLS({ certificates: pki().chain('ecdsa'), ticketKeys: new TicketKeys() });
  const second = connect({}, {}, { client: first.tls.client, server: other });
  t.false(second.client.connection.resumed);
  t.is(second.client.connection.state, 'open');
});

test('ticket keys rotate: a ticket survives the rotation of its key; expired tickets are refused', (t) => {
  let now = Date.now();
  const clock = () => now;
  const keys = new TicketKeys({ rotationMs: 60_000, clock });
  const server = new ServerTLS({
    certificates: pki().chain('ecdsa'),
    ticketKeys: keys,
    clock,
    ticketLifetime: 600,
  });
  const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore, clock });
  now += 50_000;
  connect({}, {}, { client, server });
  // The key that sealed the ticket is now the previous key: still accepted.
  now += 20_000;
  t.true(connect({}, {}, { client, server }).client.connection.resumed);
  // Lifetimes are capped at the rotation period (60 s here): past it, a full handshake.
  now += 61_000;
  t.false(connect({}, {}, { client, server }).client.connection.resumed);
});

test('KeyUpdate both ways, with update_requested answered', (t) => {
  const { client, server, pump } = connect();
  client.connection.keyUpdate(true);
  pump();
  client.connection.dataFromApplication(text('one'));
  server.connection.dataFromApplication(text('two'));
  pump();
  server.connection.keyUpdate(false);
  server.connection.dataFromApplication(text('three'));
  pump();
  t.is(str(server.received), 'one');
  t.is(str(client.received), 'twothree');
});

test('exporter: both sides derive the same keying material', (t) => {
  const { client, server } = connect();
  const a = client.connection.exportKeyingMaterial('EXPERIMENTAL test', text('ctx'), 32);
  const b = server.connection.exportKeyingMaterial('EXPERIMENTAL test', text('ctx'), 32);
  t.deepEqual(a, b);
  t.is(a.length, 32);
});

test('record_size_limit: the peer never sends us records over our limit', (t) => {
  const { client, server, pump } = connect({ recordSizeLimit: 512 });
  server.connection.dataFromApplication(new Uint8Array(5000));
  const bytes = concat(server.out);
  pump();
  t.is(str(client.received).length, 5000);
  for (const r of records(bytes)) t.true(r.fragment.length <= 512 + 16);
});

test('application data sent before the handshake is queued and delivered', (t) => {
  const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
  const server = new ServerTLS({ certificates: pki().chain('ecdsa') });
  const p = pair(
    (w, c) => client.start(w, c),
    (w, c) => server.start(w, c),
  );
  p.client.connection.dataFromApplication(text('queued'));
  p.server.connection.dataFromApplication(text('queued too'));
  p.pump();
  t.is(str(p.server.received), 'queued');
  t.is(str(p.client.received), 'queued too');
});

test('sendAlert level rules (InvalidAlertLevel)', (t) => {
  const { client } = connect();
  t.throws(() => client.connection.sendAlert(A.handshake_failure, AlertLevel.warning), {
    instanceOf: InvalidAlertLevel,
  });
  t.throws(() => client.connection.sendAlert(A.close_notify, AlertLevel.fatal), {
    instanceOf: InvalidAlertLevel,
  });
  // TLS 1.3 (RFC 8446 §6.2): every error alert is fatal, no_renegotiation included.
  t.throws(() => client.connection.sendAlert(A.no_renegotiation, AlertLevel.warning), {
    instanceOf: InvalidAlertLevel,
  });
  t.throws(() => client.connection.sendAlert(300), { instanceOf: InvalidAlertLevel });
  t.is(client.connection.state, 'open');
  client.connection.sendAlert(A.user_canceled);
  t.is(client.connection.state, 'open', 'a warning leaves the connection usable');
  client.connection.sendAlert(A.internal_error);
  t.is(client.connection.state, 'invalidated');
  t.is(client.closed, true);
});

test('peer user_canceled is tolerated, then close_notify ends the stream', (t) => {
  const { client, server, pump } = connect();
  const ended: string[] = [];
  client.connection.sendAlert(A.user_canceled);
  client.connection.applicationFinished();
  pump();
  t.true(server.connection.ended);
  t.is(server.connection.state, 'closed');
  t.is(client.connection.state, 'closed');
  t.is(ended.length, 0);
});

test('applicationFinished: no more data may be sent, peer data still arrives', (t) => {
  const { client, server } = connect();
  client.connection.applicationFinished();
  t.throws(() => client.connection.dataFromApplication(text('late')));
  server.connection.dataFromWire(concat(client.out.splice(0)));
  t.true(server.connection.ended);
});

test('0-RTT offered and rejected: the server skips the early data records', (t) => {
  const client = makeClient();
  const server = makeServer();
  const rec = records(client.take())[0]!;
  const ch = ClientHello.parse(rec.fragment.subarray(4));
  const extensions: ClientHelloExtension[] = [...(ch.extensions ?? [])];
  // early_data goes before pre_shared_key, which must stay last (there is none here).
  extensions.push({ extensionType: ExtensionType.early_data, extensionData: {} });
  const body = ClientHello.build({ ...ch, extensions });
  server.connection.dataFromWire(
    new PlaintextProtection().seal(ContentType.handshake, frameHandshake(1, body)),
  );
  const fakeEarly = new Uint8Array(5 + 100);
  fakeEarly.set([23, 3, 3, 0, 100]);
  // Early data encrypted under keys the server never derives: skipped, not bad_record_mac.
  t.notThrows(() => server.connection.dataFromWire(concat([fakeEarly, fakeEarly, fakeEarly])));
  t.is(server.connection.state, 'handshaking');
  // Too much of it: bad_record_mac.
  const big = new Uint8Array(5 + 16000);
  big.set([23, 3, 3, 16000 >> 8, 16000 & 0xff]);
  const error = t.throws(() => {
    for (let i = 0; i < 5; i++) server.connection.dataFromWire(big);
  });
  t.true(error instanceof BadTLSDataError && error.alertCode === A.bad_record_mac);
});

test('middlebox compatibility off: no session id, no change_cipher_spec', (t) => {
  const client = makeClient({ middleboxCompatibility: false });
  const server = makeServer();
  const flight = serverFlight(client, server);
  t.is(flight.serverHello[38], 0, 'empty legacy_session_id_echo');
  client.connection.dataFromWire(encodeServerFlight(server, flight.serverHello, flight.messages));
  t.false(records(client.take()).some((r) => r.type === ContentType.change_cipher_spec));
});

test('applicationFinished during the handshake: queued data, then close_notify once it completes', (t) => {
  const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
  const server = new ServerTLS({ certificates: pki().chain('ecdsa') });
  const p = pair(
    (w, c) => client.start(w, c),
    (w, c) => server.start(w, c),
  );
  p.client.connection.dataFromApplication(text('last words'));
  p.client.connection.applicationFinished();
  t.throws(() => p.client.connection.dataFromApplication(text('more')));
  p.pump();
  t.is(str(p.server.received), 'last words');
  t.true(p.server.connection.ended);
  t.true(p.client.connection.ended);
  t.is(p.client.closed, true);
  t.true(p.client.connection.handshakeComplete);
});

test('several certificate sources: the first chain whose key fits the client signature_algorithms', (t) => {
  const certificates = [pki().chain('ecdsa'), pki().chain('rsa')];
  const ecdsa = connect({}, { certificates });
  t.is(ecdsa.client.connection.signatureScheme, 'ecdsa_secp256r1_sha256');
  const rsa = connect({ signatureSchemes: ['rsa_pss_rsae_sha256', 'rsa_pkcs1_sha256'] }, { certificates });
  t.is(rsa.client.connection.signatureScheme, 'rsa_pss_rsae_sha256');
  const none = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    signatureSchemes: ['ed25519'],
  });
  const server = new ServerTLS({ certificates });
  const p = pair(
    (w, c) => none.start(w, c),
    (w, c) => server.start(w, c),
  );
  const error = t.throws(() => p.pump(), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'NoSharedSignatureScheme');
  t.is(error?.alertCode, A.handshake_failure);
});

test('event handlers may send: data written from onHandshakeComplete goes out with the flight', (t) => {
  const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
  const server = new ServerTLS({ certificates: pki().chain('ecdsa') });
  let serverConnection: import('../src/index.js').Connection | undefined;
  const p = pair(
    (w, c) => client.start(w, c),
    (w, c) => {
      serverConnection = server.start(w, c, undefined, {
        onHandshakeComplete: () => serverConnection!.dataFromApplication(text('welcome')),
      });
      return serverConnection;
    },
  );
  p.pump();
  t.is(str(p.client.received), 'welcome');
});

test('automatic KeyUpdate after keyUpdateAfterRecords records (RFC 8446 §5.5)', (t) => {
  const secrets = new Map<string, Uint8Array>();
  const { client, server, pump } = connect({
    keyUpdateAfterRecords: 3,
    maxFragmentSize: 64,
    keyLog: (line) => {
      const [label, , secret] = line.split(' ');
      secrets.set(label!, Uint8Array.from(Buffer.from(secret!, 'hex')));
    },
  });
  const payload = new Uint8Array(64 * 10).map((_, i) => i & 0xff);
  client.connection.dataFromApplication(payload);
  const wire = concat(client.out);
  pump();
  t.deepEqual(concat(server.received), payload);
  // Only the first three records are under the first application key.
  const first = protection(secrets.get('CLIENT_TRAFFIC_SECRET_0')!);
  const recs = records(wire);
  for (let i = 0; i < 3; i++) t.notThrows(() => first.open(recs[i]!));
  const after = protection(secrets.get('CLIENT_TRAFFIC_SECRET_0')!);
  for (let i = 0; i < 3; i++) after.open(recs[i]!);
  const update = after.open(recs[3]!);
  t.is(update.type, ContentType.handshake);
  t.is(update.fragment[0], 24, 'KeyUpdate');
  t.throws(() => after.open(recs[4]!));
});

test('one dataFromWire call with 2 MiB of records: processed as it goes, not refused as over-buffered', (t) => {
  const { client, server, pump } = connect();
  const data = new Uint8Array(2 << 20);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  client.connection.dataFromApplication(data);
  pump();
  t.true(Buffer.from(concat(server.received)).equals(data));
});

test('input beyond maxBufferedInput while a certificate callback is pending: internal_error', (t) => {
  const certificates = new LaterCertificates();
  const server = new ServerTLS({ certificates, maxBufferedInput: 32 * 1024 });
  const client = makeClient();
  const s = server.start(
    () => {},
    () => {},
  );
  s.dataFromWire(client.take());
  t.is(s.state, 'waiting');
  const junk = new Uint8Array(5 + 16000);
  junk.set([23, 3, 3, 16000 >> 8, 16000 & 0xff]);
  s.dataFromWire(junk);
  const error = t.throws(() => s.dataFromWire(concat([junk, junk])), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'TooMuchBufferedInput');
  t.is(error?.alertCode, A.internal_error);
  t.is(s.state, 'invalidated');
});
