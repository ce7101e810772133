// The mistakes of the JavaScript TLS stacks we replace (node-forge, subtls, @reclaimprotocol/tls,
// @hazae41/cadenas: their CVEs and what their source does), one test each, named after the
// mistake. Each is driven end to end through ClientTLS / ServerTLS in memory where the engine can
// reach it, with a control case that the same setup succeeds when nothing is wrong, so that a test
// fails if the check goes away. Package-level tests of the same anchors: certs/test/anchors.test.ts,
// certs/test/der.test.ts, crypto/test/der.test.ts, crypto/test/signatures.test.ts; engine:
// bad-input.test.ts, tls12-bad-input.test.ts.
import {
  Certificate,
  CertificateBuilder,
  ServerCertificateChain,
  ServerCertificates,
  TrustStore,
  verifyChain,
} from '@tls-kit/certs';
import {
  CryptoError,
  type CryptoProvider,
  DerError,
  nobleProvider,
  type SignatureSchemeName,
} from '@tls-kit/crypto';
import { concat } from '@tls-kit/crypto/bytes';
import { defaultProvider } from '@tls-kit/crypto/default';
import { derError, parseDerTree } from '@tls-kit/crypto/der';
import { nodeProvider } from '@tls-kit/crypto/node';
import {
  ClientHello,
  ContentType,
  DOWNGRADE_TLS12,
  ExtensionType,
  HandshakeType as H,
  ServerHello,
  ServerKeyExchangeDHE,
  ServerKeyExchangeECDHE,
} from '@tls-kit/messages';
import { forgeE3Signature } from '@tls-kit/test-helpers';
import test, { type ExecutionContext } from 'ava';
import { frameHandshake } from '../src/handshake/messages.js';
import {
  AlertDescription as A,
  BadTLSDataError,
  type ClientOptions,
  ClientTLS,
  InvalidatedError,
  type ServerOptions,
  ServerTLS,
  TLSAlertError,
  TLSUsageError,
} from '../src/index.js';
import { keyBlock12 } from '../src/keyschedule/tls12.js';
import { PlaintextProtection } from '../src/record/protection.js';
import { Tls12Protection } from '../src/record/protection12.js';
import { suite12ByName } from '../src/suites.js';
import {
  finishedFlight,
  flight13,
  nestedSequences,
  nonCanonicalEd25519,
  resignedFlight,
  rewrite12,
  rsaE3Key,
} from './helpers/anchors.js';
import {
  alertsIn,
  type Endpoint,
  encodeServerFlight,
  makeClient,
  makeServer,
  message,
  protection,
  records,
} from './helpers/mitm.js';
import { pair } from './helpers/pipe.js';
import { pki } from './helpers/pki.js';
import {
  clientTLS12,
  complete,
  type End,
  plainHandshakeMessages,
  send,
  serverTLS12,
  startClient,
  startServer,
} from './helpers/tls12-memory.js';

const b = new CertificateBuilder();
const root = () => pki().root;
const onRoot = (leaf: Certificate, ...intermediates: Certificate[]) =>
  new ServerCertificateChain([leaf, ...intermediates, root().withoutPrivateKey()]);
const localhostLeaf = (options: Partial<Parameters<CertificateBuilder['leaf']>[1]> = {}, issuer = root()) =>
  b.leaf(issuer, { subject: 'CN=localhost', subjectAltNames: ['DNS:localhost'], ...options });

