// Failures that no other test reaches, each through ClientTLS / ServerTLS with crafted bytes and
// asserted by its reason (reasons.ts; the alert on the wire follows from it): the record layer's
// first bytes, client and server in TLS 1.3 and TLS 1.2, certificates, and our own configuration.
import {
  type Certificate,
  CertificateBuilder,
  ServerCertificateChain,
  ServerCertificates,
} from '@tls-kit/certs';
import { concat } from '@tls-kit/crypto/bytes';
import {
  ClientHello,
  ContentType,
  ExtensionType,
  HandshakeType as H,
  HELLO_RETRY_REQUEST_RANDOM,
  NewSessionTicket13,
} from '@tls-kit/messages';
import test from 'ava';
import { frameHandshake } from '../src/handshake/messages.js';
import type { Reason } from '../src/index.js';
import { raw, rewriteClientHello, rewriteServerHello, withoutType } from './helpers/hello-rewrite.js';
import { expectFailure, makeClient, makeServer, protection, records, splitMessages } from './helpers/mitm.js';
import { pki } from './helpers/pki.js';
import {
  body,
  clientTLS12,
  complete,
  type End,
  expectAlert,
  plainHandshakeMessages,
  plainRecords,
  rewrite,
  send,
  serverTLS12,
  startClient,
  startServer,
} from './helpers/tls12-memory.js';

const ascii = (s: string) => new TextEncoder().encode(s);
const TLS13 = { versions: ['TLSv1.3'] } as const;
const u16 = (n: number) => [n >> 8, n & 0xff];

/** `to` refuses what `from` wrote, with the ServerHello changed by `change`. */
function refusesServerHello(
  t: Parameters<typeof expectAlert>[0],
  from: End,
  to: End,
  reason: Reason,
  change: Parameters<typeof rewriteServerHello>[1],
) {
  const flight = rewrite(from.take(), H.server_hello, (m) => rewriteServerHello(m, change));
  expectAlert(t, to, reason, () => to.connection.dataFromWire(flight));
}

/**
 * `server` refuses the ClientHello `client` wrote, changed by `change`; a change_cipher_spec
 * before it (after a HelloRetryRequest, RFC 8446 Appendix D.4) is left out.
 */
function refusesClientHello(
  t: Parameters<typeof expectAlert>[0],
  client: End,
  server: End,
  reason: Reason,
  change: Parameters<typeof rewriteClientHello>[1],
) {
  const [hello] = splitMessages(
    concat(
      records(client.take())
        .filter((r) => r.type === ContentType.handshake)
        .map((r) => r.fragment),
    ),
  );
  const bytes = plainRecords([rewriteClientHello(hello!, change)]);
  expectAlert(t, server, reason, () => server.connection.dataFromWire(bytes));
}

/** A TLS 1.3 client and server, the client's ClientHello sent; the server's flight waits in `server`. */
function afterClientHello13(clientOptions = {}, serverOptions = {}) {
  const client = startClient(clientTLS12({ ...TLS13, ...clientOptions }));
  const server = startServer(serverTLS12({ ...TLS13, ...serverOptions }));
  send(client, server);
  return { client, server };
}

// --- The record layer: a plain-text HTTP client at a TLS port (OpenSSL's ssl3_get_record) ---

for (const [first, reason] of [
  ['GET / HTTP/1.1\r\nHost: localhost\r\n\r\n', 'HttpRequest'],
  ['POST /form HTTP/1.1\r\n\r\n', 'HttpRequest'],
  ['HEAD / HTTP/1.0\r\n\r\n', 'HttpRequest'],
  ['PUT /x HTTP/1.1\r\n\r\n', 'HttpRequest'],
  ['CONNECT example.com:443 HTTP/1.1\r\n\r\n', 'HttpsProxyRequest'],
  ['DELETE / HTTP/1.1\r\n\r\n', 'UnknownRecordType'],
] as const) {
  test(`a first record that reads ${JSON.stringify(first.slice(0, 8))}: ${reason}`, (t) => {
    const server = startServer(serverTLS12());
    expectAlert(t, server, reason, () => server.connection.dataFromWire(ascii(first)));
  });
}

