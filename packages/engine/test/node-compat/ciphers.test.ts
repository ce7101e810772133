// Node's test/parallel/test-tls-* behaviours of cipher, group and version choice and of handshake
// failures, each run with node:tls and with our adapter: ours must answer as node's does.
import { once } from 'node:events';
import net from 'node:net';
import type tls from 'node:tls';
import test from 'ava';
import { both, fixtures, listen, outcome, type TlsModule } from '../helpers/node-compat.js';

const ca = fixtures.ca1;

/** A server of `impl` (agent1 unless `options` says otherwise) that ends each secure socket. */
async function serverOf(impl: TlsModule, options: object = {}) {
  const errors: (string | undefined)[] = [];
  const server = impl.createServer({ ...fixtures.agent1, ...options }, (s: tls.TLSSocket) => {
    s.on('error', () => {});
    s.end();
  });
  server.on('tlsClientError', (e: Error & { code?: string }) => errors.push(e.code));
  return { server, errors, ...(await listen(server)) };
}

/** What a client of `impl` with `options` ends in: its cipher and key exchange, or its error code. */
async function handshake(impl: TlsModule, port: number, options: object = {}) {
  const c = impl.connect({ port, host: '127.0.0.1', ca, servername: 'localhost', ...options });
  const result = await outcome(c, 'secureConnect');
  const facts =
    result.event === 'secureConnect'
      ? { cipher: c.getCipher().name, protocol: c.getProtocol(), key: c.getEphemeralKeyInfo() }
      : { code: result.code };
  c.destroy();
  return facts;
}

/** The client's error code and the server's tlsClientError codes of a handshake that fails. */
async function failure(impl: TlsModule, serverOptions: object, clientOptions: object) {
  const { port, close, errors } = await serverOf(impl, serverOptions);
  const client = await handshake(impl, port, clientOptions);
  await close();
  return { client: client.code, server: errors };
}

test('honorcipherorder: with honorCipherOrder the server picks by its own order, not the client order', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl, {
      ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256',
      honorCipherOrder: true,
    });
    const offer = {
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384',
    };
    const { cipher } = await handshake(impl, port, offer);
    await close();
    return cipher;
  });
  t.is(node, 'ECDHE-ECDSA-AES256-GCM-SHA384');
  t.is(ours, node);
});

test('set-ciphers: the TLS 1.3 suite a server allows is the one negotiated', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl, { ciphers: 'TLS_CHACHA20_POLY1305_SHA256' });
    const { cipher, protocol } = await handshake(impl, port);
    await close();
    return { cipher, protocol };
  });
  t.deepEqual(node, { cipher: 'TLS_CHACHA20_POLY1305_SHA256', protocol: 'TLSv1.3' });
  t.deepEqual(ours, node);
});

test('ecdh: the server ecdhCurve prime256v1 is the client key exchange', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl, { ecdhCurve: 'prime256v1' });
    const results = [
      (await handshake(impl, port)).key,
      (await handshake(impl, port, { maxVersion: 'TLSv1.2' })).key,
    ];
    await close();
    return results;
  });
  const p256 = { type: 'ECDH', name: 'prime256v1', size: 256 };
  t.deepEqual(node, [p256, p256]);
  t.deepEqual(ours, node);
});

test('ecdh-auto / ecdh-multiple: auto takes the X25519 the client offers; a list of which the client shares a later group', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const auto = await serverOf(impl, { ecdhCurve: 'auto' });
    const first = (await handshake(impl, auto.port, { ecdhCurve: 'X25519:prime256v1' })).key;
    await auto.close();
    const list = await serverOf(impl, { ecdhCurve: 'secp384r1:prime256v1' });
    const shared = (await handshake(impl, list.port, { ecdhCurve: 'secp384r1' })).key;
    await list.close();
    return [first, shared];
  });
  t.deepEqual(node, [
    { type: 'ECDH', name: 'X25519', size: 253 },
    { type: 'ECDH', name: 'secp384r1', size: 384 },
  ]);
  t.deepEqual(ours, node);
});

test('ecdh-disable / no shared group: a client whose only group the server lacks fails on both sides', async (t) => {
  const { node, ours } = await both((impl) =>
    failure(impl, { ecdhCurve: 'prime256v1' }, { ecdhCurve: 'X25519' }),
  );
  t.deepEqual(node, {
    client: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    server: ['ERR_SSL_NO_SUITABLE_KEY_SHARE'],
  });
  t.deepEqual(ours, node);
});

