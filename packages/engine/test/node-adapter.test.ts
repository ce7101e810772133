// The Node adapter (@tls-kit/engine/node) against Node's own tls/https, and against itself.
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { CertificateBuilder, privateKeyToPem } from '@tls-kit/certs';
import test from 'ava';
import {
  Agent,
  connect,
  createSecureContext,
  createServer,
  type Server,
  type TLSSocket,
} from '../src/node/index.js';
import { pki } from './helpers/pki.js';

const MiB = 1024 * 1024;

function pem(kind: 'ecdsa' | 'rsa' | 'ed25519' = 'ecdsa', names?: readonly string[]) {
  const p = pki();
  const leaf = p.leaf(kind, names);
  return { cert: leaf.toPem(), key: privateKeyToPem(leaf.privateKey!), ca: p.root.toPem() };
}

async function listening<T extends net.Server>(server: T): Promise<{ server: T; port: number }> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as net.AddressInfo).port };
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A node:tls echo server (TLS 1.3 only, as the engine). */
function nodeEchoServer(options: tls.TlsOptions = {}) {
  const { cert, key } = pem();
  const server = tls.createServer({ cert, key, minVersion: 'TLSv1.3', ...options }, (s) => {
    s.on('error', () => {});
    s.pipe(s);
  });
  return listening(server);
}

/** Our echo server. */
function ourEchoServer(options: Partial<Parameters<typeof createServer>[0]> = {}) {
  const { cert, key } = pem();
  const server = createServer({ cert, key, ...options }, (s) => {
    s.on('error', () => {});
    s.pipe(s);
  });
  server.on('tlsClientError', () => {});
  return listening(server);
}

test('connect() to a node:tls server: facts, peer certificate, echo, clean close', async (t) => {
  const { server, port } = await nodeEchoServer({ ALPNProtocols: ['h2', 'http/1.1'] });
  try {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: pem().ca,
      ALPNProtocols: ['http/1.1'],
    });
    await once(socket, 'secureConnect');
    t.is(socket.getProtocol(), 'TLSv1.3');
    t.regex(
      socket.getCipher()!.name,
      /^TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$/,
    );
    t.is(socket.alpnProtocol, 'http/1.1');
    t.true(socket.authorized);
    t.is(socket.authorizationError, null);
    const peer = socket.getPeerCertificate(true);
    t.is(peer.subject?.CN, 'localhost');
    t.is(peer.subjectaltname, 'DNS:localhost, IP Address:127.0.0.1');
    t.is(peer.issuerCertificate?.subject.CN, 'tls-kit test root');
    t.regex(peer.fingerprint256!, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    socket.end('hello, node');
    t.is((await readAll(socket)).toString(), 'hello, node');
    t.true(socket.connection.ended, 'the peer close_notify ended the stream');
  } finally {
    await closeServer(server);
  }
});

test('node:tls client -> createServer(): secureConnection, echo, client certificate required', async (t) => {
  const { cert, key, ca } = pem();
  const client = pem('ed25519');
  let serverSide: TLSSocket | undefined;
  const { server, port } = await listening(
    createServer({ cert, key, ca, requestCert: true, ALPNProtocols: ['x-echo'] }, (s) => {
      serverSide = s;
      s.on('error', () => {});
      s.pipe(s);
    }),
  );
  try {
    const socket = tls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca,
      cert: client.cert,
      key: client.key,
      ALPNProtocols: ['x-echo'],
    });
    await once(socket, 'secureConnect');
    t.is(socket.getProtocol(), 'TLSv1.3');
    t.is(socket.alpnProtocol, 'x-echo');
    socket.write('ping');
    const [echo] = (await once(socket, 'data')) as [Buffer];
    t.is(echo.toString(), 'ping');
    socket.end();
    t.is((await readAll(socket)).length, 0);
    t.truthy(serverSide);
    t.true(serverSide!.authorized);
    t.is(serverSide!.servername, 'localhost');
    t.is(serverSide!.getPeerCertificate().subject?.CN, 'localhost');
  } finally {
    await closeServer(server);
  }
});

