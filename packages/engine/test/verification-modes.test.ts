// Verification modes: rejectUnauthorized (default true) aborts on an untrusted chain; false
// ("report" mode) completes the handshake and reports why in Connection.peerVerification, while
// CertificateVerify and Finished stay mandatory. checkServerIdentity replaces the hostname rule.
import { type Certificate, CertificateBuilder, TrustStore } from '@tls-kit/certs';
import test from 'ava';
import {
  AlertDescription as A,
  BadTLSDataError,
  type ClientOptions,
  ClientTLS,
  type Connection,
  type ServerOptions,
  ServerTLS,
  type TLSVersion,
} from '../src/index.js';
import { PkiStore } from './helpers/client-certificate-store.js';
import { alertsIn, encodeServerFlight, makeClient, makeServer, serverFlight } from './helpers/mitm.js';
import { pair, str, text } from './helpers/pipe.js';
import { pki } from './helpers/pki.js';

/** A root nobody here trusts: the test PKI's chain is "untrusted" for a client that trusts only it. */
const foreignTrust = (() => {
  let store: TrustStore | undefined;
  return () => {
    store ??= new TrustStore([
      new CertificateBuilder()
        .root({ subject: 'CN=foreign root', key: { type: 'ec', curve: 'P-256' } })
        .withoutPrivateKey(),
    ]);
    return store;
  };
})();

function connect(
  client: ClientTLS,
  serverOptions: Partial<ServerOptions> = {},
  verify?: (certificates: Certificate[], connection: Connection) => void,
) {
  const server = new ServerTLS({ certificates: pki().chain('ecdsa'), ...serverOptions });
  const p = pair(
    (w, c) => client.start(w, c, verify),
    (w, c) => server.start(w, c),
  );
  p.pump();
  return p;
}

const client = (options: Partial<ClientOptions>) =>
  new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore, ...options });

for (const version of ['TLSv1.3', 'TLSv1.2'] as TLSVersion[]) {
  test(`${version}: by default an untrusted chain is unknown_ca`, (t) => {
    const error = t.throws(() => connect(client({ versions: [version], trustRoot: foreignTrust() })), {
      instanceOf: BadTLSDataError,
    });
    t.is(error?.reason, 'UnknownIssuer');
    t.is(error?.alertCode, A.unknown_ca);
  });

  test(`${version}: report mode completes, reports the reason, runs verifyCallback`, (t) => {
    let seen: { chain: number; ok: boolean | undefined } | undefined;
    const p = connect(
      client({ versions: [version], trustRoot: foreignTrust(), rejectUnauthorized: false }),
      {},
      (chain, connection) => {
        seen = { chain: chain.length, ok: connection.peerVerification?.ok };
      },
    );
    const { client: c, server } = p;
    t.is(c.connection.state, 'open');
    t.is(c.connection.tlsVersion, version);
    // The server sends its root too: the path ends at a self-signed certificate we do not trust.
    t.like(c.connection.peerVerification, { ok: false, reason: 'self-signed-in-chain' });
    // The chain as received (leaf + the root the server sends), not a validated path.
    t.is(c.connection.peerCertificates.length, 2);
    t.deepEqual(seen, { chain: 2, ok: false });
    c.connection.dataFromApplication(text('ping'));
    server.connection.dataFromApplication(text('pong'));
    p.pump();
    t.is(str(server.received), 'ping');
    t.is(str(c.received), 'pong');
  });

  test(`${version}: a trusted chain reports ok`, (t) => {
    const { client: c } = connect(client({ versions: [version], rejectUnauthorized: false }));
    t.deepEqual(c.connection.peerVerification, { ok: true });
  });

  test(`${version}: sessions of unverified handshakes are not resumed`, (t) => {
    const unverified = client({ versions: [version], trustRoot: foreignTrust(), rejectUnauthorized: false });
    const serverOptions = { certificates: pki().chain('ecdsa') };
    const server = new ServerTLS(serverOptions);
    for (let i = 0; i < 2; i++) {
      const p = pair(
        (w, c) => unverified.start(w, c),
        (w, c) => server.start(w, c),
      );
      p.pump();
      t.false(p.client.connection.resumed);
      t.is(p.client.connection.peerVerification?.ok, false);
    }
    const verified = client({ versions: [version], rejectUnauthorized: false });
    const results = [0, 1].map(() => {
      const p = pair(
        (w, c) => verified.start(w, c),
        (w, c) => server.start(w, c),
      );
      p.pump();
      return [p.client.connection.resumed, p.client.connection.peerVerification];
    });
    t.deepEqual(results, [
      [false, { ok: true }],
      [true, { ok: true }],
    ]);
  });

  test(`${version}: a hostname mismatch is reported`, (t) => {
    const { client: c } = connect(
      client({ versions: [version], serverHostname: 'other.example', rejectUnauthorized: false }),
    );
    t.like(c.connection.peerVerification, { ok: false, reason: 'hostname-mismatch' });
  });
}

