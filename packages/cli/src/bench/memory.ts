// Memory per established idle connection: a child process (--expose-gc) holds `count`
// connections of one stack in one role, the peer ends live in this process, and the child
// reports its heap growth per connection. One child per stack and role, one after the other.
import { type ChildProcess, spawn } from 'node:child_process';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { STEP_TIMEOUT_MS } from './contender.js';
import { type MemoryJob, type MemoryResult, warmConnections } from './memory-protocol.js';
import type { BenchPki } from './pki.js';
import { type Side, type Stack, type Version, within } from './stack.js';
import { stackById } from './stacks.js';

/** The child script beside this module (.ts under tsx, .js once built). */
const CHILD = fileURLToPath(
  new URL(`./memory-child${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

export interface MemoryFigures {
  /** Bytes per connection. */
  readonly heap: number;
  readonly external: number;
  readonly rss: number;
  readonly protocol: string;
}

/** The peer in this process: the same stack, except that the @noble variant gets node:crypto's (faster, same engine). */
function peerOf(stack: Stack): Stack {
  return stack.id === 'tlskit-noble' ? stackById('tlskit-node') : stack;
}

function startChild(): { child: ChildProcess; messages: AsyncIterator<string> } {
  // From source the child is TypeScript: it needs tsx, which a parent without it (the test suite
  // runs bundles) does not pass on in execArgv.
  const loader =
    CHILD.endsWith('.ts') && !process.execArgv.some((arg) => arg.includes('tsx')) ? ['--import=tsx'] : [];
  const child = spawn(process.execPath, [...process.execArgv, ...loader, '--expose-gc', CHILD], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const messages = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, messages };
}

async function nextMessage(messages: AsyncIterator<string>): Promise<Record<string, unknown>> {
  const { value, done } = await messages.next();
  if (done) throw new Error('the memory child exited early');
  const message = JSON.parse(value) as Record<string, unknown>;
  if (typeof message.error === 'string') throw new Error(`memory child: ${message.error}`);
  return message;
}

function figures(result: MemoryResult): MemoryFigures {
  const per = (key: 'heapUsed' | 'external' | 'rss') =>
    (result.after[key] - result.before[key]) / result.count;
  return { heap: per('heapUsed'), external: per('external'), rss: per('rss'), protocol: result.protocol };
}

/** Measures `stack` in `role`; everything it opens is closed and the child has exited when it returns. */
export async function measureMemory(
  stack: Stack,
  role: 'server' | 'client',
  options: { pki: BenchPki; count: number; version: Version; timeoutMs: number },
): Promise<MemoryFigures> {
  // forge can only use the RSA chain; the others use it too so every stack holds the same certificates.
  const params = {
    pki: options.pki,
    key: 'rsa' as const,
    version: options.version,
    aead: 'aes-128-gcm' as const,
  };
  const peer = peerOf(stack);
  const job: Omit<MemoryJob, 'port'> = { ...params, stack: stack.id, role, count: options.count };
  const listener = role === 'client' ? await peer.listen(params) : undefined;
  const { child, messages } = startChild();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const peerSides: Side[] = [];
  const timer = setTimeout(() => child.kill(), options.timeoutMs);
  try {
    child.stdin!.write(`${JSON.stringify({ ...job, port: listener?.port })}\n`);
    if (role === 'server') {
      const { port } = (await nextMessage(messages)) as { port: number };
      const client = peer.client(params);
      for (let i = 0; i < warmConnections(options.count) + options.count; i++) {
        peerSides.push(
          await within(client.connect(port), STEP_TIMEOUT_MS, 'a connection to the memory child'),
        );
      }
    }
    const { result } = (await nextMessage(messages)) as { result: MemoryResult };
    return figures(result);
  } finally {
    clearTimeout(timer);
    // Closing stdin tells the child to close its connections and exit; it gets 10 s for that.
    child.stdin!.end();
    for (const side of peerSides) side.destroy();
    await listener?.close();
    const killer = setTimeout(() => child.kill(), 10_000);
    await exited;
    clearTimeout(killer);
  }
}
