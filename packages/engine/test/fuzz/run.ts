// `pnpm fuzz [--time SECONDS] [--target NAME,...] [--seed N] [--save]`: coverage-guided fuzzing of
// the targets in targets.ts. Jazzer.js (libFuzzer for Node) was the plan, but its native addon
// needs glibc 2.38 and this project supports Debian 12 (glibc 2.36), so the loop is ours: V8's
// precise block coverage (node:inspector) is the guide, libFuzzer-style byte mutations the moves.
// An input that reaches a new block joins the corpus; --save replaces corpus/<target>/ with the
// corpus at the end, reduced to the smallest inputs that keep its coverage. An input that breaks
// a property is written to fuzz-findings/<target>/ and reported; exit status 1.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { CORPUS_DIR, corpusOf, type FuzzTarget, TARGETS } from './targets.js';

interface Options {
  readonly seconds: number;
  readonly targets: readonly FuzzTarget[];
  readonly seed: number;
  readonly save: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  let seconds = 60;
  let names: string[] | undefined;
  let seed = Date.now() >>> 0;
  let save = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--time') seconds = Number(argv[++i]);
    else if (arg === '--target') names = String(argv[++i]).split(',');
    else if (arg === '--seed') seed = Number(argv[++i]) >>> 0;
    else if (arg === '--save') save = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!(seconds > 0)) throw new Error('--time wants a positive number of seconds');
  const targets = names ? TARGETS.filter((t) => names.includes(t.name)) : TARGETS;
  if (targets.length === 0) throw new Error(`no target among ${TARGETS.map((t) => t.name).join(', ')}`);
  return { seconds, targets, seed, save };
}

/** xorshift32: reproducible runs for a given --seed (fuzzing needs no CSPRNG). */
function prng(seed: number) {
  let x = seed || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  return { below: (n: number) => (n <= 0 ? 0 : next() % n), byte: () => next() & 0xff };
}
type Prng = ReturnType<typeof prng>;

/** The blocks of the project's own sources that ran since the last call (V8 resets the counters). */
class Coverage {
  private readonly session = new Session();
  constructor() {
    this.session.connect();
    this.session.post('Profiler.enable');
    this.session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  }
  take(): string[] {
    let result: {
      url: string;
      functions: { ranges: { startOffset: number; endOffset: number; count: number }[] }[];
    }[] = [];
    // An in-thread inspector session answers synchronously.
    this.session.post('Profiler.takePreciseCoverage', (error, r) => {
      if (error) throw error;
      result = r.result;
    });
    const blocks: string[] = [];
    for (const script of result) {
      if (!script.url.includes('/packages/') || !script.url.includes('/src/')) continue;
      for (const f of script.functions)
        for (const r of f.ranges)
          if (r.count > 0) blocks.push(`${script.url}:${r.startOffset}:${r.endOffset}`);
    }
    return blocks;
  }
}

const INTERESTING = [0, 1, 2, 0x7f, 0x80, 0xfe, 0xff];
const MAX_LENGTH = 1 << 16;

/** One libFuzzer-style change: bits, bytes, length-like u16s, insertions, deletions, splices. */
function mutate(input: Uint8Array, corpus: readonly Uint8Array[], rnd: Prng): Uint8Array {
  const at = rnd.below(input.length + 1);
  const out = input.slice();
  switch (rnd.below(9)) {
    case 0:
      if (out.length > 0) out[rnd.below(out.length)]! ^= 1 << rnd.below(8);
      return out;
    case 1:
      if (out.length > 0) out[rnd.below(out.length)] = rnd.byte();
      return out;
    case 2:
      if (out.length > 0) out[rnd.below(out.length)] = INTERESTING[rnd.below(INTERESTING.length)]!;
      return out;
    case 3: {
      // A big-endian u16 (TLS lengths): nudged by a little, or an edge value.
      if (out.length < 2) return out;
      const i = rnd.below(out.length - 1);
      const v = (out[i]! << 8) | out[i + 1]!;
      const edges = [0, 1, 0xffff, 0x4000, 0x4001, v + 1, v - 1, v + 16, v - 16];
      const n = edges[rnd.below(edges.length)]! & 0xffff;
      out[i] = n >> 8;
      out[i + 1] = n & 0xff;
      return out;
    }
    case 4: {
      const extra = Uint8Array.from({ length: 1 + rnd.below(16) }, () => rnd.byte());
      return join3(input.subarray(0, at), extra, input.subarray(at));
    }
    case 5:
      return join3(input.subarray(0, at), new Uint8Array(0), input.subarray(at + 1 + rnd.below(32)));
    case 6: {
      // Repeat a piece (records and messages packed back to back).
      const from = rnd.below(input.length);
      const piece = input.subarray(from, from + 1 + rnd.below(64));
      return join3(input.subarray(0, at), piece, input.subarray(at));
    }
    case 7: {
      const other = corpus[rnd.below(corpus.length)]!;
      const from = rnd.below(other.length);
      return join3(input.subarray(0, at), other.subarray(from, from + 1 + rnd.below(256)), new Uint8Array(0));
    }
    default:
      return input.subarray(0, at).slice();
  }
}

