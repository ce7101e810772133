// A contender is what one column of a case measures: a client stack against a server stack.
// Usually both are the same stack; the pure-JS comparison pairs our @noble client with Node's
// native server, as the published figures of other JS clients were taken.

import { alternate, oneLine, type Sample, type Series } from './rounds.js';
import type { Client, Listener, Params, Side, Stack } from './stack.js';
import { within } from './stack.js';

export interface Contender {
  readonly id: string;
  readonly label: string;
  readonly client: Stack;
  readonly server: Stack;
}

export function same(stack: Stack): Contender {
  return { id: stack.id, label: stack.label, client: stack, server: stack };
}

/** A listener and a client of one contender for one case; `close` ends everything it opened. */
export interface Setup {
  readonly listener: Listener;
  readonly client: Client;
  /** The version every connection must negotiate (forge: whatever it can). */
  readonly expectProtocol: string | undefined;
  /** What the last connection negotiated, for the report. */
  observed: { protocol: string; cipher: string } | undefined;
  close(): Promise<void>;
}

export async function setUp(contender: Contender, params: Params): Promise<Setup> {
  const listener = await contender.server.listen(params);
  const forge = contender.client.id === 'forge' || contender.server.id === 'forge';
  return {
    listener,
    client: contender.client.client(params),
    expectProtocol: forge ? undefined : params.version,
    observed: undefined,
    close: () => listener.close(),
  };
}

/** Longest wait for any single step (a handshake, a ticket, a transfer's tail). */
export const STEP_TIMEOUT_MS = 20_000;

/** Opens one connection; resolves with both established sides. */
export async function connectPair(setup: Setup): Promise<{ client: Side; server: Side }> {
  const [client, server] = await within(
    Promise.all([setup.client.connect(setup.listener.port), setup.listener.next()]),
    STEP_TIMEOUT_MS,
    'a handshake',
  );
  setup.observed = { protocol: client.protocol, cipher: client.cipher };
  if (setup.expectProtocol !== undefined && client.protocol !== setup.expectProtocol) {
    client.destroy();
    server.destroy();
    throw new Error(`negotiated ${client.protocol} instead of ${setup.expectProtocol}`);
  }
  return { client, server };
}

/**
 * Sets up every contender, warms each up once, then measures them in alternating rounds; closes
 * everything at the end. A contender that fails to set up or warm up keeps its error.
 */
export async function measureAlternating(
  contenders: readonly Contender[],
  params: (c: Contender) => Params,
  rounds: number,
  warmUp: (setup: Setup) => Promise<unknown>,
  measure: (setup: Setup) => Promise<Sample>,
): Promise<Map<Contender, Series>> {
  const setups = new Map<Contender, Setup>();
  const results = new Map<Contender, Series>();
  try {
    for (const c of contenders) {
      try {
        const setup = await setUp(c, params(c));
        setups.set(c, setup);
        await warmUp(setup);
      } catch (error) {
        results.set(c, { samples: [], wall: [], error: oneLine(error) });
      }
    }
    const ready = contenders.filter((c) => !results.has(c));
    for (const [c, series] of await alternate(ready, rounds, (c) => measure(setups.get(c)!)))
      results.set(c, series);
    for (const [c, setup] of setups) {
      const series = results.get(c);
      if (series && setup.observed) Object.assign(series, setup.observed);
    }
    return results;
  } finally {
    for (const setup of setups.values()) await setup.close();
  }
}
