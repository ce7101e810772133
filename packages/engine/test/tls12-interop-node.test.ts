// TLS 1.2 against Node's tls (OpenSSL inside Node) over loopback, both roles: suites, key types,
// resumption by session ID and by ticket, client certificates, ALPN.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import test from 'ava';
import { ClientTLS } from '../src/index.js';
import { PkiStore } from './helpers/client-certificate-store.js';
import { pemFiles } from './helpers/openssl.js';
import { type KeyKind, pki } from './helpers/pki.js';
import { echoServer, RESUMPTION_MODES, revEchoOnce, revEchoTwice } from './helpers/tls12-peers.js';
import { OPENSSL_TLS12_SUITES } from './helpers/tls12-suites.js';

const read = (f: string) => readFileSync(f, 'utf8');

/** A Node TLS 1.2 server that reverses each chunk it gets, like `s_server -rev`. */
async function nodeServer(
  kind: KeyKind,
  options: tls.TlsOptions = {},
): Promise<{ port: number; server: tls.Server }> {
  const files = pemFiles(kind);
  const server = tls.createServer(
    {
      key: read(files.key),
      cert: read(files.cert),
      maxVersion: 'TLSv1.2',
      minVersion: 'TLSv1.2',
      ...options,
    },
    (socket) => {
      socket.on('data', (d: Buffer) => {
        const line = d.toString('latin1').trimEnd();
        socket.write(`${[...line].reverse().join('')}\n`);
      });
      socket.on('error', () => {});
      socket.on('end', () => socket.end());
    },
  );
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return { port: (server.address() as AddressInfo).port, server };
}

function close(server: tls.Server): Promise<void> {
  return new Promise((res) => server.close(() => res()));
}

interface NodeResult {
  readonly echo: string;
  readonly cipher: string | undefined;
  readonly reused: boolean;
  readonly alpn: string | false | null;
  readonly session: Buffer | undefined;
}

/** Node's TLS 1.2 client against `port`: sends `text` then "BYE", resolves once the server closed. */
function nodeClient(port: number, options: tls.ConnectionOptions = {}, text = 'hello'): Promise<NodeResult> {
  return new Promise((resolve, reject) => {
    let echo = '';
    let session: Buffer | undefined;
    let facts = {
      cipher: undefined as string | undefined,
      reused: false,
      alpn: null as string | false | null,
    };
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: pki().root.toPem(),
      maxVersion: 'TLSv1.2',
      ...options,
    });
    const timer = setTimeout(() => socket.destroy(new Error('timeout')), 10000);
    socket.on('session', (s: Buffer) => {
      session = s;
    });
    socket.on('secureConnect', () => {
      facts = {
        cipher: socket.getCipher().standardName,
        reused: socket.isSessionReused(),
        alpn: socket.alpnProtocol,
      };
      socket.write(`${text}BYE`);
    });
    socket.on('data', (d: Buffer) => {
      echo += d.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ echo, session, ...facts });
    });
  });
}

for (const [suite, name, kind] of OPENSSL_TLS12_SUITES) {
  test.serial(`our client -> Node tls server (1.2): ${suite}`, async (t) => {
    const { port, server } = await nodeServer(kind, { ciphers: name, dhparam: 'auto' });
    try {
      const client = new ClientTLS({
        serverHostname: 'localhost',
        trustRoot: pki().trustStore,
        cipherSuites: [suite],
      });
      const connection = await revEchoOnce(port, client);
      t.is(connection.tlsVersion, 'TLSv1.2');
      t.is(connection.cipherSuite, suite);
    } finally {
      await close(server);
    }
  });

  test.serial(`Node tls client (1.2) -> our server: ${suite}`, async (t) => {
    const server = await echoServer({}, kind);
    try {
      const { echo, cipher } = await nodeClient(server.port, { ciphers: name });
      t.is(echo, 'helloBYE');
      t.is(cipher, suite);
      t.is(server.connections[0]?.cipherSuite, suite);
    } finally {
      await server.close();
    }
  });
}

