// Node's test/parallel/test-tls-* behaviours of TLSSocket and tls.Server (accessors, events,
// constructors), each run with node:tls and with our adapter: ours must answer as node's does.
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import test from 'ava';
import { both, fixtures, type KeyPair, listen, readAll, type TlsModule } from '../helpers/node-compat.js';

const ca = fixtures.ca1;

/** A server of `impl` that hands each secure socket to `onSocket` (default: echo). */
async function serverOf(impl: TlsModule, options: object = {}, onSocket?: (s: tls.TLSSocket) => void) {
  const server = impl.createServer({ ...fixtures.agent1, ...options }, (s: tls.TLSSocket) => {
    s.on('error', () => {});
    if (onSocket) onSocket(s);
    else s.pipe(s);
  });
  server.on('tlsClientError', () => {});
  return { server, ...(await listen(server)) };
}

/** A server whose secure sockets arrive through `next()`, resumed. */
async function sidedServer(impl: TlsModule) {
  const waiting: ((s: tls.TLSSocket) => void)[] = [];
  const { port, close } = await serverOf(impl, {}, (s) => {
    s.resume();
    waiting.shift()?.(s);
  });
  const next = () => new Promise<tls.TLSSocket>((resolve) => waiting.push(resolve));
  return { port, close, next };
}

/** A connected client of `impl` once secureConnect fired. */
async function client(impl: TlsModule, port: number, options: object = {}): Promise<tls.TLSSocket> {
  const c = impl.connect({ port, host: '127.0.0.1', ca, servername: 'localhost', ...options });
  await once(c, 'secureConnect');
  return c;
}

test('getprotocol / getcipher: version, OpenSSL and standard suite names', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl);
    const results = [];
    for (const options of [
      { maxVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256' },
      { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' },
    ]) {
      const c = await client(impl, port, options);
      results.push({ protocol: c.getProtocol(), cipher: c.getCipher() });
      c.destroy();
    }
    await close();
    return results;
  });
  t.deepEqual(node, [
    {
      protocol: 'TLSv1.3',
      cipher: { name: 'TLS_AES_128_GCM_SHA256', standardName: 'TLS_AES_128_GCM_SHA256', version: 'TLSv1.3' },
    },
    {
      protocol: 'TLSv1.2',
      cipher: {
        name: 'ECDHE-ECDSA-AES256-GCM-SHA384',
        standardName: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
        version: 'TLSv1.2',
      },
    },
  ]);
  t.deepEqual(ours, node);
});

test('finished: getFinished and getPeerFinished agree across the two sides, both versions', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const results = [];
    for (const [maxVersion, ciphers] of [
      ['TLSv1.3', 'TLS_AES_256_GCM_SHA384'],
      ['TLSv1.2', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
    ]) {
      const { port, close, next } = await sidedServer(impl);
      const accepted = next();
      const c = await client(impl, port, { maxVersion, ciphers });
      const serverSide = await accepted;
      const lengths = [c.getFinished()?.length, c.getPeerFinished()?.length];
      results.push({
        lengths,
        crossed:
          c.getFinished()!.equals(serverSide.getPeerFinished()!) &&
          c.getPeerFinished()!.equals(serverSide.getFinished()!),
      });
      c.destroy();
      await close();
    }
    return results;
  });
  t.deepEqual(node, [
    { lengths: [48, 48], crossed: true },
    { lengths: [12, 12], crossed: true },
  ]);
  t.deepEqual(ours, node);
});

