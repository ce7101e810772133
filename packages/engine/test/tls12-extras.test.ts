// TLS 1.2 extras: option validation, RFC 5746 §4.1 strictness (requireSecureRenegotiation), the
// server's RFC 7919 group choice, max_fragment_length sent by our client (RFC 6066 §4, RFC 8449
// §5), and ticket renewal on ticket resumption (RFC 5077 §3.1). In memory, plus `openssl s_server
// -tls1_2` where it can show the behaviour.
import { FFDHE_PRIMES_HEX } from '@tls-kit/crypto';
import {
  ClientHello,
  ContentType,
  ExtensionType,
  HandshakeType as H,
  NamedGroup,
  ServerHello,
} from '@tls-kit/messages';
import test from 'ava';
import { frameHandshake } from '../src/handshake/messages.js';
import { type ClientOptions, ClientTLS, type ServerOptions, ServerTLS, TLSUsageError } from '../src/index.js';
import { PkiStore } from './helpers/client-certificate-store.js';
import { records } from './helpers/mitm.js';
import { haveOpenssl } from './helpers/openssl.js';
import { pki } from './helpers/pki.js';
import {
  body,
  clientTLS12,
  complete,
  expectAlert,
  plainHandshakeMessages,
  plainHandshakeTypes,
  rewrite,
  send,
  serverTLS12,
  startClient,
  startServer,
  withoutExtension,
} from './helpers/tls12-memory.js';
import {
  clientToSServer,
  dhParamsDer,
  echoServer,
  revEchoOnce,
  sClient12,
  sServer12,
} from './helpers/tls12-peers.js';

const maybe = haveOpenssl() ? test.serial : test.skip;
if (!haveOpenssl()) test('openssl is absent', (t) => t.log('openssl not installed: s_server cases skipped'));

// --- 1. Option validation -------------------------------------------------------------------

const client = (options: Partial<ClientOptions>) =>
  new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore, ...options });
const server = (options: Partial<ServerOptions>) =>
  new ServerTLS({ certificates: pki().chain('ecdsa'), ...options });

const badCommon: [string, Partial<ClientOptions & ServerOptions>, RegExp][] = [
  ['versions TLSv1.1', { versions: ['TLSv1.1' as never] }, /versions: unknown value "TLSv1\.1".*'TLSv1\.3'/],
  ['versions in lower case', { versions: ['tlsv1.2' as never] }, /versions: unknown value "tlsv1\.2"/],
  [
    'a CBC suite',
    { cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] },
    /cipherSuites: unknown or unsupported cipher suite "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"/,
  ],
  [
    'group brainpoolP256r1',
    { groups: ['brainpoolP256r1' as never] },
    /groups: unknown value "brainpoolP256r1".*'x25519'/,
  ],
  [
    'signature scheme rsa_pss_sha256',
    { signatureSchemes: ['rsa_pss_sha256' as never] },
    /signatureSchemes: unknown value "rsa_pss_sha256".*'rsa_pss_rsae_sha256'/,
  ],
  ['an empty ALPN name', { alpnProtocols: [''] }, /alpnProtocols: "" is 0 bytes long \(RFC 7301: 1\.\.255\)/],
  ['a 256-byte ALPN name', { alpnProtocols: ['x'.repeat(256)] }, /is 256 bytes long/],
  ['an ALPN name with a non-byte character', { alpnProtocols: ['h€'] }, /not a string of byte characters/],
  ['an ALPN list over 65535 bytes', { alpnProtocols: Array(300).fill('x'.repeat(255)) }, /over 65535 bytes/],
];

for (const [what, options, message] of badCommon) {
  test(`options: ${what} -> TLSUsageError from ClientTLS and ServerTLS`, (t) => {
    t.throws(() => client(options), { instanceOf: TLSUsageError, message });
    t.throws(() => server(options), { instanceOf: TLSUsageError, message });
  });
}

test("options: clientAuth 'required' (a typo for 'require') -> TLSUsageError, not 'request'", (t) => {
  t.throws(() => server({ clientAuth: 'required' as never, clientTrustRoot: pki().trustStore }), {
    instanceOf: TLSUsageError,
    message: /clientAuth: unknown value "required" \(expected one of 'none', 'request', 'require'\)/,
  });
});

test('options: ticketCount outside 0..16 or not an integer -> TLSUsageError', (t) => {
  for (const ticketCount of [-1, 1.5, 17]) {
    t.throws(() => server({ ticketCount }), { instanceOf: TLSUsageError, message: /ticketCount/ });
  }
});

