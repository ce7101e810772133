// Handshakes per second over loopback: one connection at a time, client and server in this
// process; a handshake counts when both ends completed it (the client also verified the chain
// and host name, or resumed). Both sockets are then destroyed (closing is not measured), or, with
// `close` (the adapter cases), the client calls end() and both sockets' 'close' is awaited.
import { type Contender, connectPair, measureAlternating, type Setup, STEP_TIMEOUT_MS } from './contender.js';
import { cpuSeconds, type Sample, type Series } from './rounds.js';
import { type Params, within } from './stack.js';

async function oneHandshake(
  setup: Setup,
  resume: boolean,
  mustResume: boolean,
  close: boolean,
): Promise<void> {
  const { client, server } = await connectPair(setup);
  try {
    if (mustResume && !client.resumed) throw new Error(`the client did not resume (${client.protocol})`);
    // The next connection needs this one's ticket (TLS 1.3 sends it after the handshake).
    if (resume) await within(client.sessionReady, STEP_TIMEOUT_MS, 'a session ticket');
    if (close) {
      if (!client.end || !client.closed || !server.closed) throw new Error('this stack cannot end()');
      client.end();
      await within(Promise.all([client.closed(), server.closed()]), STEP_TIMEOUT_MS, "both sockets' close");
    }
  } finally {
    client.destroy();
    server.destroy();
  }
}

/** Handshakes for `ms` of wall time (at least one): per CPU second and per wall-clock second. */
async function handshakesFor(
  setup: Setup,
  ms: number,
  resume: boolean,
  mustResume: boolean,
  close: boolean,
): Promise<Sample> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let count = 0;
  let elapsed = 0;
  do {
    await oneHandshake(setup, resume, mustResume, close);
    count++;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return { value: count / cpuSeconds(cpu), wall: (count * 1000) / elapsed };
}

export interface HandshakeOptions {
  readonly seconds: number;
  readonly rounds: number;
  readonly resume: boolean;
  /** end() each connection and wait for both sockets' 'close' (node:tls-API stacks only). */
  readonly close?: boolean;
}

export function measureHandshakes(
  contenders: readonly Contender[],
  params: (c: Contender) => Params,
  options: HandshakeOptions,
): Promise<Map<Contender, Series>> {
  const roundMs = (options.seconds * 1000) / options.rounds;
  const close = options.close === true;
  return measureAlternating(
    contenders,
    params,
    options.rounds,
    // Warm-up (JIT, caches), and with `resume` the first ticket.
    (setup) => handshakesFor(setup, Math.min(300, roundMs), options.resume, false, close),
    (setup) => handshakesFor(setup, roundMs, options.resume, options.resume, close),
  );
}