test('createServer() refuses a node:tls client without the required certificate (tlsClientError)', async (t) => {
  const { cert, key, ca } = pem();
  const { server, port } = await listening(
    createServer({ cert, key, ca, requestCert: true }, () => t.fail()),
  );
  try {
    const serverError = once(server, 'tlsClientError');
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca });
    const clientError = new Promise<Error>((resolve) => {
      socket.on('error', resolve);
      socket.on('data', () => {});
      socket.on('end', () => resolve(new Error('ended')));
    });
    const [error] = (await serverError) as [Error];
    t.regex(error.message, /certificate/i);
    t.truthy(await clientError);
  } finally {
    await closeServer(server);
  }
});

test('https.get through our Agent to a node https server (the README example)', async (t) => {
  const { cert, key, ca } = pem();
  const { server, port } = await listening(
    https.createServer({ cert, key, minVersion: 'TLSv1.3' }, (req, res) => {
      res.end(`hello ${req.url} over ${(req.socket as tls.TLSSocket).getProtocol()}`);
    }),
  );
  try {
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(`https://localhost:${port}/greeting`, { agent: new Agent({ ca }) }, (res) => {
          readAll(res).then((b) => resolve(b.toString()), reject);
        })
        .on('error', reject);
    });
    t.is(body, 'hello /greeting over TLSv1.3');
    // The same through http.get and createConnection, for code that takes a socket factory.
    const again = await new Promise<string>((resolve, reject) => {
      http
        .get(
          {
            host: 'localhost',
            port,
            path: '/x',
            createConnection: () => connect({ host: 'localhost', port, ca }),
          },
          (res) => readAll(res).then((b) => resolve(b.toString()), reject),
        )
        .on('error', reject);
    });
    t.is(again, 'hello /x over TLSv1.3');
  } finally {
    await closeServer(server);
  }
});

test('a slow reader pauses the transport: plaintext buffered stays bounded, nothing is lost', async (t) => {
  const size = 8 * MiB;
  const { cert, key, ca } = pem();
  const { server, port } = await listening(
    tls.createServer({ cert, key, minVersion: 'TLSv1.3' }, (s) => {
      s.on('error', () => {});
      s.end(Buffer.alloc(size, 7));
    }),
  );
  try {
    const socket = connect({ host: 'localhost', port, ca });
    socket.pause();
    await once(socket, 'secureConnect');
    // Let the server push as much as it can; flow control must stop it well short of 8 MiB.
    for (let i = 0; i < 20 && !socket.socket.isPaused(); i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 200));
    t.true(socket.socket.isPaused(), 'the transport is paused while the reader is full');
    t.true(socket.readableLength < 1 * MiB, `buffered ${socket.readableLength} bytes`);
    socket.resume();
    const all = await readAll(socket);
    t.is(all.length, size);
    t.true(all.every((b) => b === 7));
  } finally {
    await closeServer(server);
  }
});

/**
 * A transport over `raw` that, while held, neither passes our writes on nor acknowledges them: a
 * peer that does not read, as the writer sees it once the kernel buffers are full, but at once and
 * without waiting to find out when they are.
 */
class HeldTransport extends Duplex {
  private held = false;
  private readonly pending: { chunk: Buffer; done: (error?: Error | null) => void }[] = [];

  constructor(private readonly raw: net.Socket) {
    super();
    raw.on('data', (d: Buffer) => {
      if (!this.push(d)) raw.pause();
    });
    raw.on('end', () => this.push(null));
    raw.on('error', (e) => this.destroy(e));
  }
  override _read(): void {
    this.raw.resume();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.held) this.pending.push({ chunk, done });
    else this.raw.write(chunk, done);
  }
  override _final(done: () => void): void {
    this.raw.end(done);
  }
  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.raw.destroy();
    done(error);
  }
  hold(): void {
    this.held = true;
  }
  release(): void {
    this.held = false;
    for (const { chunk, done } of this.pending.splice(0)) this.raw.write(chunk, done);
  }
}

