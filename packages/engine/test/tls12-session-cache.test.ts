// The TLS 1.2 session caches: bounded LRU, lifetimes, replaceable, and what resumption checks.
import test from 'ava';
import {
  MemoryClientSession12Cache,
  MemoryServerSessionCache,
  type ServerSessionCache,
  type Session12,
} from '../src/index.js';
import { SESSION12_TAG } from '../src/server/session-cache.js';
import { splitTime } from '../src/server/stored-time.js';
import { clientTLS12, complete, serverTLS12, startClient, startServer } from './helpers/tls12-memory.js';

function session(createdMs: number, lifetimeSeconds = 60): Session12 {
  return {
    tag: SESSION12_TAG,
    suite: 0xc02b,
    ...splitTime(createdMs),
    lifetimeSeconds,
    masterSecret: new Uint8Array(48),
    extendedMasterSecret: 1,
    serverName: new Uint8Array(0),
    clientCertificates: [],
  };
}

const id = (n: number) => new Uint8Array(32).fill(n);

test('MemoryServerSessionCache keeps at most maxEntries, dropping the least recently used', (t) => {
  const cache = new MemoryServerSessionCache({ maxEntries: 2, clock: () => 0 });
  cache.put(id(1), session(0));
  cache.put(id(2), session(0));
  t.truthy(cache.get(id(1)));
  cache.put(id(3), session(0));
  t.is(cache.size, 2);
  t.truthy(cache.get(id(1)));
  t.is(cache.get(id(2)), undefined);
  t.truthy(cache.get(id(3)));
  cache.remove(id(1));
  t.is(cache.get(id(1)), undefined);
});

test('MemoryServerSessionCache drops expired sessions', (t) => {
  let now = 0;
  const cache = new MemoryServerSessionCache({ clock: () => now });
  cache.put(id(1), session(0, 10));
  now = 10_001;
  t.is(cache.get(id(1)), undefined);
  t.is(cache.size, 0);
});

test('MemoryClientSession12Cache: one session per name, bounded, removal only of the same session', (t) => {
  const cache = new MemoryClientSession12Cache(2);
  const s = (n: number) => ({
    sessionId: id(n),
    ticket: undefined,
    masterSecret: new Uint8Array(48),
    suite: 0xc02b,
    extendedMasterSecret: true,
    peerCertificates: [],
    createdAt: 0,
    lifetimeMs: 1000,
  });
  const a = s(1);
  cache.put('a', a);
  cache.put('b', s(2));
  cache.put('c', s(3));
  t.is(cache.get('a'), undefined);
  const b2 = s(4);
  cache.put('b', b2);
  cache.remove('b', a);
  t.is(cache.get('b'), b2);
  cache.remove('b', b2);
  t.is(cache.get('b'), undefined);
});

test('an expired session is not resumed: full handshake', (t) => {
  let now = Date.now();
  const clock = () => now;
  const serverTLS = serverTLS12({ ticketKeys: false, ticketLifetime: 60, clock });
  const clientTLS = clientTLS12({ clock });
  complete(startClient(clientTLS), startServer(serverTLS));
  now += 30_000;
  const again = startServer(serverTLS);
  complete(startClient(clientTLS), again);
  t.true(again.connection.resumed);
  now += 61_000;
  const late = startServer(serverTLS);
  complete(startClient(clientTLS), late);
  t.false(late.connection.resumed);
});

test('a user-supplied ServerSessionCache is used', (t) => {
  const calls: string[] = [];
  const store = new Map<string, Session12>();
  const cache: ServerSessionCache = {
    get: (sid) => {
      calls.push('get');
      return store.get(Buffer.from(sid).toString('hex'));
    },
    put: (sid, s) => {
      calls.push('put');
      store.set(Buffer.from(sid).toString('hex'), s);
    },
    remove: () => calls.push('remove'),
  };
  const serverTLS = serverTLS12({ ticketKeys: false, sessionCache: cache });
  const clientTLS = clientTLS12();
  complete(startClient(clientTLS), startServer(serverTLS));
  const second = startServer(serverTLS);
  complete(startClient(clientTLS), second);
  t.true(second.connection.resumed);
  t.deepEqual(calls, ['put', 'get']);
});

test('a session is resumed only for the same server name (RFC 6066 §3)', (t) => {
  const serverTLS = serverTLS12({ ticketKeys: false });
  // The session made for "localhost" is offered to the same server under the name 127.0.0.1
  // (an IP address: no SNI): the server refuses to resume it.
  const shared = new MemoryClientSession12Cache();
  const first = clientTLS12({ serverHostname: 'localhost', sessionCache12: shared });
  complete(startClient(first), startServer(serverTLS));
  const stored = shared.get('localhost')!;
  shared.put('127.0.0.1', stored);
  const other = clientTLS12({ serverHostname: '127.0.0.1', sessionCache12: shared });
  const server = startServer(serverTLS);
  complete(startClient(other), server);
  t.false(server.connection.resumed);
  t.is(server.connection.tlsVersion, 'TLSv1.2');
});
