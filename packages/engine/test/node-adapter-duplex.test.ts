// The Node adapter writing and reading at once: two peers that send large amounts to each other
// at the same time both complete (reading never waits on our own writes, as node:tls), with our
// adapter on both sides, against node:tls in both roles, and secureStreams on both sides; and a
// peer that asks for KeyUpdates without reading gets no output while ours waits for it, though
// its data is still read.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { privateKeyToPem } from '@tls-kit/certs';
import test from 'ava';
import { ClientTLS, ServerTLS } from '../src/index.js';
import { connect, createServer, type StreamTransport, secureStreams } from '../src/node/index.js';
import { pki } from './helpers/pki.js';
import { attach } from './helpers/socket.js';

const MiB = 1024 * 1024;
const EACH_WAY = 32 * MiB;
const CHUNK = 64 * 1024;

type Socket = Duplex;

function credentials() {
  const p = pki();
  const leaf = p.leaf('ecdsa');
  return { cert: leaf.toPem(), key: privateKeyToPem(leaf.privateKey!), ca: p.root.toPem() };
}

/** The bytes one side sends: CHUNK-sized blocks, each filled with its index. */
const block = (i: number) => Buffer.alloc(CHUNK, i & 0xff);

const expectedDigest = (() => {
  const hash = createHash('sha256');
  for (let i = 0; i < EACH_WAY / CHUNK; i++) hash.update(block(i));
  return hash.digest('hex');
})();

/** Writes EACH_WAY bytes, waiting for 'drain' when write() says the stream is full. */
async function sendAll(socket: Socket): Promise<void> {
  for (let i = 0; i < EACH_WAY / CHUNK; i++) {
    if (!socket.write(block(i))) await once(socket, 'drain');
  }
}

/** Reads exactly EACH_WAY bytes; resolves with their SHA-256. */
function receiveAll(socket: Socket): Promise<string> {
  const hash = createHash('sha256');
  let received = 0;
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('end', () => reject(new Error(`ended after ${received} bytes`)));
    socket.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      received += chunk.length;
      if (received === EACH_WAY) resolve(hash.digest('hex'));
    });
  });
}

/** Both directions at once; the socket ends only once it has sent and received everything. */
async function exchange(socket: Socket): Promise<string> {
  const [digest] = await Promise.all([receiveAll(socket), sendAll(socket)]);
  socket.end();
  return digest;
}

interface Peers {
  readonly server: 'ours' | 'node';
  readonly client: 'ours' | 'node';
}

for (const peers of [
  { server: 'ours', client: 'ours' },
  { server: 'node', client: 'ours' },
  { server: 'ours', client: 'node' },
] satisfies Peers[]) {
  test(`full duplex, ${EACH_WAY / MiB} MiB each way: ${peers.client} client, ${peers.server} server`, async (t) => {
    const { cert, key, ca } = credentials();
    let serverDigest!: Promise<string>;
    const accepted = (s: Socket) => {
      serverDigest = exchange(s);
      serverDigest.catch(() => {});
    };
    const server =
      peers.server === 'ours'
        ? createServer({ cert, key }, accepted)
        : tls.createServer({ cert, key, minVersion: 'TLSv1.3' }, accepted);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const options = {
      port: (server.address() as net.AddressInfo).port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca,
    };
    const client = peers.client === 'ours' ? connect(options) : tls.connect(options);
    await once(client, 'secureConnect');
    const clientDigest = await exchange(client);
    t.is(clientDigest, expectedDigest, 'the client received what the server sent');
    t.is(await serverDigest, expectedDigest, 'the server received what the client sent');
    client.destroy();
    server.close();
  });
}

/** secureStreams over a socket, as a Node Duplex of plaintext. */
function webTLS(socket: net.Socket, tls: ClientTLS | ServerTLS): Duplex {
  const { readable, writable } = secureStreams(Duplex.toWeb(socket) as unknown as StreamTransport, tls);
  return Duplex.fromWeb({ readable, writable } as Parameters<typeof Duplex.fromWeb>[0]);
}

test(`full duplex, ${EACH_WAY / MiB} MiB each way: secureStreams on both sides`, async (t) => {
  const p = pki();
  let serverDigest!: Promise<string>;
  const server = net.createServer((socket) => {
    serverDigest = exchange(webTLS(socket, new ServerTLS({ certificates: p.chain('ecdsa') })));
    serverDigest.catch(() => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(socket, 'connect');
  const client = webTLS(socket, new ClientTLS({ serverHostname: 'localhost', trustRoot: p.trustStore }));
  t.is(await exchange(client), expectedDigest, 'the client received what the server sent');
  t.is(await serverDigest, expectedDigest, 'the server received what the client sent');
  client.destroy();
  server.close();
});

test('a peer that requests KeyUpdates and never reads: its data is read, no answer is written', async (t) => {
  const { cert, key } = credentials();
  const rounds = 1000;
  let transport!: net.Socket;
  let outputQueued!: () => void;
  const full = new Promise<void>((resolve) => {
    outputQueued = resolve;
  });
  let roundsRead!: () => void;
  const allRead = new Promise<void>((resolve) => {
    roundsRead = resolve;
  });
  const server = createServer({ cert, key }, (s) => {
    s.on('error', () => {});
    transport = s.socket as net.Socket;
    // More than the kernel's buffers take over loopback: our output stays over the high-water mark.
    s.write(Buffer.alloc(EACH_WAY));
    outputQueued();
    let received = 0;
    s.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received === rounds) roundsRead();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    versions: ['TLSv1.3'],
  });
  const peer = attach(socket, (write, close, events) => client.start(write, close, undefined, events));
  await peer.handshake;
  // From now on the peer reads nothing.
  socket.pause();
  await full;
  t.true(transport.writableLength > transport.writableHighWaterMark, 'our output waits for the peer');
  const written = transport.bytesWritten;
  // Rounds of 32 KeyUpdate(update_requested), the most in a row without data, and one byte.
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < 32; k++) peer.connection.keyUpdate(true);
    peer.connection.dataFromApplication(new Uint8Array(1));
    // The server reads: what the peer wrote drains.
    if (socket.writableNeedDrain) await once(socket, 'drain');
  }
  await allRead;
  t.is(transport.bytesWritten, written, `no answer queued for ${rounds * 32} requests`);
  t.true(transport.bytesRead > rounds * 32 * 20, 'the requests reached the server');
  socket.destroy();
  server.close();
});
