// Our client against Node's TLS server and Node's TLS client against our server, over loopback.
import { randomBytes } from 'node:crypto';
import tls from 'node:tls';
import { privateKeyToPem } from '@tls-kit/certs';
import test from 'ava';
import { ClientTLS, ServerTLS } from '../src/index.js';
import { type KeyKind, pki } from './helpers/pki.js';
import { connect, listen } from './helpers/socket.js';

function nodeEchoServer(
  kind: KeyKind,
  options: tls.TlsOptions = {},
): Promise<{ port: number; server: tls.Server }> {
  const p = pki();
  const leaf = p.leaf(kind);
  const server = tls.createServer(
    {
      key: privateKeyToPem(leaf.privateKey!),
      cert: leaf.toPem(),
      minVersion: 'TLSv1.3',
      ...options,
    },
    (socket) => {
      socket.on('data', (d) => socket.write(d));
      socket.on('end', () => socket.end());
      socket.on('error', () => {});
    },
  );
  return new Promise((res) =>
    server.listen(0, '127.0.0.1', () => res({ port: (server.address() as { port: number }).port, server })),
  );
}

async function echoThroughNode(
  t: import('ava').ExecutionContext,
  kind: KeyKind,
  clientOptions: Partial<ConstructorParameters<typeof ClientTLS>[0]>,
  serverOptions: tls.TlsOptions,
  size: number,
) {
  const { port, server } = await nodeEchoServer(kind, serverOptions);
  try {
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      ...clientOptions,
    });
    const payload = randomBytes(size);
    const session = await connect(
      port,
      (w, c, e) => client.start(w, c, undefined, e),
      (_d, s) => {
        if (s.received() >= size) s.connection.applicationFinished();
      },
    );
    session.connection.dataFromApplication(payload);
    const echoed = await session.done;
    t.true(echoed.equals(payload), 'echo matches');
    t.true(session.connection.ended, 'peer close_notify seen');
    return session.connection;
  } finally {
    server.close();
  }
}

for (const suite of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']) {
  test(`our client -> Node server: ${suite}`, async (t) => {
    const c = await echoThroughNode(t, 'ecdsa', { cipherSuites: [suite] }, {}, 1000);
    t.is(c.cipherSuite, suite);
  });
}

for (const kind of ['ecdsa', 'ecdsa384', 'rsa', 'ed25519'] as const) {
  test(`our client -> Node server: ${kind} certificate`, async (t) => {
    const c = await echoThroughNode(t, kind, {}, {}, 100);
    t.truthy(c.signatureScheme);
    t.log(c.signatureScheme);
  });
}

for (const group of ['x25519', 'secp256r1', 'secp384r1'] as const) {
  test(`our client -> Node server: group ${group}`, async (t) => {
    const c = await echoThroughNode(t, 'ecdsa', { groups: [group] }, {}, 100);
    t.is(c.namedGroup, group);
  });
}

test('our client -> Node server: HelloRetryRequest to P-384', async (t) => {
  const c = await echoThroughNode(t, 'ecdsa', {}, { ecdhCurve: 'P-384' }, 100);
  t.is(c.namedGroup, 'secp384r1');
});

test('our client -> Node server: ALPN, 1 MiB echo', async (t) => {
  const c = await echoThroughNode(
    t,
    'ecdsa',
    { alpnProtocols: ['h2', 'http/1.1'] },
    { ALPNProtocols: ['http/1.1'] },
    1 << 20,
  );
  t.is(c.alpnProtocol, 'http/1.1');
});

test('our client -> Node server: resumption with a ticket', async (t) => {
  const { port, server } = await nodeEchoServer('ecdsa');
  try {
    const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
    const once = async () => {
      const s = await connect(
        port,
        (w, c, e) => client.start(w, c, undefined, e),
        (_d, s) => {
          if (s.received() >= 5) s.connection.applicationFinished();
        },
      );
      s.connection.dataFromApplication(new TextEncoder().encode('hello'));
      await s.done;
      return s.connection;
    };
    const first = await once();
    t.false(first.resumed);
    const second = await once();
    t.true(second.resumed);
    t.is(second.peerCertificates.length > 0, true);
  } finally {
    server.close();
  }
});

