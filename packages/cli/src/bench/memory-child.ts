// Child process of the memory case (run with --expose-gc): holds `count` established idle
// connections of one stack in one role and reports the heap growth per connection. Protocol:
// one JSON line in on stdin (MemoryJob), JSON lines out on stdout ({ port } for a server, then
// { result }). The peer connections live in the parent process, so only this role is counted.
import { createInterface } from 'node:readline';
import {
  type MemoryJob,
  type MemoryResult,
  type MemorySnapshot,
  warmConnections,
} from './memory-protocol.js';
import type { Side, Stack } from './stack.js';
import { stackById } from './stacks.js';

const gc = (globalThis as { gc?: () => void }).gc;

async function settle(): Promise<MemorySnapshot> {
  // Let timers and pending I/O finish, then collect twice (weak callbacks run between).
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

function send(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function run(job: MemoryJob): Promise<void> {
  if (!gc) throw new Error('run with --expose-gc');
  const stack: Stack = stackById(job.stack);
  const params = { pki: job.pki, key: job.key, version: job.version, aead: 'aes-128-gcm' as const };
  const sides: Side[] = [];
  if (job.role === 'server') {
    const listener = await stack.listen(params);
    send({ port: listener.port });
    for (let i = 0; i < warmConnections(job.count); i++) sides.push(await listener.next());
    const before = await settle();
    for (let i = 0; i < job.count; i++) sides.push(await listener.next());
    const after = await settle();
    send({
      result: { before, after, count: job.count, protocol: sides[0]!.protocol } satisfies MemoryResult,
    });
  } else {
    const client = stack.client(params);
    const port = job.port ?? 0;
    for (let i = 0; i < warmConnections(job.count); i++) sides.push(await client.connect(port));
    const before = await settle();
    for (let i = 0; i < job.count; i++) sides.push(await client.connect(port));
    const after = await settle();
    send({
      result: { before, after, count: job.count, protocol: sides[0]!.protocol } satisfies MemoryResult,
    });
  }
  // Stay until the parent is done with its side (it closes stdin), then close everything.
  await new Promise((resolve) => lines.once('close', resolve));
  for (const side of sides) side.destroy();
  process.exit(0);
}

const lines = createInterface({ input: process.stdin });
lines.once('line', (line) => {
  run(JSON.parse(line) as MemoryJob).catch((error: unknown) => {
    send({ error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
});
