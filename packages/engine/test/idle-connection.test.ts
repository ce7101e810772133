// An established connection keeps only what the open connection needs (KeyUpdate, tickets,
// exporters, the public facts): the handshake states, with their key shares, handshake secrets
// and contexts, and the transcript hash become garbage once the handshake completes.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import test from 'ava';
import type { TLSVersion } from '../src/config.js';
import type { ConnectionCore } from '../src/core.js';
import { ClientTLS, type Connection, ServerTLS } from '../src/index.js';
import { pki } from './helpers/pki.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const coreOf = (connection: Connection) => (connection as unknown as { core: ConnectionCore }).core;

/** Weak references to every handshake state and to the transcript seen while the handshake ran. */
function watch(core: ConnectionCore, refs: WeakRef<object>[]): void {
  if (core.handshakeDone) return;
  refs.push(new WeakRef(core.currentState));
  refs.push(new WeakRef(core.transcript));
}

function handshake(version: TLSVersion, refs: { client: WeakRef<object>[]; server: WeakRef<object>[] }) {
  const server = new ServerTLS({ certificates: pki().chain('ecdsa'), versions: [version] });
  const client = new ClientTLS({
    serverHostname: 'localhost',
    trustRoot: pki().trustStore,
    versions: [version],
  });
  const c2s: Uint8Array[] = [];
  const s2c: Uint8Array[] = [];
  const c = client.start(
    (d) => c2s.push(d),
    () => {},
  );
  const s = server.start(
    (d) => s2c.push(d),
    () => {},
  );
  for (let i = 0; i < 10 && (c2s.length > 0 || s2c.length > 0); i++) {
    watch(coreOf(c), refs.client);
    watch(coreOf(s), refs.server);
    while (c2s.length > 0) s.dataFromWire(c2s.shift()!);
    while (s2c.length > 0) c.dataFromWire(s2c.shift()!);
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
    t.true(refs.client.length >= 2 && refs.server.length >= 2);
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
    t.throws(() => coreOf(c).transcript, { message: /after the handshake/ });

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