async function nodeClientAgainstOurServer(
  t: import('ava').ExecutionContext,
  serverOptions: Partial<ConstructorParameters<typeof ServerTLS>[0]>,
  clientOptions: tls.ConnectionOptions,
  size: number,
) {
  const p = pki();
  const server = new ServerTLS({ certificates: p.chain('ecdsa'), ...serverOptions });
  let serverConnection: import('../src/index.js').Connection | undefined;
  const listener = await listen(
    (w, c, e) => server.start(w, c, undefined, e),
    (s) => {
      serverConnection = s.connection;
    },
    (d, s) => s.connection.dataFromApplication(d),
  );
  try {
    const payload = randomBytes(size);
    const socket = tls.connect({
      port: listener.port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: p.root.toPem(),
      minVersion: 'TLSv1.3',
      ...clientOptions,
    });
    const chunks: Buffer[] = [];
    let got = 0;
    const ended = new Promise<void>((res, rej) => {
      socket.on('data', (d: Buffer) => {
        chunks.push(d);
        got += d.length;
        if (got >= size) socket.end();
      });
      socket.on('end', () => res());
      socket.on('error', rej);
    });
    await new Promise<void>((res, rej) => {
      socket.once('secureConnect', res);
      socket.once('error', rej);
    });
    socket.write(payload);
    await ended;
    t.true(Buffer.concat(chunks).equals(payload));
    return { socket, connection: serverConnection! };
  } finally {
    await listener.close();
  }
}

for (const suite of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']) {
  test(`Node client -> our server: ${suite}`, async (t) => {
    const { connection } = await nodeClientAgainstOurServer(t, {}, { ciphers: suite }, 1000);
    t.is(connection.cipherSuite, suite);
  });
}

test('Node client -> our server: 1 MiB echo, ALPN, close_notify', async (t) => {
  const { connection, socket } = await nodeClientAgainstOurServer(
    t,
    { alpnProtocols: ['h2', 'http/1.1'] },
    { ALPNProtocols: ['http/1.1'] },
    1 << 20,
  );
  t.is(connection.alpnProtocol, 'http/1.1');
  t.is(socket.alpnProtocol, 'http/1.1');
  t.true(connection.ended);
});

test('Node client -> our server: HelloRetryRequest (client shares X25519, we take only P-256)', async (t) => {
  const { connection } = await nodeClientAgainstOurServer(
    t,
    { groups: ['secp256r1'] },
    { ecdhCurve: 'X25519:P-256' },
    10,
  );
  t.is(connection.namedGroup, 'secp256r1');
});

test('Node client -> our server: HelloRetryRequest with a cookie on every handshake', async (t) => {
  const { connection } = await nodeClientAgainstOurServer(t, { alwaysHelloRetry: true }, {}, 10);
  t.is(connection.namedGroup, 'x25519');
});

// Without a client certificate our tickets come with our Finished; with one, after the client's
// (RFC 8446 §4.6.1): node:tls resumes with both, and the resumed session keeps the client's chain.
for (const clientAuth of ['none', 'require'] as const) {
  test(`Node client -> our server: resumption (clientAuth ${clientAuth})`, async (t) => {
    const p = pki();
    const server = new ServerTLS({
      certificates: p.chain('ecdsa'),
      clientAuth,
      clientTrustRoot: p.trustStore,
    });
    const leaf = p.leaf('ecdsa');
    const clientChain =
      clientAuth === 'none' ? {} : { key: privateKeyToPem(leaf.privateKey!), cert: leaf.toPem() };
    const connections: import('../src/index.js').Connection[] = [];
    const listener = await listen(
      (w, c, e) => server.start(w, c, undefined, e),
      (s) => connections.push(s.connection),
      (d, s) => s.connection.dataFromApplication(d),
    );
    try {
      let session: Buffer | undefined;
      for (let i = 0; i < 2; i++) {
        const socket = tls.connect({
          port: listener.port,
          host: '127.0.0.1',
          servername: 'localhost',
          ca: p.root.toPem(),
          ...clientChain,
          ...(session ? { session } : {}),
        });
        socket.on('session', (s: Buffer) => {
          session = s;
        });
        let reused: boolean | undefined;
        await new Promise<void>((res, rej) => {
          socket.once('secureConnect', () => {
            reused = socket.isSessionReused();
            socket.write('ping');
          });
          socket.on('data', () => socket.end());
          socket.on('end', () => res());
          socket.on('error', rej);
        });
        t.is(reused, i === 1);
      }
      t.false(connections[0]!.resumed);
      t.true(connections[1]!.resumed);
      const chain = (c: import('../src/index.js').Connection) => c.peerCertificates.map((x) => x.toPem());
      t.is(chain(connections[0]!).length > 0, clientAuth === 'require');
      t.deepEqual(chain(connections[1]!), chain(connections[0]!));
    } finally {
      await listener.close();
    }
  });
}