test('"GET " after a first record is just an unknown record type', (t) => {
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  const bytes = concat([client.take(), ascii('GET / HTTP/1.1\r\n\r\n')]);
  expectAlert(t, server, 'UnknownRecordType', () => server.connection.dataFromWire(bytes));
});

// --- Client, TLS 1.3: the ServerHello and what follows ---

test('TLS 1.3 client: supported_versions selecting a version we did not offer', (t) => {
  const { client, server } = afterClientHello13();
  refusesServerHello(t, server, client, 'UnofferedVersion', (_sh, list) => ({
    extensions: [
      ...withoutType(list, ExtensionType.supported_versions),
      raw(ExtensionType.supported_versions, [3, 5]),
    ],
  }));
});

test('TLS 1.3 client: a ServerHello legacy_version other than TLS 1.2', (t) => {
  const { client, server } = afterClientHello13();
  refusesServerHello(t, server, client, 'IllegalLegacyVersion', () => ({ legacyVersion: 0x0301 }));
});

test('TLS 1.3 client: a ServerHello choosing a compression method', (t) => {
  const { client, server } = afterClientHello13();
  refusesServerHello(t, server, client, 'IllegalCompression', () => ({ legacyCompressionMethod: 1 }));
});

test('TLS 1.3 client: a ServerHello key_share for a group we sent no share for', (t) => {
  const { client, server } = afterClientHello13({ groups: ['x25519', 'secp384r1'] });
  const share = [...u16(0x0018), ...u16(97), 4, ...new Array(96).fill(1)];
  refusesServerHello(t, server, client, 'UnofferedGroup', (_sh, list) => ({
    extensions: [...withoutType(list, ExtensionType.key_share), raw(ExtensionType.key_share, share)],
  }));
});

test('TLS 1.3 client: a HelloRetryRequest with neither a group nor a cookie', (t) => {
  const { client, server } = afterClientHello13();
  refusesServerHello(t, server, client, 'HelloRetryRequestChangesNothing', (_sh, list) => ({
    random: HELLO_RETRY_REQUEST_RANDOM,
    isHelloRetryRequest: true,
    extensions: list.filter((e) => e.extensionType === ExtensionType.supported_versions),
  }));
});

test('TLS 1.3 client: a HelloRetryRequest for a group we do not support', (t) => {
  const { client, server } = afterClientHello13({ groups: ['x25519'] });
  refusesServerHello(t, server, client, 'UnofferedGroup', (_sh, list) => ({
    random: HELLO_RETRY_REQUEST_RANDOM,
    isHelloRetryRequest: true,
    extensions: [
      ...list.filter((e) => e.extensionType === ExtensionType.supported_versions),
      raw(ExtensionType.key_share, u16(0x0019)),
    ],
  }));
});

/**
 * A client offering both AES-GCM suites (and `clientOptions`) after a HelloRetryRequest: the
 * second ServerHello waits in `server`.
 */
