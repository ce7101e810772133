// Floods over loopback against the Node adapter's createServer, bounded in count (and each wait
// for the transport bounded in time): the answers a flood gets are bounded, a peer that sends
// and never reads cannot grow a server whose application heeds write()'s backpressure (its
// readable side fills, and the transport is paused), and another client is served while attacks run. The attacker is our own
// engine on a raw socket, so it can send what a well-behaved client never would.
import { once } from 'node:events';
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { privateKeyToPem } from '@tls-kit/certs';
import { concat } from '@tls-kit/crypto/bytes';
import { AlertDescription as A, ContentType, HandshakeType as H } from '@tls-kit/messages';
import test from 'ava';
import { MAX_RENEGOTIATION_REFUSALS } from '../src/handshake/common12.js';
import { frameHandshake } from '../src/handshake/messages.js';
import { ClientTLS, type Connection, ServerTLS, TLSAlertError, type TLSVersion } from '../src/index.js';
import { createServer, type StreamTransport, secureStreams, type TLSSocket } from '../src/node/index.js';
import { MAX_EMPTY_RECORDS } from '../src/record/empty-record-caps.js';
import { pki } from './helpers/pki.js';
import { coreOf } from './helpers/tls12-memory.js';

const MiB = 1024 * 1024;
/** What a never-reading attacker tries to send; a server that keeps reading takes it all. */
const FLOOD_LIMIT = 96 * MiB;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Memory in use after a full collection: the JS heap and the buffers outside it. */
function memoryInUse(): number {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

interface Target {
  readonly port: number;
  /** The server side's transport of the first secure connection, for its byte counters. */
  readonly transport: Promise<net.Socket>;
  close(): Promise<void>;
}

/** createServer with `handler` for each secure connection. */
async function target(handler: (socket: TLSSocket) => void): Promise<Target> {
  const p = pki();
  const leaf = p.leaf('ecdsa');
  const transports: net.Socket[] = [];
  let first!: (socket: net.Socket) => void;
  const transport = new Promise<net.Socket>((resolve) => {
    first = resolve;
  });
  const server = createServer({ cert: leaf.toPem(), key: privateKeyToPem(leaf.privateKey!) }, (s) => {
    s.on('error', () => {});
    transports.push(s.socket as net.Socket);
    first(s.socket as net.Socket);
    handler(s);
  });
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    transport,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const t of transports) t.destroy();
      }),
  };
}

interface Attacker {
  readonly socket: net.Socket;
  readonly connection: Connection;
  /** Sends a record of `type` under the attacker's keys. */
  record(type: number, data: Uint8Array): void;
  /** Waits until the socket drained, at most `ms` (false: the server stopped reading). */
  drained(ms: number): Promise<boolean>;
  /**
   * Sends application data in 256 KiB writes until `limit` bytes or until a write has not drained
   * after a second (the server stopped reading); returns the bytes sent.
   */
  sendUntilStalled(limit: number): Promise<number>;
  /** Reads what the server sent since the handshake (after the socket closed or `ms`). */
  readRest(ms: number): Promise<Uint8Array>;
}

/** Our client on a raw socket: it completes the handshake, then never reads. */
async function attacker(port: number, version: TLSVersion): Promise<Attacker> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let handshakeDone!: () => void;
  const handshake = new Promise<void>((resolve) => {
    handshakeDone = resolve;
  });
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    versions: [version],
  });
  const connection = client.start(
    (d) => socket.write(d),
    () => {},
    undefined,
    { onHandshakeComplete: () => handshakeDone() },
  );
  const onData = (chunk: Buffer) => connection.dataFromWire(chunk);
  socket.on('data', onData);
  await handshake;
  // From now on, nothing is read: the kernel's receive buffer fills and stays full.
  socket.off('data', onData);
  socket.pause();
  const core = coreOf(connection);
  const drained = (ms: number): Promise<boolean> =>
    socket.writableNeedDrain
      ? new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), ms);
          socket.once('drain', () => {
            clearTimeout(timer);
            resolve(true);
          });
        })
      : Promise.resolve(true);
  return {
    socket,
    connection,
    record: (type, data) => core.perform(() => core.sendRaw(type, data)),
    drained,
    sendUntilStalled: async (limit) => {
      const chunk = new Uint8Array(256 * 1024);
      let sent = 0;
      while (sent < limit) {
        connection.dataFromApplication(chunk);
        sent += chunk.length;
        if (!(await drained(1000))) break;
      }
      return sent;
    },
    readRest: async (ms) => {
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.resume();
      if (!socket.destroyed) {
        const timer = setTimeout(() => socket.destroy(), ms);
        await once(socket, 'close');
        clearTimeout(timer);
      }
      return concat(chunks);
    },
  };
}

