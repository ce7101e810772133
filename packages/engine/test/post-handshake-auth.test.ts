// TLS 1.3 post-handshake client authentication, client side (RFC 8446 §4.2.6, §4.6.2): our client
// against hand-made CertificateRequest messages sealed with the server's application key. The
// answer's Finished is recomputed here from the decrypted handshake, so a wrong transcript or key
// fails; openssl checks the same against a real server (interop-openssl.test.ts).
import { type CertificateChainCallback, ClientCertificateStore } from '@tls-kit/certs';
import { concat } from '@tls-kit/crypto/bytes';
import { defaultProvider } from '@tls-kit/crypto/default';
import {
  AlertDescription as A,
  Certificate13,
  CertificateRequest13,
  ClientHello,
  ContentType,
  ExtensionType,
  HandshakeType,
} from '@tls-kit/messages';
import test, { type ExecutionContext } from 'ava';
import { MAX_POST_HANDSHAKE_CERTIFICATE_REQUESTS } from '../src/client/handshake13.js';
import {
  BadTLSDataError,
  type ClientOptions,
  ClientTLS,
  type ServerOptions,
  ServerTLS,
  TLSUsageError,
} from '../src/index.js';
import { finishedVerifyData, nextTrafficSecret } from '../src/keyschedule/key-schedule.js';
import { PkiStore } from './helpers/client-certificate-store.js';
import {
  type Endpoint,
  expectFailure,
  makeClient,
  makeServer,
  message,
  protection,
  records,
  splitMessages,
  suite,
} from './helpers/mitm.js';
import { deliver, type Pair, pair, str, text } from './helpers/pipe.js';
import { pki } from './helpers/pki.js';

/** A store that has no certificate. */
class EmptyStore extends ClientCertificateStore {
  getCertificateChainForRoots(_roots: ReadonlySet<unknown>, callback: CertificateChainCallback): void {
    callback(null);
  }
  getDefaultCertificateChain(callback: CertificateChainCallback): void {
    callback(null);
  }
}

/** A store with a certificate for its first request only. */
class OnceStore extends ClientCertificateStore {
  private used = false;
  getCertificateChainForRoots(_roots: ReadonlySet<unknown>, callback: CertificateChainCallback): void {
    this.getDefaultCertificateChain(callback);
  }
  getDefaultCertificateChain(callback: CertificateChainCallback): void {
    callback(this.used ? null : [pki().leaf('ecdsa')]);
    this.used = true;
  }
}

/** A store that answers on a later turn of the event loop. */
class LaterStore extends ClientCertificateStore {
  getCertificateChainForRoots(_roots: ReadonlySet<unknown>, callback: CertificateChainCallback): void {
    this.getDefaultCertificateChain(callback);
  }
  getDefaultCertificateChain(callback: CertificateChainCallback): void {
    setTimeout(() => callback([pki().leaf('ecdsa')]), 1);
  }
}

const SIGNATURE_ALGORITHMS = {
  extensionType: ExtensionType.signature_algorithms,
  extensionData: { supportedSignatureAlgorithms: [0x0403, 0x0804, 0x0807] },
} as const;

function certificateRequest(context: number[], extensions: unknown[] = [SIGNATURE_ALGORITHMS]): Uint8Array {
  return message(
    HandshakeType.certificate_request,
    CertificateRequest13.build({
      certificateRequestContext: new Uint8Array(context),
      extensions: extensions as never,
    }),
  );
}

/** Handshake messages in `bytes`, those in protected records opened with `secret`. */
function handshakeMessages(bytes: Uint8Array, secret?: Uint8Array): Uint8Array[] {
  const read = secret && protection(secret);
  const fragments = records(bytes).flatMap((r) => {
    if (r.type === ContentType.handshake) return [r.fragment.slice()];
    if (r.type !== ContentType.application_data || !read) return [];
    const opened = read.open(r);
    return opened.type === ContentType.handshake ? [opened.fragment.slice()] : [];
  });
  return splitMessages(concat(fragments));
}

