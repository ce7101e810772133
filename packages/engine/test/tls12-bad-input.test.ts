// TLS 1.2 bad input: each case gets the right alert on the wire, the right exception, and an
// invalidated connection (and, for sessions, an invalidated session: RFC 5246 §7.2.2).
import { FFDHE_PRIMES_HEX, type NamedGroupName } from '@tls-kit/crypto';
import { concat } from '@tls-kit/crypto/bytes';
import { defaultProvider } from '@tls-kit/crypto/default';
import {
  AlertDescription as A,
  ClientHello,
  ClientKeyExchangeDHE,
  ClientKeyExchangeECDHE,
  ContentType,
  CipherSuite as CS,
  ExtensionType,
  HandshakeType as H,
  ServerECDHParams,
  ServerHello,
  ServerKeyExchangeDHE,
  ServerKeyExchangeECDHE,
} from '@tls-kit/messages';
import test from 'ava';
import { frameHandshake } from '../src/handshake/messages.js';
import { MemoryServerSessionCache, TLSAlertError } from '../src/index.js';
import { keyBlock12 } from '../src/keyschedule/tls12.js';
import { Tls12Protection } from '../src/record/protection12.js';
import { suite12ByName } from '../src/suites.js';
import { records } from './helpers/mitm.js';
import { pki } from './helpers/pki.js';
import {
  body,
  CCS_RECORD,
  clientTLS12,
  complete,
  expectAlert,
  plainHandshakeMessages,
  plainRecords,
  rewrite,
  send,
  serverTLS12,
  startClient,
  startServer,
  withEmptyExtension,
  withoutExtension,
} from './helpers/tls12-memory.js';

test('wrong order: ServerKeyExchange without the Certificate -> unexpected_message', (t) => {
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  send(client, server);
  const flight = rewrite(server.take(), H.certificate, () => undefined);
  expectAlert(t, client, 'UnexpectedHandshakeMessage', () => client.connection.dataFromWire(flight));
});

test('wrong order: ChangeCipherSpec before ClientKeyExchange -> unexpected_message', (t) => {
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  send(client, server);
  send(server, client);
  expectAlert(t, server, 'UnexpectedChangeCipherSpec', () => server.connection.dataFromWire(CCS_RECORD));
});

test('wrong order: Finished before ChangeCipherSpec -> unexpected_message', (t) => {
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  send(client, server);
  send(server, client);
  const flight = client.take();
  const plain = plainHandshakeMessages(flight);
  const finished = frameHandshake(H.finished, new Uint8Array(12));
  expectAlert(t, server, 'UnexpectedHandshakeMessage', () =>
    server.connection.dataFromWire(plainRecords([...plain, finished])),
  );
});

test('ChangeCipherSpec in APP_DATA -> unexpected_message', (t) => {
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  complete(client, server);
  expectAlert(t, server, 'UnexpectedChangeCipherSpec', () => server.connection.dataFromWire(CCS_RECORD));
});

test('bad Finished (right keys, wrong verify_data) -> decrypt_error', (t) => {
  const keyLog: string[] = [];
  const client = startClient(
    clientTLS12({ cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] }, keyLog),
    keyLog,
  );
  const server = startServer(serverTLS12());
  const clientHello = plainHandshakeMessages(client.out[0]!)[0]!;
  send(client, server);
  const serverFlight = server.take();
  const serverHello = plainHandshakeMessages(serverFlight)[0]!;
  client.connection.dataFromWire(serverFlight);
  const flight = client.take();
  const recs = records(flight);
  const master = Buffer.from(keyLog.find((l) => l.startsWith('CLIENT_RANDOM'))!.split(' ')[2]!, 'hex');
  const suite = suite12ByName('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256')!;
  const block = keyBlock12(
    defaultProvider,
    suite,
    master,
    clientHello.subarray(6, 38),
    serverHello.subarray(6, 38),
  );
  const open = new Tls12Protection(defaultProvider, suite, block.clientKey, block.clientIv);
  const seal = new Tls12Protection(defaultProvider, suite, block.clientKey, block.clientIv);
  const finishedRecord = recs.at(-1)!;
  const finished = open.open(finishedRecord).fragment.slice();
  finished[4]! ^= 1;
  const forged = concat([
    ...recs.slice(0, -1).map((r) => concat([r.header, r.fragment])),
    seal.seal(ContentType.handshake, finished),
  ]);
  expectAlert(t, server, 'BadFinished', () => server.connection.dataFromWire(forged));
});

