// The benchmark's cases and how each is run: which contenders take part, with what parameters,
// and what a contender that cannot take part says instead of a figure.

import { nobleProvider } from '@tls-kit/crypto';
import { nodeProvider } from '@tls-kit/crypto/node';
import { measureBulk } from './bulk.js';
import { type Contender, same } from './contender.js';
import { forgeSuite } from './forge-stack.js';
import { measureHandshakes } from './handshakes.js';
import { measureMemory } from './memory.js';
import { nodeStack, tlsKitAdapter } from './node-stack.js';
import type { BenchPki, KeyKind } from './pki.js';
import { bareAeadRound, opensslSpeed, type RecordFigures, recordPair, recordRound } from './record.js';
import { alternate, median, oneLine, type Series } from './rounds.js';
import type { Aead, Params, Version } from './stack.js';
import { STACKS } from './stacks.js';
import { probe, tlsKitNoble } from './tls-kit-stack.js';

export interface Cell {
  /** The median of the rounds, per CPU second (memory: the one measurement, bytes). */
  value?: number;
  samples?: number[];
  /** The median of the rounds per wall-clock second (socket cases). */
  wall?: number;
  /** What the connections negotiated. */
  protocol?: string;
  cipher?: string;
  /** Secondary figures (record layer: open, seal+open; memory: external, rss). */
  detail?: Record<string, number>;
  /** Why there is no figure although nothing failed. */
  na?: string;
  error?: string;
}

export type Group = 'adapter' | 'handshake' | 'resumption' | 'bulk' | 'memory' | 'record' | 'pure-js';

export interface CaseResult {
  readonly id: string;
  readonly group: Group;
  readonly title: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /**
   * By contender id: 'tlskit-node', 'tlskit-noble', 'node', 'forge', 'openssl', 'node-crypto-bare',
   * 'noble-vs-node'; the adapter cases: 'tlskit-adapter', 'node', 'adapter-client', 'adapter-server'.
   */
  readonly cells: Record<string, Cell>;
}

export interface BenchOptions {
  /** Time budget of one contender in one case, spread over the rounds. */
  readonly seconds: number;
  readonly rounds: number;
  /** Idle connections held for the memory cases. */
  readonly connections: number;
}

export interface Context {
  readonly pki: BenchPki;
  readonly options: BenchOptions;
}

interface CaseDef {
  readonly id: string;
  readonly group: Group;
  readonly title: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  run(ctx: Context): Promise<Record<string, Cell>>;
}

/** Our @noble client against Node's native server: how the published pure-JS figures were taken. */
export const NOBLE_VS_NODE: Contender = {
  id: 'noble-vs-node',
  label: 'tls-kit (@noble) client, node:tls server',
  client: tlsKitNoble,
  server: nodeStack,
};

const MAIN: readonly Contender[] = STACKS.map(same);

/**
 * The adapter cases' contenders: tls-kit's adapter on both ends, node:tls on both ends, and each
 * side of the adapter alone against node:tls.
 */
export const ADAPTER_PAIRS: readonly Contender[] = [
  same(tlsKitAdapter),
  same(nodeStack),
  {
    id: 'adapter-client',
    label: 'tls-kit adapter client, node:tls server',
    client: tlsKitAdapter,
    server: nodeStack,
  },
  {
    id: 'adapter-server',
    label: 'node:tls client, tls-kit adapter server',
    client: nodeStack,
    server: tlsKitAdapter,
  },
];

const VERSION_LABEL: Record<Version, string> = { 'TLSv1.3': 'TLS 1.3', 'TLSv1.2': 'TLS 1.2 ECDHE' };
const KEY_LABEL: Record<KeyKind, string> = { ecdsa: 'ECDSA P-256', rsa: 'RSA-2048' };
const NOT_YET = 'n/a (not supported yet)';

export function cellOf(series: Series): Cell {
  return {
    ...(series.samples.length > 0 ? { value: median(series.samples), samples: series.samples } : {}),
    ...(series.wall.length > 0 ? { wall: median(series.wall) } : {}),
    ...(series.protocol ? { protocol: series.protocol, cipher: series.cipher } : {}),
    ...(series.error !== undefined ? { error: series.error } : {}),
  };
}

const probes = new Map<string, string | undefined>();