interface Established {
  readonly client: Endpoint;
  /** ClientHello ... client Finished. */
  readonly transcript: readonly Uint8Array[];
  /** Seals handshake messages under the server's application key. */
  seal(...messages: Uint8Array[]): Uint8Array;
  /** The client's application write secret (its latest, after keyUpdate()). */
  readonly clientSecret: Uint8Array;
  /** Has the client update its write key, and follows it (RFC 8446 §4.6.3, §7.2). */
  keyUpdate(): void;
  /** The client's output, opened with its application key. */
  answer(): Uint8Array[];
}

/**
 * A complete handshake of our client with our server, without tickets (which would go with the
 * server's Finished, RFC 8446 §4.6.1), so the client has read no record under the server's
 * application key yet.
 */
function established(options: Parameters<typeof makeClient>[0]): Established {
  const client = makeClient(options);
  const server = makeServer({ ticketKeys: false });
  const hello = client.take();
  server.connection.dataFromWire(hello);
  const flight = server.take();
  client.connection.dataFromWire(flight);
  const finished = client.take();
  server.connection.dataFromWire(finished);
  const transcript = [
    ...handshakeMessages(hello),
    ...handshakeMessages(flight, server.secrets.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')),
    ...handshakeMessages(finished, client.secrets.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')),
  ];
  const write = protection(client.secrets.get('SERVER_TRAFFIC_SECRET_0')!);
  let clientSecret = client.secrets.get('CLIENT_TRAFFIC_SECRET_0')!;
  let read = protection(clientSecret);
  return {
    client,
    transcript,
    get clientSecret() {
      return clientSecret;
    },
    keyUpdate() {
      client.connection.keyUpdate(false);
      client.take();
      clientSecret = nextTrafficSecret(defaultProvider, suite, clientSecret);
      read = protection(clientSecret);
    },
    seal: (...messages) => write.seal(ContentType.handshake, concat(messages)),
    answer: () => splitMessages(concat(records(client.take()).map((r) => read.open(r).fragment.slice()))),
  };
}

const pha = (store: ClientCertificateStore = new PkiStore('ecdsa')) =>
  established({ postHandshakeAuth: true, clientCertificateStore: store });

/**
 * Checks the answer to `request`: Certificate echoing `context` with `certificates` entries,
 * CertificateVerify when there are some, and Finished over ClientHello ... client Finished +
 * CertificateRequest + Certificate [+ CertificateVerify] keyed by the client's application
 * traffic secret (RFC 8446 §4.4, §4.4.4).
 */
function checkAnswer(
  t: ExecutionContext,
  p: Established,
  request: Uint8Array,
  context: number[],
  certificates: number,
): void {
  const answer = p.answer();
  t.deepEqual(
    answer.map((m) => m[0]),
    certificates > 0
      ? [HandshakeType.certificate, HandshakeType.certificate_verify, HandshakeType.finished]
      : [HandshakeType.certificate, HandshakeType.finished],
  );
  const certificate = Certificate13.parse(answer[0]!.subarray(4));
  t.deepEqual([...certificate.certificateRequestContext], context, 'context echoed');
  t.is(certificate.certificateList.length, certificates);
  const hash = defaultProvider.createHash(suite.hash);
  for (const m of [...p.transcript, request, ...answer.slice(0, -1)]) hash.update(m);
  const expected = finishedVerifyData(defaultProvider, suite, p.clientSecret, hash.digest());
  t.deepEqual(answer[answer.length - 1]!.subarray(4), expected, 'Finished verify_data');
}

test('ClientHello carries post_handshake_auth only with postHandshakeAuth', (t) => {
  for (const [options, expected] of [
    [{ postHandshakeAuth: true, clientCertificateStore: new PkiStore('ecdsa') }, true],
    [{ clientCertificateStore: new PkiStore('ecdsa') }, false],
  ] as const) {
    const client = makeClient(options);
    const hello = ClientHello.parse(splitMessages(records(client.take())[0]!.fragment)[0]!.subarray(4));
    const sent = (hello.extensions ?? []).some((e) => e.extensionType === ExtensionType.post_handshake_auth);
    t.is(sent, expected);
  }
});

test('postHandshakeAuth: TLSUsageError without a clientCertificateStore or when not a boolean', (t) => {
  t.throws(() => makeClient({ postHandshakeAuth: true }), {
    instanceOf: TLSUsageError,
    message: /needs a clientCertificateStore/,
  });
  t.throws(
    () =>
      makeClient({
        postHandshakeAuth: 'yes' as unknown as boolean,
        clientCertificateStore: new PkiStore('ecdsa'),
      }),
    {
      instanceOf: TLSUsageError,
    },
  );
});

test('post-handshake CertificateRequest: Certificate, CertificateVerify, Finished', (t) => {
  const p = pha();
  const request = certificateRequest([1, 2, 3]);
  t.deepEqual(p.client.connection.dataFromWire(p.seal(request)), new Uint8Array(0));
  checkAnswer(t, p, request, [1, 2, 3], 1);
  t.is(p.client.connection.state, 'open');
});

test('several CertificateRequests, one record: each answered in order over its own transcript', (t) => {
  const p = pha();
  const first = certificateRequest([1]);
  const second = certificateRequest([2, 2]);
  p.client.connection.dataFromWire(p.seal(first, second));
  // Both answers come out together; split them at the first Finished.
  const all = p.answer();
  const cut = all.findIndex((m) => m[0] === HandshakeType.finished) + 1;
  for (const [request, context, messages] of [
    [first, [1], all.slice(0, cut)],
    [second, [2, 2], all.slice(cut)],
  ] as const) {
    const q = { ...p, answer: () => [...messages] };
    checkAnswer(t, q, request, [...context], 1);
  }
});

test('post-handshake CertificateRequest after our KeyUpdate: Finished keyed by the current secret', (t) => {
  const p = pha();
  p.keyUpdate();
  const request = certificateRequest([9]);
  p.client.connection.dataFromWire(p.seal(request));
  checkAnswer(t, p, request, [9], 1);
});

test('post-handshake CertificateRequest, store without a certificate: empty Certificate, Finished', (t) => {
  const p = pha(new EmptyStore());
  const request = certificateRequest([7]);
  p.client.connection.dataFromWire(p.seal(request));
  checkAnswer(t, p, request, [7], 0);
});

test('post-handshake CertificateRequest without post_handshake_auth: unexpected_message', (t) => {
  const p = established({ clientCertificateStore: new PkiStore('ecdsa') });
  const secret = p.client.secrets.get('CLIENT_TRAFFIC_SECRET_0');
  expectFailure(t, p.client, p.seal(certificateRequest([1])), 'UnexpectedPostHandshakeMessage', secret);
});

for (const [name, request, reason] of [
  ['an empty context: illegal_parameter', certificateRequest([]), 'BadCertificateRequestContext'],
  [
    'signature_algorithms_cert but no signature_algorithms: missing_extension',
    certificateRequest(
      [1],
      [{ ...SIGNATURE_ALGORITHMS, extensionType: ExtensionType.signature_algorithms_cert }],
    ),
    'MissingSignatureAlgorithms',
  ],
  [
    'a ServerHello-only extension: illegal_parameter',
    certificateRequest(
      [1],
      [
        SIGNATURE_ALGORITHMS,
        { extensionType: ExtensionType.supported_versions, extensionData: new Uint8Array([3, 4]) },
      ],
    ),
    'ExtensionNotAllowed',
  ],
  [
    'a truncated body: decode_error',
    message(HandshakeType.certificate_request, certificateRequest([1]).subarray(4, -1)),
    'InvalidHandshakeMessage',
  ],
] as const) {
  test(`post-handshake CertificateRequest with ${name}`, (t) => {
    const p = pha();
    const secret = p.client.secrets.get('CLIENT_TRAFFIC_SECRET_0');
    expectFailure(t, p.client, p.seal(request), reason, secret);
  });
}

test('post-handshake CertificateRequests: 16 answered per connection, the 17th is unexpected_message', (t) => {
  const p = pha();
  for (let i = 0; i < MAX_POST_HANDSHAKE_CERTIFICATE_REQUESTS; i++) {
    const request = certificateRequest([i + 1]);
    p.client.connection.dataFromWire(p.seal(request));
    checkAnswer(t, p, request, [i + 1], 1);
  }
  const error = t.throws(() => p.client.connection.dataFromWire(p.seal(certificateRequest([99]))), {
    instanceOf: BadTLSDataError,
  });
  t.is(error?.reason, 'TooManyPostHandshakeCertificateRequests');
  t.is(error?.alertCode, A.unexpected_message);
  // One protected record on the wire: the alert (2 bytes, content type, 16-byte tag), no answer.
  t.deepEqual(
    records(p.client.take()).map((r) => r.fragment.length),
    [2 + 1 + 16],
  );
  t.is(p.client.connection.state, 'invalidated');
});

test('post-handshake CertificateRequest, asynchronous store: internal_error (not supported)', (t) => {
  const p = pha(new LaterStore());
  const secret = p.client.secrets.get('CLIENT_TRAFFIC_SECRET_0');
  expectFailure(t, p.client, p.seal(certificateRequest([1])), 'AsyncClientCertificateStore', secret);
});

// --- our server (Connection.requestClientCertificate) against our client ---

function ourPair(
  clientOptions: Partial<ClientOptions>,
  serverOptions: Partial<ServerOptions> = {},
): { p: Pair; authenticated: () => number } {
  let authenticated = 0;
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    versions: ['TLSv1.3'],
    ...clientOptions,
  });
  const server = new ServerTLS({
    certificates: pki().chain('ecdsa'),
    clientTrustRoot: pki().trustStore,
    versions: ['TLSv1.3'],
    ...serverOptions,
  });
  const p = pair(
    (w, c) => client.start(w, c),
    (w, c) =>
      server.start(w, c, undefined, {
        onClientAuthenticated: () => {
          authenticated++;
        },
      }),
  );
  p.pump();
  return { p, authenticated: () => authenticated };
}