test('a peer that does not read makes write() report backpressure; drain and all data come when it reads', async (t) => {
  const { cert, key, ca } = pem();
  let received = 0;
  let onReceived = () => {};
  const { server, port } = await listening(
    tls.createServer({ cert, key, minVersion: 'TLSv1.3' }, (s) => {
      s.on('error', () => {});
      s.on('data', (d: Buffer) => {
        received += d.length;
        onReceived();
      });
    }),
  );
  try {
    const raw = net.connect(port, '127.0.0.1');
    const transport = new HeldTransport(raw);
    const socket = connect({ socket: transport, servername: 'localhost', ca });
    socket.on('error', () => {});
    await once(socket, 'secureConnect');
    transport.hold();
    let drains = 0;
    socket.on('drain', () => drains++);
    // Our buffer plus the transport's (16 KiB each by default) and some record overhead: write()
    // must say stop long before 1 MiB, since nothing leaves.
    const chunk = Buffer.alloc(1024, 1);
    let written = 0;
    while (written < MiB) {
      written += chunk.length;
      if (!socket.write(chunk)) break;
    }
    t.true(written < MiB, `write() still true after ${written} bytes`);
    // Whatever the adapter still had to do with what it was given, it has done by now; nothing
    // was accepted by the transport, so no drain.
    await new Promise((resolve) => setImmediate(resolve));
    t.is(drains, 0);
    t.true(socket.writableNeedDrain);
    // The peer reads: the drain comes and everything written arrives.
    const all = new Promise<void>((resolve) => {
      onReceived = () => {
        if (received === written) resolve();
      };
    });
    transport.release();
    await once(socket, 'drain');
    await all;
    t.is(received, written);
    socket.destroy();
  } finally {
    await closeServer(server);
  }
});

test('half-close: end() sends close_notify, the peer answers, both sides end without error', async (t) => {
  let serverEnded = false;
  const { cert, key, ca } = pem();
  const { server, port } = await listening(
    createServer({ cert, key }, (s) => {
      s.on('data', () => {});
      s.on('end', () => {
        serverEnded = true;
      });
    }),
  );
  try {
    const socket = connect({ host: 'localhost', port, ca });
    await once(socket, 'secureConnect');
    socket.write('x');
    socket.end();
    socket.on('data', () => {});
    await once(socket, 'close');
    t.true(socket.connection.ended);
    t.is(socket.connection.state, 'closed');
    await new Promise((r) => setTimeout(r, 20));
    t.true(serverEnded);
  } finally {
    await closeServer(server);
  }
});

test('destroy() closes the transport at once; the peer sees the connection go', async (t) => {
  const { server, port } = await ourEchoServer();
  try {
    const serverSocket = once(server, 'secureConnection') as Promise<[TLSSocket]>;
    const socket = connect({ host: 'localhost', port, ca: pem().ca });
    await once(socket, 'secureConnect');
    const [peer] = await serverSocket;
    peer.on('error', () => {});
    const peerClosed = new Promise((resolve) => peer.on('close', resolve));
    socket.destroy();
    await peerClosed;
    t.true(socket.socket.destroyed);
    t.true(peer.destroyed);
  } finally {
    await closeServer(server);
  }
});

