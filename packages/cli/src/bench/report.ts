// The benchmark's output: Markdown tables (main comparison with ratios, record layer against
// openssl speed, the pure-JS comparison), the targets marked met or missed, and errors.
import type { CaseResult, Cell } from './harness.js';

export interface Target {
  readonly target: string;
  readonly figure: string;
  /** undefined: not measured (a contender had no figure). */
  readonly met: boolean | undefined;
}

/** Published figure of subtls, the pure-JS TLS 1.3 client, against a native server on this class of machine. */
export const SUBTLS = { handshakes: 35, mbPerSecond: (100 * 2 ** 20) / 1e6 } as const;

const MAIN_COLUMNS = ['tlskit-node', 'tlskit-noble', 'node', 'forge'] as const;
const HEADINGS: Record<string, string> = {
  'tlskit-node': 'tls-kit (node:crypto)',
  'tlskit-noble': 'tls-kit (@noble)',
  node: 'node:tls',
  forge: 'node-forge ¹',
  openssl: 'openssl speed',
  'noble-vs-node': 'tls-kit (@noble) client ↔ node:tls server',
  'tlskit-adapter': 'tls-kit adapter ↔ adapter',
  'adapter-client': 'tls-kit adapter client → node:tls server',
  'adapter-server': 'node:tls client → tls-kit adapter server',
};

const ADAPTER_COLUMNS = ['tlskit-adapter', 'node', 'adapter-client', 'adapter-server'] as const;

export function formatNumber(value: number, unit: string): string {
  if (unit === 'bytes') return Math.round(value).toLocaleString('en-US');
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function cellText(cell: Cell | undefined, unit: string, showProtocol: boolean): string {
  if (!cell) return '';
  if (cell.value !== undefined) {
    const figure = formatNumber(cell.value, unit);
    return showProtocol && cell.protocol ? `${figure} (${cell.protocol.replace('TLSv', 'TLS ')})` : figure;
  }
  if (cell.error !== undefined) return 'error ²';
  return (cell.na ?? '').replace(/: .*/, ')').replace(/\)\)$/, ')');
}

export function ratio(a: Cell | undefined, b: Cell | undefined): number | undefined {
  if (a?.value === undefined || b?.value === undefined || b.value === 0) return undefined;
  return a.value / b.value;
}

const ratioText = (r: number | undefined) => (r === undefined ? '' : `${r.toFixed(2)}x`);