test('requestClientCertificate: our client answers, the server gets the verified chain, twice', (t) => {
  const { p, authenticated } = ourPair({
    postHandshakeAuth: true,
    clientCertificateStore: new PkiStore('ed25519'),
  });
  t.is(p.server.connection.peerCertificates.length, 0);
  for (const n of [1, 2]) {
    p.server.connection.requestClientCertificate();
    t.throws(() => p.server.connection.requestClientCertificate(), {
      instanceOf: TLSUsageError,
      message: /already in progress/,
    });
    p.pump();
    t.is(authenticated(), n);
    t.deepEqual(p.server.connection.peerVerification, { ok: true });
    t.is(
      p.server.connection.peerCertificates[0]?.subject.toString(),
      pki().leaf('ed25519').subject.toString(),
    );
  }
  // Each answer's Finished moved the byte facts, with the traffic secrets kept beside them, to a
  // new buffer: both sides' secrets still agree (exporters, KeyUpdate, data).
  const label = 'EXPERIMENTAL after post-handshake auth';
  t.deepEqual(
    p.client.connection.exportKeyingMaterial(label, text('c'), 32),
    p.server.connection.exportKeyingMaterial(label, text('c'), 32),
  );
  p.server.connection.keyUpdate(true);
  p.pump();
  p.client.connection.dataFromApplication(text('still open'));
  p.pump();
  t.is(str(p.server.received), 'still open');
});

