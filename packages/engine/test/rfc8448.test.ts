// RFC 8448 traces as known-answer vectors: the key schedule (§3, §5 with HelloRetryRequest),
// record protection (§3), PSK binders (§4), and our server replaying §3's ServerHello exactly.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Certificate, InvalidatedError, ServerCertificateChain } from '@tls-kit/certs';
import { concat, toHex } from '@tls-kit/crypto/bytes';
import { defaultProvider } from '@tls-kit/crypto/default';
import {
  Certificate13,
  CertificateRequest13,
  CertificateVerify,
  ContentType,
  ExtensionType,
  findExtension,
} from '@tls-kit/messages';
import test from 'ava';
import { schemeName } from '../src/algorithms.js';
import { certificateVerifyContent } from '../src/handshake/common13.js';
import { ServerTLS } from '../src/index.js';
import {
  EarlySecret,
  finishedVerifyData,
  resumptionPsk,
  trafficKeys,
} from '../src/keyschedule/key-schedule.js';
import { Tls13Protection } from '../src/record/protection.js';
import { suiteByName } from '../src/suites.js';
import { Transcript } from '../src/transcript/transcript.js';
import { trace } from './helpers/rfc8448.js';

const provider = defaultProvider;
const suite = suiteByName('TLS_AES_128_GCM_SHA256')!;
const s3 = trace('3.  Simple 1-RTT Handshake');
const s4 = trace('4.  Resumed 0-RTT Handshake');
const s5 = trace('5.  HelloRetryRequest');

const expanded = (t: typeof s3, step: string) => toHex(t.get(step, 'expanded'));

/** The §3 handshake messages, as the transcript sees them. */
const ch = s3.get('construct a ClientHello', 'ClientHello');
const sh = s3.get('construct a ServerHello', 'ServerHello');
const ee = s3.get('construct an EncryptedExtensions', 'EncryptedExtensions');
const cert = s3.get('construct a Certificate', 'Certificate');
const cv = s3.get('construct a CertificateVerify', 'CertificateVerify');
const serverFinished = s3.get('construct a Finished', 'Finished');
const clientFinished = s3.get('construct a Finished', 'Finished', 1);

function schedule3() {
  const transcript = new Transcript(provider);
  transcript.add(ch);
  transcript.start(suite.hash);
  transcript.add(sh);
  const shared = s3.get('extract secret "handshake"', 'IKM');
  const hs = EarlySecret.create(provider, suite).handshake(shared);
  const thHello = transcript.current();
  // The handshake traffic secrets come before the stage is advanced to the master secret.
  const clientHs = hs.clientTrafficSecret(thHello);
  const serverHs = hs.serverTrafficSecret(thHello);
  for (const m of [ee, cert, cv]) transcript.add(m);
  const thCv = transcript.current();
  transcript.add(serverFinished);
  const thServerFinished = transcript.current();
  transcript.add(clientFinished);
  const thClientFinished = transcript.current();
  return { hs, clientHs, serverHs, master: hs.master(), thHello, thCv, thServerFinished, thClientFinished };
}

test('§3 key schedule: handshake, application, exporter and resumption secrets', (t) => {
  const { clientHs, serverHs, master, thServerFinished, thClientFinished } = schedule3();
  t.is(toHex(clientHs), expanded(s3, 'derive secret "tls13 c hs traffic"'));
  t.is(toHex(serverHs), expanded(s3, 'derive secret "tls13 s hs traffic"'));
  t.is(
    toHex(master.clientTrafficSecret(thServerFinished)),
    expanded(s3, 'derive secret "tls13 c ap traffic"'),
  );
  t.is(
    toHex(master.serverTrafficSecret(thServerFinished)),
    expanded(s3, 'derive secret "tls13 s ap traffic"'),
  );
  t.is(toHex(master.exporterSecret(thServerFinished)), expanded(s3, 'derive secret "tls13 exp master"'));
  t.is(toHex(master.resumptionSecret(thClientFinished)), expanded(s3, 'derive secret "tls13 res master"'));
});

