// Decode/encode throughput of wire against a hand-written DataView reader, restructure and
// binary-parser, on a browser-like TLS ClientHello record. Run: `pnpm bench` in packages/wire.
import { isDeepStrictEqual } from 'node:util';
import { BROWSER_CLIENT_HELLO_RECORD, BROWSER_RAW_VALUE, RawRecord } from './common.js';
import { decodeRaw, decodeTyped, encodeRaw } from './handwritten.js';
import { binaryParserRecord, restructureRecord } from './others.js';
import { HandshakeRecord } from './shapes.js';

const input = BROWSER_CLIENT_HELLO_RECORD;
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

// Sanity first: every contender must decode the same thing, or its figure means nothing.
const wireRaw = RawRecord.parse(input);
if (!isDeepStrictEqual(wireRaw, decodeRaw(input)))
  throw new Error('hand-written decoder disagrees with wire');
const typed = HandshakeRecord.parse(input);
if (!isDeepStrictEqual(typed, decodeTyped(input)))
  throw new Error('hand-written typed decoder disagrees with wire');
const rs = restructureRecord.fromBuffer(input) as {
  body: { cipher_suites: number[]; extensions: unknown[] };
};
const bp = binaryParserRecord.parse(input) as { body: { cipher_suites: number[]; extensions: unknown[] } };
for (const [name, v] of [
  ['restructure', rs],
  ['binary-parser', bp],
] as const) {
  const body = wireRaw.fragment.body;
  if (
    !isDeepStrictEqual(v.body.cipher_suites, body.cipher_suites) ||
    v.body.extensions.length !== body.extensions?.length
  )
    throw new Error(`${name} disagrees with wire`);
}
if (!sameBytes(RawRecord.build(BROWSER_RAW_VALUE), input)) throw new Error('wire encode is not the input');
if (!sameBytes(encodeRaw(BROWSER_RAW_VALUE), input)) throw new Error('hand-written encode is not the input');
const restructureOk = sameBytes(restructureRecord.toBuffer(rs), input);

let sink = 0;
type Case = { name: string; fn: () => unknown; note?: string | undefined; n: number; rates: number[] };
/** Seconds of CPU time (user + system) for `c.n` calls: steadier than wall time on a shared machine. */
function time(c: Case): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < c.n; i++) sink ^= (c.fn() as object) === null ? 1 : 0;
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
}
const group = (list: { name: string; fn: () => unknown; note?: string }[]): Case[] =>
  list.map((c) => ({ ...c, n: 1000, rates: [] }));

const rows: Record<string, Case[]> = {
  'decode (common shape: record + handshake header + ClientHello, raw extensions)': group([
    { name: 'wire', fn: () => RawRecord.parse(input) },
    { name: 'hand-written DataView', fn: () => decodeRaw(input) },
    { name: 'restructure 3.0.2', fn: () => restructureRecord.fromBuffer(input) },
    { name: 'binary-parser 2.3.0', fn: () => binaryParserRecord.parse(input) },
  ]),
  'encode (common shape)': group([
    { name: 'wire', fn: () => RawRecord.build(BROWSER_RAW_VALUE) },
    { name: 'hand-written DataView', fn: () => encodeRaw(BROWSER_RAW_VALUE) },
    {
      name: 'restructure 3.0.2',
      fn: () => restructureRecord.toBuffer(rs),
      ...(restructureOk ? {} : { note: 'output differs from the input (vector prefixes count elements)' }),
    },
  ]),
  'decode (typed: known extension bodies decoded via EnumSwitch)': group([
    { name: 'wire', fn: () => HandshakeRecord.parse(input) },
    { name: 'hand-written DataView', fn: () => decodeTyped(input) },
  ]),
  'encode (typed)': group([{ name: 'wire', fn: () => HandshakeRecord.build(typed) }]),
};

// Calibrate each case to >= 50 ms per round (after a warm-up), then run the rounds interleaved
// (every case once per round) so that load changes on a shared machine hit all contenders alike.
const cases = Object.values(rows).flat();
for (const c of cases) {
  time(c);
  while (time(c) < 0.05) c.n *= 2;
}
const ROUNDS = 9;
for (let round = 0; round < ROUNDS; round++) for (const c of cases) c.rates.push(c.n / time(c));
const ops = (c: Case) => [...c.rates].sort((a, b) => a - b)[ROUNDS >> 1]!; // median

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`node ${process.version}, input ${input.length} bytes (browser-like ClientHello record)\n`);
for (const [title, list] of Object.entries(rows)) {
  console.log(title);
  const wire = ops(list[0]!);
  for (const row of list) {
    const ratio = row === list[0] ? '' : `  wire/this = ${(wire / ops(row)).toFixed(2)}x`;
    console.log(
      `  ${row.name.padEnd(24)} ${fmt(ops(row)).padStart(12)} ops/s${ratio}${row.note ? `  (${row.note})` : ''}`,
    );
  }
  console.log('');
}
const [w, hand, rst] =
  rows['decode (common shape: record + handshake header + ClientHello, raw extensions)']!;
console.log(
  `targets: wire decode = ${((100 * ops(w!)) / ops(hand!)).toFixed(0)}% of hand-written (>= 50%), ` +
    `${(ops(w!) / ops(rst!)).toFixed(1)}x restructure (>= 3x)`,
);
if (sink === 42) console.log('');