/** `input` makes `e` raise BadTLSDataError(alert), write that alert first, and invalidate. */
function refuses(t: ExecutionContext, e: Endpoint, input: Uint8Array, alert: number, why = ''): void {
  const error = t.throws(() => e.connection.dataFromWire(input), { instanceOf: BadTLSDataError }, why);
  t.is(error?.alertCode, alert, `${why} ${error?.message}`);
  t.deepEqual(
    alertsIn(e.take(), e.secrets.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')),
    [alert],
    `${why}: alert on the wire`,
  );
  t.is(e.connection.state, 'invalidated');
  t.throws(() => e.connection.dataFromWire(new Uint8Array([22])), { instanceOf: InvalidatedError });
}

/** The control case: `input` completes the client's handshake. */
function accepts(t: ExecutionContext, e: Endpoint, input: Uint8Array, why = ''): void {
  t.notThrows(() => e.connection.dataFromWire(input), why);
  t.is(e.connection.state, 'open', why);
}

/** Our client against our server with `chain`: the client's verdict. */
function clientVerdict(
  t: ExecutionContext,
  chain: ServerCertificates,
  client: Partial<ClientOptions>,
  alert?: number,
) {
  const c = makeClient(client);
  const s = makeServer({ certificates: chain });
  s.connection.dataFromWire(c.take());
  const flight = s.take();
  const name = `${String(client.serverHostname ?? 'localhost')}${alert === undefined ? ' accepted' : ' refused'}`;
  if (alert === undefined) accepts(t, c, flight, name);
  else refuses(t, c, flight, alert, name);
}

// TLS 1.2 cases run only when the engine negotiates TLS 1.2.
const tls12Available = (() => {
  try {
    const c = startClient(clientTLS12());
    const s = startServer(serverTLS12());
    complete(c, s);
    return c.connection.state === 'open' && c.connection.tlsVersion === 'TLSv1.2';
  } catch {
    return false;
  }
})();
const test12 = tls12Available ? test : test.skip;

/** A TLS 1.2 endpoint refuses `input` with `alert`, written as its last record. */
function refuses12(t: ExecutionContext, end: End, input: Uint8Array, alert: number): void {
  const error = t.throws(() => end.connection.dataFromWire(input), { instanceOf: BadTLSDataError });
  t.is(error?.alertCode, alert, error?.message);
  const last = records(end.take()).at(-1);
  t.is(last?.type, ContentType.alert, 'an alert record is written');
  if (last?.fragment.length === 2) t.deepEqual([...last.fragment], [2, alert]);
  t.is(end.connection.state, 'invalidated');
}

const body = (m: Uint8Array) => m.subarray(4);
const randomOf = (hello: Uint8Array) => hello.subarray(6, 38);

// ---------------------------------------------------------------- node-forge

test('forge CVE-2026-33896: a leaf certificate is never accepted as a CA', (t) => {
  // A man in the middle holding a real leaf's key signs a certificate for another name with it.
  const realLeaf = pki().leaf('ecdsa', ['DNS:attacker.example']);
  const victim = localhostLeaf({}, realLeaf);
  const forged = resignedFlight([victim, realLeaf, root().withoutPrivateKey()]);
  refuses(t, forged.client, forged.bytes, A.bad_certificate);
  // Control: the same man in the middle with a properly issued chain gets through.
  const control = resignedFlight([localhostLeaf(), root().withoutPrivateKey()]);
  accepts(t, control.client, control.bytes);
  // Package level (certs/test/anchors.test.ts has the same case): the reason is not-a-ca.
  const r = verifyChain({ leaf: victim, intermediates: [realLeaf], trustStore: pki().trustStore });
  t.false(r.ok);
  if (!r.ok) t.is(r.reason, 'not-a-ca');
});

test('forge CVE-2026-33894 (CVE-2022-24771/24773): an RSA e=3 PKCS#1 v1.5 forgery of a certificate signature is refused in a handshake', (t) => {
  const e3Root = b.root({ subject: 'CN=e=3 root', key: rsaE3Key() });
  t.is(e3Root.publicKey.type, 'rsa');
  const client = { trustRoot: new TrustStore([e3Root.withoutPrivateKey()]) };
  const honest = localhostLeaf({}, e3Root);
  // Control: honestly signed by the e=3 root, the chain is accepted.
  const control = resignedFlight([honest, e3Root.withoutPrivateKey()], undefined, client);
  accepts(t, control.client, control.bytes);
  // The forgery replaces the 256-byte signature (the end of the DER) without the root's key.
  const der = honest.getAsn1Bytes();
  t.deepEqual([...der.subarray(-256)], [...honest.parsed.signature]);
  der.set(forgeE3Signature(honest.parsed.tbs), der.length - 256);
  const forgedLeaf = certificateFrom(der, honest);
  const forged = resignedFlight([forgedLeaf, e3Root.withoutPrivateKey()], undefined, client);
  refuses(t, forged.client, forged.bytes, A.bad_certificate);
});

/** The certificate `der`, carrying `like`'s private key. */
function certificateFrom(der: Uint8Array, like: Certificate): Certificate {
  return Certificate.fromDer(der).withPrivateKey(like.privateKey!);
}

test('forge CVE-2026-33894: an RSA e=3 forgery fails both providers’ verify (crypto/test/signatures.test.ts)', (t) => {
  const key = rsaE3Key();
  const signed = new TextEncoder().encode('ServerKeyExchange params');
  for (const provider of [nodeProvider, nobleProvider] as CryptoProvider[]) {
    const publicKey = provider.importPublicKey(key.publicKey.spki);
    t.true(
      provider.verify('rsa_pkcs1_sha256', publicKey, signed, provider.sign('rsa_pkcs1_sha256', key, signed)),
    );
    t.false(provider.verify('rsa_pkcs1_sha256', publicKey, signed, forgeE3Signature(signed)), provider.name);
  }
});

test12(
  'forge CVE-2026-33894: an RSA e=3 forgery of the TLS 1.2 ServerKeyExchange signature -> decrypt_error',
  (t) => {
    const leaf = b.leaf(root(), {
      subject: 'CN=localhost',
      subjectAltNames: ['DNS:localhost'],
      key: rsaE3Key(),
    });
    const options = {
      cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      signatureSchemes: ['rsa_pkcs1_sha256', 'ecdsa_secp256r1_sha256'] as SignatureSchemeName[],
    };
    const run = (forge: boolean) => {
      const client = startClient(clientTLS12(options));
      const server = startServer(serverTLS12({ certificates: onRoot(leaf) }));
      const clientHello = plainHandshakeMessages(client.out[0]!)[0]!;
      send(client, server);
      const original = server.take();
      const serverHello = plainHandshakeMessages(original)[0]!;
      const flight = rewrite12(original, H.server_key_exchange, (m) => {
        const ske = ServerKeyExchangeECDHE.parse(body(m));
        t.is(ske.signedParams.algorithm, 0x0401, 'rsa_pkcs1_sha256');
        if (!forge) return m;
        const params = body(m).subarray(0, body(m).length - 4 - ske.signedParams.signature.length);
        const signed = concat([randomOf(clientHello), randomOf(serverHello), params]);
        return frameHandshake(
          H.server_key_exchange,
          ServerKeyExchangeECDHE.build({
            params: ske.params,
            signedParams: { algorithm: 0x0401, signature: forgeE3Signature(signed) },
          }),
        );
      });
      return { client, flight };
    };
    const control = run(false);
    t.notThrows(() => control.client.connection.dataFromWire(control.flight));
    const forged = run(true);
    refuses12(t, forged.client, forged.flight, A.decrypt_error);
  },
);

test('forge CVE-2026-33895: an Ed25519 CertificateVerify with non-canonical S (S + L) -> decrypt_error', (t) => {
  const run = (tamper: boolean) => {
    const f = flight13({}, { certificates: pki().chain('ed25519') });
    const cv = f.messages[2]!.slice();
    t.is((cv[4]! << 8) | cv[5]!, 0x0807, 'ed25519');
    if (tamper) cv.set(nonCanonicalEd25519(cv.subarray(cv.length - 64)), cv.length - 64);
    // The Finished is recomputed over the changed CertificateVerify: only the signature can fail.
    return { client: f.client, bytes: finishedFlight(f, f.messages[1]!, cv) };
  };
  const control = run(false);
  accepts(t, control.client, control.bytes);
  const forged = run(true);
  refuses(t, forged.client, forged.bytes, A.decrypt_error);
  // Both providers (crypto/test/signatures.test.ts has the same check).
  const key = pki().leaf('ed25519').privateKey!;
  const data = new TextEncoder().encode('content');
  const signature = defaultProvider.sign('ed25519', key, data);
  for (const provider of [nodeProvider, nobleProvider] as CryptoProvider[]) {
    const publicKey = provider.importPublicKey(key.publicKey.spki);
    t.true(provider.verify('ed25519', publicKey, data, signature));
    t.false(provider.verify('ed25519', publicKey, data, nonCanonicalEd25519(signature)), provider.name);
  }
});

test12(
  'forge CVE-2026-33895: an Ed25519 TLS 1.2 ServerKeyExchange signature with non-canonical S -> decrypt_error',
  (t) => {
    const run = (tamper: boolean) => {
      const client = startClient(clientTLS12());
      const server = startServer(serverTLS12({ certificates: pki().chain('ed25519') }));
      send(client, server);
      const flight = rewrite12(server.take(), H.server_key_exchange, (m) => {
        const copy = m.slice();
        t.is((copy[copy.length - 68]! << 8) | copy[copy.length - 67]!, 0x0807, 'ed25519');
        if (tamper) copy.set(nonCanonicalEd25519(copy.subarray(copy.length - 64)), copy.length - 64);
        return copy;
      });
      return { client, flight };
    };
    const control = run(false);
    t.notThrows(() => control.client.connection.dataFromWire(control.flight));
    const forged = run(true);
    refuses12(t, forged.client, forged.flight, A.decrypt_error);
  },
);

test('forge CVE-2025-66031: unbounded ASN.1 recursion in a peer certificate is a typed error (bad_certificate)', (t) => {
  const deep = nestedSequences(50_000); // about 250 KB: a recursive parser overflows the stack
  const f = flight13({ maxHandshakeMessageSize: 1 << 20 });
  const certificate = message(
    H.certificate,
    concat([
      new Uint8Array([0, (deep.length + 5) >> 16, ((deep.length + 5) >> 8) & 0xff, (deep.length + 5) & 0xff]),
      new Uint8Array([deep.length >> 16, (deep.length >> 8) & 0xff, deep.length & 0xff]),
      deep,
      new Uint8Array([0, 0]),
    ]),
  );
  // One handshake message over several records (RFC 8446 §5.1).
  const write = protection(f.server.secrets.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!);
  const plain = concat([f.messages[0]!, certificate, ...f.messages.slice(2)]);
  const sealed: Uint8Array[] = [new PlaintextProtection().seal(ContentType.handshake, f.serverHello)];
  for (let at = 0; at < plain.length; at += 16_000)
    sealed.push(write.seal(ContentType.handshake, plain.subarray(at, at + 16_000)));
  refuses(t, f.client, concat(sealed), A.bad_certificate);
  // Package level (crypto/test/der.test.ts has the depth limit): a DerError, not a RangeError.
  t.throws(() => parseDerTree(deep, derError), { instanceOf: DerError });
  for (const provider of [nodeProvider, nobleProvider] as CryptoProvider[]) {
    t.throws(() => provider.importPublicKey(deep), { instanceOf: CryptoError }, provider.name);
  }
});

test('forge #1086: an out-of-order chain is accepted (path building)', (t) => {
  const i1 = b.intermediate(root(), { subject: 'CN=Intermediate 1' });
  const i2 = b.intermediate(i1, { subject: 'CN=Intermediate 2' });
  const leaf = localhostLeaf({}, i2);
  const stray = b.intermediate(root(), { subject: 'CN=Unrelated' }).withoutPrivateKey();
  // Leaf first (RFC 8446 §4.4.2), the rest shuffled, with the root and an unrelated CA thrown in.
  const shuffled = resignedFlight([
    leaf,
    root().withoutPrivateKey(),
    i1.withoutPrivateKey(),
    stray,
    i2.withoutPrivateKey(),
  ]);
  accepts(t, shuffled.client, shuffled.bytes);
  t.deepEqual(
    shuffled.client.connection.peerCertificates?.map((c) => c.subject.commonName),
    ['localhost', 'Intermediate 2', 'Intermediate 1', 'tls-kit test root'],
  );
  // Control for the assertion above: without Intermediate 1 no path exists.
  const broken = resignedFlight([leaf, i2.withoutPrivateKey()]);
  refuses(t, broken.client, broken.bytes, A.unknown_ca);
});

test('forge: the host name is checked (DNS names and IP addresses)', (t) => {
  const chain = onRoot(pki().leaf('ecdsa', ['DNS:www.example.com', 'IP:127.0.0.1']));
  clientVerdict(t, chain, { serverHostname: 'www.example.com' });
  clientVerdict(t, chain, { serverHostname: '127.0.0.1' });
  clientVerdict(t, chain, { serverHostname: 'localhost' }, A.bad_certificate);
  clientVerdict(t, chain, { serverHostname: 'example.com' }, A.bad_certificate);
  clientVerdict(t, chain, { serverHostname: '127.0.0.2' }, A.bad_certificate);
  // An IP address is never matched against a DNS name that spells it.
  clientVerdict(
    t,
    onRoot(pki().leaf('ecdsa', ['DNS:127.0.0.1'])),
    { serverHostname: '127.0.0.1' },
    A.bad_certificate,
  );
});

test12('forge: the host name is checked in TLS 1.2 too', (t) => {
  for (const [hostname, ok] of [
    ['localhost', true],
    ['example.com', false],
  ] as const) {
    const client = startClient(clientTLS12({ serverHostname: hostname }));
    const server = startServer(serverTLS12());
    send(client, server);
    if (ok) t.notThrows(() => send(server, client));
    else refuses12(t, client, server.take(), A.bad_certificate);
  }
});

// ---------------------------------------------------------------- @reclaimprotocol/tls

test.serial(
  'reclaim: randomness never comes from Math.random (client random and key shares differ across runs with Math.random stubbed)',
  (t) => {
    const original = Math.random;
    let calls = 0;
    Math.random = () => {
      calls++;
      return 0;
    };
    try {
      for (const provider of [nodeProvider, nobleProvider] as CryptoProvider[]) {
        const hellos = [0, 1].map(() => {
          const client = new ClientTLS({
            serverHostname: 'localhost',
            trustRoot: pki().trustStore,
            provider,
            groups: ['x25519', 'secp256r1'],
          });
          const server = new ServerTLS({ certificates: pki().chain('ecdsa'), provider });
          const p = pair(
            (w, c) => client.start(w, c),
            (w, c) => server.start(w, c),
          );
          const clientHello = records(concat(p.client.out))[0]!.fragment.slice();
          p.pump();
          t.is(p.client.connection.state, 'open');
          const ch = ClientHello.parse(body(clientHello));
          const share = ch.extensions?.find((e) => e.extensionType === ExtensionType.key_share);
          return { random: ch.random, sessionId: ch.legacySessionId, share: JSON.stringify(share) };
        });
        const [a, c] = hellos as [(typeof hellos)[0], (typeof hellos)[0]];
        t.notDeepEqual(a.random, c.random, `${provider.name}: client random`);
        t.notDeepEqual(a.sessionId, c.sessionId, `${provider.name}: session id`);
        t.not(a.share, c.share, `${provider.name}: key share`);
      }
    } finally {
      Math.random = original;
    }
    t.is(calls, 0, 'Math.random was called during a handshake');
  },
);

/** A leaf for `sans` (CN=`cn`, by default the first SAN, as CA/B BR §7.1.4.3 wants) under the test root. */
const named = (sans: string[], cn = sans[0]?.replace(/^DNS:/, '') ?? 'x') =>
  onRoot(b.leaf(root(), { subject: `CN=${cn}`, subjectAltNames: sans }));

test('reclaim: `*` only as the whole left-most label', (t) => {
  clientVerdict(t, named(['DNS:*.example.com']), { serverHostname: 'www.example.com' });
  for (const san of [
    'DNS:w*.example.com',
    'DNS:*w.example.com',
    'DNS:www.*.com',
    'DNS:*.*.com',
    'DNS:www.example.*',
  ]) {
    clientVerdict(t, named([san]), { serverHostname: 'www.example.com' }, A.bad_certificate);
  }
});

test('reclaim: `*.a.com` does not match `a.com` (nor two labels)', (t) => {
  const chain = named(['DNS:*.a.com']);
  clientVerdict(t, chain, { serverHostname: 'www.a.com' });
  clientVerdict(t, chain, { serverHostname: 'a.com' }, A.bad_certificate);
  clientVerdict(t, chain, { serverHostname: 'x.www.a.com' }, A.bad_certificate);
});

test('reclaim: CN ignored when a SAN exists (and when none exists)', (t) => {
  clientVerdict(t, named(['DNS:localhost'], 'localhost'), {});
  clientVerdict(t, named(['DNS:other.example'], 'localhost'), {}, A.bad_certificate);
  clientVerdict(
    t,
    onRoot(b.leaf(root(), { subject: 'CN=localhost', subjectAltNames: [] })),
    {},
    A.bad_certificate,
  );
});

test('reclaim: issuers matched by DER name + signature, not DN string', (t) => {
  const realName = root().subject.toString();
  // 1. A root whose single CN reads like the real root's whole name: equal strings, different DER.
  const twin = b.root({ subject: `CN=${realName.replace('CN=', '').replace(',', '\\,')}` });
  t.is(twin.subject.commonName, 'tls-kit test root,O=tls-kit');
  clientVerdict(
    t,
    new ServerCertificateChain([localhostLeaf({}, twin), twin.withoutPrivateKey()]),
    {},
    A.unknown_ca,
  );
  // 2. A certificate whose issuer Name and key identifier are the real root's, with the key
  // swapped for the attacker's: only the signature check can refuse it.
  const honest = localhostLeaf();
  const attacker = localhostLeaf();
  const spki = honest.subjectPublicKeyInfo.der;
  const der = honest.getAsn1Bytes();
  const at = Buffer.from(der).indexOf(Buffer.from(spki));
  t.true(at > 0);
  der.set(attacker.subjectPublicKeyInfo.der, at);
  const swapped = certificateFrom(der, attacker);
  t.true(swapped.issuer.equals(root().subject));
  const forged = resignedFlight([swapped, root().withoutPrivateKey()]);
  refuses(t, forged.client, forged.bytes, A.bad_certificate);
  const control = resignedFlight([attacker, root().withoutPrivateKey()]);
  accepts(t, control.client, control.bytes);
});

test('reclaim: basicConstraints / keyUsage / EKU / pathLen enforced in a TLS handshake', (t) => {
  const r = root().withoutPrivateKey();
  const noBc = b.certificate({
    subject: 'CN=Not a CA',
    issuer: root(),
    ca: false,
    keyUsage: ['keyCertSign'],
    extendedKeyUsage: [],
  });
  const noCertSign = b.intermediate(root(), {
    subject: 'CN=No keyCertSign',
    keyUsage: ['digitalSignature', 'cRLSign'],
  });
  const pathLen0 = b.intermediate(root(), { subject: 'CN=pathLen 0', pathLength: 0 });
  const underPathLen0 = b.intermediate(pathLen0, { subject: 'CN=Under pathLen 0' });
  const cases: [string, Certificate[]][] = [
    ['issuer without basicConstraints cA', [localhostLeaf({}, noBc), noBc.withoutPrivateKey(), r]],
    ['issuer without keyCertSign', [localhostLeaf({}, noCertSign), noCertSign.withoutPrivateKey(), r]],
    ['leaf without digitalSignature', [localhostLeaf({ keyUsage: ['keyEncipherment'] }), r]],
    ['leaf for codeSigning only', [localhostLeaf({ extendedKeyUsage: ['codeSigning'] }), r]],
    ['leaf for clientAuth only', [localhostLeaf({ extendedKeyUsage: ['clientAuth'] }), r]],
    [
      'path longer than pathLen 0',
      [localhostLeaf({}, underPathLen0), underPathLen0.withoutPrivateKey(), pathLen0.withoutPrivateKey(), r],
    ],
  ];
  for (const [why, chain] of cases) {
    const f = resignedFlight(chain);
    refuses(t, f.client, f.bytes, A.bad_certificate, why);
  }
  // Control: the same shapes done right.
  const fine = b.intermediate(root(), { subject: 'CN=Fine', pathLength: 0 });
  const ok = resignedFlight([
    localhostLeaf({ extendedKeyUsage: ['serverAuth'] }, fine),
    fine.withoutPrivateKey(),
    r,
  ]);
  accepts(t, ok.client, ok.bytes);
});

test12('reclaim: TLS 1.3 downgrade sentinel checked', (t) => {
  // An attacker strips supported_versions from a 1.3+1.2 ClientHello; our real server (1.3-capable)
  // answers TLS 1.2 with DOWNGRD\x01 (RFC 8446 §4.1.3), and the client refuses it.
  const client = startClient(clientTLS12({ versions: ['TLSv1.3', 'TLSv1.2'] }));
  const server = startServer(serverTLS12());
  const hello = rewrite12(client.take(), H.client_hello, (m) => {
    const ch = ClientHello.parse(body(m));
    const extensions = ch.extensions?.filter((e) => e.extensionType !== ExtensionType.supported_versions);
    return frameHandshake(H.client_hello, ClientHello.build({ ...ch, extensions }));
  });
  server.connection.dataFromWire(hello);
  const flight = server.take();
  t.deepEqual([...randomOf(plainHandshakeMessages(flight)[0]!).subarray(24)], [...DOWNGRADE_TLS12]);
  refuses12(t, client, flight, A.illegal_parameter);
  // Control: a client that offers only TLS 1.2 sees the same sentinel and goes on.
  const old = startClient(clientTLS12());
  const server2 = startServer(serverTLS12());
  send(old, server2);
  const flight2 = server2.take();
  t.deepEqual([...randomOf(plainHandshakeMessages(flight2)[0]!).subarray(24)], [...DOWNGRADE_TLS12]);
  old.connection.dataFromWire(flight2);
  complete(old, server2);
  t.is(old.connection.state, 'open');
});

test12('reclaim: extended_master_secret sent and required for 1.2 resumption', (t) => {
  // Sent by our client, echoed by our server (RFC 7627 §5.1).
  const hasEms = (m: Uint8Array, codec: typeof ClientHello | typeof ServerHello) =>
    (codec.parse(body(m)) as { extensions: { extensionType: number }[] }).extensions.some(
      (e) => e.extensionType === ExtensionType.extended_master_secret,
    );
  const clientTLS = clientTLS12();
  const serverTLS = serverTLS12({ ticketKeys: false });
  const c = startClient(clientTLS);
  const s = startServer(serverTLS);
  t.true(hasEms(plainHandshakeMessages(c.out[0]!)[0]!, ClientHello));
  send(c, s);
  t.true(hasEms(plainHandshakeMessages(s.out[0]!)[0]!, ServerHello));
  complete(c, s);
  // Required for resumption (RFC 7627 §5.3), both ways (as in tls12-bad-input.test.ts).
  const strip = (m: Uint8Array, codec: typeof ClientHello | typeof ServerHello) => {
    const parsed = codec.parse(body(m)) as { extensions: { extensionType: number }[] };
    const extensions = parsed.extensions.filter(
      (e) => e.extensionType !== ExtensionType.extended_master_secret,
    );
    return frameHandshake(m[0]!, (codec as typeof ClientHello).build({ ...parsed, extensions } as never));
  };
  const c2 = startClient(clientTLS);
  const s2 = startServer(serverTLS);
  t.true(
    ClientHello.parse(body(plainHandshakeMessages(c2.out[0]!)[0]!)).legacySessionId.length > 0,
    'resumption offered',
  );
  refuses12(
    t,
    s2,
    rewrite12(c2.take(), H.client_hello, (m) => strip(m, ClientHello)),
    A.handshake_failure,
  );
  const c3 = startClient(clientTLS);
  const s3 = startServer(serverTLS);
  send(c3, s3);
  const resumed = s3.take();
  refuses12(
    t,
    c3,
    rewrite12(resumed, H.server_hello, (m) => strip(m, ServerHello)),
    A.handshake_failure,
  );
});

class NeverAnswers extends ServerCertificates {
  getCertificateChainForServerName(): void {}
}

test('reclaim: input buffering is bounded', (t) => {
  // 1. A record header announcing more than 2^14 + 256 bytes: refused at the header.
  const s1 = makeServer();
  refuses(t, s1, new Uint8Array([22, 3, 1, 0xff, 0xff]), A.record_overflow);
  // 2. A handshake message announced at 2^24 - 1 bytes, sent one byte per record, then in full
  // records: refused once the header is in, long before maxHandshakeMessageSize is buffered.
  const s2 = makeServer({ maxHandshakeMessageSize: 64 * 1024 });
  const header = [1, 0xff, 0xff, 0xff];
  let fed = 0;
  const error = t.throws(
    () => {
      for (const byte of header) {
        fed += 1;
        s2.connection.dataFromWire(
          new PlaintextProtection().seal(ContentType.handshake, new Uint8Array([byte])),
        );
      }
      for (let i = 0; i < 64; i++) {
        fed += 16_384;
        s2.connection.dataFromWire(
          new PlaintextProtection().seal(ContentType.handshake, new Uint8Array(16_384)),
        );
      }
    },
    { instanceOf: BadTLSDataError },
  );
  t.true(fed <= 64 * 1024, `refused after ${fed} bytes of the message`);
  t.is(error?.reason, 'BadHandshakeMessageHeader');
  t.is(error?.alertCode, A.decode_error, error?.message);
  t.is(s2.connection.state, 'invalidated');
  t.deepEqual(alertsIn(s2.take()), [error!.alertCode]);
  // 3. Input while the handshake waits for a certificate callback (features.test.ts too).
  const s3 = new ServerTLS({ certificates: new NeverAnswers(), maxBufferedInput: 32 * 1024 }).start(
    () => {},
    () => {},
  );
  s3.dataFromWire(makeClient().take());
  t.is(s3.state, 'waiting');
  const junk = new Uint8Array(5 + 16_000);
  junk.set([23, 3, 3, 16_000 >> 8, 16_000 & 0xff]);
  const overflow = t.throws(
    () => {
      for (let i = 0; i < 100; i++) s3.dataFromWire(junk);
    },
    { instanceOf: BadTLSDataError },
  );
  t.is(overflow?.reason, 'TooMuchBufferedInput');
  t.is(overflow?.alertCode, A.internal_error);
  // 4. Application data written before the handshake completes is queued, bounded.
  const c4 = makeClient({ maxQueuedApplicationData: 1024 });
  c4.connection.dataFromApplication(new Uint8Array(1024));
  t.throws(() => c4.connection.dataFromApplication(new Uint8Array(1)), { instanceOf: TLSUsageError });
});

// ---------------------------------------------------------------- @hazae41/cadenas

for (const [suite, kind, group] of [
  ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'rsa', 'ffdhe2048'],
  ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'rsa', 'x25519'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ecdsa', 'x25519'],
] as const) {
  test12(`cadenas: the DHE/ECDHE ServerKeyExchange signature is verified (${suite})`, (t) => {
    const dhe = suite.startsWith('TLS_DHE');
    const run = (change?: 'signature' | 'public key') => {
      const client = startClient(
        // secp256r1 too: an ECDSA P-256 certificate needs its curve listed (RFC 8422 §5.3).
        clientTLS12({ cipherSuites: [suite], groups: [group, 'x25519', 'ffdhe2048', 'secp256r1'] }),
      );
      const server = startServer(serverTLS12({ certificates: pki().chain(kind) }));
      send(client, server);
      const flight = rewrite12(server.take(), H.server_key_exchange, (m) => {
        const copy = m.slice();
        if (change === 'signature') copy[copy.length - 3]! ^= 0x40;
        if (change === 'public key') {
          // The last byte of Ys / the X25519 point: still a valid share, now the attacker's.
          const ske = (dhe ? ServerKeyExchangeDHE : ServerKeyExchangeECDHE).parse(body(m));
          const keyEnd = copy.length - 4 - ske.signedParams.signature.length;
          copy[keyEnd - 1]! ^= 0x02;
        }
        return copy;
      });
      return { client, flight };
    };
    const control = run();
    t.notThrows(() => control.client.connection.dataFromWire(control.flight));
    for (const change of ['signature', 'public key'] as const) {
      const forged = run(change);
      refuses12(t, forged.client, forged.flight, A.decrypt_error);
    }
  });
}

