// An established connection keeps only what the open connection needs (KeyUpdate, tickets,
// exporters, the public facts): the handshake states, with their key shares, handshake secrets
// and contexts (a client's ClientHello settings and sent extensions), the transcript and key
// schedule the states hand on, the core's handshake-only state (queued data) become garbage
// once the handshake completes; connections that verified the same chain share one array of it;
// and the session ID fact keeps bytes of its own, not a view of a larger buffer.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { concat } from '@tls-kit/crypto/bytes';
import test from 'ava';
import type { TLSVersion } from '../src/config.js';
import type { ConnectionCore, ConnectionEvents } from '../src/core.js';
import { MAX_SHARED_PEER_VALUES, sharedSchemes } from '../src/handshake/shared-lists.js';
import { ClientTLS, type Connection, ServerTLS } from '../src/index.js';
import { PkiStore } from './helpers/client-certificate-store.js';
import { deliver, pair } from './helpers/pipe.js';
import { pki } from './helpers/pki.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const coreOf = (connection: Connection) => (connection as unknown as { core: ConnectionCore }).core;

/**
 * Weak references to every handshake state seen while the handshake ran, the context its states
 * share (`ctx` or `hs`), the transcript and keys it owns and the core's handshake-only state.
 */
function watch(core: ConnectionCore, refs: WeakRef<object>[]): void {
  if (core.handshakeDone) return;
  const state = core.currentState as unknown as {
    ctx?: object;
    hs?: object;
    transcript?: object;
    keys?: object;
  };
  refs.push(new WeakRef(state));
  for (const owned of [state.ctx, state.hs, state.transcript, state.keys])
    if (owned) refs.push(new WeakRef(owned));
  const { handshakeOnly } = core as unknown as { handshakeOnly: object | undefined };
  if (handshakeOnly) refs.push(new WeakRef(handshakeOnly));
}

function handshake(version: TLSVersion, refs: { client: WeakRef<object>[]; server: WeakRef<object>[] }) {
  const server = new ServerTLS({ certificates: pki().chain('ecdsa'), versions: [version] });
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    versions: [version],
  });
  return connect(client, server, refs);
}

/** A connection of `client` to `server` in memory, handshake run; `refs` gets what the handshake used. */
function connect(
  client: ClientTLS,
  server: ServerTLS,
  refs: { client: WeakRef<object>[]; server: WeakRef<object>[] } = { client: [], server: [] },
) {
  const p = pair(
    (w, c) => client.start(w, c),
    (w, c) => server.start(w, c),
  );
  const { connection: c, out: c2s } = p.client;
  const { connection: s, out: s2c } = p.server;
  for (let i = 0; i < 10 && (c2s.length > 0 || s2c.length > 0); i++) {
    watch(coreOf(c), refs.client);
    watch(coreOf(s), refs.server);
    deliver(p.client, p.server);
    deliver(p.server, p.client);
  }
  return { c, s, c2s, s2c };
}

async function collect(): Promise<void> {
  // WeakRef targets stay alive until the end of the job that created or read them.
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
}

for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
  test(`${version}: handshake states and transcript are collectable once open; the connection still works`, async (t) => {
    const refs = { client: [] as WeakRef<object>[], server: [] as WeakRef<object>[] };
    const { c, s, c2s, s2c } = handshake(version, refs);
    t.is(c.state, 'open');
    t.is(s.state, 'open');
    // States, their shared context, transcript and handshake-only state on both sides.
    t.true(refs.client.length >= 4 && refs.server.length >= 4);
    // Controls: the collection works, and what the open connection uses survives it.
    const control = new WeakRef({});
    const traffic = new WeakRef(coreOf(c).currentState);
    await collect();
    t.is(control.deref(), undefined);
    t.not(traffic.deref(), undefined);
    t.deepEqual(
      refs.client.map((r) => r.deref()?.constructor.name),
      refs.client.map(() => undefined),
    );
    t.deepEqual(
      refs.server.map((r) => r.deref()?.constructor.name),
      refs.server.map(() => undefined),
    );
    // The traffic state received secrets, not the handshake's transcript or key schedule.
    for (const connection of [c, s]) {
      const open = coreOf(connection).currentState as unknown as Record<string, unknown>;
      t.is(open.transcript, undefined);
      t.is(open.ctx, undefined);
    }

    // What the open connection needs is still there: data both ways, exporters, KeyUpdate.
    const context = new TextEncoder().encode('ctx');
    t.deepEqual(
      c.exportKeyingMaterial('EXPERIMENTAL idle', context, 32),
      s.exportKeyingMaterial('EXPERIMENTAL idle', context, 32),
    );
    t.is(c.peerCertificates.length, 2);
    t.deepEqual(c.peerVerification, { ok: true });
    if (version === 'TLSv1.3') {
      c.keyUpdate(true);
      while (c2s.length > 0) t.is(s.dataFromWire(c2s.shift()!).length, 0);
      while (s2c.length > 0) t.is(c.dataFromWire(s2c.shift()!).length, 0);
    }
    c.dataFromApplication(new Uint8Array([1, 2, 3]));
    t.deepEqual([...s.dataFromWire(c2s.shift()!)], [1, 2, 3]);
    s.dataFromApplication(new Uint8Array([4, 5]));
    t.deepEqual([...c.dataFromWire(s2c.shift()!)], [4, 5]);
  });
}