test('errors propagate: wrong host name, a non-TLS peer, a peer vanishing mid-handshake', async (t) => {
  const { server, port } = await ourEchoServer();
  try {
    const wrongName = connect({ host: '127.0.0.1', port, servername: 'other.example', ca: pem().ca });
    const [e1] = (await once(wrongName, 'error')) as [Error & { code?: string; host?: string }];
    t.is(e1.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
    t.is(e1.host, 'other.example');
  } finally {
    await closeServer(server);
  }
  const garbage = await listening(
    net.createServer((s) => {
      s.resume();
      s.end('HTTP/1.0 400 no tls here\r\n\r\n');
    }),
  );
  try {
    const s = connect({ host: 'localhost', port: garbage.port, ca: pem().ca });
    const [e2] = (await once(s, 'error')) as [Error];
    t.truthy(e2.message);
  } finally {
    await closeServer(garbage.server);
  }
  const vanishing = await listening(net.createServer((s) => s.once('data', () => s.destroy())));
  try {
    const s = connect({ host: 'localhost', port: vanishing.port, ca: pem().ca });
    const [e3] = (await once(s, 'error')) as [Error & { code?: string }];
    t.is(e3.code, 'ECONNRESET');
  } finally {
    await closeServer(vanishing.server);
  }
});

test('a client that never sends a ClientHello gets the handshake timeout', async (t) => {
  const { server, port } = await ourEchoServer({ handshakeTimeout: 150 });
  try {
    const raw = net.connect(port, '127.0.0.1');
    raw.on('error', () => {});
    const [error] = (await once(server, 'tlsClientError')) as [Error & { code?: string }];
    t.is(error.code, 'ERR_TLS_HANDSHAKE_TIMEOUT');
    raw.destroy();
  } finally {
    await closeServer(server);
  }
});

test('sessions: the session event, then resumption with `session`, against node:tls and our server', async (t) => {
  for (const [name, start] of [
    ['node:tls', () => nodeEchoServer()],
    ['ours', () => ourEchoServer()],
  ] as const) {
    const { server, port } = await start();
    try {
      const first = connect({ host: 'localhost', port, ca: pem().ca });
      const sessions: Buffer[] = [];
      first.on('session', (s: Buffer) => sessions.push(s));
      await once(first, 'session');
      t.false(first.isSessionReused(), name);
      first.end();
      await readAll(first);
      const session = sessions.at(-1)!;
      t.deepEqual(first.getSession(), session, 'getSession() is the latest ticket');
      const second = connect({ host: 'localhost', port, ca: pem().ca, session });
      await once(second, 'secureConnect');
      t.true(second.isSessionReused(), `${name}: resumed`);
      t.is(second.getPeerCertificate().subject?.CN, 'localhost');
      second.write('again');
      const [echo] = (await once(second, 'data')) as [Buffer];
      t.is(echo.toString(), 'again');
      second.end();
      await readAll(second);
    } finally {
      await closeServer(server);
    }
  }
});

test('keylog events carry the same secrets on both sides', async (t) => {
  const { server, port } = await ourEchoServer();
  const serverLines: string[] = [];
  server.on('keylog', (line: Buffer) => serverLines.push(line.toString()));
  try {
    const socket = connect({ host: 'localhost', port, ca: pem().ca });
    const clientLines: string[] = [];
    socket.on('keylog', (line: Buffer) => clientLines.push(line.toString()));
    await once(socket, 'secureConnect');
    socket.end();
    await readAll(socket);
    const labels = clientLines.map((l) => l.split(' ')[0]);
    t.deepEqual(labels.sort(), [
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'EXPORTER_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_TRAFFIC_SECRET_0',
    ]);
    for (const line of clientLines) {
      t.regex(line, /^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64,96}\n$/);
      t.true(serverLines.includes(line), `server logged ${line.split(' ')[0]}`);
    }
  } finally {
    await closeServer(server);
  }
});

test('SNICallback picks the certificate by name, asynchronously', async (t) => {
  const other = pem('ecdsa', ['DNS:other.test']);
  const asked: string[] = [];
  const { server, port } = await ourEchoServer({
    SNICallback: (name, cb) => {
      asked.push(name);
      setTimeout(() => cb(null, name === 'other.test' ? createSecureContext(other) : undefined), 5);
    },
  });
  try {
    for (const name of ['other.test', 'localhost']) {
      const socket = connect({ host: '127.0.0.1', port, servername: name, ca: pem().ca });
      await once(socket, 'secureConnect');
      t.is(socket.getPeerCertificate().subject?.CN, name);
      socket.end();
      await readAll(socket);
    }
    t.deepEqual(asked, ['other.test', 'localhost']);
  } finally {
    await closeServer(server);
  }
});

test('checkServerIdentity can refuse a verified certificate; its error reaches the caller', async (t) => {
  const { server, port } = await ourEchoServer();
  try {
    const seen: string[] = [];
    const socket = connect({
      host: 'localhost',
      port,
      ca: pem().ca,
      checkServerIdentity: (host, cert) => {
        seen.push(`${host} ${cert.subject.CN}`);
        return new Error('pinned key mismatch');
      },
    });
    const [error] = (await once(socket, 'error')) as [Error];
    t.is(error.message, 'pinned key mismatch');
    t.deepEqual(seen, ['localhost localhost']);
  } finally {
    await closeServer(server);
  }
});