test("cadenas: the server's Finished is checked (TLS 1.3)", (t) => {
  const run = (tamper: boolean) => {
    const f = flight13();
    const fin = f.messages[3]!.slice();
    if (tamper) fin[fin.length - 1]! ^= 0x01;
    return {
      client: f.client,
      bytes: encodeServerFlight(f.server, f.serverHello, [...f.messages.slice(0, 3), fin]),
    };
  };
  const control = run(false);
  accepts(t, control.client, control.bytes);
  const forged = run(true);
  refuses(t, forged.client, forged.bytes, A.decrypt_error);
});

const SUITE12 = 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256';

/** The server flight ending in ChangeCipherSpec + Finished, with one verify_data bit flipped and re-sealed. */
function tamperServerFinished12(
  flight: Uint8Array,
  keyLog: string[],
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
) {
  // The client has not logged this connection yet when the server's Finished comes first
  // (resumption): the master secret is then the resumed session's, the last one logged.
  const line =
    [...keyLog]
      .reverse()
      .find((l) => l.startsWith(`CLIENT_RANDOM ${Buffer.from(clientRandom).toString('hex')}`)) ??
    keyLog.at(-1)!;
  const master = Buffer.from(line.split(' ')[2]!, 'hex');
  const suite = suite12ByName(SUITE12)!;
  const block = keyBlock12(defaultProvider, suite, master, clientRandom, serverRandom);
  const recs = records(flight);
  const last = recs.at(-1)!;
  const finished = new Tls12Protection(defaultProvider, suite, block.serverKey, block.serverIv)
    .open(last)
    .fragment.slice();
  if (finished[0] !== H.finished) throw new Error('the last record is not the Finished');
  finished[finished.length - 1]! ^= 0x01;
  const resealed = new Tls12Protection(defaultProvider, suite, block.serverKey, block.serverIv).seal(
    ContentType.handshake,
    finished,
  );
  return concat([...recs.slice(0, -1).map((r) => concat([r.header, r.fragment])), resealed]);
}

