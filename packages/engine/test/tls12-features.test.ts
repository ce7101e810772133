// TLS 1.2 features in memory: version negotiation between our own endpoints, SNI certificate
// choice, ALPN, record limits, large transfers, key log lines, queued early application data.
import { SNIServerCertificates } from '@tls-kit/certs';
import {
  AlertDescription,
  CipherSuite,
  ClientHello,
  ContentType,
  ExtensionType,
  HandshakeType,
  ServerHello,
} from '@tls-kit/messages';
import test from 'ava';
import { frameHandshake } from '../src/handshake/messages.js';
import { BadTLSDataError, TLSAlertError } from '../src/index.js';
import { records } from './helpers/mitm.js';
import { pki } from './helpers/pki.js';
import {
  clientTLS12,
  complete,
  plainHandshakeMessages,
  plainRecords,
  send,
  serverTLS12,
  startClient,
  startServer,
} from './helpers/tls12-memory.js';

for (const [client, server, expected] of [
  [['TLSv1.3', 'TLSv1.2'], ['TLSv1.3', 'TLSv1.2'], 'TLSv1.3'],
  [['TLSv1.3', 'TLSv1.2'], ['TLSv1.2'], 'TLSv1.2'],
  [['TLSv1.2'], ['TLSv1.3', 'TLSv1.2'], 'TLSv1.2'],
  [['TLSv1.2'], ['TLSv1.2'], 'TLSv1.2'],
] as const) {
  test(`versions: client ${client.join('+')} / server ${server.join('+')} -> ${expected}`, (t) => {
    const c = startClient(clientTLS12({ versions: client }));
    const s = startServer(serverTLS12({ versions: server }));
    complete(c, s);
    t.is(c.connection.tlsVersion, expected);
    t.is(s.connection.tlsVersion, expected);
    t.is(c.connection.state, 'open');
    // The name the client sent in server_name, on both sides whatever the version.
    t.is(c.connection.serverName, 'localhost');
    t.is(s.connection.serverName, 'localhost');
  });
}

test('versions: a TLS 1.3-only client and a TLS 1.2-only server -> protocol_version', (t) => {
  const c = startClient(clientTLS12({ versions: ['TLSv1.3'] }));
  const s = startServer(serverTLS12({ versions: ['TLSv1.2'] }));
  const error = t.throws(() => send(c, s), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'NoSupportedVersion');
  t.is(error?.alertCode, AlertDescription.protocol_version);
  t.throws(() => send(s, c), { instanceOf: TLSAlertError });
});

test('versions: a TLS 1.2-only client and a TLS 1.3-only server -> protocol_version', (t) => {
  const c = startClient(clientTLS12());
  const s = startServer(serverTLS12({ versions: ['TLSv1.3'] }));
  const error = t.throws(() => send(c, s), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'NoSupportedVersion');
  t.is(error?.alertCode, AlertDescription.protocol_version);
});

