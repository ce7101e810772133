// OCSP stapling in memory (RFC 6066 §8, RFC 8446 §4.4.2.1): the response travels byte-exact in
// both versions, only when asked for and available, and bad stapling gets the RFC's alert.
import { type Certificate, parseOcspResponse } from '@tls-kit/certs';
import { concat } from '@tls-kit/crypto/bytes';
import {
  AlertDescription as A,
  Certificate13,
  CertificateStatusType,
  EncryptedExtensions,
  ExtensionType,
  HandshakeType as H,
  ServerHello,
} from '@tls-kit/messages';
import test, { type ExecutionContext } from 'ava';
import { frameHandshake } from '../src/handshake/messages.js';
import {
  BadTLSDataError,
  type ClientOptions,
  ClientTLS,
  REASON_ALERTS,
  type Reason,
  type ServerOptions,
  ServerTLS,
  TLSAlertError,
  TLSUsageError,
  type TLSVersion,
} from '../src/index.js';
import { clientSees, expectFailure, message } from './helpers/mitm.js';
import { haveOpenssl, ocspResponseFile } from './helpers/openssl.js';
import { deliver, pair } from './helpers/pipe.js';
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
  withEmptyExtension,
} from './helpers/tls12-memory.js';

/** Stands for a DER OCSPResponse: the engine passes bytes through without parsing them. */
const RESPONSE = Uint8Array.from({ length: 517 }, (_, i) => (i * 7 + 3) & 0xff);

const VERSIONS: readonly TLSVersion[] = ['TLSv1.3', 'TLSv1.2'];

/** A client and a server of `version` started against each other; nothing delivered yet. */
function started(
  version: TLSVersion,
  client: Partial<ClientOptions>,
  server: Partial<ServerOptions>,
  reuse: { client?: ClientTLS; server?: ServerTLS } = {},
) {
  const c =
    reuse.client ??
    new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      versions: [version],
      ...client,
    });
  const s =
    reuse.server ?? new ServerTLS({ certificates: pki().chain('ecdsa'), versions: [version], ...server });
  return pair(
    (w, close) => c.start(w, close),
    (w, close) => s.start(w, close),
  );
}

/** started(), then the handshake run to its end. */
function run(...args: Parameters<typeof started>) {
  const p = started(...args);
  p.pump();
  return p;
}

for (const version of VERSIONS) {
  test(`${version}: the stapled response reaches the client byte-exact, for the chain sent`, (t) => {
    const asked: (readonly Certificate[])[] = [];
    const p = run(
      version,
      { requestOCSP: true },
      {
        ocspResponse: (chain) => {
          asked.push(chain);
          return RESPONSE;
        },
      },
    );
    t.true(p.client.connection.handshakeComplete);
    t.true(p.server.connection.handshakeComplete);
    const got = p.client.connection.ocspResponse;
    t.deepEqual(got, RESPONSE);
    // A copy of exact size, not a view of the record it came in.
    t.is(got?.buffer.byteLength, RESPONSE.length);
    t.is(asked.length, 1);
    t.is(asked[0]![0], pki().chain('ecdsa').chain[0], 'the callback gets our chain, leaf first');
    t.is(p.server.connection.ocspResponse, undefined, 'the server reports nothing');
  });

  test(`${version}: a Promise from ocspResponse pauses the handshake until it settles`, async (t) => {
    let settle: (response: Uint8Array | undefined) => void = () => {};
    const answer = new Promise<Uint8Array | undefined>((resolve) => {
      settle = resolve;
    });
    const p = run(version, { requestOCSP: true }, { ocspResponse: () => answer });
    t.false(p.server.connection.handshakeComplete, 'the server waits for the response');
    t.is(p.server.connection.state, 'waiting');
    settle(RESPONSE);
    await answer;
    p.pump();
    t.true(p.client.connection.handshakeComplete);
    t.deepEqual(p.client.connection.ocspResponse, RESPONSE);
  });

  test(`${version}: a Promise settling after the connection failed is ignored`, async (t) => {
    let settle: (response: Uint8Array | undefined) => void = () => {};
    const answer = new Promise<Uint8Array | undefined>((resolve) => {
      settle = resolve;
    });
    const p = run(version, { requestOCSP: true }, { ocspResponse: () => answer });
    p.server.connection.sendAlert(A.internal_error);
    settle(RESPONSE);
    await answer;
    t.is(p.server.connection.state, 'invalidated');
    t.false(p.client.connection.handshakeComplete);
  });

  test(`${version}: nothing stapled when the client did not ask (and the callback is not called)`, (t) => {
    let calls = 0;
    const p = run(
      version,
      {},
      {
        ocspResponse: () => {
          calls++;
          return RESPONSE;
        },
      },
    );
    t.true(p.client.connection.handshakeComplete);
    t.is(p.client.connection.ocspResponse, undefined);
    t.is(calls, 0);
  });

  for (const [what, server] of [
    ['no ocspResponse option', {}],
    ['the callback returns undefined', { ocspResponse: () => undefined }],
  ] as const) {
    test(`${version}: nothing stapled when the server has no response (${what})`, (t) => {
      const p = run(version, { requestOCSP: true }, server);
      t.true(p.client.connection.handshakeComplete);
      t.is(p.client.connection.ocspResponse, undefined);
    });
  }

  test(`${version}: a resumed connection has no stapled response (no Certificate)`, (t) => {
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      versions: [version],
      requestOCSP: true,
    });
    const server = new ServerTLS({
      certificates: pki().chain('ecdsa'),
      versions: [version],
      ocspResponse: () => RESPONSE,
    });
    const first = run(version, {}, {}, { client, server });
    t.deepEqual(first.client.connection.ocspResponse, RESPONSE);
    first.client.connection.applicationFinished();
    first.pump();
    const second = run(version, {}, {}, { client, server });
    t.true(second.client.connection.resumed);
    t.is(second.client.connection.ocspResponse, undefined);
  });
}

