// `tls-kit bench`: handshakes, bulk throughput, memory per connection and the record layer,
// tls-kit (node:crypto and @noble providers) side by side with Node's native tls and node-forge,
// in one process over loopback, in alternating rounds. Prints Markdown or JSON.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { type CommandSpec, command, parseList, str, UsageError } from '../args.js';
import { type BenchOptions, type CaseResult, runCase, selectCases } from '../bench/harness.js';
import { makePki } from '../bench/pki.js';
import {
  adapterTables,
  ceilingTable,
  evaluateTargets,
  formatNumber,
  mainTable,
  memoryTable,
  notes,
  pureJsTable,
  recordTable,
  type Target,
  targetsTable,
  wallTable,
} from '../bench/report.js';
import { ROUNDS } from '../bench/rounds.js';

const spec: CommandSpec = {
  name: 'bench',
  synopsis: '[--json] [--seconds N] [--only CASE[,CASE]] [--connections N] [--rounds N]',
  description:
    "Measures tls-kit's Node adapter (connect/createServer of @tls-kit/engine/node) against node:tls:\n" +
    'handshakes/s with close (defaults; ecdhCurve X25519 for both versions and key types; each side alone\n' +
    'against node:tls), bulk MB/s against the node:crypto ceiling and memory per idle connection. Then the\n' +
    "engine through the bench's own glue: full and resumed handshakes/s, bulk MB/s on one connection, heap\n" +
    'bytes per idle connection and the in-memory record layer, for tls-kit with the node:crypto and the\n' +
    '@noble provider, node:tls and node-forge (TLS 1.0/1.1 only), over 127.0.0.1 in this process (memory:\n' +
    'in child processes); the record cases add `openssl speed -evp` and a bare node:crypto AEAD loop (the\n' +
    'ceiling on node:crypto). Each case runs its contenders in alternating rounds; figures are medians.\n' +
    'Progress goes to stderr.',
  flags: {
    json: { type: 'boolean', help: 'print the results as JSON instead of Markdown tables' },
    seconds: {
      type: 'string',
      value: 'N',
      help: 'time per contender per case, spread over the rounds (default 3; bulk moves 64 MiB each way per round at 3)',
    },
    only: {
      type: 'string',
      value: 'CASE',
      help: 'run only these cases (ids or id prefixes, comma-separated)',
    },
    connections: {
      type: 'string',
      value: 'N',
      help: 'idle connections held by the memory cases (default 1000)',
    },
    rounds: { type: 'string', value: 'N', help: `alternating rounds per case (default ${ROUNDS})` },
  },
  epilog:
    'cases: adapter-handshake-defaults, adapter-handshake-x25519-{tls13,tls12}-{ecdsa,rsa},\n' +
    '  adapter-bulk-aes-128-gcm, adapter-memory-server, adapter-memory-client,\n' +
    '  handshake-tls13-ecdsa, handshake-tls13-rsa, handshake-tls12-ecdsa, handshake-tls12-rsa, resume-tls13,\n' +
    '  resume-tls12, bulk-aes-128-gcm, bulk-aes-256-gcm, bulk-chacha20-poly1305, memory-server, memory-client,\n' +
    '  record-aes-128-gcm, record-aes-256-gcm, record-chacha20-poly1305, purejs-handshake, purejs-bulk\n' +
    'exit status: 0 when every measurement ran (targets missed or not), 1 if one failed, 2 on bad flags.\n' +
    'example: pnpm tls-kit bench --only adapter --seconds 3   (the adapter rows, about 3 minutes)',
};

export interface Machine {
  readonly cpu: string;
  readonly cpus: number;
  readonly node: string;
  readonly openssl: string;
  readonly opensslCli: string | undefined;
  readonly os: string;
  readonly loadAverage: { readonly start: number[]; end?: number[] };
  readonly date: string;
}

export interface BenchReport {
  readonly command: string;
  readonly machine: Machine;
  readonly options: BenchOptions;
  readonly cases: CaseResult[];
  readonly targets: Target[];
}