test('a key schedule stage is consumed by the next one: any further use is InvalidatedError', (t) => {
  const { hs, thHello } = schedule3();
  t.throws(() => hs.master(), { instanceOf: InvalidatedError });
  t.throws(() => hs.clientTrafficSecret(thHello), { instanceOf: InvalidatedError });
  const early = EarlySecret.create(provider, suite);
  early.handshake(s3.get('extract secret "handshake"', 'IKM'));
  t.throws(() => early.handshake(new Uint8Array(32)), { instanceOf: InvalidatedError });
  t.throws(() => early.resumptionBinderKey(), { instanceOf: InvalidatedError });
});

test('§3 traffic keys and Finished verify_data', (t) => {
  const { clientHs, serverHs, thCv, thServerFinished } = schedule3();
  const keys = trafficKeys(provider, suite, serverHs);
  t.is(toHex(keys.key), toHex(s3.get('derive write traffic keys for handshake data', 'key expanded')));
  t.is(toHex(keys.iv), toHex(s3.get('derive write traffic keys for handshake data', 'iv expanded')));
  t.is(toHex(finishedVerifyData(provider, suite, serverHs, thCv)), toHex(serverFinished.subarray(4)));
  t.is(
    toHex(finishedVerifyData(provider, suite, clientHs, thServerFinished)),
    toHex(clientFinished.subarray(4)),
  );
});

test('§3 record protection: the server flight, client Finished, application data and alerts byte for byte', (t) => {
  const { clientHs, serverHs, master, thServerFinished } = schedule3();
  const protection = (secret: Uint8Array) => {
    const k = trafficKeys(provider, suite, secret);
    return new Tls13Protection(provider, suite, k.key, k.iv);
  };
  // Server handshake flight under the server handshake key, sequence number 0.
  const flight = s3.get('send handshake record', 'payload', 2);
  t.is(toHex(flight), toHex(concat([ee, cert, cv, serverFinished])));
  t.is(
    toHex(protection(serverHs).seal(ContentType.handshake, flight)),
    toHex(s3.get('send handshake record', 'complete record', 2)),
  );
  // Client Finished under the client handshake key.
  t.is(
    toHex(protection(clientHs).seal(ContentType.handshake, clientFinished)),
    toHex(s3.get('send handshake record', 'complete record', 3)),
  );
  // Server application key: NewSessionTicket (seq 0), application data (seq 1), alert (seq 2).
  const serverApp = protection(master.serverTrafficSecret(thServerFinished));
  t.is(
    toHex(serverApp.seal(ContentType.handshake, s3.get('send handshake record', 'payload', 4))),
    toHex(s3.get('send handshake record', 'complete record', 4)),
  );
  t.is(
    toHex(
      serverApp.seal(
        ContentType.application_data,
        s3.get('{server}  send application_data record', 'payload'),
      ),
    ),
    toHex(s3.get('{server}  send application_data record', 'complete record')),
  );
  t.is(
    toHex(serverApp.seal(ContentType.alert, s3.get('{server}  send alert record', 'payload'))),
    toHex(s3.get('{server}  send alert record', 'complete record')),
  );
  // And the client's application data record decrypts (seq 0 of the client application key).
  const clientApp = protection(master.clientTrafficSecret(thServerFinished));
  const record = s3.get('{client}  send application_data record', 'complete record');
  const opened = clientApp.open({
    type: record[0]!,
    version: 0x0303,
    header: record.subarray(0, 5),
    fragment: record.subarray(5),
  });
  t.is(opened.type, ContentType.application_data);
  t.is(toHex(opened.fragment), toHex(s3.get('{client}  send application_data record', 'payload')));
});