test('a client offering TLS 1.3 and 1.2 gets the response from a TLS 1.2 server', (t) => {
  const p = run('TLSv1.2', {}, { ocspResponse: () => RESPONSE });
  t.is(p.client.connection.ocspResponse, undefined, 'not asked');
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    requestOCSP: true,
  });
  const q = run('TLSv1.2', {}, { ocspResponse: () => RESPONSE }, { client });
  t.is(q.client.connection.tlsVersion, 'TLSv1.2');
  t.deepEqual(q.client.connection.ocspResponse, RESPONSE);
});

test('TLS 1.2 wire: status_request answered empty and CertificateStatus right after Certificate', (t) => {
  const client = startClient(clientTLS12({ requestOCSP: true }));
  const server = startServer(serverTLS12({ ocspResponse: () => RESPONSE }));
  send(client, server);
  const flight = server.take();
  const messages = plainHandshakeMessages(flight);
  t.deepEqual(
    messages.map((m) => m[0]),
    [H.server_hello, H.certificate, H.certificate_status, H.server_key_exchange, H.server_hello_done],
  );
  const sh = ServerHello.parse(body(messages[0]!));
  const echo = sh.extensions?.find((e) => e.extensionType === ExtensionType.status_request);
  t.deepEqual(echo?.extensionData, {});
  // CertificateStatus: status_type ocsp(1), uint24 length, the response.
  const n = RESPONSE.length;
  t.deepEqual(
    body(messages[2]!),
    concat([new Uint8Array([1, n >> 16, (n >> 8) & 0xff, n & 0xff]), RESPONSE]),
  );
});

test('TLS 1.2 wire: no status_request answer and no CertificateStatus without a response', (t) => {
  const client = startClient(clientTLS12({ requestOCSP: true }));
  const server = startServer(serverTLS12());
  send(client, server);
  const flight = server.take();
  t.deepEqual(plainHandshakeTypes(flight), [
    H.server_hello,
    H.certificate,
    H.server_key_exchange,
    H.server_hello_done,
  ]);
  const sh = ServerHello.parse(body(plainHandshakeMessages(flight)[0]!));
  t.false(sh.extensions?.some((e) => e.extensionType === ExtensionType.status_request) ?? false);
});