test12("cadenas: the server's Finished is checked (TLS 1.2, full and resumed handshakes)", (t) => {
  const keyLog: string[] = [];
  const serverTLS = serverTLS12({ ticketKeys: false });
  /** One connection; `tamper` flips a bit of the server's Finished. Returns the client. */
  const connect = (clientTLS: ClientTLS, tamper: boolean, resumed: boolean) => {
    const client = startClient(clientTLS, keyLog);
    const server = startServer(serverTLS);
    const clientRandom = randomOf(plainHandshakeMessages(client.out[0]!)[0]!).slice();
    send(client, server);
    let flight = server.take();
    const serverRandom = randomOf(plainHandshakeMessages(flight)[0]!).slice();
    if (!resumed) {
      client.connection.dataFromWire(flight);
      send(client, server);
      flight = server.take();
    }
    if (tamper) {
      refuses12(
        t,
        client,
        tamperServerFinished12(flight, keyLog, clientRandom, serverRandom),
        A.decrypt_error,
      );
      return;
    }
    t.notThrows(() => client.connection.dataFromWire(flight));
    complete(client, server);
    t.is(client.connection.state, 'open');
    t.is(client.connection.resumed, resumed);
  };
  const options = { cipherSuites: [SUITE12] };
  // Full handshakes: a fresh ClientTLS each time, so that nothing is resumed.
  connect(clientTLS12(options, keyLog), false, false);
  connect(clientTLS12(options, keyLog), true, false);
  // Resumed (the server's Finished comes first): control, then the tampered one.
  const resuming = clientTLS12(options, keyLog);
  connect(resuming, false, false);
  connect(resuming, false, true);
  connect(resuming, true, true);
});