test('options: requireSecureRenegotiation must be a boolean', (t) => {
  t.throws(() => client({ requireSecureRenegotiation: 'yes' as never }), {
    instanceOf: TLSUsageError,
    message: /requireSecureRenegotiation must be a boolean/,
  });
});

test('options: the edges that are valid are accepted', (t) => {
  t.notThrows(() => client({ alpnProtocols: ['x'.repeat(255), 'h2', 'é'] }));
  t.notThrows(() => server({ clientAuth: 'request', clientTrustRoot: pki().trustStore, ticketCount: 0 }));
  t.notThrows(() => server({ versions: ['TLSv1.2'], groups: ['ffdhe3072', 'x25519'] }));
});

// --- 2. RFC 5746 §4.1: a server without renegotiation_info ----------------------------------

/** The server's first flight with renegotiation_info taken out of its ServerHello. */
function withoutRenegotiationInfo(flight: Uint8Array): Uint8Array {
  return rewrite(flight, H.server_hello, (m) =>
    withoutExtension(m, ExtensionType.renegotiation_info, ServerHello),
  );
}

test('RFC 5746: requireSecureRenegotiation and a ServerHello without renegotiation_info -> handshake_failure', (t) => {
  const c = startClient(clientTLS12({ requireSecureRenegotiation: true }));
  const s = startServer(serverTLS12());
  send(c, s);
  const flight = withoutRenegotiationInfo(s.take());
  expectAlert(t, c, 'SecureRenegotiationUnsupported', () => c.connection.dataFromWire(flight));
});

test('RFC 5746: by default the client goes on without renegotiation_info (we never renegotiate)', (t) => {
  const c = startClient(clientTLS12());
  const s = startServer(serverTLS12());
  send(c, s);
  // The client accepts the ServerHello and answers with its whole flight; only the Finished
  // check fails afterwards, because our tampering changed the transcript.
  c.connection.dataFromWire(withoutRenegotiationInfo(s.take()));
  t.is(c.connection.handshakeState, 'WAIT_2');
  t.deepEqual(plainHandshakeTypes(c.take()), [H.client_key_exchange]);
});

test('RFC 5746: requireSecureRenegotiation with our server (which answers it) completes', (t) => {
  const c = startClient(clientTLS12({ requireSecureRenegotiation: true }));
  const s = startServer(serverTLS12());
  complete(c, s);
  t.is(c.connection.state, 'open');
  t.is(c.connection.tlsVersion, 'TLSv1.2');
});

maybe('RFC 5746: requireSecureRenegotiation against openssl s_server -tls1_2', async (t) => {
  const { child, port } = await sServer12(['-rev']);
  try {
    const tls = clientTLS12({ requireSecureRenegotiation: true });
    const connection = await revEchoOnce(port, tls);
    t.is(connection.tlsVersion, 'TLSv1.2');
  } finally {
    child.kill();
  }
});

// --- 3. The server's FFDHE group (RFC 7919 §4) ----------------------------------------------

const DHE = 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256';
/** A client whose ClientHello also offers TLS 1.3, so its supported_groups lists FFDHE groups. */
const ffdheClient = (groups: ClientOptions['groups']) =>
  startClient(
    clientTLS12({ versions: ['TLSv1.3', 'TLSv1.2'], cipherSuites: ['TLS_AES_128_GCM_SHA256', DHE], groups }),
  );
const dheServer = (options: Partial<ServerOptions>) =>
  startServer(
    serverTLS12({ certificates: pki().chain('rsa'), versions: ['TLSv1.2'], cipherSuites: [DHE], ...options }),
  );

test("RFC 7919 §4: the server's first FFDHE group that the client lists, not the client's first", (t) => {
  const c = ffdheClient(['ffdhe2048', 'ffdhe3072']);
  const s = dheServer({ groups: ['x25519', 'ffdhe3072', 'ffdhe2048'] });
  complete(c, s);
  t.is(c.connection.state, 'open');
  t.is(s.connection.namedGroup, 'ffdhe3072');
  t.is(c.connection.namedGroup, 'ffdhe3072');
});

test('RFC 7919 §4: without the groups option the server takes the first of ffdhe2048/3072/4096 the client lists', (t) => {
  const c = ffdheClient(['ffdhe3072']);
  const s = dheServer({});
  complete(c, s);
  t.is(s.connection.namedGroup, 'ffdhe3072');
});