test('a flipped bit in a protected record -> bad_record_mac', (t) => {
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  complete(client, server);
  client.connection.dataFromApplication(new Uint8Array(10));
  const record = client.take();
  record[record.length - 1]! ^= 1;
  expectAlert(t, server, 'BadRecordMac', () => server.connection.dataFromWire(record));
});

for (const kind of ['ecdsa', 'rsa', 'ed25519'] as const) {
  test(`bad ServerKeyExchange signature (${kind}) -> decrypt_error`, (t) => {
    const client = startClient(clientTLS12());
    const server = startServer(serverTLS12({ certificates: pki().chain(kind) }));
    send(client, server);
    const flight = rewrite(server.take(), H.server_key_exchange, (m) => {
      const copy = m.slice();
      copy[copy.length - 3]! ^= 0x40;
      return copy;
    });
    expectAlert(t, client, 'BadSignature', () => client.connection.dataFromWire(flight));
  });
}

const ffdhe2048 = Buffer.from(FFDHE_PRIMES_HEX.ffdhe2048, 'hex');
const pMinus1 = Uint8Array.from(ffdhe2048);
pMinus1[pMinus1.length - 1]! -= 1;
const DH_VALUES: [string, Uint8Array][] = [
  ['0', new Uint8Array([0])],
  ['1', new Uint8Array([1])],
  ['p-1', pMinus1],
  ['p', Uint8Array.from(ffdhe2048)],
];