function afterRetry(clientOptions = {}) {
  const { client, server } = afterClientHello13(
    { cipherSuites: ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'], ...clientOptions },
    { alwaysHelloRetry: true },
  );
  send(server, client);
  send(client, server);
  return { client, server };
}

test('TLS 1.3 client: a ServerHello with another suite than its HelloRetryRequest', (t) => {
  const { client, server } = afterRetry();
  refusesServerHello(t, server, client, 'CipherSuiteDiffersFromHelloRetryRequest', () => ({
    cipherSuite: 0x1302,
  }));
});

test('TLS 1.3 client: a TLS 1.2 ServerHello after a HelloRetryRequest', (t) => {
  const { client, server } = afterRetry({
    versions: ['TLSv1.3', 'TLSv1.2'],
    cipherSuites: [
      'TLS_AES_128_GCM_SHA256',
      'TLS_AES_256_GCM_SHA384',
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    ],
  });
  refusesServerHello(t, server, client, 'Tls12AfterHelloRetryRequest', (_sh, list) => ({
    cipherSuite: 0xc02b,
    extensions: withoutType(withoutType(list, ExtensionType.supported_versions), ExtensionType.key_share),
  }));
});

test('TLS 1.3 client: a NewSessionTicket with a lifetime over 7 days', (t) => {
  const client = makeClient();
  // No tickets of its own: the forged one is the first record under its application key.
  const server = makeServer({ ticketKeys: false });
  server.connection.dataFromWire(client.take());
  client.connection.dataFromWire(server.take());
  server.connection.dataFromWire(client.take());
  server.take();
  const ticket = NewSessionTicket13.build({
    ticketLifetime: 7 * 86_400 + 1,
    ticketAgeAdd: 0,
    ticketNonce: new Uint8Array(1),
    ticket: new Uint8Array(16),
    extensions: [],
  } as never);
  const sealed = protection(server.secrets.get('SERVER_TRAFFIC_SECRET_0')!).seal(
    ContentType.handshake,
    frameHandshake(H.new_session_ticket, ticket),
  );
  expectFailure(t, client, sealed, 'TicketLifetimeTooLong', client.secrets.get('CLIENT_TRAFFIC_SECRET_0'));
});

const PSK = { identity: 'client1', key: Uint8Array.from({ length: 32 }, (_, i) => i + 1) };
const pskServer = { pskCallback: () => ({ key: PSK.key }) };

/** A TLS 1.3 client offering PSK and a server that knows it. */
const pskPair = () => ({
  client: startClient(clientTLS12({ ...TLS13, psk: PSK })),
  server: startServer(serverTLS12({ ...TLS13, ...pskServer })),
});

test('TLS 1.3 client: a ServerHello selecting a PSK identity we did not offer', (t) => {
  const { client, server } = afterClientHello13({ psk: PSK }, pskServer);
  refusesServerHello(t, server, client, 'UnofferedPsk', (_sh, list) => ({
    extensions: list.map((e) =>
      e.extensionType === ExtensionType.pre_shared_key ? raw(e.extensionType, [0, 1]) : e,
    ),
  }));
});

test('TLS 1.3 client: a PSK selected with a suite of another hash', (t) => {
  const { client, server } = afterClientHello13(
    { psk: PSK, cipherSuites: ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'] },
    pskServer,
  );
  refusesServerHello(t, server, client, 'PskHashMismatch', () => ({ cipherSuite: 0x1302 }));
});

// --- Client, TLS 1.2 ---

test('TLS 1.2 client: ec_point_formats without uncompressed', (t) => {
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  send(client, server);
  refusesServerHello(t, server, client, 'NoUncompressedPointFormat', (_sh, list) => ({
    extensions: [
      ...withoutType(list, ExtensionType.ec_point_formats),
      raw(ExtensionType.ec_point_formats, [1, 1]),
    ],
  }));
});

test('TLS 1.2 client: an ECDSA certificate for an ECDHE_RSA suite', (t) => {
  const suites = ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'];
  const client = startClient(clientTLS12({ cipherSuites: suites }));
  const server = startServer(serverTLS12());
  send(client, server);
  refusesServerHello(t, server, client, 'CertificateKeyDoesNotFitSuite', () => ({ cipherSuite: 0xc02f }));
});

test('TLS 1.2 client: a resumption with another cipher suite than the session had', (t) => {
  const suites = ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'];
  const clientTLS = clientTLS12({ cipherSuites: suites });
  const serverTLS = serverTLS12({ ticketKeys: false });
  complete(startClient(clientTLS), startServer(serverTLS));
  const client = startClient(clientTLS);
  const server = startServer(serverTLS);
  send(client, server);
  refusesServerHello(t, server, client, 'ResumedSessionCipherSuiteMismatch', () => ({ cipherSuite: 0xc02c }));
});

test('TLS 1.2 client: a server that echoes a session ID we offered with no session to resume', (t) => {
  // Offering TLS 1.3 too, the client sends a session ID (RFC 8446 §4.1.2) but has no session.
  const client = startClient(clientTLS12({ versions: ['TLSv1.3', 'TLSv1.2'] }));
  const server = startServer(serverTLS12({ versions: ['TLSv1.2'] }));
  const hello = client.take();
  const sent = ClientHello.parse(body(plainHandshakeMessages(hello)[0]!)).legacySessionId;
  server.connection.dataFromWire(hello);
  refusesServerHello(t, server, client, 'UnofferedSession', () => ({ legacySessionIdEcho: sent }));
});

// --- Server, TLS 1.3: the ClientHello ---

test('TLS 1.3 server: a ClientHello offering a compression method besides null', (t) => {
  const client = startClient(clientTLS12(TLS13));
  refusesClientHello(t, client, startServer(serverTLS12(TLS13)), 'IllegalCompression', () => ({
    legacyCompressionMethods: [0, 1],
  }));
});

test('TLS 1.3 server: server_name that is not an ASCII host name', (t) => {
  const client = startClient(clientTLS12(TLS13));
  const name = ascii('a b.example');
  const entry = [0, ...u16(name.length), ...name];
  refusesClientHello(t, client, startServer(serverTLS12(TLS13)), 'BadServerName', (_ch, list) => ({
    extensions: [
      raw(ExtensionType.server_name, [...u16(entry.length), ...entry]),
      ...withoutType(list, ExtensionType.server_name),
    ],
  }));
});

test('TLS 1.3 server: two key shares for one group', (t) => {
  const client = startClient(clientTLS12({ ...TLS13, groups: ['x25519'] }));
  refusesClientHello(t, client, startServer(serverTLS12(TLS13)), 'DuplicateKeyShare', (_ch, list) => {
    const shares = list.find((e) => e.extensionType === ExtensionType.key_share)!.extensionData.subarray(2);
    const doubled = [...shares, ...shares];
    return {
      extensions: list.map((e) =>
        e.extensionType === ExtensionType.key_share
          ? raw(ExtensionType.key_share, [...u16(doubled.length), ...doubled])
          : e,
      ),
    };
  });
});

test('TLS 1.3 server: a key share for a group supported_groups does not list', (t) => {
  const client = startClient(clientTLS12({ ...TLS13, groups: ['x25519', 'secp256r1'] }));
  refusesClientHello(t, client, startServer(serverTLS12(TLS13)), 'KeyShareForUnlistedGroup', (_ch, list) => ({
    extensions: list.map((e) =>
      e.extensionType === ExtensionType.supported_groups
        ? raw(ExtensionType.supported_groups, [0, 2, 0, 0x17])
        : e,
    ),
  }));
});

test('TLS 1.3 server: no key exchange group in common', (t) => {
  const client = startClient(clientTLS12({ ...TLS13, groups: ['x25519'] }));
  const server = startServer(serverTLS12({ ...TLS13, groups: ['secp384r1'] }));
  expectAlert(t, server, 'NoSharedGroup', () => send(client, server));
});

for (const [what, reason, change] of [
  ['changes the cipher suite', 'SecondClientHelloChangedCipherSuite', () => ({ cipherSuites: [0x1302] })],
  [
    'changes the session id',
    'SecondClientHelloChangedSessionId',
    () => ({ legacySessionId: new Uint8Array(32) }),
  ],
  [
    'drops our cookie',
    'SecondClientHelloWithoutCookie',
    (_ch, list) => ({ extensions: withoutType(list, ExtensionType.cookie) }),
  ],
  [
    'adds early_data',
    'EarlyDataAfterHelloRetryRequest',
    (_ch, list) => ({ extensions: [raw(ExtensionType.early_data, []), ...list] }),
  ],
] as const satisfies readonly (readonly [string, Reason, Parameters<typeof rewriteClientHello>[1]])[]) {
  test(`TLS 1.3 server: a second ClientHello that ${what}`, (t) => {
    const { client, server } = afterClientHello13(
      { cipherSuites: ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'] },
      { alwaysHelloRetry: true },
    );
    send(server, client);
    refusesClientHello(t, client, server, reason, change);
  });
}

test('TLS 1.3 server: a second ClientHello without the key share we asked for', (t) => {
  const { client, server } = afterClientHello13(
    { groups: ['x25519', 'secp256r1'] },
    { groups: ['secp256r1'] },
  );
  send(server, client);
  refusesClientHello(t, client, server, 'SecondClientHelloWrongKeyShare', (_ch, list) => ({
    extensions: list.map((e) =>
      e.extensionType === ExtensionType.key_share ? raw(e.extensionType, [0, 0]) : e,
    ),
  }));
});

test('TLS 1.3 server: record_size_limit under 64', (t) => {
  const client = startClient(clientTLS12(TLS13));
  refusesClientHello(t, client, startServer(serverTLS12(TLS13)), 'BadRecordSizeLimit', (_ch, list) => ({
    extensions: [
      raw(ExtensionType.record_size_limit, [0, 63]),
      ...withoutType(list, ExtensionType.record_size_limit),
    ],
  }));
});

test('TLS 1.3 server: pre_shared_key without psk_key_exchange_modes', (t) => {
  const { client, server } = pskPair();
  refusesClientHello(t, client, server, 'MissingPskKeyExchangeModes', (_ch, list) => ({
    extensions: withoutType(list, ExtensionType.psk_key_exchange_modes),
  }));
});

test('TLS 1.3 server: pre_shared_key with more binders than identities', (t) => {
  const { client, server } = pskPair();
  refusesClientHello(t, client, server, 'PskBinderCountMismatch', (_ch, list) => ({
    extensions: list.map((e) => {
      if (e.extensionType !== ExtensionType.pre_shared_key) return e;
      // OfferedPsks (RFC 8446 §4.2.11): identities<7..2^16-1>, then binders<33..2^16-1>.
      const data = e.extensionData;
      const at = 2 + ((data[0]! << 8) | data[1]!);
      const binders = data.subarray(at + 2);
      return raw(e.extensionType, [
        ...data.subarray(0, at),
        ...u16(2 * binders.length),
        ...binders,
        ...binders,
      ]);
    }),
  }));
});

// --- Server, TLS 1.2: the ClientHello ---

test('TLS 1.2 server: ec_point_formats without uncompressed', (t) => {
  const client = startClient(clientTLS12());
  refusesClientHello(t, client, startServer(serverTLS12()), 'NoUncompressedPointFormat', (_ch, list) => ({
    extensions: list.map((e) =>
      e.extensionType === ExtensionType.ec_point_formats ? raw(ExtensionType.ec_point_formats, [1, 1]) : e,
    ),
  }));
});

test('TLS 1.2 server: a ClientHello without null compression', (t) => {
  const client = startClient(clientTLS12());
  refusesClientHello(t, client, startServer(serverTLS12()), 'IllegalCompression', () => ({
    legacyCompressionMethods: [1],
  }));
});

test('TLS 1.2 server: an ALPN callback that chooses nothing', (t) => {
  const client = startClient(clientTLS12({ alpnProtocols: ['h2'] }));
  const server = startServer(serverTLS12({ alpnCallback: () => undefined }));
  expectAlert(t, server, 'AlpnCallbackRefused', () => send(client, server));
});

/** ServerCertificates that always answers `chain`, keeping what the callback raised at it. */
class Answering extends ServerCertificates {
  raised: unknown;
  constructor(private readonly chain: Iterable<Certificate> | null) {
    super();
  }
  getCertificateChainForServerName(
    _name: string | null,
    callback: (chain: Iterable<Certificate> | null) => void,
  ) {
    try {
      callback(this.chain);
    } catch (error) {
      this.raised = error;
    }
  }
}

test('TLS 1.2 server: no certificate for a client that sent no server_name', (t) => {
  const client = startClient(clientTLS12({ serverHostname: '127.0.0.1' }));
  const server = startServer(serverTLS12({ certificates: new Answering(null) }));
  expectAlert(t, server, 'NoServerCertificate', () => send(client, server));
});

test('TLS 1.2 server: a chain whose leaf has no private key', (t) => {
  const leaf = pki().chain('ecdsa').chain[0]!.withoutPrivateKey();
  const certificates = new Answering([leaf]);
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12({ certificates }));
  expectAlert(t, server, 'UnusableServerCertificate', () => send(client, server));
  t.is((certificates.raised as Error).name, 'LeafCertificateHasNoPrivateKeyError', 'the callback raised too');
});

// --- Certificates ---

test('a server certificate that is a CA certificate (webpki): InvalidCertificate', (t) => {
  const builder = new CertificateBuilder();
  const leaf = builder.intermediate(pki().root, {
    subject: 'CN=localhost',
    subjectAltNames: ['DNS:localhost'],
  });
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12({ certificates: new ServerCertificateChain([leaf]) }));
  send(client, server);
  expectAlert(t, client, 'InvalidCertificate', () => send(server, client));
});