test('§4 PSK binder of the resumed ClientHello, from §3 resumption secret and ticket nonce', (t) => {
  const { master, thClientFinished } = schedule3();
  const nst = s3.get('construct a NewSessionTicket', 'NewSessionTicket');
  // NewSessionTicket body: lifetime(4) age_add(4) nonce<1>.
  const nonce = nst.subarray(13, 13 + nst[12]!);
  const psk = resumptionPsk(provider, suite, master.resumptionSecret(thClientFinished), nonce);
  t.is(toHex(psk), expanded(s3, 'generate resumption secret "tls13 resumption"'));
  const early = EarlySecret.create(provider, suite, psk);
  // The trace shows the ClientHello up to the binders list (RFC 8446 §4.2.11.2), then the record.
  const truncated = s4.get('construct a ClientHello', 'ClientHello');
  const fullCh = s4.get('{client}  send handshake record', 'payload');
  t.is(toHex(fullCh.subarray(0, truncated.length)), toHex(truncated));
  t.is(toHex(provider.hash('sha256', truncated)), toHex(s4.get('calculate PSK binder', 'binder hash')));
  const binder = finishedVerifyData(
    provider,
    suite,
    early.resumptionBinderKey(),
    provider.hash('sha256', truncated),
  );
  t.is(toHex(binder), toHex(s4.get('calculate PSK binder', 'finished')));
  t.is(toHex(fullCh.subarray(fullCh.length - 32)), toHex(binder));
});

test('§5 HelloRetryRequest: message_hash transcript gives the trace handshake secrets', (t) => {
  const ch1 = s5.get('construct a ClientHello', 'ClientHello');
  const hrr = s5.get('construct a ServerHello', 'ServerHello');
  const ch2 = s5.get('construct a ClientHello', 'ClientHello', 1);
  const sh2 = s5.get('construct a ServerHello', 'ServerHello', 1);
  const transcript = new Transcript(provider);
  transcript.add(ch1);
  transcript.replaceWithMessageHash('sha256');
  transcript.add(hrr);
  transcript.add(ch2);
  transcript.add(sh2);
  const hs = EarlySecret.create(provider, suite).handshake(s5.get('extract secret "handshake"', 'IKM'));
  t.is(
    toHex(hs.clientTrafficSecret(transcript.current())),
    expanded(s5, 'derive secret "tls13 c hs traffic"'),
  );
  t.is(
    toHex(hs.serverTrafficSecret(transcript.current())),
    expanded(s5, 'derive secret "tls13 s hs traffic"'),
  );
});

/** §2's RSA key, as PKCS#8 through a JWK. */
function rfc8448RsaKey() {
  const text = readFileSync(new URL('./fixtures/rfc8448.txt', import.meta.url), 'utf8');
  const section = text.slice(text.indexOf('2.  Private Keys'), text.indexOf('3.  Simple 1-RTT Handshake\n'));
  const field = (name: string) => {
    const at = section.indexOf(`   ${name}:`);
    const rest = section.slice(at + name.length + 4).split('\n');
    let hexText = '';
    for (const line of rest) {
      if (/^\s*([0-9a-f]{2}\s*)+$/.test(line)) hexText += line;
      else if (line.trim() === '' || /Thomson|RFC 8448|\f/.test(line)) continue;
      else break;
    }
    return Buffer.from(hexText.replace(/\s+/g, ''), 'hex').toString('base64url');
  };
  const jwk = {
    kty: 'RSA',
    n: field('modulus (public)'),
    e: field('public exponent'),
    d: field('private exponent'),
    p: field('prime1'),
    q: field('prime2'),
    dp: field('exponent1'),
    dq: field('exponent2'),
    qi: field('coefficient'),
  };
  const der = createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'pkcs8' });
  return provider.importPrivateKey(new Uint8Array(der), 'pkcs8');
}