test('report mode: a tampered CertificateVerify still fails (decrypt_error)', (t) => {
  const c = makeClient({ trustRoot: foreignTrust(), rejectUnauthorized: false });
  const s = makeServer();
  const f = serverFlight(c, s);
  const cv = f.messages[2]!.slice();
  cv[cv.length - 5]! ^= 0x01;
  const bytes = encodeServerFlight(s, f.serverHello, [f.messages[0]!, f.messages[1]!, cv, f.messages[3]!]);
  const error = t.throws(() => c.connection.dataFromWire(bytes), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'BadSignature');
  t.is(error?.alertCode, A.decrypt_error);
  t.deepEqual(alertsIn(c.take(), c.secrets.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')), [A.decrypt_error]);
  t.is(c.connection.state, 'invalidated');
});

test('report mode: a tampered server Finished still fails (decrypt_error)', (t) => {
  const c = makeClient({ trustRoot: foreignTrust(), rejectUnauthorized: false });
  const s = makeServer();
  const f = serverFlight(c, s);
  const fin = f.messages[3]!.slice();
  fin[fin.length - 1]! ^= 0x01;
  const bytes = encodeServerFlight(s, f.serverHello, [f.messages[0]!, f.messages[1]!, f.messages[2]!, fin]);
  const error = t.throws(() => c.connection.dataFromWire(bytes), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'BadFinished');
  t.is(error?.alertCode, A.decrypt_error);
});

test('checkServerIdentity replaces the hostname rule', (t) => {
  const calls: string[] = [];
  const { client: c } = connect(
    client({
      serverHostname: 'service.internal',
      checkServerIdentity: (host, chain) => {
        calls.push(`${host} ${chain.length}`);
        return undefined;
      },
    }),
  );
  t.is(c.connection.state, 'open');
  t.deepEqual(c.connection.peerVerification, { ok: true });
  t.deepEqual(calls, ['service.internal 2']);
});

test('checkServerIdentity refusing: bad_certificate, or reported in report mode', (t) => {
  const checkServerIdentity = () => new Error('not the pinned key');
  const error = t.throws(() => connect(client({ checkServerIdentity })), { instanceOf: BadTLSDataError });
  t.is(error?.reason, 'CertificateNameMismatch');
  t.is(error?.alertCode, A.bad_certificate);
  t.regex(error?.message ?? '', /not the pinned key/);
  const { client: c } = connect(client({ checkServerIdentity, rejectUnauthorized: false }));
  t.deepEqual(c.connection.peerVerification, {
    ok: false,
    reason: 'hostname-mismatch',
    message: 'not the pinned key',
  });
});

test('checkServerIdentity is not consulted for a chain that did not validate', (t) => {
  let called = false;
  const { client: c } = connect(
    client({
      trustRoot: foreignTrust(),
      rejectUnauthorized: false,
      checkServerIdentity: () => {
        called = true;
        return undefined;
      },
    }),
  );
  // The server sends its root too: the path ends at a self-signed certificate we do not trust.
  t.like(c.connection.peerVerification, { ok: false, reason: 'self-signed-in-chain' });
  t.false(called);
});

// The server sees the client's certificate as expired (its clock 30 years ahead).
const future = () => Date.now() + 30 * 365 * 86_400_000;

for (const version of ['TLSv1.3', 'TLSv1.2'] as TLSVersion[]) {
  test(`${version}: a client certificate that does not verify: certificate_expired, or reported`, (t) => {
    const serverOptions: Partial<ServerOptions> = {
      versions: [version],
      clientAuth: 'require',
      clientTrustRoot: pki().trustStore,
      clock: future,
    };
    const store = new PkiStore('ecdsa');
    const error = t.throws(() => connect(client({ clientCertificateStore: store }), serverOptions), {
      instanceOf: BadTLSDataError,
    });
    t.is(error?.reason, 'CertificateExpired');
    t.is(error?.alertCode, A.certificate_expired);

    const c = client({ clientCertificateStore: store });
    const server = new ServerTLS({
      certificates: pki().chain('ecdsa'),
      ...serverOptions,
      rejectUnauthorized: false,
    });
    for (let i = 0; i < 2; i++) {
      const p = pair(
        (w, cl) => c.start(w, cl),
        (w, cl) => server.start(w, cl),
      );
      p.pump();
      t.is(p.server.connection.state, 'open');
      t.like(p.server.connection.peerVerification, { ok: false, reason: 'expired' });
      t.is(p.server.connection.peerCertificates.length, 1);
      // No ticket or cached session for an unverified client: the second handshake is full.
      t.false(p.client.connection.resumed);
    }
  });
}