test('RFC 7919 §4: a client listing only FFDHE groups the server lacks, no other suite -> handshake_failure', (t) => {
  const c = ffdheClient(['ffdhe2048']);
  const s = dheServer({
    groups: ['x25519', 'ffdhe3072'],
    dhParams: dhParamsDer(Buffer.from(FFDHE_PRIMES_HEX.ffdhe2048, 'hex'), 2),
  });
  // dhParams are not used either: the client asked for RFC 7919 groups.
  expectAlert(t, s, 'NoSharedCipherSuite', () => send(c, s));
});

test('RFC 7919 §4: an FFDHE code unknown to us counts too (no dhParams for that client)', (t) => {
  const c = startClient(clientTLS12({ cipherSuites: [DHE] }));
  const s = dheServer({ dhParams: dhParamsDer(Buffer.from(FFDHE_PRIMES_HEX.ffdhe2048, 'hex'), 2) });
  const hello = rewrite(c.take(), H.client_hello, (m) => {
    const ch = ClientHello.parse(body(m));
    const extensions = ch.extensions!.map((e) =>
      e.extensionType === ExtensionType.supported_groups
        ? { extensionType: e.extensionType, extensionData: { namedGroupList: [NamedGroup.ffdhe6144] } }
        : e,
    );
    return frameHandshake(H.client_hello, ClientHello.build({ ...ch, extensions } as never));
  });
  expectAlert(t, s, 'NoSharedCipherSuite', () => s.connection.dataFromWire(hello));
});

test('RFC 7919 §4: a client listing no FFDHE group gets dhParams, else our first FFDHE group', (t) => {
  const withParams = dheServer({ dhParams: dhParamsDer(Buffer.from(FFDHE_PRIMES_HEX.ffdhe2048, 'hex'), 2) });
  const c1 = startClient(clientTLS12({ cipherSuites: [DHE] }));
  complete(c1, withParams);
  t.is(withParams.connection.namedGroup, 'dh2048');
  const withGroups = dheServer({ groups: ['x25519', 'ffdhe4096', 'ffdhe2048'] });
  const c2 = startClient(clientTLS12({ cipherSuites: [DHE] }));
  complete(c2, withGroups);
  t.is(withGroups.connection.namedGroup, 'ffdhe4096');
  t.is(c2.connection.namedGroup, 'ffdhe4096');
});

test('RFC 7919 §4: groups without FFDHE and no dhParams -> no DHE suite (handshake_failure)', (t) => {
  const c = startClient(clientTLS12({ cipherSuites: [DHE] }));
  const s = dheServer({ groups: ['x25519'] });
  expectAlert(t, s, 'NoSharedCipherSuite', () => send(c, s));
});

// --- 4. max_fragment_length from our client (RFC 6066 §4, RFC 8449 §5) ----------------------

function helloExtension(flight: Uint8Array, type: number) {
  const m = plainHandshakeMessages(flight)[0]!;
  const parsed = (m[0] === H.client_hello ? ClientHello : ServerHello).parse(body(m));
  return parsed.extensions?.find((e) => e.extensionType === type)?.extensionData as
    | Record<string, number>
    | undefined;
}

for (const [options, code] of [
  [{ maxFragmentSize: 512 }, 1],
  [{ maxFragmentSize: 4096 }, 4],
  [{ recordSizeLimit: 1500 }, 2],
  [{ recordSizeLimit: 3000, maxFragmentSize: 2048 }, 3],
  [{ maxFragmentSize: 500 }, undefined],
  [{}, undefined],
] as const) {
  test(`max_fragment_length: ${JSON.stringify(options)} -> ${code ?? 'not sent'}, beside record_size_limit`, (t) => {
    const c = startClient(clientTLS12(options));
    const flight = c.take();
    t.is(helloExtension(flight, ExtensionType.max_fragment_length)?.maxFragmentLength, code);
    t.truthy(helloExtension(flight, ExtensionType.record_size_limit));
  });
}

test('max_fragment_length: our server answers record_size_limit only (RFC 8449 §5) and the handshake completes', (t) => {
  const c = startClient(clientTLS12({ maxFragmentSize: 1024 }));
  const s = startServer(serverTLS12());
  send(c, s);
  const flight = s.take();
  t.is(helloExtension(flight, ExtensionType.max_fragment_length), undefined);
  t.truthy(helloExtension(flight, ExtensionType.record_size_limit));
  c.connection.dataFromWire(flight);
  complete(c, s);
  t.is(c.connection.state, 'open');
});

/** The server's ServerHello with `extensions` added (the client checks it before any Finished). */
function serverHelloWith(
  flight: Uint8Array,
  add: { extensionType: number; extensionData: object }[],
  drop?: number,
) {
  return rewrite(flight, H.server_hello, (m) => {
    const sh = ServerHello.parse(body(m));
    const extensions = [...(sh.extensions ?? []).filter((e) => e.extensionType !== drop), ...add];
    return frameHandshake(H.server_hello, ServerHello.build({ ...sh, extensions } as never));
  });
}

