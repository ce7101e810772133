// Real traffic recorded by fixtures/record.ts between openssl, Node and GnuTLS peers: every record
// and handshake message must parse and rebuild to the same bytes, and the decoded fields must be
// what the peers were told to use (fixtures/manifest.json).
import { readFileSync } from 'node:fs';
import {
  CipherSuite,
  type DissectEvent,
  dissectCapture,
  dissectStream,
  findExtension,
  HandshakeType as H,
  Handshake,
  type HandshakeContext,
  type HandshakeMessage,
  keyExchangeOfSuiteName,
  NamedGroup,
  ProtocolVersion,
  ExtensionType as T,
  TLSCiphertext,
  toHex,
} from '@tls-kit/messages';
import test from 'ava';
import type { CaptureExpectation } from './helpers/capture-manifest.js';

const dir = new URL('./fixtures/', import.meta.url);
const read = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
type Manifest = Record<string, CaptureExpectation>;
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as Manifest;

type HandshakeEvent = Extract<DissectEvent, { kind: 'handshake' }>;
const handshakes = (events: DissectEvent[]) =>
  events.filter((e): e is HandshakeEvent => e.kind === 'handshake');

test('the fixtures cover openssl, Node and GnuTLS, TLS 1.2 and 1.3', (t) => {
  const names = Object.keys(manifest);
  t.true(names.length >= 9, names.join());
  t.true(names.some((n) => n.startsWith('node-')));
  t.true(names.some((n) => n.includes('tls12')) && names.some((n) => n.includes('tls13')));
});

