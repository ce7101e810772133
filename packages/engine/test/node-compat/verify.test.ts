// Node's test/parallel/test-tls-* behaviours around certificates, verification and error codes,
// each run with node:tls and with our adapter: ours must report what node's reports.
import { once } from 'node:events';
import type net from 'node:net';
import test from 'ava';
import { both, fixtures, type KeyPair, listen, outcome, type TlsModule } from '../helpers/node-compat.js';

/** A server of `impl` with `pair` that writes 'ok' and ends. */
async function okServer(impl: TlsModule, pair: KeyPair, options: object = {}) {
  const server = impl.createServer({ ...pair, ...options }, (s: net.Socket) => {
    s.on('error', () => {});
    s.end('ok');
  });
  server.on('tlsClientError', () => {});
  return { server, ...(await listen(server)) };
}

/** Connects and reports secureConnect or the error (code and message), with authorized facts. */
async function attempt(impl: TlsModule, port: number, options: object) {
  const c = impl.connect({ port, host: '127.0.0.1', ...options });
  const result = await outcome(c, 'secureConnect');
  const facts = { ...result, authorized: c.authorized, authorizationError: c.authorizationError ?? null };
  c.destroy();
  return facts;
}

// A CA:TRUE self-signed certificate that is itself the trust anchor is accepted as the server's
// certificate, as node accepts it (openssl req -x509 development setups).
test('selfsigned / cert-regression: a CA:TRUE self-signed certificate as the server certificate, trusted as its own ca', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.selfSigned);
    const result = await attempt(impl, port, { ca: fixtures.selfSigned.cert, servername: 'localhost' });
    await close();
    return result;
  });
  t.like(node, { event: 'secureConnect', authorized: true });
  t.deepEqual(ours, node);
});

test('friendly-error-message / client-reject: DEPTH_ZERO_SELF_SIGNED_CERT with its message', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.selfSigned);
    const result = await attempt(impl, port, { servername: 'localhost' });
    await close();
    return result;
  });
  t.like(node, { event: 'error', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' });
  t.deepEqual(ours, node);
});

test('client-reject: UNABLE_TO_VERIFY_LEAF_SIGNATURE for a leaf of an unknown CA', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.agent1);
    const result = await attempt(impl, port, { servername: 'localhost' });
    await close();
    return result;
  });
  t.like(node, { event: 'error', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  t.deepEqual(ours, node);
});

test('client-reject: rejectUnauthorized false reports authorizationError and connects', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.agent1);
    const result = await attempt(impl, port, { servername: 'localhost', rejectUnauthorized: false });
    await close();
    return result;
  });
  t.deepEqual(node, {
    event: 'secureConnect',
    authorized: false,
    authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  });
  t.deepEqual(ours, node);
});

test('authorization-order: a chain error comes before a name mismatch', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.selfSigned);
    const result = await attempt(impl, port, { servername: 'wrong.example', rejectUnauthorized: false });
    await close();
    return result;
  });
  t.like(node, { authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  t.deepEqual(ours, node);
});

test('check-server-identity: ERR_TLS_CERT_ALTNAME_INVALID with reason, host and cert', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.agent1);
    const c = impl.connect({ port, host: '127.0.0.1', ca: fixtures.ca1, servername: 'wrong.example' });
    const [error] = (await once(c, 'error')) as [
      Error & { code: string; reason: string; host: string; cert: { subject: object } },
    ];
    await close();
    return {
      code: error.code,
      reason: error.reason,
      host: error.host,
      message: error.message,
      cn: (error.cert.subject as { CN?: string }).CN,
    };
  });
  t.is(node.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  t.deepEqual(ours, node);
});

test('cnnic-whitelist / check-server-identity: the CN is matched when there is no subjectAltName', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.cnOnly);
    const good = await attempt(impl, port, { ca: fixtures.ca1, servername: 'localhost' });
    const bad = await attempt(impl, port, {
      ca: fixtures.ca1,
      servername: 'other.example',
      rejectUnauthorized: false,
    });
    await close();
    return { good, bad };
  });
  t.like(node.good, { event: 'secureConnect', authorized: true });
  t.like(node.bad, { authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  t.deepEqual(ours, node);
});

test('check-server-identity: a user function is called with the host and the certificate', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.agent1);
    const seen: string[] = [];
    const checkServerIdentity = (host: string, cert: { subject: { CN: string } }) => {
      seen.push(`${host} ${cert.subject.CN}`);
      return Object.assign(new Error('refused'), { code: 'ERR_MINE' });
    };
    const result = await attempt(impl, port, {
      ca: fixtures.ca1,
      servername: 'localhost',
      checkServerIdentity,
    });
    await close();
    return { result, seen };
  });
  t.deepEqual(node.seen, ['localhost agent1']);
  t.like(node.result, { event: 'error', code: 'ERR_MINE' });
  t.deepEqual(ours, node);
});