/** Why `contender` cannot run `params`, or undefined when it can. */
function notApplicable(contender: Contender, params: Params): string | undefined {
  const ids = [contender.client.id, contender.server.id];
  if (ids.includes('forge')) {
    if (params.key !== 'rsa') return 'n/a (forge cannot load EC keys)';
    if (forgeSuite(params) === undefined) return 'n/a (forge has no ChaCha20)';
  }
  if (params.version === 'TLSv1.2' && ids.some((id) => id.startsWith('tlskit'))) {
    const key = `${params.key}|${params.aead}|${params.resume === true}`;
    if (!probes.has(key)) probes.set(key, probe(params));
    const reason = probes.get(key);
    if (reason !== undefined) return `${NOT_YET}: ${reason}`;
  }
  return undefined;
}

/** Runs `measure` over the contenders that can take part; the others get their n/a. */
async function socketCase(
  contenders: readonly Contender[],
  params: Params,
  measure: (ready: readonly Contender[]) => Promise<Map<Contender, Series>>,
): Promise<Record<string, Cell>> {
  const cells: Record<string, Cell> = {};
  const ready: Contender[] = [];
  for (const c of contenders) {
    const na = notApplicable(c, params);
    if (na) cells[c.id] = { na };
    else ready.push(c);
  }
  for (const [c, series] of await measure(ready)) cells[c.id] = cellOf(series);
  return Object.fromEntries(contenders.map((c) => [c.id, cells[c.id]!]));
}

function handshakeCase(version: Version, key: KeyKind, resume: boolean): CaseDef {
  const v = version === 'TLSv1.3' ? 'tls13' : 'tls12';
  return {
    id: resume ? `resume-${v}` : `handshake-${v}-${key}`,
    group: resume ? 'resumption' : 'handshake',
    title: resume
      ? `resumed handshakes/s, ${version === 'TLSv1.3' ? 'TLS 1.3 PSK (psk_dhe_ke, X25519)' : 'TLS 1.2 ticket (RFC 5077)'}`
      : `full handshakes/s, ${VERSION_LABEL[version]}, X25519, ${KEY_LABEL[key]} chain verified`,
    unit: 'handshakes/s',
    higherIsBetter: true,
    run: (ctx) => {
      const params: Params = { pki: ctx.pki, key, version, aead: 'aes-128-gcm', resume };
      return socketCase(MAIN, params, (ready) =>
        measureHandshakes(ready, () => params, { ...ctx.options, resume }),
      );
    },
  };
}

/** Bytes each way per round: 64 MiB at --seconds 3, in proportion otherwise (at least 1 MiB). */
export function bulkBytes(seconds: number): number {
  return Math.max(1 << 20, Math.round(((64 << 20) * seconds) / 3));
}

function bulkCase(aead: Aead): CaseDef {
  return {
    id: `bulk-${aead}`,
    group: 'bulk',
    title: `bulk MB/s, one connection, both ways, TLS 1.3 ${aead.toUpperCase()}`,
    unit: 'MB/s',
    higherIsBetter: true,
    run: (ctx) => {
      // The RSA chain so forge can take part; certificates do not matter once connected.
      const params: Params = { pki: ctx.pki, key: 'rsa', version: 'TLSv1.3', aead };
      return socketCase(MAIN, params, (ready) =>
        measureBulk(ready, () => params, { ...ctx.options, bytes: bulkBytes(ctx.options.seconds) }),
      );
    },
  };
}

/** The engine through the bench glue against every stack, or the adapter against node:tls. */
function memoryCase(role: 'server' | 'client', of: 'engine' | 'adapter'): CaseDef {
  return {
    id: of === 'adapter' ? `adapter-memory-${role}` : `memory-${role}`,
    group: of === 'adapter' ? 'adapter' : 'memory',
    title: `${of === 'adapter' ? 'adapter ' : ''}heap bytes per idle connection, ${role} side (TLS 1.3, RSA chain)`,
    unit: 'bytes',
    higherIsBetter: false,
    async run(ctx) {
      const cells: Record<string, Cell> = {};
      for (const stack of of === 'adapter' ? [tlsKitAdapter, nodeStack] : STACKS) {
        try {
          const m = await measureMemory(stack, role, {
            pki: ctx.pki,
            count: ctx.options.connections,
            version: 'TLSv1.3',
            timeoutMs: 60_000 + ctx.options.connections * 250,
          });
          cells[stack.id] = {
            value: m.heap,
            protocol: m.protocol,
            detail: { external: m.external, rss: m.rss },
          };
        } catch (error) {
          cells[stack.id] = { error: oneLine(error) };
        }
      }
      return cells;
    },
  };
}