function join3(a: Uint8Array, b: Uint8Array, c: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.min(a.length + b.length + c.length, MAX_LENGTH));
  out.set(a.subarray(0, out.length));
  if (a.length < out.length) out.set(b.subarray(0, out.length - a.length), a.length);
  if (a.length + b.length < out.length)
    out.set(c.subarray(0, out.length - a.length - b.length), a.length + b.length);
  return out;
}

const digest = (data: Uint8Array) => createHash('sha256').update(data).digest('hex').slice(0, 16);

function write(dir: string, data: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${digest(data)}.bin`);
  writeFileSync(file, data);
  return file;
}

/**
 * Writes the shortest inputs that, with the seeds (made afresh by every run, so never written),
 * reach every block the corpus reaches.
 */
function saveReduced(target: FuzzTarget, corpus: readonly Uint8Array[], coverage: Coverage): void {
  const covered = new Set<string>();
  const dir = join(CORPUS_DIR, target.name);
  rmSync(dir, { recursive: true, force: true });
  let kept = 0;
  const seeds = target.seeds();
  const seedDigests = new Set(seeds.map(digest));
  coverage.take();
  const inputs = [...corpus].filter((c) => !seedDigests.has(digest(c))).sort((a, b) => a.length - b.length);
  for (const [i, input] of [...seeds, ...inputs].entries()) {
    try {
      target.run(input);
    } catch {
      // Inputs in the corpus keep the properties.
    }
    const blocks = coverage.take().filter((b) => !covered.has(b));
    for (const b of blocks) covered.add(b);
    if (i < seeds.length || blocks.length === 0) continue;
    write(dir, input);
    kept++;
  }
  console.log(`${target.name}: ${kept} inputs saved to ${dir}`);
}

/** Fuzzes one target until `deadline`; returns the number of property failures found. */
function fuzz(target: FuzzTarget, deadline: number, rnd: Prng, save: boolean, coverage: Coverage): number {
  const seen = new Set<string>();
  const corpus: Uint8Array[] = [];
  const failures = new Map<string, string>();
  let executions = 0;
  const tryInput = (data: Uint8Array): void => {
    executions++;
    let failure: unknown;
    try {
      target.run(data);
    } catch (error) {
      failure = error;
    }
    const fresh = coverage.take().filter((b) => !seen.has(b));
    if (failure !== undefined) {
      const e = failure as Error;
      const where = `${e?.name}: ${e?.message}\n${String(e?.stack).split('\n').slice(1, 4).join('\n')}`;
      if (!failures.has(where)) {
        failures.set(where, write(join('fuzz-findings', target.name), data));
        console.log(`${target.name}: FAILURE ${where}\n  input: ${failures.get(where)}`);
      }
      return;
    }
    if (fresh.length > 0) {
      for (const b of fresh) seen.add(b);
      corpus.push(data);
    }
  };
  coverage.take();
  for (const input of [...target.seeds(), ...corpusOf(target.name)]) tryInput(input);
  if (corpus.length === 0) corpus.push(new Uint8Array(0));
  while (Date.now() < deadline) {
    let input = corpus[rnd.below(corpus.length)]!;
    for (let n = 1 + rnd.below(4); n > 0; n--) input = mutate(input, corpus, rnd);
    tryInput(input);
  }
  if (save) saveReduced(target, corpus, coverage);
  console.log(
    `${target.name}: ${executions} inputs, ${corpus.length} in corpus, ${seen.size} blocks, ${failures.size} failures`,
  );
  return failures.size;
}

const options = parseArgs(process.argv.slice(2));
console.log(
  `fuzzing ${options.targets.map((t) => t.name).join(', ')} for ${options.seconds} s, --seed ${options.seed}`,
);
const rnd = prng(options.seed);
const coverage = new Coverage();
const share = (options.seconds * 1000) / options.targets.length;
let failures = 0;
for (const target of options.targets)
  failures += fuzz(target, Date.now() + share, rnd, options.save, coverage);
process.exitCode = failures > 0 ? 1 : 0;