test('client-verify / server-verify: requestCert refuses a client without a certificate', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.agent1, { requestCert: true, ca: fixtures.ca1 });
    const c = impl.connect({ port, host: '127.0.0.1', ca: fixtures.ca1, servername: 'localhost' });
    c.on('secureConnect', () => c.resume());
    const [error] = (await once(c, 'error')) as [
      Error & { code?: string; library?: string; reason?: string },
    ];
    await close();
    return { code: error.code, library: error.library, reason: error.reason };
  });
  t.deepEqual(node, {
    code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    library: 'SSL routines',
    reason: 'tlsv13 alert certificate required',
  });
  t.deepEqual(ours, node);
});

for (const version of ['TLSv1.3', 'TLSv1.2']) {
  test(`client-verify (${version}): the server's tlsClientError for a client without a certificate`, async (t) => {
    const { node, ours } = await both(async (impl) => {
      const { server, port, close } = await okServer(impl, fixtures.agent1, {
        requestCert: true,
        rejectUnauthorized: true,
        ca: fixtures.ca1,
        maxVersion: version,
      });
      const errors: object[] = [];
      server.on('tlsClientError', (e: Error & { code?: string; library?: string; reason?: string }) =>
        errors.push({ code: e.code, library: e.library, reason: e.reason }),
      );
      const c = impl.connect({
        port,
        host: '127.0.0.1',
        ca: fixtures.ca1,
        servername: 'localhost',
        maxVersion: version,
      });
      const closed = new Promise((resolve) => c.on('close', resolve));
      c.on('error', () => {});
      c.resume();
      await closed;
      await close();
      return errors;
    });
    t.deepEqual(node, [
      {
        code: 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
        library: 'SSL routines',
        reason: 'peer did not return a certificate',
      },
    ]);
    t.deepEqual(ours, node);
  });
}

test('server-verify: requestCert with an expired client certificate: handshake, then dropped without secureConnection', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { server, port, close } = await okServer(impl, fixtures.agent1, {
      requestCert: true,
      ca: fixtures.ca1,
    });
    let secureConnections = 0;
    server.on('secureConnection', () => secureConnections++);
    const c = impl.connect({
      port,
      host: '127.0.0.1',
      ca: fixtures.ca1,
      servername: 'localhost',
      ...fixtures.expired,
    });
    const closed = new Promise((resolve) => c.on('close', resolve));
    c.on('error', () => {});
    c.resume();
    await closed;
    await close();
    return secureConnections;
  });
  t.is(node, 0);
  t.is(ours, node);
});

test('client-auth: a client certificate the server trusts: authorized on both sides, peer subject seen', async (t) => {
  const { node, ours } = await both(async (impl) => {
    let serverSide: object | undefined;
    const server = impl.createServer(
      { ...fixtures.agent1, requestCert: true, ca: fixtures.ca1 },
      (s: net.Socket & { authorized: boolean; getPeerCertificate(): { subject: { CN: string } } }) => {
        serverSide = { authorized: s.authorized, cn: s.getPeerCertificate().subject.CN };
        s.end();
      },
    );
    const { port, close } = await listen(server);
    const c = impl.connect({
      port,
      host: '127.0.0.1',
      ca: fixtures.ca1,
      servername: 'localhost',
      ...fixtures.cnOnly,
    });
    await once(c, 'secureConnect');
    c.resume();
    await once(c, 'end');
    await close();
    return { client: c.authorized, serverSide };
  });
  t.deepEqual(node, { client: true, serverSide: { authorized: true, cn: 'localhost' } });
  t.deepEqual(ours, node);
});