for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
  test(`${version}: connections that received and verified the same chain share one frozen array of each`, (t) => {
    const server = new ServerTLS({ certificates: pki().chain('ecdsa'), versions: [version] });
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      versions: [version],
      sessionCache: false,
    });
    const open = () => {
      const { c } = connect(client, server);
      t.is(c.state, 'open');
      return c;
    };
    const first = open();
    const second = open();
    t.is(first.peerCertificates.length, 2);
    t.is(second.peerCertificates, first.peerCertificates);
    t.true(Object.isFrozen(first.peerCertificates));
    // The chain as received too.
    t.is(first.receivedCertificates.length, 2);
    t.is(second.receivedCertificates, first.receivedCertificates);
    t.true(Object.isFrozen(first.receivedCertificates));
    t.throws(() => (first.peerCertificates as unknown as unknown[]).push(undefined), {
      instanceOf: TypeError,
    });
    // A different chain gets its own array.
    const other = new ServerTLS({ certificates: pki().chain('rsa'), versions: [version] });
    const { c: third } = connect(client, other);
    t.not(third.peerCertificates, first.peerCertificates);
    t.not(third.receivedCertificates, first.receivedCertificates);
    t.is(third.peerCertificates.length, 2);
  });
}

test('TLSv1.3: the session ID fact is a copy, not a view of the buffer it came in', (t) => {
  const server = new ServerTLS({ certificates: pki().chain('ecdsa'), versions: ['TLSv1.3'] });
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    sessionCache: false,
    // Buffer.from copies small inputs into a shared pool: the session ID is a view of a larger
    // buffer, whose slice() would be a view too.
    random: (n) => Buffer.from(crypto.getRandomValues(new Uint8Array(n))),
  });
  const { c, s } = connect(client, server);
  t.is(c.state, 'open');
  for (const conn of [c, s]) {
    t.is(conn.sessionId?.length, 32);
    // A copy of its own: nothing else of the buffer it is kept in.
    t.is(conn.sessionId?.buffer.byteLength, 32);
    // The connection's one buffer: both Finished, the session ID, and the traffic state's read,
    // write and exporter secrets (no resumption secret without a session cache).
    const { bytes } = coreOf(conn).facts as unknown as { bytes: ArrayBuffer };
    t.is(bytes.byteLength, (conn.finished?.length ?? 0) + (conn.peerFinished?.length ?? 0) + 32 + 3 * 32);
  }
  t.deepEqual(c.sessionId, s.sessionId);
});

const configOf = (connection: Connection) => coreOf(connection).config;