/** Our server fed a trace's ClientHello, with the trace's server random and key share. */
function replayServer(t: typeof s3, section: string) {
  const traceCert = t.get('construct a Certificate', 'Certificate');
  const certificate = Certificate.fromDer(
    traceCert.subarray(11, 11 + ((traceCert[8]! << 16) | (traceCert[9]! << 8) | traceCert[10]!)),
  );
  const serverRandom = t.get('construct a ServerHello', 'ServerHello').subarray(6, 38);
  const lines: string[] = [];
  const server = new ServerTLS({
    certificates: new ServerCertificateChain([certificate.withPrivateKey(rfc8448RsaKey())]),
    versions: ['TLSv1.3'],
    random: (n) => (n === 32 ? serverRandom.slice() : provider.randomBytes(n)),
    keySharePrivateKeys: { x25519: t.get('{server}  create an ephemeral x25519 key pair', 'private key') },
    groups: ['x25519', 'secp256r1', 'secp384r1'],
    keyLog: (line) => lines.push(line),
    ticketKeys: false,
  });
  const out: Uint8Array[] = [];
  const connection = server.start(
    (d) => out.push(d),
    () => {},
  );
  connection.dataFromWire(t.get('{client}  send handshake record', 'complete record'));
  const secret = (label: string) => lines.find((l) => l.startsWith(label))!.split(' ')[2];
  return { wire: concat(out), connection, secret, section };
}

test('§3 our server replays the trace: exact ServerHello record and handshake secrets', (t) => {
  const { wire, connection, secret } = replayServer(s3, '§3');
  const shRecord = s3.get('{server}  send handshake record', 'complete record');
  t.is(toHex(wire.subarray(0, shRecord.length)), toHex(shRecord));
  t.is(secret('CLIENT_HANDSHAKE_TRAFFIC_SECRET'), expanded(s3, 'derive secret "tls13 c hs traffic"'));
  t.is(secret('SERVER_HANDSHAKE_TRAFFIC_SECRET'), expanded(s3, 'derive secret "tls13 s hs traffic"'));
  t.is(connection.cipherSuite, 'TLS_AES_128_GCM_SHA256');
  t.is(connection.signatureScheme, 'rsa_pss_rsae_sha256');
  t.is(connection.serverName, 'server');
});

test('§3 our server sends EncryptedExtensions through Finished in one record, as the trace does', (t) => {
  const { wire } = replayServer(s3, '§3');
  const rest = wire.subarray(s3.get('{server}  send handshake record', 'complete record').length);
  t.is(rest[0], ContentType.application_data);
  t.is(rest.length, 5 + ((rest[3]! << 8) | rest[4]!), 'a single record follows the ServerHello');
  // The handshake secrets are the trace's (the test above), so its key opens our record.
  const keys = trafficKeys(provider, suite, schedule3().serverHs);
  const opened = new Tls13Protection(provider, suite, keys.key, keys.iv).open({
    type: rest[0]!,
    version: 0x0303,
    header: rest.subarray(0, 5),
    fragment: rest.subarray(5),
  });
  t.is(opened.type, ContentType.handshake);
  const messages: Uint8Array[] = [];
  for (let at = 0; at < opened.fragment.length; ) {
    const end =
      at +
      4 +
      ((opened.fragment[at + 1]! << 16) | (opened.fragment[at + 2]! << 8) | opened.fragment[at + 3]!);
    messages.push(opened.fragment.subarray(at, end));
    at = end;
  }
  // EncryptedExtensions, Certificate (the trace's, byte for byte), CertificateVerify, Finished.
  t.deepEqual(
    messages.map((m) => m[0]),
    [8, 11, 15, 20],
  );
  t.is(toHex(messages[1]!), toHex(cert));
});

test('§7 compatibility mode: our server sends the exact ServerHello and change_cipher_spec records', (t) => {
  const s7 = trace('7.  Compatibility Mode');
  const { wire, secret } = replayServer(s7, '§7');
  const expected = concat([
    s7.get('{server}  send handshake record', 'complete record'),
    s7.get('{server}  send change_cipher_spec record', 'complete record'),
  ]);
  t.is(toHex(wire.subarray(0, expected.length)), toHex(expected));
  t.is(secret('SERVER_HANDSHAKE_TRAFFIC_SECRET'), expanded(s7, 'derive secret "tls13 s hs traffic"'));
});