test('handshake-error / no-shared-cipher: handshake_failure named as node names it on both sides', async (t) => {
  const { node, ours } = await both((impl) =>
    failure(
      impl,
      {
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256',
      },
      {
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384',
      },
    ),
  );
  t.deepEqual(node, {
    client: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    server: ['ERR_SSL_NO_SHARED_CIPHER'],
  });
  t.deepEqual(ours, node);
});

test('min-max-version / protocol-version: a TLS 1.2 client against a TLS 1.3-only server', async (t) => {
  const { node, ours } = await both((impl) =>
    failure(impl, { minVersion: 'TLSv1.3' }, { maxVersion: 'TLSv1.2' }),
  );
  t.deepEqual(node, {
    client: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    server: ['ERR_SSL_UNSUPPORTED_PROTOCOL'],
  });
  t.deepEqual(ours, node);
});

test('set-ciphers-error / tls13 no shared suite: the client and server codes of node', async (t) => {
  const { node, ours } = await both((impl) =>
    failure(impl, { ciphers: 'TLS_AES_128_GCM_SHA256' }, { ciphers: 'TLS_AES_256_GCM_SHA384' }),
  );
  t.deepEqual(node, {
    client: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    server: ['ERR_SSL_NO_SHARED_CIPHER'],
  });
  t.deepEqual(ours, node);
});

test('alpn-server-client / no application protocol: the server side reports its own failure', async (t) => {
  const { node, ours } = await both((impl) =>
    failure(impl, { ALPNProtocols: ['a'] }, { ALPNProtocols: ['b'] }),
  );
  t.deepEqual(node, {
    client: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL',
    server: ['ERR_SSL_NO_APPLICATION_PROTOCOL'],
  });
  t.deepEqual(ours, node);
});

test('junk-server: a client meeting a plain-text server fails with wrong version number', async (t) => {
  const plain = net.createServer((s) => {
    s.on('error', () => {});
    s.resume();
    s.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  const { port, close } = await listen(plain);
  const { node, ours } = await both((impl) => handshake(impl, port));
  await close();
  t.deepEqual(node, { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
  t.deepEqual(ours, node);
});

test('ca-concat: several CA certificates in one PEM string', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl);
    const c = impl.connect({
      port,
      host: '127.0.0.1',
      ca: fixtures.ca2 + fixtures.ca1,
      servername: 'localhost',
    });
    const result = await outcome(c, 'secureConnect');
    const authorized = c.authorized;
    c.destroy();
    await close();
    return { ...result, authorized };
  });
  t.deepEqual(node, { event: 'secureConnect', authorized: true });
  t.deepEqual(ours, node);
});

test('cert-chains-concat: a server cert given as leaf and intermediate in one PEM string', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl, {
      key: fixtures.agent2.key,
      cert: fixtures.agent2.cert + fixtures.ca2Intermediate,
    });
    const c = impl.connect({ port, host: '127.0.0.1', ca: fixtures.ca2, servername: 'localhost' });
    await once(c, 'secureConnect');
    const cert = c.getPeerCertificate(true);
    const facts = { authorized: c.authorized, issuer: cert.issuerCertificate?.subject.CN };
    c.destroy();
    await close();
    return facts;
  });
  t.deepEqual(node, { authorized: true, issuer: 'ca2 intermediate' });
  t.deepEqual(ours, node);
});

test('http request / https proxy request: a plain-text HTTP client at a TLS server, named as node names it', async (t) => {
  const requests = ['GET', 'POST', 'HEAD', 'PUT', 'CONNECT', 'OPTIONS'].map((m) => `${m} / HTTP/1.1\r\n\r\n`);
  const { node, ours } = await both(async (impl) => {
    const { port, close, errors } = await serverOf(impl);
    for (const request of requests) {
      const plain = net.connect(port, '127.0.0.1', () => plain.write(request));
      plain.on('error', () => {});
      plain.resume();
      await once(plain, 'close');
    }
    await close();
    return errors;
  });
  t.deepEqual(node, [
    ...Array<string>(4).fill('ERR_SSL_HTTP_REQUEST'),
    'ERR_SSL_HTTPS_PROXY_REQUEST',
    'ERR_SSL_WRONG_VERSION_NUMBER',
  ]);
  t.deepEqual(ours, node);
});