test('equal options give one frozen configuration, kept by both connections; different options their own', (t) => {
  const versions: TLSVersion[] = ['TLSv1.3'];
  const alpnProtocols = ['h2', 'http/1.1'];
  const server = new ServerTLS({ certificates: pki().chain('ecdsa'), versions, alpnProtocols });
  const clientOptions = {
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    versions,
    cipherSuites: ['TLS_AES_128_GCM_SHA256'],
    alpnProtocols,
    sessionCache: false as const,
  };
  // Two ClientTLS with equal options, as the Node adapter makes one per connect().
  const { c: first } = connect(new ClientTLS(clientOptions), server);
  const { c: second } = connect(
    new ClientTLS({ ...clientOptions, alpnProtocols: ['h2', 'http/1.1'] }),
    server,
  );
  t.is(first.state, 'open');
  t.is(second.state, 'open');
  t.is(configOf(second), configOf(first));
  t.true(Object.isFrozen(configOf(first)));
  t.true(Object.isFrozen(configOf(first).alpnProtocols));
  // The caller's arrays are not the shared ones: changing them later changes no configuration.
  t.not(configOf(first).versions, versions);
  versions.push('TLSv1.2');
  alpnProtocols.length = 0;
  t.deepEqual(configOf(first).versions, ['TLSv1.3']);
  t.deepEqual(configOf(first).alpnProtocols, ['h2', 'http/1.1']);
  // Shared configuration, separate connections: own keys and facts.
  t.not(coreOf(first).facts, coreOf(second).facts);
  t.notDeepEqual(first.finished, second.finished);
  // Any difference, in a list or a function, is a configuration of its own.
  const { c: other } = connect(
    new ClientTLS({ ...clientOptions, versions: ['TLSv1.3'], alpnProtocols: ['h2'] }),
    server,
  );
  t.not(configOf(other), configOf(first));
  t.deepEqual(other.alpnProtocol, 'h2');
  const clock = () => Date.now();
  const { c: clocked } = connect(
    new ClientTLS({ ...clientOptions, versions: ['TLSv1.3'], alpnProtocols: ['h2', 'http/1.1'], clock }),
    server,
  );
  t.not(configOf(clocked), configOf(first));
  t.is(configOf(clocked).clock, clock);
  // ALPN names may hold any byte: lists that join to the same text are still different lists.
  const alpnConfig = (list: string[]) =>
    coreOf(
      new ClientTLS({ ...clientOptions, versions: ['TLSv1.3'], alpnProtocols: list }).start(
        () => {},
        () => {},
      ),
    ).config;
  t.not(alpnConfig(['a b', 'c']), alpnConfig(['a', 'b c']));
  t.not(alpnConfig(['a,b']), alpnConfig(['a', 'b']));
  t.is(alpnConfig(['a b', 'c']), alpnConfig(['a b', 'c']));
});

test('a configuration no connection uses is collected', async (t) => {
  const options = {
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    // A list no other test uses: this configuration is this test's own.
    alpnProtocols: ['collectable-config'],
  };
  const config = new WeakRef(
    coreOf(
      new ClientTLS(options).start(
        () => {},
        () => {},
      ),
    ).config,
  );
  await collect();
  t.is(config.deref(), undefined);
});

for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
  test(`${version}: a server's connections share the chain they sent and the signature_algorithms list they received`, (t) => {
    const server = new ServerTLS({
      certificates: pki().chain('ecdsa'),
      versions: [version],
      clientAuth: 'require',
      clientTrustRoot: pki().trustStore,
    });
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      versions: [version],
      sessionCache: false,
      clientCertificateStore: new PkiStore('ecdsa384'),
    });
    const { c: c1, s: s1 } = connect(client, server);
    const { c: c2, s: s2 } = connect(client, server);
    t.is(s1.state, 'open');
    t.is(s2.state, 'open');
    for (const [first, second, sent] of [
      [s1, s2, 2],
      [c1, c2, 1],
    ] as const) {
      const a = coreOf(first).facts;
      const b = coreOf(second).facts;
      // The chain each side sent (the client's answering the CertificateRequest).
      t.is(a.localCertificates.length, sent);
      t.is(b.localCertificates, a.localCertificates);
      t.true(Object.isFrozen(a.localCertificates));
      t.deepEqual(
        second.localCertificates.map((cert) => cert.subject),
        first.localCertificates.map((cert) => cert.subject),
      );
      // The peer's signature_algorithms (ClientHello, CertificateRequest).
      t.true(a.peerSignatureSchemes.length > 0);
      t.is(b.peerSignatureSchemes, a.peerSignatureSchemes);
      t.true(Object.isFrozen(a.peerSignatureSchemes));
      t.true(first.sharedSignatureSchemes.length > 0);
    }
    t.is(s1.serverName, 'localhost');
    // Another chain: its own array.
    const other = new ServerTLS({ certificates: pki().chain('rsa'), versions: [version] });
    const { s: s3 } = connect(client, other);
    t.not(coreOf(s3).facts.localCertificates, coreOf(s1).facts.localCertificates);
    t.is(coreOf(s3).facts.localCertificates.length, 2);
  });
}

