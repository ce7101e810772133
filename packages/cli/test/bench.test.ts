// `tls-kit bench`: a smoke test of the whole harness with tiny budgets. It checks that every case
// runs and yields well-formed figures for every stack, never how fast anything is.
import { Writable } from 'node:stream';
import test from 'ava';
import type { BenchReport } from '../src/commands/bench.js';
import { run } from '../src/commands/bench.js';

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function bench(...argv: string[]) {
  const stdout = capture();
  const stderr = capture();
  const status = await run(argv, { stdin: process.stdin, stdout: stdout.stream, stderr: stderr.stream });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

/** One round of 0.05 s of the `only` cases. */
const quickBench = (only: string) => bench('--seconds', '0.05', '--rounds', '1', '--only', only);

const MAIN = ['tlskit-node', 'tlskit-noble', 'node', 'forge'];

test('bench --seconds 0.05 --rounds 2 --json: every case, every stack, well-formed figures', async (t) => {
  // Two rounds, so that the contenders alternate; the smallest budgets that still run every case.
  const { status, stdout, stderr } = await bench(
    '--seconds',
    '0.05',
    '--json',
    '--connections',
    '20',
    '--rounds',
    '2',
  );
  t.is(status, 0, stderr);
  const report = JSON.parse(stdout) as BenchReport;
  t.true(report.machine.cpus > 0);
  t.regex(report.machine.node, /^v\d+/);
  const ids = report.cases.map((c) => c.id);
  for (const prefix of [
    'adapter-handshake-defaults',
    'adapter-handshake-x25519-tls13',
    'adapter-handshake-x25519-tls12',
    'adapter-bulk-',
    'adapter-memory-',
    'handshake-tls13',
    'handshake-tls12',
    'resume-tls13',
    'resume-tls12',
    'bulk-',
    'memory-',
    'record-',
    'purejs-',
  ]) {
    t.true(
      ids.some((id) => id.startsWith(prefix)),
      `a ${prefix} case`,
    );
  }
  for (const c of report.cases) {
    const expected =
      c.group === 'adapter'
        ? c.unit === 'handshakes/s'
          ? ['tlskit-adapter', 'node', 'adapter-client', 'adapter-server']
          : c.unit === 'MB/s'
            ? ['tlskit-adapter', 'node', 'node-crypto-bare', 'openssl']
            : ['tlskit-adapter', 'node']
        : c.group === 'record'
          ? ['tlskit-node', 'tlskit-noble', 'node-crypto-bare', 'openssl']
          : c.group === 'pure-js'
            ? ['noble-vs-node']
            : MAIN;
    t.deepEqual(Object.keys(c.cells).sort(), [...expected].sort(), `${c.id}: one cell per contender`);
    for (const [id, cell] of Object.entries(c.cells)) {
      t.is(cell.error, undefined, `${c.id} / ${id}`);
      if (cell.value === undefined) {
        t.regex(cell.na ?? '', /^n\/a \(/, `${c.id} / ${id}: a figure or a reason`);
      } else if (c.unit === 'bytes') {
        t.true(Number.isFinite(cell.value), `${c.id} / ${id}: ${cell.value}`);
      } else {
        t.true(Number.isFinite(cell.value) && cell.value > 0, `${c.id} / ${id}: ${cell.value}`);
      }
    }
  }
  // Node's tls and tls-kit over node:crypto can run every TLS 1.3 case.
  for (const c of report.cases.filter(
    (x) => x.group !== 'adapter' && (x.id.includes('tls13') || x.group === 'bulk'),
  )) {
    t.not(c.cells.node?.value, undefined, c.id);
    t.not(c.cells['tlskit-node']?.value, undefined, c.id);
  }
  t.true(report.targets.length > 0);
  for (const target of report.targets) t.true(target.met === undefined || typeof target.met === 'boolean');
});

test('bench prints Markdown tables with ratios', async (t) => {
  const { status, stdout } = await quickBench('handshake-tls13-ecdsa');
  t.is(status, 0);
  t.regex(stdout, /\| case \| tls-kit \(node:crypto\) \| tls-kit \(@noble\) \| node:tls \| node-forge/);
  t.regex(
    stdout,
    /\| full handshakes\/s, TLS 1\.3, X25519, ECDSA P-256 chain verified \| [\d,.]+ \| [\d,.]+ \| [\d,.]+ \| n\/a \(forge cannot load EC keys\) \| [\d.]+x \|/,
  );
  t.regex(stdout, /tls-kit >= 1\.0x node:tls \| [\d,.]+ vs [\d,.]+ = [\d.]+x[^|]* \| (met|MISSED) \|/);
});

test('bench: the record case sets tls-kit beside a bare node:crypto loop, and bulk against that ceiling', async (t) => {
  const { status, stdout } = await quickBench('bulk-aes-128-gcm,record-aes-128-gcm');
  t.is(status, 0);
  t.regex(stdout, /\| aes-128-gcm \|( [\d,.]+ \|){10} [\d.]+% \| [\d.]+% \| [\d.]+% \|/);
  t.regex(stdout, /\| aes-128-gcm \| [\d,.]+ \| [\d,.]+ \| [\d,.]+ \| [\d.]+x \| [\d.]+x \| \d+% \|/);
});

test("bench: the adapter cases pair tls-kit's adapter and node:tls four ways, and bulk against its ceiling", async (t) => {
  const { status, stdout, stderr } = await quickBench('adapter-handshake-x25519-tls12-rsa,adapter-bulk');
  t.is(status, 0, stderr);
  t.regex(
    stdout,
    /\| adapter handshakes\/s with close, ecdhCurve X25519, TLS 1\.2 ECDHE, RSA-2048 chain( \| [\d,.]+){4}( \| [\d.]+x){3} \|/,
  );
  t.regex(
    stdout,
    /\| adapter bulk MB\/s[^|]*\| [\d,.]+ \| [\d,.]+ \| [\d.]+x \| [\d,.]+ \| [\d,.]+ \| [\d.]+x \| \d+% \|/,
  );
  t.regex(stdout, /node:tls client → tls-kit adapter server >= 1\.0x node:tls ↔ node:tls \| [\d,.]+ vs/);
});

test('bench refuses bad flags with exit status 2', async (t) => {
  for (const argv of [
    ['--seconds', '0'],
    ['--seconds', 'x'],
    ['--only', 'nosuchcase'],
    ['--rounds', '1.5'],
    ['--frobnicate'],
  ]) {
    const { status, stderr } = await bench(...argv);
    t.is(status, 2, argv.join(' '));
    t.regex(stderr, /^error: /, argv.join(' '));
  }
});