function recordCase(aead: Aead): CaseDef {
  return {
    id: `record-${aead}`,
    group: 'record',
    title: `record layer in memory, ${aead.toUpperCase()}, 16 KiB records, MB/s per CPU second`,
    unit: 'MB/s',
    higherIsBetter: true,
    async run(ctx) {
      const providers = { 'tlskit-node': nodeProvider, 'tlskit-noble': nobleProvider } as const;
      // The bare node:crypto loop runs beside them: the ceiling of a record layer on node:crypto.
      // A fresh connection pair per round (its handshake outside the timers), as the bare loop
      // makes fresh ciphers: each round's buffers lie elsewhere (see placedPayload).
      const rounds: Record<string, (ms: number) => RecordFigures> = {
        'tlskit-node': (ms) => recordRound(recordPair(ctx.pki, aead, providers['tlskit-node']), ms),
        'tlskit-noble': (ms) => recordRound(recordPair(ctx.pki, aead, providers['tlskit-noble']), ms),
        'node-crypto-bare': (ms) => bareAeadRound(aead, ms),
      };
      const ids = Object.keys(rounds);
      const roundMs = (ctx.options.seconds * 1000) / ctx.options.rounds;
      const details = Object.fromEntries(ids.map((id) => [id, [] as { open: number; sealOpen: number }[]]));
      for (const id of ids) rounds[id]!(Math.min(roundMs, 100)); // warm-up
      const series = await alternate(ids, ctx.options.rounds, async (id) => {
        const f = rounds[id]!(roundMs);
        details[id]!.push(f);
        return { value: f.seal };
      });
      const cells: Record<string, Cell> = {};
      for (const [id, s] of series) {
        cells[id] = {
          ...cellOf(s),
          detail: {
            open: median(details[id]!.map((d) => d.open)),
            sealOpen: median(details[id]!.map((d) => d.sealOpen)),
          },
        };
      }
      try {
        const speed = await opensslSpeed(aead, Math.max(1, Math.round(ctx.options.seconds)));
        cells.openssl = speed === undefined ? { na: 'n/a (no openssl CLI)' } : { value: speed };
      } catch (error) {
        cells.openssl = { error: oneLine(error) };
      }
      return cells;
    },
  };
}

function pureJsCase(kind: 'handshake' | 'bulk'): CaseDef {
  return {
    id: `purejs-${kind}`,
    group: 'pure-js',
    title:
      kind === 'handshake'
        ? 'full handshakes/s, @noble client vs node:tls server, TLS 1.3, X25519, ECDSA P-256'
        : 'bulk MB/s, @noble client vs node:tls server, TLS 1.3 AES-128-GCM, both ways',
    unit: kind === 'handshake' ? 'handshakes/s' : 'MB/s',
    higherIsBetter: true,
    run: (ctx) => {
      const params: Params = { pki: ctx.pki, key: 'ecdsa', version: 'TLSv1.3', aead: 'aes-128-gcm' };
      return socketCase([NOBLE_VS_NODE], params, (ready) =>
        kind === 'handshake'
          ? measureHandshakes(ready, () => params, { ...ctx.options, resume: false })
          : measureBulk(ready, () => params, { ...ctx.options, bytes: bulkBytes(ctx.options.seconds) }),
      );
    },
  };
}

/**
 * Handshakes through connect/createServer of @tls-kit/engine/node against node:tls, closed as an
 * application closes them (end(), then both sockets' 'close'): every option at its default
 * (TLS 1.3; tls-kit offers X25519MLKEM768 + X25519, Node 20's OpenSSL X25519), or node:tls'
 * own key exchange (ecdhCurve X25519) with the version pinned.
 */