test('one callback serves several chains: it answers per leaf', (t) => {
  const ecdsa = pki().chain('ecdsa');
  const rsa = pki().chain('rsa');
  const byLeaf = new Map([
    [ecdsa.chain[0], RESPONSE],
    [rsa.chain[0], RESPONSE.subarray(0, 40)],
  ]);
  const p = run(
    'TLSv1.3',
    { requestOCSP: true, signatureSchemes: ['rsa_pss_rsae_sha256', 'rsa_pkcs1_sha256'] },
    { certificates: [ecdsa, rsa], ocspResponse: (chain) => byLeaf.get(chain[0]) },
  );
  t.deepEqual(p.client.connection.ocspResponse, RESPONSE.subarray(0, 40));
});

test('option checks: requestOCSP must be a boolean, ocspResponse a function', (t) => {
  t.throws(() => new ClientTLS({ serverHostname: 'localhost', requestOCSP: 'yes' as unknown as boolean }), {
    instanceOf: TLSUsageError,
  });
  t.throws(
    () =>
      new ServerTLS({
        certificates: pki().chain('ecdsa'),
        ocspResponse: new Uint8Array(3) as unknown as ServerOptions['ocspResponse'],
      }),
    { instanceOf: TLSUsageError },
  );
});

test('an ocspResponse callback that throws fails the handshake with its error', (t) => {
  const oops = new Error('no responder');
  const error = t.throws(() =>
    run(
      'TLSv1.3',
      { requestOCSP: true },
      {
        ocspResponse: () => {
          throw oops;
        },
      },
    ),
  );
  t.is(error, oops);
});

test('an ocspResponse callback returning a non-Uint8Array: internal_error', (t) => {
  const error = t.throws(
    () => run('TLSv1.2', { requestOCSP: true }, { ocspResponse: () => 'der' as unknown as Uint8Array }),
    { instanceOf: BadTLSDataError },
  );
  t.is(error?.reason, 'BadOcspResponderResult');
  t.is(error?.alertCode, A.internal_error);
});

// --- TLS 1.3 bad input (the client's view of a rewritten server flight) ---------------------

/**
 * The server's Certificate with a status_request extension (raw `data`) on the leaf's entry, or on
 * an extra entry (the root) appended after it.
 */
function withEntryExtension(certificateMessage: Uint8Array, data: Uint8Array, on: 'leaf' | 'extra' = 'leaf') {
  const certificate = Certificate13.parse(certificateMessage.subarray(4));
  const extensions = [
    { extensionType: ExtensionType.status_request, extensionData: data, unknown: true as const },
  ];
  const [leaf, ...rest] = certificate.certificateList;
  const list =
    on === 'leaf'
      ? [{ ...leaf!, extensions }, ...rest]
      : [leaf!, ...rest, { certData: pki().root.getAsn1Bytes(), extensions }];
  return message(H.certificate, Certificate13.build({ ...certificate, certificateList: list } as never));
}

/** CertificateStatus bytes: status_type, uint24 length, response. */
function statusBody(type: number, response: Uint8Array): Uint8Array {
  const n = response.length;
  return concat([new Uint8Array([type, n >> 16, (n >> 8) & 0xff, n & 0xff]), response]);
}

function replaceCertificate(data: Uint8Array, clientOptions: Partial<ClientOptions>, on?: 'leaf' | 'extra') {
  return clientSees(
    (f) => ({
      serverHello: f.serverHello,
      messages: [f.messages[0]!, withEntryExtension(f.messages[1]!, data, on), ...f.messages.slice(2)],
    }),
    clientOptions,
  );
}

for (const on of ['leaf', 'extra'] as const) {
  test(`TLS 1.3: a status_request entry extension we did not ask for (${on} entry): unsupported_extension`, (t) => {
    const { client, bytes } = replaceCertificate(statusBody(1, RESPONSE), {}, on);
    expectFailure(t, client, bytes, 'UnsolicitedExtension');
  });
}

test('TLS 1.3: a status_request on a non-leaf entry we asked for is accepted, not kept', (t) => {
  // The rewrite changes the transcript, so the server's CertificateVerify then fails: reaching
  // that check (decrypt_error) shows the Certificate itself was taken.
  const { client, bytes } = replaceCertificate(statusBody(1, RESPONSE), { requestOCSP: true }, 'extra');
  expectFailure(t, client, bytes, 'BadSignature');
  t.is(client.connection.ocspResponse, undefined);
});

