// Heap-snapshot diff of idle client (or server) connections: 20 -> 220.
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import v8 from 'node:v8';
import { readFileSync } from 'node:fs';
import { privateKeyToPem } from '@tls-kit/certs';
import { connect, createServer } from '@tls-kit/engine/node';
import { pki } from '/work/wt/duplex/packages/engine/test/helpers/pki.ts';

const role = process.argv[2] ?? 'client';
const p = pki();
const leaf = p.leaf('ecdsa');
const cert = leaf.toPem(), key = privateKeyToPem(leaf.privateKey!), ca = p.root.toPem();
const keep: unknown[] = [];
const server = role === 'client'
  ? tls.createServer({ cert, key }, (s) => { keep.push(s); s.on('error', () => {}); })
  : createServer({ cert, key }, (s) => { keep.push(s); s.on('error', () => {}); });
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const port = (server.address() as net.AddressInfo).port;
async function open(n: number) {
  for (let i = 0; i < n; i++) {
    const c = role === 'client' ? connect({ port, host: '127.0.0.1', servername: 'localhost', ca }) : tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca });
    c.on('error', () => {});
    await once(c, 'secureConnect');
    keep.push(c);
  }
  await new Promise((r) => setTimeout(r, 300));
}
function summary(file: string) {
  const s = JSON.parse(readFileSync(file, 'utf8'));
  const f = s.snapshot.meta.node_fields.length;
  const types = s.snapshot.meta.node_types[0];
  const nodes = s.nodes, strings = s.strings;
  const m = new Map<string, [number, number]>();
  for (let i = 0; i < nodes.length; i += f) {
    const k = `${types[nodes[i]]}:${strings[nodes[i + 1]]}`.slice(0, 80);
    const e = m.get(k) ?? [0, 0];
    e[0]++; e[1] += nodes[i + 3];
    m.set(k, e);
  }
  return m;
}
await open(20);
(globalThis as any).gc(); (globalThis as any).gc();
const a = v8.writeHeapSnapshot('/tmp/memprof/a.heapsnapshot');
await open(200);
(globalThis as any).gc(); (globalThis as any).gc();
const b = v8.writeHeapSnapshot('/tmp/memprof/b.heapsnapshot');
const ma = summary(a), mb = summary(b);
const rows: [string, number, number][] = [];
let total = 0;
for (const [k, [c, sz]] of mb) {
  const [c0, s0] = ma.get(k) ?? [0, 0];
  const d = sz - s0; total += d;
  if (Math.abs(d) > 200 * 40) rows.push([k, (c - c0) / 200, d / 200]);
}
rows.sort((x, y) => y[2] - x[2]);
for (const r of rows.slice(0, 45)) console.log(r[2].toFixed(0).padStart(7), r[1].toFixed(2).padStart(7), r[0]);
console.log('total per conn', (total / 200).toFixed(0));
process.exit(0);