// ---------------------------------------------------------------- subtls

test('subtls: alerts are sent (a bad certificate makes our client write an alert record before raising)', (t) => {
  // The client does not trust the server's root: unknown_ca, written before the exception, and
  // read by the server as the peer's alert.
  const stranger = new CertificateBuilder().root({ subject: 'CN=stranger' });
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: new TrustStore([stranger.withoutPrivateKey()]),
  });
  const server = new ServerTLS({ certificates: pki().chain('ecdsa') });
  const p = pair(
    (w, c) => client.start(w, c),
    (w, c) => server.start(w, c),
  );
  p.server.connection.dataFromWire(concat(p.client.out.splice(0)));
  const thrown = t.throws(() => p.client.connection.dataFromWire(concat(p.server.out.splice(0))), {
    instanceOf: BadTLSDataError,
  });
  t.is(thrown?.reason, 'UnknownIssuer');
  t.is(thrown?.alertCode, A.unknown_ca);
  t.true(p.client.out.length > 0, 'written before raising');
  t.is(p.client.closed, true);
  const received = t.throws(() => p.server.connection.dataFromWire(concat(p.client.out.splice(0))), {
    instanceOf: TLSAlertError,
  });
  t.is(received?.alertCode, A.unknown_ca);
  // The server side too: nothing in common -> handshake_failure, which the client receives.
  const c2 = makeClient({ cipherSuites: ['TLS_AES_128_GCM_SHA256'] });
  const s2 = makeServer({ cipherSuites: ['TLS_AES_256_GCM_SHA384'] } as Partial<ServerOptions>);
  t.throws(() => s2.connection.dataFromWire(c2.take()), { instanceOf: BadTLSDataError });
  const alert = s2.take();
  t.deepEqual(alertsIn(alert), [A.handshake_failure]);
  const answer = t.throws(() => c2.connection.dataFromWire(alert), { instanceOf: TLSAlertError });
  t.is(answer?.alertCode, A.handshake_failure);
});