for (const [what, data] of [
  ['an empty response', statusBody(1, new Uint8Array(0))],
  ['a truncated response', statusBody(1, RESPONSE).subarray(0, 30)],
  ['trailing bytes', concat([statusBody(1, RESPONSE), new Uint8Array([0])])],
  ['no body', new Uint8Array(0)],
] as const) {
  test(`TLS 1.3: a status_request entry extension with ${what}: decode_error`, (t) => {
    const { client, bytes } = replaceCertificate(data, { requestOCSP: true });
    expectFailure(t, client, bytes, 'InvalidHandshakeMessage');
  });
}

test('TLS 1.3: a status_request entry extension with status_type ocsp_multi: illegal_parameter', (t) => {
  const { client, bytes } = replaceCertificate(statusBody(CertificateStatusType.ocsp_multi, RESPONSE), {
    requestOCSP: true,
  });
  expectFailure(t, client, bytes, 'BadCertificateStatusType');
});

test('TLS 1.3: status_request in EncryptedExtensions: illegal_parameter (RFC 8446 §4.2)', (t) => {
  const { client, bytes } = clientSees(
    (f) => {
      const ee = EncryptedExtensions.parse(f.messages[0]!.subarray(4));
      const extensions = [
        ...ee.extensions,
        { extensionType: ExtensionType.status_request, extensionData: new Uint8Array(0), unknown: true },
      ];
      return {
        serverHello: f.serverHello,
        messages: [
          message(H.encrypted_extensions, EncryptedExtensions.build({ extensions } as never)),
          ...f.messages.slice(1),
        ],
      };
    },
    { requestOCSP: true },
  );
  expectFailure(t, client, bytes, 'ExtensionNotAllowed');
});

// --- TLS 1.2 bad input --------------------------------------------------------------------

/** A TLS 1.2 client (asking for OCSP or not) and the server's first flight. */
function flight12(requestOCSP: boolean, server: Partial<ServerOptions> = {}) {
  const client = startClient(clientTLS12({ requestOCSP, sessionCache: false }));
  const srv = startServer(serverTLS12(server));
  send(client, srv);
  return { client, flight: srv.take() };
}

const withStatus = (status: Uint8Array) => (certificate: Uint8Array) =>
  concat([certificate, frameHandshake(H.certificate_status, status)]);

for (const requestOCSP of [false, true]) {
  test(`TLS 1.2: CertificateStatus without a status_request answer (asked: ${requestOCSP}): unexpected_message`, (t) => {
    const { client, flight } = flight12(requestOCSP);
    const forged = rewrite(flight, H.certificate, withStatus(statusBody(1, RESPONSE)));
    expectAlert(t, client, 'UnexpectedHandshakeMessage', () => client.connection.dataFromWire(forged));
  });
}

test('TLS 1.2: a status_request answer we did not ask for: unsupported_extension', (t) => {
  const { client, flight } = flight12(false);
  const forged = rewrite(flight, H.server_hello, (m) => withEmptyExtension(m, ExtensionType.status_request));
  expectAlert(t, client, 'UnsolicitedExtension', () => client.connection.dataFromWire(forged));
});

for (const [what, status, reason] of [
  ['an empty response', statusBody(1, new Uint8Array(0)), 'InvalidHandshakeMessage'],
  ['a truncated response', statusBody(1, RESPONSE).subarray(0, 30), 'InvalidHandshakeMessage'],
  ['trailing bytes', concat([statusBody(1, RESPONSE), new Uint8Array([0])]), 'InvalidHandshakeMessage'],
  [
    'status_type ocsp_multi',
    statusBody(CertificateStatusType.ocsp_multi, RESPONSE),
    'BadCertificateStatusType',
  ],
] as const) {
  test(`TLS 1.2: CertificateStatus with ${what}: ${A[REASON_ALERTS[reason]]}`, (t) => {
    const { client, flight } = flight12(true, { ocspResponse: () => RESPONSE });
    const forged = rewrite(flight, H.certificate_status, () => frameHandshake(H.certificate_status, status));
    expectAlert(t, client, reason, () => client.connection.dataFromWire(forged));
  });
}