test('peer-certificate: the shape of getPeerCertificate(), names with emailAddress, fingerprints', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl);
    const c = await client(impl, port);
    const cert = c.getPeerCertificate(true);
    c.destroy();
    await close();
    return {
      subject: { ...cert.subject },
      issuer: { ...cert.issuer },
      subjectaltname: cert.subjectaltname,
      serialNumber: cert.serialNumber,
      fingerprint: cert.fingerprint,
      fingerprint256: cert.fingerprint256,
      fingerprint512: cert.fingerprint512,
      valid_from: cert.valid_from,
      valid_to: cert.valid_to,
      bits: cert.bits,
      asn1Curve: cert.asn1Curve,
      nistCurve: cert.nistCurve,
      pubkey: cert.pubkey?.toString('hex'),
      raw: cert.raw.length,
      ca: cert.ca,
      issuerCN: cert.issuerCertificate?.subject.CN,
      rootIsOwnIssuer: cert.issuerCertificate?.issuerCertificate === cert.issuerCertificate,
    };
  });
  t.like(node, {
    subject: { CN: 'agent1', emailAddress: 'agent1@example.org' },
    subjectaltname: 'DNS:localhost, IP Address:127.0.0.1',
    asn1Curve: 'prime256v1',
    nistCurve: 'P-256',
    issuerCN: 'ca1',
    rootIsOwnIssuer: true,
  });
  t.deepEqual(ours, node);
});

test('peer-certificate-rsa: modulus, exponent, bits and pubkey of an RSA certificate', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl, fixtures.agentRsa);
    const c = await client(impl, port);
    const cert = c.getPeerCertificate();
    c.destroy();
    await close();
    return {
      bits: cert.bits,
      exponent: cert.exponent,
      modulus: cert.modulus,
      pubkey: cert.pubkey?.toString('hex'),
    };
  });
  t.is(node.bits, 2048);
  t.is(node.exponent, '0x10001');
  t.deepEqual(ours, node);
});

test('peer-x509-certificate / getcertificate-x509: X509Certificate objects of both ends', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl);
    const c = await client(impl, port);
    const peer = c.getPeerX509Certificate();
    const own = c.getX509Certificate();
    c.destroy();
    await close();
    return { peer: peer instanceof X509Certificate ? peer.subject : peer, own: own ?? null };
  });
  t.deepEqual(node, {
    peer: 'emailAddress=agent1@example.org\nO=Node.js Test\nOU=Node.js\nCN=agent1',
    own: null,
  });
  t.deepEqual(ours, node);
});

test('exportkeyingmaterial: both ends derive the same bytes; bad arguments are ERR_INVALID_ARG_TYPE', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close, next } = await sidedServer(impl);
    const accepted = next();
    const c = await client(impl, port);
    const serverSide = await accepted;
    const a = c.exportKeyingMaterial(64, 'client finished', Buffer.from('ctx'));
    const b = serverSide.exportKeyingMaterial(64, 'client finished', Buffer.from('ctx'));
    let code: string | undefined;
    try {
      (c.exportKeyingMaterial as (...args: unknown[]) => Buffer)('64', 'x');
    } catch (e) {
      code = (e as { code?: string }).code;
    }
    // Before the handshake: ERR_TLS_INVALID_STATE.
    const early = impl.connect({ port, host: '127.0.0.1', ca, servername: 'localhost' });
    early.on('error', () => {});
    let state: string | undefined;
    try {
      early.exportKeyingMaterial(16, 'x', Buffer.alloc(0));
    } catch (e) {
      state = (e as { code?: string }).code;
    }
    early.destroy();
    c.destroy();
    await close();
    return { length: a.length, same: a.equals(b), code, state };
  });
  t.deepEqual(node, { length: 64, same: true, code: 'ERR_INVALID_ARG_TYPE', state: 'ERR_TLS_INVALID_STATE' });
  t.deepEqual(ours, node);
});

test('close-event: close reports hadError false after a clean end, true after a destroy with an error', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl);
    const a = await client(impl, port);
    a.end('bye');
    a.resume();
    const [clean] = (await once(a, 'close')) as [boolean];
    const b = await client(impl, port);
    b.on('error', () => {});
    const closed = new Promise<boolean>((resolve) => b.on('close', resolve));
    b.destroy(new Error('boom'));
    const failed = await closed;
    await close();
    return [clean, failed];
  });
  t.deepEqual(node, [false, true]);
  t.deepEqual(ours, node);
});