test12('subtls: alerts are sent in TLS 1.2 too', (t) => {
  const stranger = new CertificateBuilder().root({ subject: 'CN=stranger' });
  const client = startClient(clientTLS12({ trustRoot: new TrustStore([stranger.withoutPrivateKey()]) }));
  const server = startServer(serverTLS12());
  send(client, server);
  refuses12(t, client, server.take(), A.unknown_ca);
});

test('subtls: keyUsage digitalSignature is not required on CA certificates', (t) => {
  const caRoot = b.root({ subject: 'CN=keyCertSign-only root', keyUsage: ['keyCertSign'] });
  const intermediate = b.intermediate(caRoot, {
    subject: 'CN=keyCertSign-only intermediate',
    keyUsage: ['keyCertSign'],
  });
  for (const ca of [caRoot, intermediate]) t.deepEqual([...(ca.keyUsage ?? [])], ['keyCertSign']);
  const chain = new ServerCertificateChain([
    localhostLeaf({}, intermediate),
    intermediate.withoutPrivateKey(),
  ]);
  clientVerdict(t, chain, { trustRoot: new TrustStore([caRoot.withoutPrivateKey()]) });
  // The leaf is another matter: it signs the handshake (see the basicConstraints test).
  const noSig = new ServerCertificateChain([
    localhostLeaf({ keyUsage: ['keyEncipherment'] }, intermediate),
    intermediate.withoutPrivateKey(),
  ]);
  clientVerdict(t, noSig, { trustRoot: new TrustStore([caRoot.withoutPrivateKey()]) }, A.bad_certificate);
});