for (const [name, value] of DH_VALUES) {
  test(`server: DHE ClientKeyExchange with Yc = ${name} -> illegal_parameter`, (t) => {
    const client = startClient(clientTLS12({ cipherSuites: ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'] }));
    const server = startServer(serverTLS12({ certificates: pki().chain('rsa') }));
    send(client, server);
    send(server, client);
    const flight = rewrite(client.take(), H.client_key_exchange, () =>
      frameHandshake(H.client_key_exchange, ClientKeyExchangeDHE.build({ dhYc: value })),
    );
    expectAlert(t, server, 'BadKeyShare', () => server.connection.dataFromWire(flight));
  });

  test(`client: DHE ServerKeyExchange with Ys = ${name} (validly signed) -> illegal_parameter`, (t) => {
    const client = startClient(clientTLS12({ cipherSuites: ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'] }));
    const server = startServer(serverTLS12({ certificates: pki().chain('rsa') }));
    const clientHello = plainHandshakeMessages(client.out[0]!)[0]!;
    send(client, server);
    const original = server.take();
    const serverRandom = plainHandshakeMessages(original)[0]!.subarray(6, 38);
    const flight = rewrite(original, H.server_key_exchange, (m) => {
      const ske = ServerKeyExchangeDHE.parse(body(m));
      const params = { ...ske.params, dhYs: value };
      const signed = concat([clientHello.subarray(6, 38), serverRandom, encodeDhParams(params)]);
      const signature = defaultProvider.sign('rsa_pss_rsae_sha256', pki().leaf('rsa').privateKey!, signed);
      return frameHandshake(
        H.server_key_exchange,
        ServerKeyExchangeDHE.build({ params, signedParams: { algorithm: 0x0804, signature } }),
      );
    });
    expectAlert(t, client, 'BadKeyShare', () => client.connection.dataFromWire(flight));
  });
}

function encodeDhParams(p: { dhP: Uint8Array; dhG: Uint8Array; dhYs: Uint8Array }): Uint8Array {
  const v = (b: Uint8Array) => concat([new Uint8Array([b.length >> 8, b.length & 0xff]), b]);
  return concat([v(p.dhP), v(p.dhG), v(p.dhYs)]);
}

const BAD_POINTS: [NamedGroupName, string, Uint8Array][] = [
  ['secp256r1', 'P-256 point not on the curve', concat([new Uint8Array([4]), new Uint8Array(64).fill(1)])],
  ['secp256r1', 'P-256 compressed point', concat([new Uint8Array([2]), new Uint8Array(32).fill(1)])],
  ['secp384r1', 'P-384 point of the wrong length', concat([new Uint8Array([4]), new Uint8Array(64).fill(1)])],
  ['x25519', 'X25519 all-zero point (zero shared secret)', new Uint8Array(32)],
];

/**
 * A client and a server agreeing on `group` for ECDHE, the client also listing the curve of the
 * server's ECDSA P-256 certificate (RFC 8422 §5.3).
 */
function ecdhePair(group: NamedGroupName) {
  const groups: NamedGroupName[] = group === 'secp256r1' ? [group] : [group, 'secp256r1'];
  return {
    client: startClient(clientTLS12({ groups })),
    server: startServer(serverTLS12({ groups: [group] })),
  };
}

test('server: a header announcing a handshake message over our limit, after ClientKeyExchange in its record -> decode_error', (t) => {
  // Found by tls12-fuzz: that header is read when the next message is asked for, not when pushed.
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  send(client, server);
  send(server, client);
  const [clientKeyExchange] = plainHandshakeMessages(client.take());
  const oversized = new Uint8Array([H.certificate_verify, 0x10, 0x00, 0x00]);
  const record = plainRecords([concat([clientKeyExchange!, oversized])]);
  expectAlert(t, server, 'BadHandshakeMessageHeader', () => server.connection.dataFromWire(record));
});

for (const [group, name, point] of BAD_POINTS) {
  test(`server: ClientKeyExchange with an invalid point (${name}) -> illegal_parameter`, (t) => {
    const { client, server } = ecdhePair(group);
    send(client, server);
    send(server, client);
    const flight = rewrite(client.take(), H.client_key_exchange, () =>
      frameHandshake(H.client_key_exchange, ClientKeyExchangeECDHE.build({ ecdhYc: point })),
    );
    expectAlert(t, server, 'BadKeyShare', () => server.connection.dataFromWire(flight));
  });
}

for (const [group, name, point] of BAD_POINTS) {
  test(`client: ServerKeyExchange with an invalid point (${name}, validly signed) -> illegal_parameter`, (t) => {
    const { client, server } = ecdhePair(group);
    const clientHello = plainHandshakeMessages(client.out[0]!)[0]!;
    send(client, server);
    const original = server.take();
    const serverRandom = plainHandshakeMessages(original)[0]!.subarray(6, 38);
    const flight = rewrite(original, H.server_key_exchange, (m) => {
      const ske = ServerKeyExchangeECDHE.parse(body(m));
      const params = { ...ske.params, public: point };
      const signed = concat([clientHello.subarray(6, 38), serverRandom, ServerECDHParams.build(params)]);
      const signature = defaultProvider.sign(
        'ecdsa_secp256r1_sha256',
        pki().leaf('ecdsa').privateKey!,
        signed,
      );
      return frameHandshake(
        H.server_key_exchange,
        ServerKeyExchangeECDHE.build({ params, signedParams: { algorithm: 0x0403, signature } }),
      );
    });
    expectAlert(t, client, 'BadKeyShare', () => client.connection.dataFromWire(flight));
  });
}

test('server: resumption ClientHello without extended_master_secret -> handshake_failure (RFC 7627 §5.3)', (t) => {
  const sessionCache = new MemoryServerSessionCache();
  const serverTLS = serverTLS12({ ticketKeys: false, sessionCache });
  const clientTLS = clientTLS12();
  complete(startClient(clientTLS), startServer(serverTLS));
  t.is(sessionCache.size, 1);
  const client = startClient(clientTLS);
  const server = startServer(serverTLS);
  const hello = rewrite(client.take(), H.client_hello, (m) =>
    withoutExtension(m, ExtensionType.extended_master_secret, ClientHello),
  );
  expectAlert(t, server, 'ResumptionWithoutExtendedMasterSecret', () =>
    server.connection.dataFromWire(hello),
  );
});

test('client: resuming ServerHello without extended_master_secret -> handshake_failure, session dropped', (t) => {
  const serverTLS = serverTLS12({ ticketKeys: false });
  const clientTLS = clientTLS12();
  complete(startClient(clientTLS), startServer(serverTLS));
  const client = startClient(clientTLS);
  const server = startServer(serverTLS);
  send(client, server);
  const flight = rewrite(server.take(), H.server_hello, (m) =>
    withoutExtension(m, ExtensionType.extended_master_secret, ServerHello),
  );
  expectAlert(t, client, 'ResumptionWithoutExtendedMasterSecret', () =>
    client.connection.dataFromWire(flight),
  );
  // RFC 5246 §7.2.2: the session is gone, so the next connection offers none.
  const next = startClient(clientTLS);
  const offered = ClientHello.parse(body(plainHandshakeMessages(next.take())[0]!)).legacySessionId;
  t.is(offered.length, 0);
});

test('a fatal alert during a resumed connection removes the session from the server cache', (t) => {
  const sessionCache = new MemoryServerSessionCache();
  const serverTLS = serverTLS12({ ticketKeys: false, sessionCache });
  const clientTLS = clientTLS12();
  complete(startClient(clientTLS), startServer(serverTLS));
  const client = startClient(clientTLS);
  const server = startServer(serverTLS);
  complete(client, server);
  t.true(server.connection.resumed);
  t.is(sessionCache.size, 1);
  client.connection.sendAlert(A.internal_error);
  t.throws(() => send(client, server), { instanceOf: TLSAlertError });
  t.is(server.connection.state, 'invalidated');
  t.is(sessionCache.size, 0);
});

test('downgrade: a client offering 1.3 refuses a TLS 1.2 ServerHello carrying the sentinel -> illegal_parameter', (t) => {
  const client = startClient(clientTLS12({ versions: ['TLSv1.3', 'TLSv1.2'] }));
  const server = startServer(serverTLS12());
  // An attacker strips supported_versions: our server (1.3-capable) answers 1.2 with DOWNGRD\x01.
  const hello = rewrite(client.take(), H.client_hello, (m) =>
    withoutExtension(m, ExtensionType.supported_versions, ClientHello),
  );
  server.connection.dataFromWire(hello);
  const flight = server.take();
  t.deepEqual(
    [...plainHandshakeMessages(flight)[0]!.subarray(30, 38)],
    [...Buffer.from('DOWNGRD\x01', 'latin1')],
  );
  expectAlert(t, client, 'DowngradeDetected', () => client.connection.dataFromWire(flight));
});

test('TLS_FALLBACK_SCSV to a server that supports 1.3 -> inappropriate_fallback', (t) => {
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  const hello = rewrite(client.take(), H.client_hello, (m) => {
    const ch = ClientHello.parse(body(m));
    return frameHandshake(
      H.client_hello,
      ClientHello.build({ ...ch, cipherSuites: [...ch.cipherSuites, CS.TLS_FALLBACK_SCSV] }),
    );
  });
  expectAlert(t, server, 'InappropriateFallback', () => server.connection.dataFromWire(hello));
});

test('non-empty renegotiation_info in an initial ClientHello -> handshake_failure', (t) => {
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  const hello = rewrite(client.take(), H.client_hello, (m) => {
    const ch = ClientHello.parse(body(m));
    const extensions = ch.extensions!.map((e) =>
      e.extensionType === ExtensionType.renegotiation_info
        ? {
            extensionType: ExtensionType.renegotiation_info,
            extensionData: { renegotiatedConnection: new Uint8Array(12) },
          }
        : e,
    );
    return frameHandshake(H.client_hello, ClientHello.build({ ...ch, extensions } as never));
  });
  expectAlert(t, server, 'BadRenegotiationInfo', () => server.connection.dataFromWire(hello));
});

test('ServerHello with a cipher suite we did not offer -> illegal_parameter', (t) => {
  const client = startClient(clientTLS12({ cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] }));
  const server = startServer(serverTLS12());
  send(client, server);
  const flight = rewrite(server.take(), H.server_hello, (m) => {
    const sh = ServerHello.parse(body(m));
    return frameHandshake(H.server_hello, ServerHello.build({ ...sh, cipherSuite: 0xc02c }));
  });
  expectAlert(t, client, 'UnofferedCipherSuite', () => client.connection.dataFromWire(flight));
});

test('ServerHello with an extension we did not send -> unsupported_extension', (t) => {
  const client = startClient(clientTLS12({ sessionCache: false }));
  const server = startServer(serverTLS12());
  send(client, server);
  const flight = rewrite(server.take(), H.server_hello, (m) =>
    withEmptyExtension(m, ExtensionType.session_ticket),
  );
  expectAlert(t, client, 'UnsolicitedExtension', () => client.connection.dataFromWire(flight));
});

test('no client certificate for a server that requires one -> handshake_failure', (t) => {
  const client = startClient(clientTLS12({ clientCertificateStore: undefined }));
  const server = startServer(serverTLS12({ clientAuth: 'require', clientTrustRoot: pki().trustStore }));
  send(client, server);
  send(server, client);
  // No store: the client sends an empty Certificate; a server requiring one says handshake_failure.
  expectAlert(t, server, 'NoClientCertificateTls12', () => send(client, server));
});