test('max_fragment_length: an echo with another value -> illegal_parameter (RFC 6066 §4)', (t) => {
  const c = startClient(clientTLS12({ maxFragmentSize: 1024 }));
  const s = startServer(serverTLS12());
  send(c, s);
  const flight = serverHelloWith(
    s.take(),
    [{ extensionType: ExtensionType.max_fragment_length, extensionData: { maxFragmentLength: 3 } }],
    ExtensionType.record_size_limit,
  );
  expectAlert(t, c, 'BadMaxFragmentLength', () => c.connection.dataFromWire(flight));
});

test('max_fragment_length: both it and record_size_limit in the ServerHello -> illegal_parameter (RFC 8449 §5)', (t) => {
  const c = startClient(clientTLS12({ maxFragmentSize: 1024 }));
  const s = startServer(serverTLS12());
  send(c, s);
  const flight = serverHelloWith(s.take(), [
    { extensionType: ExtensionType.max_fragment_length, extensionData: { maxFragmentLength: 2 } },
  ]);
  expectAlert(t, c, 'BothRecordLimits', () => c.connection.dataFromWire(flight));
});

for (const versions of [['TLSv1.2'], ['TLSv1.3', 'TLSv1.2']] as const) {
  test(`max_fragment_length: an echo of ours limits the client records from then on (its flight split at the limit), offering ${versions}`, (t) => {
    const c = startClient(
      clientTLS12({
        versions: [...versions],
        maxFragmentSize: 512,
        clientCertificateStore: new PkiStore('rsa'),
      }),
    );
    const s = startServer(
      serverTLS12({ versions: ['TLSv1.2'], clientAuth: 'request', clientTrustRoot: pki().trustStore }),
    );
    send(c, s);
    const flight = serverHelloWith(
      s.take(),
      [{ extensionType: ExtensionType.max_fragment_length, extensionData: { maxFragmentLength: 1 } }],
      ExtensionType.record_size_limit,
    );
    c.connection.dataFromWire(flight);
    t.is(c.connection.handshakeState, 'WAIT_2');
    const sent = records(c.take());
    // Certificate (the RSA chain is over 512 bytes), ClientKeyExchange and CertificateVerify share
    // records cut at the limit, every one full but the last; the encrypted Finished follows the
    // ChangeCipherSpec.
    const ccs = sent.findIndex((r) => r.type === ContentType.change_cipher_spec);
    const handshake = sent.slice(0, ccs).map((r) => r.fragment.length);
    t.true(handshake.length >= 2, `records: ${handshake.join(',')}`);
    t.true(
      handshake.slice(0, -1).every((n) => n === 512),
      `records: ${handshake.join(',')}`,
    );
    t.true(sent.every((r) => r.fragment.length <= 512 + 24));
  });
}

maybe(
  'max_fragment_length: openssl s_server -tls1_2 (no record_size_limit) keeps to 512-byte records',
  async (t) => {
    const { child, port } = await sServer12(['-rev', '-msg', '-tlsextdebug']);
    try {
      const tls = clientTLS12({ maxFragmentSize: 512 });
      // A 3000-character line: without the limit s_server would echo it in one record.
      const connection = await revEchoOnce(port, tls, undefined, 1500);
      t.is(connection.tlsVersion, 'TLSv1.2');
      const output = child.output();
      t.regex(output, /TLS client extension "max fragment length" \(id=1\), len=1/);
      // Application data records s_server sent: 8-byte explicit nonce + at most 512 + 16-byte tag.
      const sent = [
        ...output.matchAll(
          />>> TLS 1\.2, RecordHeader \[length 0005\]\s+17 03 03 ([0-9a-f]{2}) ([0-9a-f]{2})/g,
        ),
      ].map((m) => Number.parseInt(m[1]! + m[2]!, 16));
      t.true(sent.length >= 6, `records: ${sent.join(',')}`);
      t.true(
        sent.every((n) => n <= 512 + 24),
        `records: ${sent.join(',')}`,
      );
    } finally {
      child.kill();
    }
  },
);

// --- 5. Ticket renewal on ticket resumption (RFC 5077 §3.1) ---------------------------------