test('options map: minVersion/maxVersion, ciphers, ecdhCurve; bad ones are refused before dialling', async (t) => {
  const { server, port } = await nodeEchoServer();
  try {
    const socket = connect({
      host: 'localhost',
      port,
      ca: pem().ca,
      minVersion: 'TLSv1.3',
      ciphers: 'TLS_CHACHA20_POLY1305_SHA256:!aNULL',
      ecdhCurve: 'P-384',
    });
    await once(socket, 'secureConnect');
    t.is(socket.getCipher()?.name, 'TLS_CHACHA20_POLY1305_SHA256');
    t.is(socket.connection.namedGroup, 'secp384r1');
    socket.end();
    await readAll(socket);
  } finally {
    await closeServer(server);
  }
  t.throws(() => connect({ port: 1, ecdhCurve: 'P-999' }), { message: /unknown group/ });
  t.throws(() => connect({ port: 1, ciphers: 'NOT-A-SUITE' }), { code: 'ERR_SSL_NO_CIPHER_MATCH' });
  t.throws(() => connect({ port: 1, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2' }), { message: /above/ });
  t.throws(() => connect({ port: 1, cert: pem().cert }), { message: /together/ });
});

/** A CA nobody here uses: trusting only it makes the test PKI's chains unverifiable. */
const foreignCa = () =>
  new CertificateBuilder().root({ subject: 'CN=foreign root', key: { type: 'ec', curve: 'P-256' } }).toPem();

/** authorized / authorizationError of a client socket once the handshake completed. */
async function verdict(socket: tls.TLSSocket | TLSSocket) {
  socket.on('error', () => {});
  await once(socket, 'secureConnect');
  const result = { authorized: socket.authorized, authorizationError: socket.authorizationError ?? null };
  socket.destroy();
  return result;
}

test('rejectUnauthorized: false: authorized false with the authorizationError node:tls gives', async (t) => {
  const { server, port } = await nodeEchoServer();
  try {
    for (const options of [
      { servername: 'localhost', ca: foreignCa() }, // the leaf's issuer is unknown
      { servername: 'wrong.example', ca: pem().ca }, // verified chain, wrong name
      { servername: 'localhost', ca: pem().ca }, // all good
    ]) {
      const common = { host: '127.0.0.1', port, rejectUnauthorized: false, ...options };
      const ours = await verdict(connect(common));
      const nodes = await verdict(tls.connect(common));
      t.deepEqual(ours, nodes, options.servername);
    }
    // By default the same chain fails the handshake.
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: foreignCa() });
    const [error] = (await once(socket, 'error')) as [Error & { code?: string }];
    t.is(error.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    t.is(error.message, 'unable to verify the first certificate');
  } finally {
    await closeServer(server);
  }
});

test('rejectUnauthorized: false with checkServerIdentity: its error code becomes authorizationError', async (t) => {
  const { server, port } = await nodeEchoServer();
  try {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: pem().ca,
      rejectUnauthorized: false,
      checkServerIdentity: () => Object.assign(new Error('pinned key mismatch'), { code: 'ERR_PINNED' }),
    });
    t.deepEqual(await verdict(socket), { authorized: false, authorizationError: 'ERR_PINNED' });
  } finally {
    await closeServer(server);
  }
});

test('requestCert with rejectUnauthorized: false accepts an unverifiable client certificate, as node:tls', async (t) => {
  const { cert, key } = pem();
  const client = pem('ed25519');
  const results: { authorized: boolean; authorizationError: unknown }[] = [];
  const onSecure = (s: tls.TLSSocket | TLSSocket) => {
    results.push({ authorized: s.authorized, authorizationError: s.authorizationError ?? null });
    s.on('error', () => {});
    s.end('ok');
  };
  const serverOptions = { cert, key, ca: foreignCa(), requestCert: true, rejectUnauthorized: false };
  for (const server of [createServer(serverOptions, onSecure), tls.createServer(serverOptions, onSecure)]) {
    const { port } = await listening(server as net.Server);
    try {
      const socket = tls.connect({
        port,
        host: '127.0.0.1',
        servername: 'localhost',
        ca: pem().ca,
        cert: client.cert,
        key: client.key,
      });
      t.is((await readAll(socket)).toString(), 'ok');
    } finally {
      await closeServer(server as net.Server);
    }
  }
  t.is(results.length, 2);
  t.deepEqual(results[0], results[1]);
  t.false(results[0]!.authorized);
});

test('half-close (TLS 1.3): data that arrives with the peer close_notify is still echoed', async (t) => {
  const { server, port } = await ourEchoServer();
  try {
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pem().ca });
    await once(socket, 'secureConnect');
    socket.end('last words');
    t.is((await readAll(socket)).toString(), 'last words');
  } finally {
    await closeServer(server);
  }
});