test('SNI: SNIServerCertificates picks the chain for the client name', (t) => {
  const p = pki();
  const a = p.leaf('ecdsa', ['DNS:a.example']);
  const b = p.leaf('rsa', ['DNS:b.example']);
  const certificates = new SNIServerCertificates([a, b, p.root.withoutPrivateKey()], [a]);
  const c = startClient(clientTLS12({ serverHostname: 'b.example' }));
  const s = startServer(serverTLS12({ certificates }));
  complete(c, s);
  t.is(s.connection.serverName, 'b.example');
  t.is(c.connection.cipherSuite, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
  t.regex(c.connection.peerCertificates[0]!.subject.toString(), /b\.example/);
});

test('ALPN: chosen by the server; none in common -> no_application_protocol', (t) => {
  const c = startClient(clientTLS12({ alpnProtocols: ['h2', 'http/1.1'] }));
  const s = startServer(serverTLS12({ alpnProtocols: ['http/1.1'] }));
  complete(c, s);
  t.is(c.connection.alpnProtocol, 'http/1.1');
  t.is(s.connection.alpnProtocol, 'http/1.1');
  const c2 = startClient(clientTLS12({ alpnProtocols: ['h2'] }));
  const s2 = startServer(serverTLS12({ alpnProtocols: ['http/1.1'] }));
  const error = t.throws(() => send(c2, s2), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'NoApplicationProtocol');
  t.is(error?.alertCode, AlertDescription.no_application_protocol);
});

test('record_size_limit: each side keeps the records it sends within the peer limit', (t) => {
  const c = startClient(clientTLS12({ recordSizeLimit: 512 }));
  const s = startServer(serverTLS12({ recordSizeLimit: 1024 }));
  complete(c, s);
  s.connection.dataFromApplication(new Uint8Array(5000));
  const fromServer = records(s.take()).filter((r) => r.type === ContentType.application_data);
  t.true(fromServer.every((r) => r.fragment.length <= 512 + 24));
  t.is(fromServer.length, 10);
  c.connection.dataFromApplication(new Uint8Array(5000));
  const fromClient = records(c.take());
  t.true(fromClient.every((r) => r.fragment.length <= 1024 + 24));
});

test('1 MiB each way, and data queued before the handshake goes out after it', (t) => {
  const c = startClient(clientTLS12());
  const s = startServer(serverTLS12());
  c.connection.dataFromApplication(new TextEncoder().encode('early'));
  send(c, s);
  send(s, c);
  send(c, s);
  send(s, c);
  // The client is open now: its queued data waits in its output with what follows.
  const big = new Uint8Array(1 << 20).map((_, i) => i & 0xff);
  c.connection.dataFromApplication(big);
  const atServer = send(c, s);
  t.is(atServer.length, 5 + big.length);
  t.is(new TextDecoder().decode(atServer.subarray(0, 5)), 'early');
  s.connection.dataFromApplication(big);
  t.deepEqual(send(s, c), big);
});

test('key log: one CLIENT_RANDOM line with the same master secret on both sides', (t) => {
  const clientLines: string[] = [];
  const serverLines: string[] = [];
  const c = startClient(clientTLS12({}, clientLines), clientLines);
  const s = startServer(serverTLS12({}, serverLines), serverLines);
  complete(c, s);
  t.is(clientLines.length, 1);
  t.regex(clientLines[0]!, /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);
  t.deepEqual(clientLines, serverLines);
});

test('facts of a TLS 1.2 connection', (t) => {
  const c = startClient(clientTLS12());
  const s = startServer(serverTLS12());
  complete(c, s);
  for (const end of [c, s]) {
    t.is(end.connection.tlsVersion, 'TLSv1.2');
    t.is(end.connection.cipherSuite, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    t.is(end.connection.namedGroup, 'x25519');
    t.is(end.connection.signatureScheme, 'ecdsa_secp256r1_sha256');
    t.is(end.connection.sessionId?.length, 32);
    t.false(end.connection.resumed);
    t.true(end.connection.handshakeComplete);
  }
  t.is(c.connection.peerCertificates.length, 2);
});

test('verifyCallback runs once with the validated chain; its exception invalidates without an alert', (t) => {
  const tls = clientTLS12();
  const seen: number[] = [];
  const out: Uint8Array[] = [];
  const connection = tls.start(
    (d) => out.push(d),
    () => {},
    (chain) => {
      seen.push(chain.length);
      throw new Error('not this one');
    },
  );
  const s = startServer(serverTLS12());
  s.connection.dataFromWire(out.splice(0)[0]!);
  t.throws(() => connection.dataFromWire(s.take()), { message: 'not this one' });
  t.deepEqual(seen, [2]);
  t.is(connection.state, 'invalidated');
  t.is(out.length, 0);
});

test('TLS_EMPTY_RENEGOTIATION_INFO_SCSV instead of the extension: the server still answers renegotiation_info (RFC 5746 §3.6)', (t) => {
  const c = startClient(clientTLS12());
  const s = startServer(serverTLS12());
  const [hello] = plainHandshakeMessages(c.take());
  const ch = ClientHello.parse(hello!.subarray(4));
  const modified = frameHandshake(
    HandshakeType.client_hello,
    ClientHello.build({
      ...ch,
      cipherSuites: [...ch.cipherSuites, CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV],
      extensions: ch.extensions?.filter((e) => e.extensionType !== ExtensionType.renegotiation_info),
    }),
  );
  s.connection.dataFromWire(plainRecords([modified]));
  const sh = ServerHello.parse(plainHandshakeMessages(s.take())[0]!.subarray(4));
  const info = sh.extensions?.find((e) => e.extensionType === ExtensionType.renegotiation_info);
  t.deepEqual(info?.extensionData, { renegotiatedConnection: new Uint8Array(0) });
});