test('no-cert-required: rejectUnauthorized false on the server accepts a client without a certificate', async (t) => {
  const { node, ours } = await both(async (impl) => {
    let facts: object | undefined;
    const server = impl.createServer(
      { ...fixtures.agent1, requestCert: true, rejectUnauthorized: false, ca: fixtures.ca1 },
      (s: net.Socket & { authorized: boolean; authorizationError: string }) => {
        facts = { authorized: s.authorized, authorizationError: s.authorizationError };
        s.end();
      },
    );
    const { port, close } = await listen(server);
    const c = impl.connect({ port, host: '127.0.0.1', ca: fixtures.ca1, servername: 'localhost' });
    c.resume();
    await once(c, 'end');
    await close();
    return facts;
  });
  t.deepEqual(node, { authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT' });
  t.deepEqual(ours, node);
});

test('cipher-list / set-ciphers-error: ERR_SSL_NO_CIPHER_MATCH for a cipher list that selects nothing', async (t) => {
  const { node, ours } = await both(async (impl) => {
    try {
      impl.createSecureContext({ ciphers: 'NO-SUCH-CIPHER' });
      return 'accepted';
    } catch (e) {
      return (e as { code?: string }).code;
    }
  });
  t.is(node, 'ERR_SSL_NO_CIPHER_MATCH');
  t.is(ours, node);
});

/** createSecureContext with each of `list`: 'ok', or the error's [name, code]. */
async function contextOutcomes(impl: TlsModule, list: readonly object[]): Promise<unknown[]> {
  return list.map((options) => {
    try {
      impl.createSecureContext(options);
      return 'ok';
    } catch (e) {
      return [(e as Error).name, (e as { code?: string }).code];
    }
  });
}

test('min-max-version: ERR_TLS_INVALID_PROTOCOL_VERSION for a name that is no version; TLSv1 accepted as a minimum', async (t) => {
  const { node, ours } = await both(async (impl) => {
    return contextOutcomes(impl, [
      { minVersion: 'TLSv0.9' },
      { maxVersion: 'hokey' },
      { minVersion: 'TLSv1' },
    ]);
  });
  t.deepEqual(node, [
    ['TypeError', 'ERR_TLS_INVALID_PROTOCOL_VERSION'],
    ['TypeError', 'ERR_TLS_INVALID_PROTOCOL_VERSION'],
    'ok',
  ]);
  t.deepEqual(ours, node);
});

test('options-boolean-check: ERR_INVALID_ARG_TYPE for a key, cert or ca that is not text or bytes', async (t) => {
  const { node, ours } = await both(async (impl) => {
    return contextOutcomes(impl, [
      { ca: 42 },
      { cert: true, key: fixtures.agent1.key },
      { key: {}, cert: fixtures.agent1.cert },
    ]);
  });
  t.deepEqual(node, [
    ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['TypeError', 'ERR_INVALID_ARG_TYPE'],
  ]);
  t.deepEqual(ours, node);
});

test('keys-as-bytes: cert and key as Buffer, ArrayBuffer-backed Uint8Array and DataView', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const cert = Buffer.from(fixtures.agent1.cert);
    const key = Buffer.from(fixtures.agent1.key);
    const results: string[] = [];
    for (const [c, k] of [
      [cert, key],
      [new Uint8Array(cert), new Uint8Array(key)],
      [new DataView(new Uint8Array(cert).buffer), new DataView(new Uint8Array(key).buffer)],
    ] as const) {
      const { port, close } = await okServer(impl, { cert: c, key: k } as unknown as KeyPair);
      results.push((await attempt(impl, port, { ca: fixtures.ca1, servername: 'localhost' })).event);
      await close();
    }
    return results;
  });
  t.deepEqual(node, ['secureConnect', 'secureConnect', 'secureConnect']);
  t.deepEqual(ours, node);
});

test('passphrase / key-as-list: key as [{ pem, passphrase }]', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, {
      cert: fixtures.agent1.cert,
      key: [{ pem: fixtures.agent1.key }],
    } as unknown as KeyPair);
    const result = await attempt(impl, port, { ca: fixtures.ca1, servername: 'localhost' });
    await close();
    return result.event;
  });
  t.is(node, 'secureConnect');
  t.is(ours, node);
});

test('ecdh-curve / sigalgs: OpenSSL names for groups and signature algorithms', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await okServer(impl, fixtures.agent1, {
      ecdhCurve: 'P-384',
      sigalgs: 'ECDSA+SHA256:RSA-PSS+SHA256',
    });
    const c = impl.connect({
      port,
      host: '127.0.0.1',
      ca: fixtures.ca1,
      servername: 'localhost',
      ecdhCurve: 'P-384:prime256v1',
    });
    await once(c, 'secureConnect');
    const info = c.getEphemeralKeyInfo();
    c.destroy();
    await close();
    return info;
  });
  t.deepEqual(node, { type: 'ECDH', name: 'secp384r1', size: 384 });
  t.deepEqual(ours, node);
});

test('check-server-identity-ip: an IP host is matched against IP SANs; a certificate without one is refused', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const results: unknown[] = [];
    for (const pair of [fixtures.agent1, fixtures.cnOnly]) {
      const { port, close } = await okServer(impl, pair);
      const c = impl.connect({ port, host: '127.0.0.1', ca: fixtures.ca1 });
      const [event, error] = await new Promise<[string, (Error & { code?: string; reason?: string })?]>(
        (resolve) => {
          c.once('secureConnect', () => resolve(['secureConnect']));
          c.once('error', (e) => resolve(['error', e]));
        },
      );
      results.push({ event, code: error?.code, reason: error?.reason });
      c.destroy();
      await close();
    }
    return results;
  });
  t.deepEqual(node, [
    { event: 'secureConnect', code: undefined, reason: undefined },
    {
      event: 'error',
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      reason: "IP: 127.0.0.1 is not in the cert's list: ",
    },
  ]);
  t.deepEqual(ours, node);
});

test('basic-validations: ERR_INVALID_ARG_TYPE for options of the wrong type', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const codes: unknown[] = [];
    for (const make of [
      () => impl.createServer({ handshakeTimeout: 'abcd' }),
      () => impl.createServer({ SNICallback: 'not a function' }),
      () => impl.connect({ port: 1, session: 'not bytes' }),
    ]) {
      try {
        make();
        codes.push('ok');
      } catch (e) {
        codes.push([(e as Error).name, (e as { code?: string }).code]);
      }
    }
    return codes;
  });
  t.deepEqual(node, Array(3).fill(['TypeError', 'ERR_INVALID_ARG_TYPE']));
  t.deepEqual(ours, node);
});