function adapterHandshakeCase(settings: 'defaults' | 'x25519', version: Version, key: KeyKind): CaseDef {
  const v = version === 'TLSv1.3' ? 'tls13' : 'tls12';
  return {
    id: settings === 'defaults' ? 'adapter-handshake-defaults' : `adapter-handshake-x25519-${v}-${key}`,
    group: 'adapter',
    title:
      settings === 'defaults'
        ? `adapter handshakes/s with close, every option at its default (TLS 1.3), ${KEY_LABEL[key]} chain`
        : `adapter handshakes/s with close, ecdhCurve X25519, ${VERSION_LABEL[version]}, ${KEY_LABEL[key]} chain`,
    unit: 'handshakes/s',
    higherIsBetter: true,
    run: (ctx) => {
      const params: Params = { pki: ctx.pki, key, version, aead: 'aes-128-gcm', settings };
      return socketCase(ADAPTER_PAIRS, params, (ready) =>
        measureHandshakes(ready, () => params, { ...ctx.options, resume: false, close: true }),
      );
    },
  };
}

/**
 * Bulk through the adapter against node:tls (TLS 1.3 AES-128-GCM), with the node:crypto ceiling
 * of the same run: the bare node:crypto loop and `openssl speed` measured in this case too.
 */
function adapterBulkCase(aead: Aead): CaseDef {
  return {
    id: `adapter-bulk-${aead}`,
    group: 'adapter',
    title: `adapter bulk MB/s, one connection, both ways, TLS 1.3 ${aead.toUpperCase()}`,
    unit: 'MB/s',
    higherIsBetter: true,
    async run(ctx) {
      const params: Params = { pki: ctx.pki, key: 'ecdsa', version: 'TLSv1.3', aead };
      const cells = await socketCase(ADAPTER_PAIRS.slice(0, 2), params, (ready) =>
        measureBulk(ready, () => params, { ...ctx.options, bytes: bulkBytes(ctx.options.seconds) }),
      );
      const roundMs = (ctx.options.seconds * 1000) / ctx.options.rounds;
      const bare = Array.from({ length: ctx.options.rounds }, () => bareAeadRound(aead, roundMs).sealOpen);
      cells['node-crypto-bare'] = { value: median(bare), detail: { sealOpen: median(bare) } };
      try {
        const speed = await opensslSpeed(aead, 1);
        cells.openssl = speed === undefined ? { na: 'n/a (no openssl CLI)' } : { value: speed };
      } catch (error) {
        cells.openssl = { error: oneLine(error) };
      }
      return cells;
    },
  };
}

export const CASES: readonly CaseDef[] = [
  adapterHandshakeCase('defaults', 'TLSv1.3', 'ecdsa'),
  adapterHandshakeCase('x25519', 'TLSv1.3', 'ecdsa'),
  adapterHandshakeCase('x25519', 'TLSv1.3', 'rsa'),
  adapterHandshakeCase('x25519', 'TLSv1.2', 'ecdsa'),
  adapterHandshakeCase('x25519', 'TLSv1.2', 'rsa'),
  adapterBulkCase('aes-128-gcm'),
  memoryCase('server', 'adapter'),
  memoryCase('client', 'adapter'),
  handshakeCase('TLSv1.3', 'ecdsa', false),
  handshakeCase('TLSv1.3', 'rsa', false),
  handshakeCase('TLSv1.2', 'ecdsa', false),
  handshakeCase('TLSv1.2', 'rsa', false),
  // Resumption carries no certificate; the RSA chain lets forge take part.
  handshakeCase('TLSv1.3', 'rsa', true),
  handshakeCase('TLSv1.2', 'rsa', true),
  bulkCase('aes-128-gcm'),
  bulkCase('aes-256-gcm'),
  bulkCase('chacha20-poly1305'),
  memoryCase('server', 'engine'),
  memoryCase('client', 'engine'),
  recordCase('aes-128-gcm'),
  recordCase('aes-256-gcm'),
  recordCase('chacha20-poly1305'),
  pureJsCase('handshake'),
  pureJsCase('bulk'),
];

/** The cases `only` selects, by id or id prefix ('handshake', 'bulk-aes'); a string names the unknown ones. */
export function selectCases(only: readonly string[] | undefined): CaseDef[] | string {
  if (!only) return [...CASES];
  const unknown = only.filter((o) => !CASES.some((c) => c.id.startsWith(o)));
  if (unknown.length > 0)
    return `unknown case ${unknown.join(', ')}; cases: ${CASES.map((c) => c.id).join(', ')}`;
  return CASES.filter((c) => only.some((o) => c.id.startsWith(o)));
}

export async function runCase(def: CaseDef, ctx: Context): Promise<CaseResult> {
  const { run: _run, ...meta } = def;
  return { ...meta, cells: await def.run(ctx) };
}
