// Bulk throughput on one connection over loopback: the client sends `bytes` to the server in
// 64 KiB writes (waiting for 'drain' when the socket asks), then the server sends as much back.
// The figure is all application bytes moved, both ways, over the time both transfers took. A
// transfer that reaches its time cap stops early (slow stacks), and its rate is what it moved.
import { randomBytes } from 'node:crypto';
import { type Contender, connectPair, measureAlternating, type Setup, STEP_TIMEOUT_MS } from './contender.js';
import { cpuSeconds, type Sample, type Series } from './rounds.js';
import { deferred, type Params, type Side, within } from './stack.js';

const CHUNK = randomBytes(64 * 1024);

async function transfer(
  from: Side,
  to: Side,
  bytes: number,
  capMs: number,
): Promise<{ bytes: number; ms: number }> {
  let received = 0;
  let target = Number.POSITIVE_INFINITY;
  const done = deferred();
  to.onData = (length) => {
    received += length;
    if (received >= target) done.resolve();
  };
  const failed = (error: unknown) => done.reject(error);
  to.onError = failed;
  from.onError = failed;
  const start = performance.now();
  let sent = 0;
  while (sent < bytes && performance.now() - start < capMs) {
    const piece = bytes - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, bytes - sent);
    sent += piece.length;
    if (!from.send(piece)) await Promise.race([from.drained(), done.promise]);
  }
  target = sent;
  if (received >= target) done.resolve();
  await within(done.promise, STEP_TIMEOUT_MS, `${sent} bytes to arrive (${received} did)`);
  const ms = performance.now() - start;
  to.onData = undefined;
  return { bytes: sent, ms };
}

/** One round: a fresh connection, `bytes` each way; MB/s (10^6 bytes) per CPU and per wall-clock second. */
async function bulkRound(setup: Setup, bytes: number, capMs: number): Promise<Sample> {
  const { client, server } = await connectPair(setup);
  try {
    const cpu = process.cpuUsage();
    const up = await transfer(client, server, bytes, capMs);
    const down = await transfer(server, client, bytes, capMs);
    const moved = up.bytes + down.bytes;
    return { value: moved / cpuSeconds(cpu) / 1e6, wall: moved / ((up.ms + down.ms) * 1000) };
  } finally {
    client.destroy();
    server.destroy();
  }
}

export interface BulkOptions {
  readonly seconds: number;
  readonly rounds: number;
  /** Bytes each way per round. */
  readonly bytes: number;
}

export function measureBulk(
  contenders: readonly Contender[],
  params: (c: Contender) => Params,
  options: BulkOptions,
): Promise<Map<Contender, Series>> {
  // Each direction of a round may take half the round's share of the time budget.
  const capMs = (options.seconds * 1000) / options.rounds / 2;
  return measureAlternating(
    contenders,
    params,
    options.rounds,
    (setup) => bulkRound(setup, Math.min(options.bytes, 1 << 20), Math.min(capMs, 200)),
    (setup) => bulkRound(setup, options.bytes, capMs),
  );
}