/** A Markdown table; columns from `numericFrom` on are right-aligned. */
function table(head: string[], rows: string[][], numericFrom = 1): string {
  const align = head.map((_, i) => (i < numericFrom ? '---' : '---:'));
  return [head, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function mainTable(results: readonly CaseResult[]): string {
  const rows = results
    .filter((r) => r.group !== 'record' && r.group !== 'pure-js' && r.group !== 'adapter')
    .map((r) => {
      const c = r.cells;
      return [
        r.title,
        ...MAIN_COLUMNS.map((id) => cellText(c[id], r.unit, id === 'forge')),
        ratioText(ratio(c['tlskit-node'], c.node)),
        ratioText(ratio(c['tlskit-noble'], c.node)),
        // For memory a smaller figure is better: the forge ratio is then forge / tls-kit, like the others "times better".
        ratioText(r.higherIsBetter ? ratio(c['tlskit-node'], c.forge) : ratio(c.forge, c['tlskit-node'])),
        ratioText(r.higherIsBetter ? ratio(c['tlskit-noble'], c.forge) : ratio(c.forge, c['tlskit-noble'])),
      ];
    });
  return table(
    [
      'case',
      ...MAIN_COLUMNS.map((id) => HEADINGS[id]!),
      'tls-kit/node',
      '@noble/node',
      'tls-kit vs forge',
      '@noble vs forge',
    ],
    rows,
  );
}

/** The socket cases per wall-clock second (what a user waits), beside the per-CPU-second main table. */
export function wallTable(results: readonly CaseResult[]): string {
  const rows = results
    .filter((r) => r.group === 'handshake' || r.group === 'resumption' || r.group === 'bulk')
    .map((r) => {
      const wall = (id: string): Cell | undefined => {
        const cell = r.cells[id];
        return cell?.wall === undefined
          ? cell && { ...cell, value: undefined }
          : { ...cell, value: cell.wall };
      };
      return [
        r.title,
        ...MAIN_COLUMNS.map((id) => cellText(wall(id), r.unit, false)),
        ratioText(ratio(wall('tlskit-node'), wall('node'))),
        ratioText(ratio(wall('tlskit-noble'), wall('node'))),
        ratioText(ratio(wall('tlskit-node'), wall('forge'))),
      ];
    });
  return table(
    [
      'case (per wall-clock second)',
      ...MAIN_COLUMNS.map((id) => HEADINGS[id]!),
      'tls-kit/node',
      '@noble/node',
      'tls-kit vs forge',
    ],
    rows,
  );
}

export function recordTable(results: readonly CaseResult[]): string {
  const rows = results
    .filter((r) => r.group === 'record')
    .map((r) => {
      const c = r.cells;
      const provider = (id: string) => [
        cellText(c[id], r.unit, false),
        c[id]?.detail ? formatNumber(c[id].detail.open ?? 0, r.unit) : '',
        c[id]?.detail ? formatNumber(c[id].detail.sealOpen ?? 0, r.unit) : '',
      ];
      const percent = (a: Cell | undefined, b: Cell | undefined) => {
        const x = ratio(a, b);
        return x === undefined ? '' : `${(x * 100).toFixed(1)}%`;
      };
      return [
        r.id.replace('record-', ''),
        ...provider('tlskit-node'),
        ...provider('tlskit-noble'),
        ...provider('node-crypto-bare'),
        cellText(c.openssl, r.unit, false),
        percent(c['tlskit-node'], c.openssl),
        percent(c['node-crypto-bare'], c.openssl),
        percent(c['tlskit-node'], c['node-crypto-bare']),
      ];
    });
  return table(
    [
      'AEAD (MB/s per CPU s)',
      'tls-kit node:crypto seal',
      'open',
      'seal+open',
      'tls-kit @noble seal',
      'open',
      'seal+open',
      'bare node:crypto loop seal',
      'open',
      'seal+open',
      'openssl speed -evp',
      'tls-kit seal / openssl',
      'bare loop seal / openssl',
      'tls-kit seal / bare loop',
    ],
    rows,
  );
}

/**
 * What a record layer on node:crypto can reach in bulk, as a multiple of node:tls: node:tls's cost
 * per MB moved, minus its AEAD work (one seal and one open per byte at `openssl speed`), plus the
 * bare node:crypto loop's seal+open. No JS stack can beat node:tls by more than this on node:crypto.
 */
export function nodeCryptoCeiling(nodeTls: number, openssl: number, bareSealOpen: number): number {
  const nodeCost = 1 / nodeTls;
  return nodeCost / (nodeCost - 2 / openssl + 1 / bareSealOpen);
}

/** The adapter's cases: handshakes with close (4 pairings), bulk against its ceiling, memory. */
export function adapterTables(results: readonly CaseResult[]): string | undefined {
  const adapter = results.filter((r) => r.group === 'adapter');
  if (adapter.length === 0) return undefined;
  const out: string[] = [];
  const handshakes = adapter.filter((r) => r.unit === 'handshakes/s');
  if (handshakes.length > 0) {
    out.push(
      table(
        [
          'case (per CPU second)',
          ...ADAPTER_COLUMNS.map((id) => HEADINGS[id]!),
          'adapter↔adapter / node↔node',
          'adapter client / node↔node',
          'adapter server / node↔node',
          'same, per wall-clock second',
        ],
        handshakes.map((r) => {
          const c = r.cells;
          const wall = (id: string) => c[id] && { value: c[id].wall };
          return [
            r.title,
            ...ADAPTER_COLUMNS.map((id) => cellText(c[id], r.unit, false)),
            ...['tlskit-adapter', 'adapter-client', 'adapter-server'].map((id) =>
              ratioText(ratio(c[id], c.node)),
            ),
            ['tlskit-adapter', 'adapter-client', 'adapter-server']
              .map((id) => ratioText(ratio(wall(id), wall('node'))))
              .join(' / '),
          ];
        }),
      ),
    );
  }
  for (const r of adapter.filter((x) => x.unit === 'MB/s')) {
    const c = r.cells;
    const nodeTls = c.node?.value;
    const openssl = c.openssl?.value;
    const bare = c['node-crypto-bare']?.detail?.sealOpen;
    const ceiling = nodeTls && openssl && bare ? nodeCryptoCeiling(nodeTls, openssl, bare) : undefined;
    const ours = ratio(c['tlskit-adapter'], c.node);
    out.push(
      table(
        [
          'case (per CPU second)',
          HEADINGS['tlskit-adapter']!,
          'node:tls',
          'adapter / node:tls',
          'openssl speed -evp',
          'bare node:crypto seal+open',
          'node:crypto ceiling vs node:tls',
          'adapter / ceiling',
        ],
        [
          [
            r.title,
            cellText(c['tlskit-adapter'], r.unit, false),
            cellText(c.node, r.unit, false),
            ratioText(ours),
            cellText(c.openssl, r.unit, false),
            bare === undefined ? '' : formatNumber(bare, r.unit),
            ratioText(ceiling),
            ours === undefined || ceiling === undefined ? '' : `${((ours / ceiling) * 100).toFixed(0)}%`,
          ],
        ],
      ),
    );
  }
  const memory = adapter.filter((r) => r.unit === 'bytes');
  if (memory.length > 0) {
    const figure = (n: number | undefined) => (n === undefined ? '' : formatNumber(n, 'bytes'));
    out.push(
      table(
        [
          'role',
          'adapter heap B/conn',
          'node:tls heap',
          'adapter RSS B/conn',
          'node:tls RSS',
          'heap ratio',
          'RSS ratio',
        ],
        memory.map((r) => {
          const a = r.cells['tlskit-adapter'];
          const n = r.cells.node;
          return [
            `${r.id.replace('adapter-memory-', '')} side`,
            cellText(a, 'bytes', false),
            cellText(n, 'bytes', false),
            figure(a?.detail?.rss),
            figure(n?.detail?.rss),
            ratioText(ratio(a, n)),
            ratioText(ratio(a && { value: a.detail?.rss }, n && { value: n.detail?.rss })),
          ];
        }),
      ),
    );
  }
  return out.join('\n\n');
}

/** The engine's bulk cases against the ceiling of the same run's record cases (nodeCryptoCeiling). */
export function ceilingTable(results: readonly CaseResult[]): string | undefined {
  const rows: string[][] = [];
  for (const bulk of results.filter((r) => r.group === 'bulk')) {
    const aead = bulk.id.replace('bulk-', '');
    const record = results.find((r) => r.id === `record-${aead}`);
    const nodeTls = bulk.cells.node?.value;
    const tlsKit = bulk.cells['tlskit-node']?.value;
    const openssl = record?.cells.openssl?.value;
    const bare = record?.cells['node-crypto-bare']?.detail?.sealOpen;
    if (!nodeTls || !tlsKit || !openssl || !bare) continue;
    const ceiling = nodeCryptoCeiling(nodeTls, openssl, bare);
    const actual = tlsKit / nodeTls;
    rows.push([
      aead,
      formatNumber(nodeTls, 'MB/s'),
      formatNumber(openssl, 'MB/s'),
      formatNumber(bare, 'MB/s'),
      ratioText(ceiling),
      ratioText(actual),
      `${((actual / ceiling) * 100).toFixed(0)}%`,
    ]);
  }
  if (rows.length === 0) return undefined;
  return table(
    [
      'AEAD (per CPU second)',
      'node:tls bulk MB/s',
      'openssl speed -evp MB/s',
      'bare node:crypto seal+open MB/s',
      'ceiling of a node:crypto record layer vs node:tls',
      'tls-kit bulk vs node:tls',
      'tls-kit / ceiling',
    ],
    rows,
  );
}

export function pureJsTable(results: readonly CaseResult[]): string {
  const rows = results
    .filter((r) => r.group === 'pure-js')
    .map((r) => {
      const cell = r.cells['noble-vs-node'];
      const subtls = r.unit === 'MB/s' ? SUBTLS.mbPerSecond : SUBTLS.handshakes;
      const versus = cell?.wall === undefined ? '' : `${(cell.wall / subtls).toFixed(2)}x`;
      const wall = cell?.wall === undefined ? cellText(cell, r.unit, false) : formatNumber(cell.wall, r.unit);
      const cpu = cell?.value === undefined ? '' : formatNumber(cell.value, r.unit);
      return [r.title, wall, cpu, formatNumber(subtls, r.unit), versus];
    });
  return table(
    [
      'case',
      `${HEADINGS['noble-vs-node']!}, wall clock`,
      'per CPU second',
      'subtls (published, wall clock)',
      'ratio (wall)',
    ],
    rows,
  );
}

/** Memory in detail: V8 heap, external memory (ArrayBuffers, native objects Node reports) and RSS. */
export function memoryTable(results: readonly CaseResult[]): string {
  const rows: string[][] = [];
  for (const r of results.filter((x) => x.group === 'memory')) {
    for (const id of MAIN_COLUMNS) {
      const cell = r.cells[id];
      const figure = (n: number | undefined) => (n === undefined ? '' : formatNumber(n, 'bytes'));
      rows.push([
        `${r.id.replace('memory-', '')} side`,
        HEADINGS[id]!,
        cellText(cell, 'bytes', false),
        figure(cell?.detail?.external),
        figure(cell?.detail?.rss),
        cell?.protocol ?? '',
      ]);
    }
  }
  return table(
    ['role', 'stack', 'heap bytes/conn', 'external bytes/conn', 'RSS bytes/conn', 'protocol'],
    rows,
  );
}

export function evaluateTargets(results: readonly CaseResult[]): Target[] {
  const targets: Target[] = [];
  const add = (
    target: string,
    a: Cell | undefined,
    b: Cell | undefined,
    unit: string,
    test: (r: number) => boolean,
  ) => {
    const r = ratio(a, b);
    const wall = a?.wall !== undefined && b?.wall !== undefined ? a.wall / b.wall : undefined;
    const figure =
      r === undefined
        ? `not measured (${[a, b].map((c) => c?.na ?? c?.error ?? (c?.value === undefined ? 'no figure' : 'ok')).join(' / ')})`
        : `${formatNumber(a!.value!, unit)} vs ${formatNumber(b!.value!, unit)} = ${r.toFixed(2)}x` +
          (wall === undefined ? '' : ` (wall clock: ${wall.toFixed(2)}x)`);
    targets.push({ target, figure, met: r === undefined ? undefined : test(r) });
  };
  const rss = (cell: Cell | undefined): Cell | undefined => cell && { value: cell.detail?.rss };
  for (const r of results) {
    const c = r.cells;
    const name = r.title;
    if (r.group === 'adapter') {
      if (r.unit === 'handshakes/s') {
        // Defaults: tls-kit pays for the ML-KEM share node:tls (OpenSSL 3.0) does not offer.
        const bar = r.id === 'adapter-handshake-defaults' ? 0.8 : 1;
        for (const id of ['tlskit-adapter', 'adapter-client', 'adapter-server'])
          add(
            `${name}: ${HEADINGS[id]} >= ${bar.toFixed(1)}x node:tls ↔ node:tls`,
            c[id],
            c.node,
            r.unit,
            (x) => x >= bar,
          );
      } else if (r.unit === 'MB/s') {
        const nodeTls = c.node?.value;
        const openssl = c.openssl?.value;
        const bare = c['node-crypto-bare']?.detail?.sealOpen;
        const ceiling: Cell | undefined =
          nodeTls && openssl && bare
            ? { value: nodeCryptoCeiling(nodeTls, openssl, bare) * nodeTls }
            : undefined;
        add(
          `${name}: adapter >= 90% of the node:crypto ceiling`,
          c['tlskit-adapter'],
          ceiling,
          r.unit,
          (x) => x >= 0.9,
        );
      } else {
        add(`${name}: adapter heap <= node:tls heap`, c['tlskit-adapter'], c.node, r.unit, (x) => x <= 1);
        add(
          `${name}: adapter RSS <= node:tls RSS`,
          rss(c['tlskit-adapter']),
          rss(c.node),
          r.unit,
          (x) => x <= 1,
        );
      }
      continue;
    }
    if (r.group === 'handshake' || r.group === 'resumption' || r.group === 'bulk') {
      add(`${name}: tls-kit >= 1.0x node:tls`, c['tlskit-node'], c.node, r.unit, (x) => x >= 1);
    }
    if (r.group === 'record') {
      add(
        `${name}: tls-kit seal >= 50% of openssl speed`,
        c['tlskit-node'],
        c.openssl,
        r.unit,
        (x) => x >= 0.5,
      );
    }
    if (r.group === 'memory') {
      add(`${name}: tls-kit heap <= node:tls heap`, c['tlskit-node'], c.node, r.unit, (x) => x <= 1);
      add(`${name}: tls-kit RSS <= node:tls RSS`, rss(c['tlskit-node']), rss(c.node), r.unit, (x) => x <= 1);
    }
    if (r.group !== 'memory' && c.forge?.value !== undefined) {
      add(`${name}: tls-kit >= 5x node-forge`, c['tlskit-node'], c.forge, r.unit, (x) => x >= 5);
    }
    if (r.group === 'pure-js') {
      // subtls's figures are wall clock on an otherwise idle machine, where wall clock and CPU time
      // of a one-thread process coincide: the per-CPU-second figure is the comparable one here.
      const published = r.unit === 'MB/s' ? SUBTLS.mbPerSecond : SUBTLS.handshakes;
      const subtls: Cell = { value: published, wall: published };
      add(`${name}: >= 2x subtls`, c['noble-vs-node'], subtls, r.unit, (x) => x >= 2);
    }
  }
  return targets;
}

export function targetsTable(targets: readonly Target[]): string {
  const verdict = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'met' : 'MISSED');
  return table(
    ['target', 'figures (same run)', 'result'],
    targets.map((t) => [t.target, t.figure, verdict(t.met)]),
    3,
  );
}

/** Every error and every n/a reason with its case and contender. */
export function notes(results: readonly CaseResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    for (const [id, cell] of Object.entries(r.cells)) {
      if (cell.error !== undefined) lines.push(`² ${r.id} / ${HEADINGS[id] ?? id}: ${cell.error}`);
      else if (cell.na?.includes(': ')) lines.push(`${r.id} / ${HEADINGS[id] ?? id}: ${cell.na}`);
    }
  }
  return lines;
}