test('TLS 1.2: CertificateStatus after ServerKeyExchange: unexpected_message', (t) => {
  const { client, flight } = flight12(true, { ocspResponse: () => RESPONSE });
  const status = plainHandshakeMessages(flight).find((m) => m[0] === H.certificate_status)!;
  const moved = rewrite(
    rewrite(flight, H.certificate_status, () => undefined),
    H.server_key_exchange,
    (ske) => concat([ske, status]),
  );
  expectAlert(t, client, 'UnexpectedHandshakeMessage', () => client.connection.dataFromWire(moved));
});

test('TLS 1.2: a status_request answer without CertificateStatus is accepted (RFC 6066 §8: MAY)', (t) => {
  const { client, flight } = flight12(true, { ocspResponse: () => RESPONSE });
  // Dropping the message changes the transcript, so the server would refuse our Finished; what
  // matters is that the client takes ServerKeyExchange after Certificate and sends its flight.
  const dropped = rewrite(flight, H.certificate_status, () => undefined);
  client.connection.dataFromWire(dropped);
  t.is(client.connection.handshakeState, 'WAIT_2');
  t.true(client.out.length > 0);
  t.is(client.connection.ocspResponse, undefined);
});

test('TLS 1.2: the full handshake with stapling completes both ways', (t) => {
  const client = startClient(clientTLS12({ requestOCSP: true }));
  const server = startServer(serverTLS12({ ocspResponse: () => RESPONSE }));
  complete(client, server);
  t.is(client.connection.state, 'open');
  t.is(server.connection.state, 'open');
  t.deepEqual(client.connection.ocspResponse, RESPONSE);
});

// --- ocspVerification: real responses from `openssl ocsp` for the test root's ECDSA leaf ---------

const withOpenssl = haveOpenssl() ? test : test.skip;
if (!haveOpenssl())
  test('openssl is absent', (t) => t.log('openssl not installed: OCSP verification skipped'));

/** The responses the server staples below, made once. */
const responses = (() => {
  let made: Record<'good' | 'revoked' | 'unknown' | 'badSignature', Uint8Array> | undefined;
  return () => {
    if (made) return made;
    const good = ocspResponseFile('ecdsa').der;
    // One bit of the ECDSA signature flipped.
    const signature = parseOcspResponse(good).basic!.signature;
    const badSignature = good.slice();
    badSignature[Buffer.from(good).indexOf(Buffer.from(signature)) + 8]! ^= 0x01;
    made = {
      good,
      revoked: ocspResponseFile('ecdsa', { status: 'revoked', revocation: '240101000000Z,keyCompromise' })
        .der,
      unknown: ocspResponseFile('ecdsa', { status: 'unknown' }).der,
      badSignature,
    };
    return made;
  };
})();

const TWO_DAYS = 2 * 86_400_000;

/** The client's handshake fails for `reason`, whose alert reaches the server. */
function refusedWith(
  t: ExecutionContext,
  reason: Reason,
  ...args: Parameters<typeof started>
): BadTLSDataError | undefined {
  const p = started(...args);
  const error = t.throws(() => p.pump(), { instanceOf: BadTLSDataError });
  t.is(error?.reason, reason, error?.message);
  const alert = REASON_ALERTS[reason];
  t.is(error?.alertCode, alert);
  const peer = t.throws(() => deliver(p.client, p.server), { instanceOf: TLSAlertError });
  t.is(peer?.alertCode, alert, 'the alert on the wire');
  t.false(p.client.connection.handshakeComplete);
  return error;
}

