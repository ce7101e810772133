// When a TLS 1.3 server sends its NewSessionTickets (RFC 8446 §4.6.1): with its Finished, in the
// same write, when it asks no client certificate (the client's Finished is then known in advance);
// after the client's Finished when it asked for one. Our client takes a ticket read with the
// server's Finished after sending its own Finished, and resumes with it; so does the Node adapter,
// whose 'session' event still follows 'secureConnect'.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { privateKeyToPem } from '@tls-kit/certs';
import test from 'ava';
import {
  type ClientSessionCache,
  ClientTLS,
  type Connection,
  MemorySessionCache,
  type ServerOptions,
  ServerTLS,
  type StoredTicket,
} from '../src/index.js';
import { connect, createServer } from '../src/node/index.js';
import { pki } from './helpers/pki.js';

/** A session cache that counts the tickets put into it. */
class CountingCache implements ClientSessionCache {
  puts = 0;
  private readonly inner = new MemorySessionCache();
  put(serverName: string, ticket: StoredTicket): void {
    this.puts++;
    this.inner.put(serverName, ticket);
  }
  take(serverName: string): StoredTicket | undefined {
    return this.inner.take(serverName);
  }
}

/** An endpoint whose writes are counted: writeToWire calls, or writeToWireParts calls (gather). */
function endpoint(start: (events: { writeToWireParts?: (p: readonly Uint8Array[]) => void }) => Connection) {
  const writes: Uint8Array[][] = [];
  const connection = start({ writeToWireParts: (pieces) => writes.push([...pieces]) });
  return { connection, writes };
}

/** Delivers every write of `from` to `to` (one dataFromWire per write); how many there were. */
function deliver(from: { writes: Uint8Array[][] }, to: { connection: Connection }): number {
  const writes = from.writes.splice(0);
  for (const pieces of writes) to.connection.dataFromWire(Buffer.concat(pieces));
  return writes.length;
}

function handshakeStepByStep(serverOptions: Partial<ServerOptions>) {
  const cache = new CountingCache();
  const clientTls = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    sessionCache: cache,
  });
  const serverTls = new ServerTLS({ certificates: pki().chain('ecdsa'), ticketCount: 2, ...serverOptions });
  const start = (tls: ClientTLS | ServerTLS) =>
    endpoint((events) =>
      tls.start(
        () => {
          throw new Error('writeToWire called although writeToWireParts is given');
        },
        () => {},
        undefined,
        events,
      ),
    );
  return { cache, clientTls, serverTls, client: start(clientTls), server: start(serverTls) };
}

test('no client certificate asked: the tickets go in the write of the server Finished; the client resumes with them', (t) => {
  const { cache, clientTls, serverTls, client, server } = handshakeStepByStep({});
  t.is(deliver(client, server), 1, 'ClientHello');
  t.is(server.writes.length, 1, 'ServerHello .. Finished and the tickets: one write');
  t.is(deliver(server, client), 1);
  // The client sent its Finished, then took both tickets from the same read.
  t.is(client.connection.state, 'open');
  t.is(cache.puts, 2);
  t.is(deliver(client, server), 1, 'client Finished');
  t.is(server.connection.state, 'open');
  t.is(server.writes.length, 0, 'nothing more from the server: the tickets were sent');
  // A ticket so made resumes (its PSK is from the transcript through the client's real Finished).
  const c = endpoint((events) =>
    clientTls.start(
      () => {},
      () => {},
      undefined,
      events,
    ),
  );
  const s = endpoint((events) =>
    serverTls.start(
      () => {},
      () => {},
      undefined,
      events,
    ),
  );
  while (deliver(c, s) + deliver(s, c) > 0);
  t.is(c.connection.state, 'open');
  t.true(c.connection.resumed);
  t.true(s.connection.resumed);
});

test('a client certificate asked: the tickets wait for the client Finished', (t) => {
  const { cache, client, server } = handshakeStepByStep({
    clientAuth: 'request',
    clientTrustRoot: pki().trustStore,
  });
  deliver(client, server);
  t.is(deliver(server, client), 1);
  t.is(client.connection.state, 'open');
  t.is(cache.puts, 0, 'no ticket with the server flight');
  t.is(deliver(client, server), 1, 'client Certificate (empty) and Finished');
  t.is(server.writes.length, 1, 'the tickets, after the client Finished');
  deliver(server, client);
  t.is(cache.puts, 2);
});

test('Node adapter: a ticket read with the server Finished is a session event after secureConnect, and resumes', async (t) => {
  const leaf = pki().leaf('ecdsa');
  const server = createServer({ key: privateKeyToPem(leaf.privateKey!), cert: leaf.toPem() }, (socket) => {
    socket.end('hello');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const open = async (session?: Buffer) => {
    const events: string[] = [];
    const sessions: Buffer[] = [];
    const socket = connect({
      host: '127.0.0.1',
      servername: 'localhost',
      port,
      ca: pki().root.toPem(),
      session,
    });
    socket.on('secureConnect', () => {
      events.push('secureConnect');
      // A listener added here, as with node:tls, still sees the session.
      socket.on('session', (s: Buffer) => {
        events.push('session');
        sessions.push(s);
      });
    });
    socket.resume();
    await once(socket, 'close');
    return { events, sessions, resumed: socket.isSessionReused() };
  };
  try {
    const first = await open();
    t.is(first.events[0], 'secureConnect');
    t.true(first.events.includes('session'));
    t.false(first.resumed);
    const second = await open(first.sessions.at(-1));
    t.true(second.resumed);
  } finally {
    server.close();
  }
});