test('half-close with allowHalfOpen: our client writes after the server closed its side', async (t) => {
  const { cert, key, ca } = pem();
  let received = '';
  let serverEnded!: () => void;
  const serverSawEnd = new Promise<void>((resolve) => {
    serverEnded = resolve;
  });
  const { server, port } = await listening(
    createServer({ cert, key }, (s) => {
      s.on('error', () => {});
      s.on('data', (chunk: Buffer) => {
        received += chunk;
      });
      s.on('end', serverEnded);
      s.end('bye');
    }),
  );
  try {
    const socket = connect({ host: 'localhost', port, ca, allowHalfOpen: true });
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk;
    });
    await once(socket, 'end');
    t.is(answer, 'bye');
    t.is(socket.connection.state, 'peerClosed');
    socket.end('still here');
    await once(socket, 'close');
    t.is(socket.connection.state, 'closed');
    // The server's readable side ends after our data and close_notify: no timing guess.
    await serverSawEnd;
    t.is(received, 'still here');
  } finally {
    await closeServer(server);
  }
});

test('our client and our server: 1 MiB both ways through the adapter', async (t) => {
  const { server, port } = await ourEchoServer();
  try {
    const socket = connect({ host: 'localhost', port, ca: pem().ca });
    const payload = Buffer.alloc(MiB);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
    socket.write(payload);
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of socket) {
      chunks.push(chunk as Buffer);
      received += (chunk as Buffer).length;
      if (received >= payload.length) break;
    }
    t.true(Buffer.concat(chunks).equals(payload));
  } finally {
    await closeServer(server as Server);
  }
});

// TLS 1.2 through the adapter: these run when the engine accepts `versions: ['TLSv1.2']`.
const engineHasTls12 = (() => {
  try {
    connect({ port: 1, maxVersion: 'TLSv1.2' }).destroy();
    return true;
  } catch {
    return false;
  }
})();
const tls12 = engineHasTls12 ? test : test.skip;

tls12('TLS 1.2: connect() to node:tls and node:tls to createServer(), with resumption', async (t) => {
  for (const [name, start] of [
    ['node:tls server', () => nodeEchoServer({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })],
    ['our server', () => ourEchoServer({ maxVersion: 'TLSv1.2' })],
  ] as const) {
    const { server, port } = await start();
    try {
      const first = connect({ host: 'localhost', port, ca: pem().ca, maxVersion: 'TLSv1.2' });
      const sessions: Buffer[] = [];
      first.on('session', (s: Buffer) => sessions.push(s));
      await once(first, 'secureConnect');
      t.is(first.getProtocol(), 'TLSv1.2', name);
      t.regex(first.getCipher()!.standardName, /^TLS_ECDHE_ECDSA_WITH_/);
      t.regex(first.getCipher()!.name, /^ECDHE-ECDSA-/);
      first.write('twelve');
      t.is(((await once(first, 'data')) as [Buffer])[0].toString(), 'twelve');
      first.end();
      await readAll(first);
      t.true(sessions.length > 0, `${name}: a session to resume`);
      const second = connect({
        host: 'localhost',
        port,
        ca: pem().ca,
        maxVersion: 'TLSv1.2',
        session: sessions.at(-1)!,
      });
      await once(second, 'secureConnect');
      t.true(second.isSessionReused(), `${name}: resumed`);
      second.end();
      await readAll(second);
    } finally {
      await closeServer(server);
    }
  }
  const { server, port } = await ourEchoServer({ maxVersion: 'TLSv1.2' });
  try {
    const socket = tls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pem().ca,
      maxVersion: 'TLSv1.2',
    });
    await once(socket, 'secureConnect');
    t.is(socket.getProtocol(), 'TLSv1.2');
    socket.write('node client');
    t.is(((await once(socket, 'data')) as [Buffer])[0].toString(), 'node client');
    socket.end();
  } finally {
    await closeServer(server);
  }
});