test('destroysoon / buffersize: destroySoon ends after the writes; bufferSize is a number', async (t) => {
  const { node, ours } = await both(async (impl) => {
    let received = '';
    const { port, close } = await serverOf(impl, {}, (s) => {
      s.setEncoding('utf8');
      s.on('data', (d: string) => {
        received += d;
      });
      s.on('end', () => s.end());
    });
    const c = await client(impl, port);
    c.write('soon');
    const size = typeof (c as unknown as { bufferSize: number }).bufferSize;
    (c as unknown as { destroySoon(): void }).destroySoon();
    await once(c, 'close');
    await close();
    return { received, size, destroyed: c.destroyed };
  });
  t.deepEqual(node, { received: 'soon', size: 'number', destroyed: true });
  t.deepEqual(ours, node);
});

test('server-without-new / tls.Server(): the constructor works as a function, listener as first argument', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const called = impl.Server({ ...fixtures.agent1 }, (s: tls.TLSSocket) => s.end('called'));
    const { port, close } = await listen(called);
    const c = await client(impl, port);
    const text = await readAll(c);
    await close();
    const listenerFirst = impl.createServer((s: tls.TLSSocket) => s.end()) as net.Server;
    return { text, isServer: called instanceof impl.Server, netServer: listenerFirst instanceof net.Server };
  });
  t.deepEqual(node, { text: 'called', isServer: true, netServer: true });
  t.deepEqual(ours, node);
});

test('sni-server-client / empty-sni-context: createServer({}) with only SNICallback', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const contexts = new Map([
      ['a.example', impl.createSecureContext(fixtures.agent1)],
      ['localhost', impl.createSecureContext(fixtures.cnOnly)],
    ]);
    const server = impl.createServer(
      {
        SNICallback: (name: string, cb: (e: Error | null, c?: tls.SecureContext) => void) =>
          cb(null, contexts.get(name)),
      },
      (s: tls.TLSSocket) => s.end((s as unknown as { servername: string }).servername),
    );
    server.on('tlsClientError', () => {});
    const { port, close } = await listen(server);
    const c = await client(impl, port, { servername: 'localhost' });
    const cn = c.getPeerCertificate().subject.CN;
    const served = { name: await readAll(c), cn };
    await close();
    return served;
  });
  t.deepEqual(node, { name: 'localhost', cn: 'localhost' });
  t.deepEqual(ours, node);
});

test('socket-constructor / tlswrap: new TLSSocket(socket, { isServer, secureContext }) on an accepted socket', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const secureContext = impl.createSecureContext(fixtures.agent1);
    const raw = net.createServer((socket) => {
      const s = new impl.TLSSocket(socket, { isServer: true, secureContext });
      s.on('error', () => {});
      s.on('secure', () => s.end('wrapped'));
    });
    const { port, close } = await listen(raw);
    const c = await client(impl, port);
    const text = await readAll(c);
    await close();
    return text;
  });
  t.is(node, 'wrapped');
  t.is(ours, node);
});

test('keylog: the client emits keylog lines, the server emits them with the socket', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const serverLines: string[] = [];
    const { server, port, close } = await serverOf(impl);
    server.on('keylog', (line: Buffer, socket: unknown) => {
      if (socket) serverLines.push(line.toString().split(' ')[0]!);
    });
    const c = impl.connect({ port, host: '127.0.0.1', ca, servername: 'localhost', maxVersion: 'TLSv1.3' });
    const clientLines: string[] = [];
    c.on('keylog', (line: Buffer) => clientLines.push(line.toString().split(' ')[0]!));
    await once(c, 'secureConnect');
    c.end();
    c.resume();
    await once(c, 'close');
    await close();
    return { client: clientLines.sort(), server: serverLines.sort() };
  });
  const labels = [
    'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
    'CLIENT_TRAFFIC_SECRET_0',
    'EXPORTER_SECRET',
    'SERVER_HANDSHAKE_TRAFFIC_SECRET',
    'SERVER_TRAFFIC_SECRET_0',
  ];
  t.deepEqual(node, { client: labels, server: labels });
  t.deepEqual(ours, node);
});