/** A client and a server sharing a clock that the test moves; tickets only (no session-ID cache). */
function ticketPair(ticketLifetime: number) {
  const clock = { now: Date.now() };
  const now = () => clock.now;
  const serverTLS = serverTLS12({ sessionCache: false, ticketLifetime, clock: now });
  const clientTLS = clientTLS12({ clock: now });
  /** One connection; what the server sent in its first flight, and whether it resumed. */
  const connect = () => {
    const c = startClient(clientTLS);
    const s = startServer(serverTLS);
    send(c, s);
    const types = plainHandshakeTypes(s.out[0]!);
    complete(c, s);
    return {
      resumed: s.connection.resumed && c.connection.resumed,
      types,
      open: c.connection.state === 'open',
    };
  };
  return { clock, connect };
}

test('tickets: a resumption in the first half of the lifetime gets no new ticket', (t) => {
  const { clock, connect } = ticketPair(100);
  t.deepEqual(connect().types.at(-1), H.server_hello_done);
  clock.now += 40_000;
  const again = connect();
  t.true(again.resumed);
  t.deepEqual(again.types, [H.server_hello]);
});

test('tickets: past half its lifetime a resumed ticket is renewed, and the session outlives the first ticket', (t) => {
  const { clock, connect } = ticketPair(100);
  connect();
  clock.now += 60_000;
  const renewed = connect();
  t.true(renewed.resumed);
  t.deepEqual(renewed.types, [H.server_hello, H.new_session_ticket]);
  // 110 s after the full handshake: the first ticket (100 s) is over, the renewed one is not.
  clock.now += 50_000;
  const later = connect();
  t.true(later.resumed);
  t.true(later.open);
});

test('tickets: renewal stops 7 days after the full handshake; the session then ends', (t) => {
  const day = 86_400;
  const { clock, connect } = ticketPair(day / 2); // TicketKeys' default rotation (12 h) caps it
  connect();
  let renewals = 0;
  // Resume every 9 hours (past half of 12 h): each resumption renews, until the 7-day bound.
  for (let hours = 9; hours < 7 * 24; hours += 9) {
    clock.now += 9 * 3600_000;
    const r = connect();
    t.true(r.resumed, `resumed at ${hours} h`);
    if (r.types.includes(H.new_session_ticket)) renewals++;
  }
  t.true(renewals >= 17);
  // 171 h: past 7 days (168 h) + nothing left on the last ticket after 180 h.
  clock.now += 9 * 3600_000;
  const last = connect();
  t.false(last.resumed);
  t.true(last.open);
});

// --- 6. The server's ECDSA certificate and the client's curves (RFC 8422 §5.3) ---------------

for (const [kind, groups, ok] of [
  ['ecdsa', ['x25519'], false],
  ['ecdsa', ['x25519', 'secp256r1'], true],
  ['ecdsa384', ['x25519', 'secp256r1'], false],
  ['ecdsa384', ['secp384r1'], true],
  ['rsa', ['x25519'], true],
  ['ed25519', ['x25519'], true],
] as const) {
  test(`RFC 8422 §5.3: a ${kind} certificate and a client listing ${groups}: ${ok ? 'completes' : 'handshake_failure'}`, (t) => {
    const c = startClient(clientTLS12({ groups: [...groups] }));
    const s = startServer(serverTLS12({ certificates: pki().chain(kind) }));
    if (!ok) {
      expectAlert(t, s, 'NoSharedCipherSuite', () => send(c, s));
      return;
    }
    complete(c, s);
    t.is(c.connection.state, 'open');
    t.is(c.connection.namedGroup, groups[0]);
  });
}

test('RFC 8422 §5.3: a ClientHello without supported_groups may get any curve', (t) => {
  const c = startClient(clientTLS12());
  const s = startServer(serverTLS12());
  const hello = rewrite(c.take(), H.client_hello, (m) =>
    withoutExtension(m, ExtensionType.supported_groups, ClientHello),
  );
  s.connection.dataFromWire(hello);
  t.true(plainHandshakeTypes(s.take()).includes(H.server_hello_done));
});

maybe(
  'RFC 8422 §5.3: openssl s_client -groups X25519 gets handshake_failure from our ECDSA server, as from s_server',
  async (t) => {
    const server = await echoServer({ versions: ['TLSv1.2'] });
    try {
      const output = await sClient12(server.port, ['-groups', 'X25519'], ['BYE']);
      t.regex(output, /alert handshake failure/);
      t.is(server.connections[0]?.state, 'invalidated');
      await sClient12(server.port, ['-groups', 'X25519:P-256'], ['BYE']);
      t.is(server.connections[1]?.namedGroup, 'x25519');
    } finally {
      await server.close();
    }
    // OpenSSL's own server refuses our client the same way.
    await t.throwsAsync(clientToSServer([], { versions: ['TLSv1.2'], groups: ['x25519'] }));
  },
);
