// What the adapter keeps across connections, checked against node:tls peers: createServer's TLS 1.2
// sessions resume by session ID (RFC 5246 §7.4.1.2) on any later connection, 'keylog' still gets
// every socket's lines while the connections of a listener-less server share one engine,
// connect() with the same `ca` PEM checks a chain's issuer signatures once, not per connection,
// and connect() calls with equal options share one engine configuration but no session.

import { constants } from 'node:crypto';
import { once } from 'node:events';
import type net from 'node:net';
import tls from 'node:tls';
import { privateKeyToPem } from '@tls-kit/certs';
import type { CryptoProvider } from '@tls-kit/crypto';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import { connect, createServer, type Server } from '../src/node/index.js';
import { pki } from './helpers/pki.js';

async function ourServer(): Promise<{ server: Server; port: number; ca: string }> {
  const p = pki();
  const leaf = p.leaf('ecdsa');
  const server = createServer({ cert: leaf.toPem(), key: privateKeyToPem(leaf.privateKey!) }, (s) => {
    s.on('error', () => {});
    s.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as net.AddressInfo).port, ca: p.root.toPem() };
}

/** One node:tls TLS 1.2 connection without tickets; resolves with its session and whether it resumed. */
function connect12(
  port: number,
  ca: string,
  session?: Buffer,
): Promise<{ session: Buffer; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      ca,
      servername: 'localhost',
      maxVersion: 'TLSv1.2',
      // Session IDs only: with tickets the server's session cache would not be needed.
      secureOptions: constants.SSL_OP_NO_TICKET,
      ...(session ? { session } : {}),
    });
    socket.on('error', reject);
    socket.once('secureConnect', () => {
      const reused = socket.isSessionReused();
      const saved = socket.getSession();
      socket.destroy();
      if (saved) resolve({ session: saved, reused });
      else reject(new Error('no session'));
    });
  });
}

test('TLS 1.2: a node:tls client resumes by session ID on a later connection', async (t) => {
  const { server, port, ca } = await ourServer();
  try {
    const first = await connect12(port, ca);
    t.false(first.reused);
    const second = await connect12(port, ca, first.session);
    t.true(second.reused);
  } finally {
    server.close();
  }
});

test("'keylog' gets the lines of every connection once a listener is added", async (t) => {
  const { server, port, ca } = await ourServer();
  try {
    await connect12(port, ca);
    const lines: string[] = [];
    server.on('keylog', (line: Buffer) => lines.push(line.toString()));
    await connect12(port, ca);
    t.true(lines.length > 0);
    t.true(lines.every((l) => /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$/.test(l)));
  } finally {
    server.close();
  }
});

test('connect() with the same ca PEM verifies the chain once: later handshakes check only CertificateVerify', async (t) => {
  const p = pki();
  const leaf = p.leaf('ecdsa');
  const server = tls.createServer({ cert: leaf.toPem(), key: privateKeyToPem(leaf.privateKey!) }, (s) => {
    s.on('error', () => {});
    s.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  let verified = 0;
  // A provider of its own, so no earlier test's cached checks count.
  const provider: CryptoProvider = {
    ...nodeProvider,
    verify(scheme, key, data, signature) {
      verified++;
      return nodeProvider.verify(scheme, key, data, signature);
    },
  };
  const ca = p.root.toPem();
  const handshake = async () => {
    verified = 0;
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca, provider });
    socket.on('error', () => {});
    await once(socket, 'secureConnect');
    t.true(socket.authorized);
    socket.destroy();
    return verified;
  };
  try {
    // The leaf's signature by the root, then the server's CertificateVerify.
    t.is(await handshake(), 2);
    t.is(await handshake(), 1);
    t.is(await handshake(), 1);
  } finally {
    server.close();
  }
});

test('connect() calls with equal options share one configuration; a session is still only what `session` gives', async (t) => {
  const p = pki();
  const leaf = p.leaf('ecdsa');
  const server = tls.createServer({ cert: leaf.toPem(), key: privateKeyToPem(leaf.privateKey!) }, (s) => {
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const ca = p.root.toPem();
  const configOf = (socket: ReturnType<typeof connect>) =>
    (socket.connection as unknown as { core: { config: object } }).core.config;
  const open = async (extra: { session?: Buffer; ALPNProtocols?: string[] } = {}) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca, ...extra });
    socket.on('error', () => {});
    await once(socket, 'secureConnect');
    return socket;
  };
  const opened: ReturnType<typeof connect>[] = [];
  try {
    const first = await open();
    opened.push(first);
    // node:tls' server sends its TLS 1.3 ticket after the handshake.
    const [session] = (await once(first, 'session')) as [Buffer];
    const second = await open();
    opened.push(second);
    t.is(configOf(second), configOf(first));
    // Equal options, but the first connection's ticket is its own: no resumption without `session`.
    t.false(second.isSessionReused());
    const resumed = await open({ session });
    opened.push(resumed);
    t.true(resumed.isSessionReused());
    t.is(configOf(resumed), configOf(first));
    const other = await open({ ALPNProtocols: ['h2'] });
    opened.push(other);
    t.not(configOf(other), configOf(first));
  } finally {
    for (const socket of opened) socket.destroy();
    server.close();
  }
});

test('TLS 1.3: getSession() without a session listener (the newest ticket kept compact) resumes against node:tls, ALPN and all', async (t) => {
  const p = pki();
  const leaf = p.leaf('ecdsa');
  const server = tls.createServer(
    { cert: leaf.toPem(), key: privateKeyToPem(leaf.privateKey!), ALPNProtocols: ['h2'] },
    (s) => {
      s.on('error', () => {});
      // Written after node's tickets: once the client read it, it has them.
      s.write('after the tickets');
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const options = {
    host: '127.0.0.1',
    port,
    servername: 'localhost',
    ca: p.root.toPem(),
    ALPNProtocols: ['h2'],
  };
  const opened: ReturnType<typeof connect>[] = [];
  try {
    const first = connect(options);
    opened.push(first);
    first.on('error', () => {});
    await once(first, 'data');
    const session = first.getSession();
    const ticket = first.getTLSTicket();
    t.truthy(session);
    t.truthy(ticket);
    // Asked again: the same session, now encoded.
    t.deepEqual(first.getSession(), session);
    const decoded = JSON.parse(session!.toString()) as { serverName: string; alpn: string; ticket: string };
    t.is(decoded.serverName, 'localhost');
    t.is(decoded.alpn, 'h2');
    t.is(decoded.ticket, ticket!.toString('base64'));
    const resumed = connect({ ...options, session: session! });
    opened.push(resumed);
    resumed.on('error', () => {});
    await once(resumed, 'secureConnect');
    t.true(resumed.isSessionReused());
    t.is(resumed.alpnProtocol, 'h2');
  } finally {
    for (const socket of opened) socket.destroy();
    server.close();
  }
});