for (const [name, expect] of Object.entries(manifest)) {
  test(`${name}: every record and handshake message parses and rebuilds identically`, (t) => {
    const transcript = dissectCapture(read(`${name}.pcap`));
    t.deepEqual(
      transcript.events.filter((e) => e.kind === 'error'),
      [],
    );
    t.is(transcript.captureError, undefined);
    t.deepEqual(transcript.gaps, []);
    // The pcap's reassembled streams are exactly what the relay saw.
    for (const [from, file] of [
      ['client', 'c2s'],
      ['server', 's2c'],
    ] as const) {
      const records = transcript.events.filter((e) => e.kind === 'record' && e.from === from);
      const rebuilt = records.map((e) =>
        e.kind === 'record' ? TLSCiphertext.build(e.record) : new Uint8Array(),
      );
      t.is(toHex(Uint8Array.from(rebuilt.flatMap((r) => [...r]))), toHex(read(`${name}.${file}.bin`)), from);
    }
    let context: HandshakeContext = {};
    for (const e of handshakes(transcript.events)) {
      t.falsy(e.message.unknown, `${name}: ${H[e.message.msgType]} not decoded`);
      if (e.message.unknown) continue;
      if (e.message.msgType === H.server_hello && !e.message.body.isHelloRetryRequest) {
        const sh = e.message.body;
        const v =
          findExtension(sh.extensions, T.supported_versions)?.extensionData.selectedVersion ??
          sh.legacyVersion;
        context = { version: v, keyExchange: keyExchangeOfSuiteName(CipherSuite[sh.cipherSuite]) };
      }
      const codec = Handshake(context);
      t.is(toHex(codec.build(codec.parse(e.bytes))), toHex(e.bytes), H[e.message.msgType]);
    }
  });

  test(`${name}: decoded fields are the ones the peers were told to use`, (t) => {
    const messages = handshakes(dissectCapture(read(`${name}.pcap`)).events);
    const of = (type: number, from?: string) =>
      messages
        .filter((e) => e.message.msgType === type && (from === undefined || e.from === from))
        .map((e) => e.message)
        .filter((m): m is Exclude<HandshakeMessage, { unknown: true }> => m.unknown !== true);
    const ch = of(H.client_hello)[0];
    const hellos = of(H.server_hello);
    if (ch?.msgType !== H.client_hello) return t.fail('no ClientHello');
    const sh = hellos.at(-1);
    if (sh?.msgType !== H.server_hello) return t.fail('no ServerHello');
    t.is(hellos.length, expect.helloRetryRequest ? 2 : 1);
    if (expect.helloRetryRequest) {
      const hrr = hellos[0]!;
      t.true(hrr.msgType === H.server_hello && hrr.body.isHelloRetryRequest);
      t.is(of(H.client_hello).length, 2);
    }
    if (sh.body.isHelloRetryRequest) return t.fail('the last ServerHello is a HelloRetryRequest');
    t.is(CipherSuite[sh.body.cipherSuite], expect.cipherSuite);
    t.true(ch.body.cipherSuites.includes(sh.body.cipherSuite));
    const version =
      findExtension(sh.body.extensions, T.supported_versions)?.extensionData.selectedVersion ??
      sh.body.legacyVersion;
    t.is(version, expect.version === 'TLS1.3' ? ProtocolVersion.TLS1_3 : ProtocolVersion.TLS1_2);
    t.is(sh.body.legacyVersion, ProtocolVersion.TLS1_2);
    const sni = findExtension(ch.body.extensions, T.server_name)?.extensionData.serverNameList[0]?.hostName;
    t.is(sni, expect.serverName);
    const offered = findExtension(ch.body.extensions, T.application_layer_protocol_negotiation)?.extensionData
      .protocolNameList;
    if (expect.alpn !== undefined) t.true(offered?.includes(expect.alpn), `${offered}`);
    // A resumption offers a ticket as the last extension (RFC 8446 §4.2.11) and the server takes it.
    const psk = findExtension(ch.body.extensions, T.pre_shared_key)?.extensionData;
    t.is(psk !== undefined, expect.resumption === true);
    if (psk !== undefined) {
      t.is(ch.body.extensions!.at(-1)!.extensionType, T.pre_shared_key);
      t.is(psk.identities.length, psk.binders.length);
      t.is(psk.binders[0]!.length, 32);
      t.is(findExtension(sh.body.extensions, T.pre_shared_key)?.extensionData.selectedIdentity, 0);
    }
    if (expect.version === 'TLS1.3') {
      const share = findExtension(sh.body.extensions, T.key_share)?.extensionData.serverShare;
      if (expect.group !== undefined) t.is(NamedGroup[share!.group], expect.group);
      t.true(
        findExtension(ch.body.extensions, T.supported_versions)!.extensionData.versions.includes(
          ProtocolVersion.TLS1_3,
        ),
      );
    } else {
      // TLS 1.2: the chosen ALPN protocol is in the clear in the ServerHello.
      const chosen = findExtension(
        sh.body.extensions,
        T.application_layer_protocol_negotiation,
      )?.extensionData;
      t.deepEqual(chosen?.protocolNameList, expect.alpn === undefined ? undefined : [expect.alpn]);
      const ske = of(H.server_key_exchange)[0];
      if (expect.group !== undefined) {
        t.true(ske?.msgType === H.server_key_exchange && 'curveParams' in ske.body.params);
        if (ske?.msgType === H.server_key_exchange && 'curveParams' in ske.body.params)
          t.is(NamedGroup[ske.body.params.curveParams.namedCurve], expect.group);
      }
      t.is(of(H.certificate, 'server').length, 1);
      t.is(of(H.server_hello_done).length, 1);
      t.is(of(H.client_key_exchange).length, 1);
      const requested = expect.clientAuth === true || expect.certificateRequested === true;
      t.is(of(H.certificate_request).length, requested ? 1 : 0);
      const clientCertificate = of(H.certificate, 'client');
      t.is(clientCertificate.length, requested ? 1 : 0);
      // Without a certificate to offer, the client sends an empty list and no CertificateVerify.
      const sent = clientCertificate[0];
      if (sent?.msgType === H.certificate && 'certificateList' in sent.body)
        t.is(sent.body.certificateList.length, expect.clientAuth ? 1 : 0);
      t.is(of(H.certificate_verify).length, expect.clientAuth ? 1 : 0);
    }
  });
}

test('pcapng and pcap of the same connection give the same transcript', (t) => {
  const fromPcap = dissectCapture(read('openssl-tls13-x25519.pcap'));
  const fromPcapng = dissectCapture(read('openssl-tls13-x25519.pcapng'));
  t.is(fromPcapng.input, 'pcapng');
  t.deepEqual(fromPcapng.events, fromPcap.events);
  t.true(fromPcap.events.length > 10);
});

test('a raw stream decodes on its own (the client side of a TLS 1.3 handshake)', (t) => {
  const transcript = dissectStream(read('openssl-tls13-x25519.c2s.bin'));
  const kinds = transcript.events.map((e) => (e.kind === 'record' && e.encrypted ? 'encrypted' : e.kind));
  t.deepEqual(kinds.slice(0, 4), ['record', 'handshake', 'record', 'change_cipher_spec']);
  t.true(kinds.slice(4).every((k) => k === 'encrypted'));
  t.true(transcript.events.every((e) => e.from === 'client'));
});

test('a real ~500-byte ClientHello from GnuTLS decodes with its GREASE-free extension list', (t) => {
  const ch = handshakes(dissectStream(read('gnutls-tls13.c2s.bin')).events)[0]!;
  t.is(ch.message.msgType, H.client_hello);
  if (ch.message.unknown || ch.message.msgType !== H.client_hello) return;
  const types = ch.message.body.extensions!.map((e) => e.extensionType);
  t.is(new Set(types).size, types.length);
  t.true(types.includes(T.key_share));
});