test('session / ticket-reuse: the session event, resumption, isSessionReused, getTLSTicket', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl);
    const first = impl.connect({ port, host: '127.0.0.1', ca, servername: 'localhost' });
    const sessions: Buffer[] = [];
    const tickets: boolean[] = [];
    first.on('session', (s: Buffer) => {
      sessions.push(s);
      tickets.push(Buffer.isBuffer(first.getTLSTicket()));
    });
    await once(first, 'secureConnect');
    const firstFacts = { firstReused: first.isSessionReused() };
    first.end('x');
    await readAll(first);
    const second = await client(impl, port, { session: sessions.at(-1) });
    const facts = {
      sessions: sessions.length > 0,
      ...firstFacts,
      reused: second.isSessionReused(),
      ticket: tickets[0],
    };
    second.destroy();
    await close();
    return facts;
  });
  t.deepEqual(node, { sessions: true, firstReused: false, reused: true, ticket: true });
  t.deepEqual(ours, node);
});

test('server-connection-server / addcontext: socket.server is the server; addContext picks by name', async (t) => {
  const { node, ours } = await both(async (impl) => {
    let sameServer = false;
    const { server, port, close } = await serverOf(impl, {}, (s) => {
      sameServer = (s as unknown as { server: unknown }).server === server;
      s.end();
    });
    server.addContext('other.example', fixtures.cnOnly as KeyPair);
    const c = await client(impl, port, { servername: 'other.example', checkServerIdentity: () => undefined });
    const cn = c.getPeerCertificate().subject.CN;
    c.resume();
    await once(c, 'end');
    await close();
    return { sameServer, cn };
  });
  t.deepEqual(node, { sameServer: true, cn: 'localhost' });
  t.deepEqual(ours, node);
});

test('max-send-fragment / disable-renegotiation: range check and renegotiate refused', async (t) => {
  const { node, ours } = await both(async (impl) => {
    const { port, close } = await serverOf(impl);
    const c = await client(impl, port);
    const fragments = [c.setMaxSendFragment(511), c.setMaxSendFragment(16385), c.setMaxSendFragment(4096)];
    c.disableRenegotiation();
    const [error] = await new Promise<[Error & { code?: string }]>((resolve) => {
      c.renegotiate({}, (e) => resolve([e as Error]));
    });
    c.destroy();
    await close();
    return { fragments, code: error.code };
  });
  // TLS 1.3 has no renegotiation: OpenSSL's "wrong ssl version".
  t.deepEqual(node, { fragments: [false, false, true], code: 'ERR_SSL_WRONG_SSL_VERSION' });
  t.deepEqual(ours, node);
});

test('close-notify / fin-without-close-notify: a TCP end without close_notify ends the stream cleanly', async (t) => {
  // The same node:tls server for both clients: its TCP socket is ended under the TLS layer.
  const secureContext = tls.createSecureContext(fixtures.agent1);
  const raw = net.createServer((socket) => {
    const s = new tls.TLSSocket(socket, { isServer: true, secureContext });
    s.on('error', () => {});
    s.on('secure', () => s.write('partial', () => socket.end()));
  });
  const { port, close } = await listen(raw);
  const { node, ours } = await both(async (impl) => {
    const c = await client(impl, port);
    let error: string | undefined;
    c.on('error', (e) => {
      error = e.message;
    });
    const text = await readAll(c);
    return { text, error };
  });
  await close();
  t.deepEqual(node, { text: 'partial', error: undefined });
  t.deepEqual(ours, node);
});