test('signature_algorithms lists are shared up to the cap; later and longer lists are kept per connection, equal', (t) => {
  const lists = Array.from({ length: MAX_SHARED_PEER_VALUES + 10 }, (_, i) => [0x0403, 0x0804, 0x1000 + i]);
  const first = lists.map((list) => sharedSchemes(list));
  const again = lists.map((list) => sharedSchemes([...list]));
  for (const [i, list] of lists.entries()) {
    t.deepEqual([...again[i]!], list);
    t.true(Object.isFrozen(again[i]));
  }
  const shared = first.filter((list, i) => again[i] === list).length;
  // Other tests of this file may have taken some of the table's places.
  t.true(shared > 0 && shared <= MAX_SHARED_PEER_VALUES, `${shared}`);
  t.is(first.at(-1) === again.at(-1), false);
  const long = Array.from({ length: 100 }, (_, i) => i);
  t.not(sharedSchemes(long), sharedSchemes(long));
  t.deepEqual([...sharedSchemes(long)], long);
});

test("with the events' writeToWireParts and wireClose, a connection keeps neither of start()'s functions", async (t) => {
  const server = new ServerTLS({ certificates: pki().chain('ecdsa') });
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    sessionCache: false,
  });
  const c2s: Uint8Array[] = [];
  const s2c: Uint8Array[] = [];
  const closes: boolean[] = [];
  const refs: WeakRef<object>[] = [];
  const start = (tls: ClientTLS | ServerTLS, events: ConnectionEvents): Connection => {
    const write = () => t.fail("start()'s writeToWire was called");
    const close = () => t.fail("start()'s wireClose was called");
    refs.push(new WeakRef(write), new WeakRef(close));
    return tls.start(write, close, undefined, events);
  };
  const c = start(client, {
    writeToWireParts: (pieces) => c2s.push(concat(pieces)),
    wireClose: (immediate) => closes.push(immediate),
  });
  // The server with start()'s functions only: they are used and kept.
  const s = server.start(
    (data) => s2c.push(data),
    () => {},
  );
  for (let i = 0; i < 10 && (c2s.length > 0 || s2c.length > 0); i++) {
    while (c2s.length > 0) s.dataFromWire(c2s.shift()!);
    while (s2c.length > 0) c.dataFromWire(s2c.shift()!);
  }
  t.is(c.state, 'open');
  await collect();
  t.deepEqual(
    refs.map((r) => r.deref()),
    refs.map(() => undefined),
  );
  // Data and the close go through the events.
  c.dataFromApplication(new Uint8Array([7]));
  t.deepEqual([...s.dataFromWire(c2s.shift()!)], [7]);
  s.applicationFinished();
  c.dataFromWire(s2c.shift()!);
  t.is(c.ended, true);
  t.true(closes.length > 0);
});

test('TLSv1.3: the caps on records that carry nothing exist only while something is counted', (t) => {
  const { c, s, c2s, s2c } = handshake('TLSv1.3', { client: [], server: [] });
  const capsOf = (connection: Connection) =>
    (coreOf(connection).records as unknown as { caps: object | undefined }).caps;
  t.is(capsOf(c), undefined);
  t.is(capsOf(s), undefined);
  // A KeyUpdate is counted until application data arrives.
  s.keyUpdate(false);
  c.dataFromWire(s2c.shift()!);
  t.not(capsOf(c), undefined);
  s.dataFromApplication(new Uint8Array([1]));
  t.deepEqual([...c.dataFromWire(s2c.shift()!)], [1]);
  t.is(capsOf(c), undefined);
  t.is(c2s.length, 0);
});

test("TLSv1.3: one ClientTLS's connections share its ticket receiver; each ticket still resumes once", (t) => {
  const server = new ServerTLS({ certificates: pki().chain('ecdsa'), versions: ['TLSv1.3'] });
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    versions: ['TLSv1.3'],
  });
  const receiver = (connection: Connection) =>
    (coreOf(connection).currentState as unknown as { tickets: object | undefined }).tickets;
  const { c: first } = connect(client, server);
  const { c: second } = connect(client, server);
  const { c: third } = connect(client, server);
  t.false(first.resumed);
  // Each took the ticket the one before it received.
  t.true(second.resumed);
  t.true(third.resumed);
  t.not(receiver(first), undefined);
  t.is(receiver(second), receiver(first));
  t.is(receiver(third), receiver(first));
});