test('requestClientCertificate: an empty answer is accepted (facts unchanged), certificate_required with require', (t) => {
  const accepted = ourPair({ postHandshakeAuth: true, clientCertificateStore: new EmptyStore() });
  accepted.p.server.connection.requestClientCertificate();
  accepted.p.pump();
  t.is(accepted.authenticated(), 1);
  t.is(accepted.p.server.connection.peerCertificates.length, 0);
  t.is(accepted.p.server.connection.state, 'open');

  // A certificate in the handshake (clientAuth 'require'), none afterwards.
  const store = new OnceStore();
  const required = ourPair(
    { postHandshakeAuth: true, clientCertificateStore: store },
    { clientAuth: 'require' },
  );
  t.is(required.p.server.connection.peerCertificates.length, 2);
  required.p.server.connection.requestClientCertificate();
  deliver(required.p.server, required.p.client);
  const error = t.throws(() => deliver(required.p.client, required.p.server), {
    instanceOf: BadTLSDataError,
  });
  t.is(error?.reason, 'NoClientCertificate');
  t.is(error?.alertCode, A.certificate_required);
  t.is(required.authenticated(), 0);
});

test('requestClientCertificate: TLSUsageError without the client offer, during the handshake, on TLS 1.2', (t) => {
  const { p } = ourPair({ clientCertificateStore: new PkiStore('ecdsa') });
  t.throws(() => p.server.connection.requestClientCertificate(), {
    instanceOf: TLSUsageError,
    message: /did not offer post_handshake_auth/,
  });
  t.is(p.server.connection.state, 'open');
  const tls12 = ourPair(
    { postHandshakeAuth: true, clientCertificateStore: new PkiStore('ecdsa'), versions: ['TLSv1.2'] },
    { versions: ['TLSv1.2'] },
  );
  t.throws(() => tls12.p.server.connection.requestClientCertificate(), { instanceOf: TLSUsageError });
});