test.serial(
  'TLS 1.2 renegotiation flood from a never-reading peer: a few refusals, then the server ends it',
  async (t) => {
    const server = await target((s) => s.resume());
    const a = await attacker(server.port, 'TLSv1.2');
    // Each record packs 4,096 empty ClientHellos (16 KiB); 64 of them are sent unless the server
    // ends the connection first.
    const hellos = concat(
      Array.from({ length: 4096 }, () => frameHandshake(H.client_hello, new Uint8Array(0))),
    );
    for (let i = 0; i < 64 && !a.socket.destroyed && a.connection.state === 'open'; i++) {
      a.record(ContentType.handshake, hellos);
      if (!(await a.drained(2000))) break;
    }
    const answer = await a.readRest(5000);
    // What the server wrote: MAX_RENEGOTIATION_REFUSALS warnings and one fatal alert, read by the
    // attacker's engine (warnings are kept, the fatal one raises).
    const error = t.throws(() => a.connection.dataFromWire(answer), { instanceOf: TLSAlertError });
    t.is(error?.alertCode, A.unexpected_message);
    t.deepEqual(a.connection.warningAlerts, Array(MAX_RENEGOTIATION_REFUSALS).fill(A.no_renegotiation));
    const { bytesWritten } = await server.transport;
    t.true(bytesWritten < 4096, `server wrote ${bytesWritten} bytes`);
    await server.close();
  },
);

for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
  test.serial(
    `${version} flood of empty records: the server ends it after ${MAX_EMPTY_RECORDS} in a row`,
    async (t) => {
      const server = await target((s) => s.resume());
      const a = await attacker(server.port, version);
      // Up to 100,000 empty application-data records, 1,000 per write, until the server hangs up.
      const transport = await server.transport;
      let batches = 0;
      for (; batches < 100 && !transport.destroyed; batches++) {
        a.socket.cork();
        for (let k = 0; k < 1000; k++) a.record(ContentType.application_data, new Uint8Array(0));
        a.socket.uncork();
        if (!(await a.drained(2000))) break;
        // Let the server run between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const answer = await a.readRest(5000);
      const error = t.throws(() => a.connection.dataFromWire(answer), { instanceOf: TLSAlertError });
      t.is(error?.alertCode, A.unexpected_message);
      t.log(`${batches * 1000} empty records sent before the server hung up`);
      await server.close();
    },
  );
}

test.serial(
  'TLS 1.3 KeyUpdate flood from a never-reading peer: one answer per read, not per request',
  async (t) => {
    const server = await target((s) => s.resume());
    const a = await attacker(server.port, 'TLSv1.3');
    const transport = await server.transport;
    const written0 = transport.bytesWritten;
    const read0 = transport.bytesRead;
    // Batches of 32 KeyUpdate(update_requested) (the most in a row without data) and one byte.
    const requests = 4096;
    for (let i = 0; i < requests / 32; i++) {
      a.socket.cork();
      for (let k = 0; k < 32; k++) a.connection.keyUpdate(true);
      a.connection.dataFromApplication(new Uint8Array(1));
      a.socket.uncork();
      if (!(await a.drained(2000))) break;
    }
    a.connection.applicationFinished();
    await a.readRest(5000);
    const read = transport.bytesRead - read0;
    const written = transport.bytesWritten - written0;
    t.log(`server read ${read} bytes, wrote ${written}`);
    t.true(read > requests * 20, 'the requests reached the server');
    // Answering each request would write as much as was read (22-byte KeyUpdate records).
    t.true(written * 8 < read, `server wrote ${written} bytes for ${read} read`);
    await server.close();
  },
);

test.serial('a never-reading peer cannot grow the server; another client is served meanwhile', async (t) => {
  // An echo that heeds write()'s return value (as node:tls, reading never waits on our writes by
  // itself: the application's backpressure stops it).
  const server = await target((s) => s.pipe(s));
  const before = memoryInUse();
  const a = await attacker(server.port, 'TLSv1.3');
  const sent = await a.sendUntilStalled(FLOOD_LIMIT);
  const read = (await server.transport).bytesRead;
  const growth = memoryInUse() - before;
  t.log(`attacker sent ${sent >> 20} MiB, server read ${read >> 20} MiB, memory grew ${growth >> 20} MiB`);
  t.true(sent < FLOOD_LIMIT, 'the server stopped reading: the attacker could not send everything');
  t.true(growth < 32 * MiB, `memory grew by ${growth} bytes`);

  // The attack is still on (its connection open, stalled): a second client is served.
  const client = tls.connect({
    port: server.port,
    host: '127.0.0.1',
    servername: 'localhost',
    ca: pki().root.toPem(),
  });
  await once(client, 'secureConnect');
  client.write('hello');
  const [echo] = (await once(client, 'data')) as [Buffer];
  t.is(echo.toString(), 'hello');
  t.false(a.socket.destroyed, 'the attack was still running');
  client.destroy();
  a.socket.destroy();
  await server.close();
});

test.serial('secureStreams: a never-reading peer cannot make the server read without bound', async (t) => {
  // The application writes back what it reads, waiting for each write (its backpressure).
  const transports: net.Socket[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    transports.push(socket);
    const tls = new ServerTLS({ certificates: pki().chain('ecdsa') });
    const { readable, writable } = secureStreams(Duplex.toWeb(socket) as unknown as StreamTransport, tls);
    const writer = writable.getWriter();
    (async () => {
      const reader = readable.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        await writer.write(value);
      }
    })().catch(() => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const a = await attacker((server.address() as net.AddressInfo).port, 'TLSv1.3');
  const sent = await a.sendUntilStalled(FLOOD_LIMIT);
  const read = transports[0]!.bytesRead;
  t.log(`attacker sent ${sent >> 20} MiB, server read ${read >> 20} MiB`);
  t.true(sent < FLOOD_LIMIT, 'the server stopped reading: the attacker could not send everything');
  a.socket.destroy();
  for (const s of transports) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});