test('§6 client authentication: both CertificateVerify signatures verify, client flight byte for byte', (t) => {
  const s6 = trace('6.  Client Authentication');
  const get = (step: string, label: string, n = 0) => s6.get(step, label, n);
  const messages = {
    ch: get('{client}  construct a ClientHello', 'ClientHello'),
    sh: get('{server}  construct a ServerHello', 'ServerHello'),
    ee: get('construct an EncryptedExtensions', 'EncryptedExtensions'),
    cr: get('construct a CertificateRequest', 'CertificateRequest'),
    serverCert: get('{server}  construct a Certificate handshake', 'Certificate'),
    serverCv: get('{server}  construct a CertificateVerify', 'CertificateVerify'),
    serverFin: get('{server}  construct a Finished', 'Finished'),
    clientCert: get('{client}  construct a Certificate handshake', 'Certificate'),
    clientCv: get('{client}  construct a CertificateVerify', 'CertificateVerify'),
    clientFin: get('{client}  construct a Finished', 'Finished'),
  };
  const transcript = new Transcript(provider);
  transcript.add(messages.ch);
  transcript.start('sha256');
  transcript.add(messages.sh);
  const hs = EarlySecret.create(provider, suite).handshake(get('extract secret "handshake"', 'IKM'));
  const thHello = transcript.current();
  const clientHs = hs.clientTrafficSecret(thHello);
  t.is(toHex(clientHs), expanded(s6, 'derive secret "tls13 c hs traffic"'));
  // CertificateRequest parses with our codecs: empty context, signature_algorithms present.
  const cr = CertificateRequest13.parse(messages.cr.subarray(4));
  t.is(cr.certificateRequestContext.length, 0);
  t.truthy(findExtension(cr.extensions, ExtensionType.signature_algorithms));
  for (const m of [messages.ee, messages.cr, messages.serverCert]) transcript.add(m);
  /** Whether CertificateVerify `cvMessage` verifies, under the leaf of `certificateMessage` and
   * over the transcript so far. */
  const verifies = (side: 'server' | 'client', certificateMessage: Uint8Array, cvMessage: Uint8Array) => {
    const leaf = Certificate13.parse(certificateMessage.subarray(4)).certificateList[0]!;
    const cv = CertificateVerify.parse(cvMessage.subarray(4));
    return provider.verify(
      schemeName(cv.algorithm)!,
      Certificate.fromDer(leaf.certData).publicKey,
      certificateVerifyContent(side, transcript.current()),
      cv.signature,
    );
  };
  t.true(verifies('server', messages.serverCert, messages.serverCv));
  transcript.add(messages.serverCv);
  transcript.add(messages.serverFin);
  const thServerFinished = transcript.current();
  transcript.add(messages.clientCert);
  t.true(verifies('client', messages.clientCert, messages.clientCv));
  transcript.add(messages.clientCv);
  t.is(
    toHex(finishedVerifyData(provider, suite, clientHs, transcript.current())),
    toHex(messages.clientFin.subarray(4)),
  );
  transcript.add(messages.clientFin);
  const master = hs.master();
  t.is(
    toHex(master.resumptionSecret(transcript.current())),
    expanded(s6, 'derive secret "tls13 res master"'),
  );
  t.is(
    toHex(master.clientTrafficSecret(thServerFinished)),
    expanded(s6, 'derive secret "tls13 c ap traffic"'),
  );
  // The client's second flight: one record under the client handshake key.
  const k = trafficKeys(provider, suite, clientHs);
  const flight = concat([messages.clientCert, messages.clientCv, messages.clientFin]);
  t.is(
    toHex(new Tls13Protection(provider, suite, k.key, k.iv).seal(ContentType.handshake, flight)),
    toHex(get('{client}  send handshake record', 'complete record', 1)),
  );
});