tls12(
  'TLS 1.2 session IDs: node:tls and connect() resume against createServer with tickets off',
  async (t) => {
    /** A TLS 1.2 handshake with `session` (if any): whether it resumed and the session to keep. */
    const handshake = async (client: typeof tls.connect | typeof connect, port: number, session?: Buffer) => {
      const socket = (client as typeof connect)({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca: pem().ca,
        maxVersion: 'TLSv1.2',
        ...(session ? { session } : {}),
      });
      const sessions: Buffer[] = [];
      socket.on('session', (s: Buffer) => sessions.push(s));
      await once(socket, 'secureConnect');
      const reused = socket.isSessionReused();
      socket.end();
      await readAll(socket);
      return { reused, session: sessions.at(-1) };
    };
    const { server, port } = await ourEchoServer({ maxVersion: 'TLSv1.2', ticketKeys: false });
    try {
      for (const [name, client] of [
        ['node:tls', tls.connect],
        ['connect()', connect],
      ] as const) {
        const first = await handshake(client, port);
        t.false(first.reused, name);
        t.truthy(first.session, `${name}: a session ID to resume`);
        // A new connection, so a new ServerTLS: the cache is the server's, not the connection's.
        t.true((await handshake(client, port, first.session)).reused, `${name}: resumed by session ID`);
      }
    } finally {
      await closeServer(server);
    }
    // Without the cache, session IDs never resume.
    const off = await ourEchoServer({ maxVersion: 'TLSv1.2', ticketKeys: false, sessionCache: false });
    try {
      const first = await handshake(tls.connect, off.port);
      t.false((await handshake(tls.connect, off.port, first.session)).reused);
    } finally {
      await closeServer(off.server);
    }
    t.throws(() => createServer({ ...pem(), sessionTimeout: 0 }), { message: /ticketLifetime/ });
  },
);

test('connect() with cert/key answers a node:tls server that requires a client certificate', async (t) => {
  const { cert, key, ca } = pem();
  const client = pem('rsa');
  let peerSubject: string | undefined;
  const { server, port } = await listening(
    tls.createServer(
      { cert, key, ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' },
      (s) => {
        s.on('error', () => {});
        peerSubject = String(s.getPeerCertificate().subject?.CN);
        // Not end() right away: node:tls then closes without close_notify, which we report as truncation.
        s.write(s.authorized ? 'authorized' : `refused: ${s.authorizationError}`);
        s.on('end', () => s.end());
        s.resume();
      },
    ),
  );
  try {
    const socket = connect({ host: 'localhost', port, ca, cert: client.cert, key: client.key });
    const [answer] = (await once(socket, 'data')) as [Buffer];
    t.is(answer.toString(), 'authorized');
    socket.end();
    await readAll(socket);
    t.is(peerSubject, 'localhost');
  } finally {
    await closeServer(server);
  }
});

test('a TCP FIN without close_notify after the handshake ends the stream as node:tls does, the fact kept', async (t) => {
  const { cert, key, ca } = pem();
  const { server, port } = await listening(
    createServer({ cert, key }, (s) => {
      s.on('error', () => {});
      s.write('partial');
      // Close the TCP connection under the TLS layer: no close_notify.
      s.socket.end();
    }),
  );
  try {
    const socket = connect({ host: 'localhost', port, ca });
    socket.on('error', (e) => t.fail(`no error expected: ${e.message}`));
    t.is((await readAll(socket)).toString(), 'partial', 'the data before the FIN was delivered');
    t.true(socket.closedWithoutCloseNotify);
  } finally {
    await closeServer(server);
  }
});

test('addContext chooses the chain by SNI name, wildcards included; other names get cert/key', async (t) => {
  const { server, port } = await ourEchoServer();
  (server as Server).addContext('other.test', pem('ecdsa', ['DNS:other.test']));
  (server as Server).addContext('*.wild.test', createSecureContext(pem('ecdsa', ['DNS:a.wild.test'])));
  try {
    for (const [name, cn] of [
      ['other.test', 'other.test'],
      ['a.wild.test', 'a.wild.test'],
      ['localhost', 'localhost'],
    ] as const) {
      const socket = connect({ host: '127.0.0.1', port, servername: name, ca: pem().ca });
      await once(socket, 'secureConnect');
      t.is(socket.getPeerCertificate().subject?.CN, cn, name);
      socket.end();
      await readAll(socket);
    }
  } finally {
    await closeServer(server);
  }
});