/**
 * Our client and server in memory after the handshake, the server without tickets so that its
 * output since the handshake is all it sent under its application key (its alerts can be read).
 */
function serverAwaitingAnswer(request: boolean): { client: Endpoint; server: Endpoint } {
  const client = makeClient({ postHandshakeAuth: true, clientCertificateStore: new PkiStore('ecdsa') });
  const server = makeServer({ clientTrustRoot: pki().trustStore, ticketKeys: false });
  server.connection.dataFromWire(client.take());
  client.connection.dataFromWire(server.take());
  server.connection.dataFromWire(client.take());
  if (request) server.connection.requestClientCertificate();
  return { client, server };
}

const clientSeal = (client: Endpoint, ...messages: Uint8Array[]) =>
  protection(client.secrets.get('CLIENT_TRAFFIC_SECRET_0')!).seal(ContentType.handshake, concat(messages));

test('requestClientCertificate, bad answers: unrequested Certificate, wrong context, bad Finished', (t) => {
  const certificate = (context: number[]) =>
    message(
      HandshakeType.certificate,
      Certificate13.build({ certificateRequestContext: new Uint8Array(context), certificateList: [] }),
    );
  const cases = [
    ['no request', false, [certificate([1])], 'UnexpectedPostHandshakeMessage'],
    ['wrong context', true, [certificate([1])], 'BadCertificateRequestContext'],
  ] as const;
  for (const [name, request, messages, reason] of cases) {
    const { client, server } = serverAwaitingAnswer(request);
    t.log(name);
    expectFailure(
      t,
      server,
      clientSeal(client, ...messages),
      reason,
      server.secrets.get('SERVER_TRAFFIC_SECRET_0'),
    );
  }
  // The right context (read from the CertificateRequest), an empty list, and a Finished of zeros.
  const { client, server } = serverAwaitingAnswer(true);
  const out = server.take();
  const read = protection(server.secrets.get('SERVER_TRAFFIC_SECRET_0')!);
  const request = splitMessages(concat(records(out).map((r) => read.open(r).fragment.slice()))).find(
    (m) => m[0] === HandshakeType.certificate_request,
  )!;
  const context = [...CertificateRequest13.parse(request.subarray(4)).certificateRequestContext];
  const finished = message(HandshakeType.finished, new Uint8Array(suite.hashLength));
  const bytes = clientSeal(client, certificate(context), finished);
  const error = t.throws(() => server.connection.dataFromWire(bytes), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'BadFinished');
  t.is(error?.alertCode, A.decrypt_error);
});