function machine(): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux: os.cpus() it is
  }
  let opensslCli: string | undefined;
  try {
    opensslCli = execFileSync('openssl', ['version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    opensslCli = undefined;
  }
  return {
    cpu,
    cpus: os.availableParallelism(),
    node: process.version,
    openssl: process.versions.openssl ?? 'unknown',
    opensslCli,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: { start: os.loadavg() },
    date: new Date().toISOString(),
  };
}

function positive(
  text: string | undefined,
  flag: string,
  fallback: number,
  integer: boolean,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `--${flag} wants a ${integer ? 'positive integer' : 'positive number'} up to ${max}, got '${text}'`,
    );
  }
  return value;
}

export function markdown(report: BenchReport): string {
  const m = report.machine;
  const load = (l: number[] | undefined) => (l ? l.map((x) => x.toFixed(2)).join(' ') : '?');
  const lines = [
    `Command: \`${report.command}\``,
    '',
    `Machine: ${m.cpus} CPUs (${m.cpu}), ${m.os}; Node ${m.node} (OpenSSL ${m.openssl}); openssl CLI: ${m.opensslCli ?? 'absent'}; ${m.date}; load average ${load(m.loadAverage.start)} at the start, ${load(m.loadAverage.end)} at the end.`,
    `Each case: ${report.options.rounds} alternating rounds, ${report.options.seconds} s per contender in total; figures are medians of the rounds, per CPU second of this process (user + system; it runs both ends of every connection), which other jobs on the machine disturb far less than wall-clock time; the wall-clock figures follow in a second table. Memory: ${report.options.connections} idle connections per stack and role, heap growth per connection.`,
  ];
  const has = (groups: string[]) => report.cases.some((c) => groups.includes(c.group));
  const adapter = adapterTables(report.cases);
  if (adapter) lines.push('', adapter);
  if (has(['handshake', 'resumption', 'bulk', 'memory'])) {
    lines.push(
      '',
      mainTable(report.cases),
      '',
      '¹ node-forge has TLS 1.0/1.1 only, RSA key exchange and AES-CBC with HMAC-SHA1 (TLS_RSA_WITH_AES_128/256_CBC_SHA in the AES-128/256 rows), and cannot load EC keys; the version in parentheses is what forge negotiated with itself.',
    );
  }
  if (has(['handshake', 'resumption', 'bulk'])) lines.push('', wallTable(report.cases));
  if (has(['memory'])) lines.push('', memoryTable(report.cases));
  if (has(['record'])) lines.push('', recordTable(report.cases));
  const ceiling = ceilingTable(report.cases);
  if (ceiling) lines.push('', ceiling);
  if (has(['pure-js'])) lines.push('', pureJsTable(report.cases));
  lines.push('', targetsTable(report.targets));
  const extra = notes(report.cases);
  if (extra.length > 0) lines.push('', ...extra.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

export const run = command(spec, async (flags, io, argv) => {
  const only = str(flags, 'only');
  const options: BenchOptions = {
    seconds: positive(str(flags, 'seconds'), 'seconds', 3, false, 600),
    rounds: positive(str(flags, 'rounds'), 'rounds', ROUNDS, true, 101),
    connections: positive(str(flags, 'connections'), 'connections', 1000, true, 20_000),
  };
  const cases = selectCases(only === undefined ? undefined : parseList(only, 'only'));
  if (typeof cases === 'string') throw new UsageError(cases);
  const report: BenchReport = {
    command: `tls-kit bench ${argv.join(' ')}`.trim(),
    machine: machine(),
    options,
    cases: [],
    targets: [],
  };
  const pki = makePki();
  for (const [i, def] of cases.entries()) {
    io.stderr.write(`[${i + 1}/${cases.length}] ${def.id} ...`);
    const result = await runCase(def, { pki, options });
    report.cases.push(result);
    const summary = Object.entries(result.cells).map(([id, cell]) => {
      const figure =
        cell.value !== undefined ? formatNumber(cell.value, result.unit) : cell.error ? 'error' : 'n/a';
      return `${id} ${figure}`;
    });
    io.stderr.write(` ${summary.join(', ')} (${result.unit})\n`);
  }
  report.machine.loadAverage.end = os.loadavg();
  report.targets.push(...evaluateTargets(report.cases));
  io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : markdown(report));
  return report.cases.some((c) => Object.values(c.cells).some((cell) => cell.error !== undefined)) ? 1 : 0;
});