test.serial('Node tls client (1.2) -> our server: Ed25519 certificate', async (t) => {
  const server = await echoServer({}, 'ed25519');
  try {
    const { echo } = await nodeClient(server.port);
    t.is(echo, 'helloBYE');
    t.is(server.connections[0]?.signatureScheme, 'ed25519');
  } finally {
    await server.close();
  }
});

for (const [what, options] of RESUMPTION_MODES) {
  test.serial(`Node tls client resumes with our server by ${what}`, async (t) => {
    const server = await echoServer(options);
    try {
      const first = await nodeClient(server.port);
      t.truthy(first.session);
      const second = await nodeClient(server.port, { session: first.session });
      t.false(first.reused);
      t.true(second.reused);
      t.is(second.echo, 'helloBYE');
      t.true(server.connections[1]?.resumed);
    } finally {
      await server.close();
    }
  });
}

test.serial('our client resumes with a Node tls server (ticket), offering 1.3 too', async (t) => {
  const { port, server } = await nodeServer('ecdsa');
  try {
    const [first, second] = await revEchoTwice(port);
    t.is(first.tlsVersion, 'TLSv1.2');
    t.false(first.resumed);
    t.true(second.resumed);
  } finally {
    await close(server);
  }
});

test.serial('client certificates with Node, both roles', async (t) => {
  const { port, server } = await nodeServer('ecdsa', {
    requestCert: true,
    rejectUnauthorized: true,
    ca: pki().root.toPem(),
  });
  let peer: tls.PeerCertificate | undefined;
  server.on('secureConnection', (s: tls.TLSSocket) => {
    peer = s.getPeerCertificate();
  });
  try {
    const store = new PkiStore('rsa');
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      clientCertificateStore: store,
      versions: ['TLSv1.2'],
    });
    await revEchoOnce(port, client);
    t.is(peer?.subject?.CN, 'localhost');
    t.is(store.roots, 1);
  } finally {
    await close(server);
  }
  const ours = await echoServer({ clientAuth: 'require', clientTrustRoot: pki().trustStore });
  try {
    const files = pemFiles('ed25519');
    const { echo } = await nodeClient(ours.port, { key: read(files.key), cert: read(files.cert) });
    t.is(echo, 'helloBYE');
    t.is(ours.connections[0]?.peerCertificates.length, 2);
  } finally {
    await ours.close();
  }
});

test.serial('ALPN with Node, both roles', async (t) => {
  const { port, server } = await nodeServer('ecdsa', { ALPNProtocols: ['h2', 'http/1.1'] });
  try {
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      alpnProtocols: ['http/1.1'],
      versions: ['TLSv1.2'],
    });
    const connection = await revEchoOnce(port, client);
    t.is(connection.alpnProtocol, 'http/1.1');
  } finally {
    await close(server);
  }
  const ours = await echoServer({ alpnProtocols: ['h2'] });
  try {
    const { alpn } = await nodeClient(ours.port, { ALPNProtocols: ['http/1.1', 'h2'] });
    t.is(alpn, 'h2');
  } finally {
    await ours.close();
  }
});

test.serial('RFC 5705 exporter: our client and a Node server derive the same keying material', async (t) => {
  const { port, server } = await nodeServer('ecdsa');
  const context = Buffer.from('context');
  let theirs: Buffer | undefined;
  server.on('secureConnection', (s: tls.TLSSocket) => {
    theirs = s.exportKeyingMaterial(32, 'EXPORTER-tls-kit', context);
  });
  try {
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      versions: ['TLSv1.2'],
    });
    let ours: Uint8Array | undefined;
    await revEchoOnce(port, client, (c) => {
      ours = c.exportKeyingMaterial('EXPORTER-tls-kit', context, 32);
      t.throws(() => c.exportKeyingMaterial('key expansion', context, 32), { message: /reserved/ });
    });
    t.truthy(theirs);
    t.deepEqual(Buffer.from(ours!), theirs);
  } finally {
    await close(server);
  }
});