for (const version of VERSIONS) {
  withOpenssl(`${version}: ocspVerification 'verify' accepts a good response`, (t) => {
    const { good } = responses();
    const p = run(version, { ocspVerification: 'verify' }, { ocspResponse: () => good });
    t.true(p.client.connection.handshakeComplete);
    t.deepEqual(p.client.connection.peerVerification, { ok: true });
    t.deepEqual(p.client.connection.ocspResponse, good);
  });

  withOpenssl(`${version}: 'verify' refuses a revoked certificate with certificate_revoked`, (t) => {
    const { revoked } = responses();
    const error = refusedWith(
      t,
      'CertificateRevoked',
      version,
      { ocspVerification: 'verify' },
      { ocspResponse: () => revoked },
    );
    // The message keeps the detail: when, and why.
    t.regex(error?.message ?? '', /revoked at 2024-01-01T00:00:00.000Z \(keyCompromise\)/);
  });

  for (const [what, client, pick] of [
    ['a bad signature', {}, 'badSignature'],
    ['an unknown status', {}, 'unknown'],
    ['a stale response (nextUpdate passed)', { clock: () => Date.now() + TWO_DAYS }, 'good'],
  ] as const) {
    withOpenssl(`${version}: 'verify' refuses ${what} with bad_certificate_status_response`, (t) => {
      const der = responses()[pick];
      refusedWith(
        t,
        'BadCertificateStatus',
        version,
        { ocspVerification: 'verify', ...client },
        { ocspResponse: () => der },
      );
    });
  }

  test(`${version}: 'verify' refuses bytes that are no OCSP response (bad_certificate_status_response)`, (t) => {
    refusedWith(
      t,
      'BadCertificateStatus',
      version,
      { ocspVerification: 'verify' },
      { ocspResponse: () => RESPONSE },
    );
  });

  test(`${version}: 'verify' accepts no stapled response; 'require' refuses it`, (t) => {
    const p = run(version, { ocspVerification: 'verify' }, {});
    t.true(p.client.connection.handshakeComplete);
    t.is(p.client.connection.ocspResponse, undefined);
    refusedWith(t, 'BadCertificateStatus', version, { ocspVerification: 'require' }, {});
  });

  withOpenssl(`${version}: 'require' accepts a good response`, (t) => {
    const { good } = responses();
    const p = run(version, { ocspVerification: 'require' }, { ocspResponse: () => good });
    t.true(p.client.connection.handshakeComplete);
  });

  withOpenssl(`${version}: 'off' (the default) passes a revoked response through`, (t) => {
    const { revoked } = responses();
    for (const client of [{ requestOCSP: true }, { requestOCSP: true, ocspVerification: 'off' as const }]) {
      const p = run(version, client, { ocspResponse: () => revoked });
      t.true(p.client.connection.handshakeComplete);
      t.deepEqual(p.client.connection.ocspResponse, revoked);
      t.deepEqual(p.client.connection.peerVerification, { ok: true });
    }
  });

  withOpenssl(`${version}: rejectUnauthorized false reports the status in peerVerification`, (t) => {
    const { revoked, badSignature } = responses();
    for (const [der, reason] of [
      [revoked, 'revoked'],
      [badSignature, 'bad-certificate-status'],
      [undefined, 'bad-certificate-status'],
    ] as const) {
      const p = run(
        version,
        { ocspVerification: 'require', rejectUnauthorized: false },
        { ocspResponse: () => der },
      );
      t.true(p.client.connection.handshakeComplete);
      t.is(p.client.connection.peerVerification?.ok, false);
      t.is((p.client.connection.peerVerification as { reason?: string }).reason, reason);
    }
  });
}

withOpenssl(
  'TLS 1.3: the status is checked before verifyCallback, which sees it in peerVerification',
  (t) => {
    const { revoked } = responses();
    const seen: unknown[] = [];
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      versions: ['TLSv1.3'],
      ocspVerification: 'verify',
      rejectUnauthorized: false,
    });
    const server = new ServerTLS({
      certificates: pki().chain('ecdsa'),
      versions: ['TLSv1.3'],
      ocspResponse: () => revoked,
    });
    const p = pair(
      (w, close) =>
        client.start(w, close, (_chain, connection) => seen.push(connection.peerVerification?.ok)),
      (w, close) => server.start(w, close),
    );
    p.pump();
    t.deepEqual(seen, [false]);
  },
);

test("option checks: ocspVerification is 'off' | 'verify' | 'require', and implies requestOCSP", (t) => {
  const options = { serverHostname: 'localhost', trustRoot: pki().trustStore };
  t.throws(() => new ClientTLS({ ...options, ocspVerification: 'strict' as unknown as 'verify' }), {
    instanceOf: TLSUsageError,
  });
  t.throws(() => new ClientTLS({ ...options, ocspVerification: 'verify', requestOCSP: false }), {
    instanceOf: TLSUsageError,
  });
  for (const mode of ['verify', 'require'] as const) {
    let asked = 0;
    run(
      'TLSv1.3',
      { ocspVerification: mode, rejectUnauthorized: false },
      {
        ocspResponse: () => {
          asked++;
          return undefined;
        },
      },
    );
    t.is(asked, 1, `${mode} sends status_request`);
  }
});
