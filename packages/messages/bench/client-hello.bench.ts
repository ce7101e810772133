/// <reference path="../../wire/bench/vendor.d.ts" />
// Parses a real 496-byte ClientHello handshake message (openssl s_client 3.0 resuming a TLS 1.3
// session: SNI, ALPN, key_share, a ticket and its binder) with @tls-kit/messages, and the same
// bytes with restructure at the depth restructure can express (extensions kept as raw
// { type, data }: it has no default branch for unknown tags). Run: `pnpm bench` in packages/messages.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import * as r from 'restructure';
import { ClientHello, Handshake, HandshakeType, RecordSplitter } from '../src/index.js';

const stream = new Uint8Array(
  readFileSync(new URL('../test/fixtures/openssl-tls13-resumption.c2s.bin', import.meta.url)),
);
const splitter = new RecordSplitter();
splitter.push(stream);
const message = splitter.next()!.record.fragment; // one record holds the whole ClientHello
const body = message.subarray(4);

const RExtension = new r.Struct({ type: r.uint16, data: new r.Buffer(r.uint16) });
const RClientHello = new r.Struct({
  legacyVersion: r.uint16,
  random: new r.Buffer(32),
  legacySessionId: new r.Buffer(r.uint8),
  cipherSuites: new r.Array(r.uint16, r.uint16, 'bytes'),
  legacyCompressionMethods: new r.Buffer(r.uint8),
  extensions: new r.Array(RExtension, r.uint16, 'bytes'),
});
const RHandshake = new r.Struct({ msgType: r.uint8, length: r.uint24, body: RClientHello });

// Sanity: both decoders see the same message, and ours rebuilds it byte for byte.
const ours = Handshake().parse(message);
if (ours.unknown || ours.msgType !== HandshakeType.client_hello) throw new Error('not a ClientHello');
const theirs = RHandshake.fromBuffer(message) as {
  body: { cipherSuites: number[]; extensions: { type: number }[] };
};
if (!isDeepStrictEqual(theirs.body.cipherSuites, ours.body.cipherSuites))
  throw new Error('cipher suites differ');
if (
  !isDeepStrictEqual(
    theirs.body.extensions.map((e) => e.type),
    ours.body.extensions!.map((e) => e.extensionType),
  )
)
  throw new Error('extension types differ');
if (!Buffer.from(Handshake().build(ours)).equals(Buffer.from(message))) throw new Error('rebuild differs');

let sink = 0;
/** ops/s over CPU time (user + system), best of `rounds`: steadier than wall time on a shared box. */
function measure(fn: () => unknown, rounds = 7, n = 2000): number {
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) sink ^= fn() === null ? 1 : 0;
    const d = process.cpuUsage(t0);
    best = Math.max(best, n / ((d.user + d.system) / 1e6));
  }
  return best;
}

const cases: [string, () => unknown][] = [
  ['messages Handshake().parse (typed extension bodies)', () => Handshake().parse(message)],
  ['messages ClientHello.parse (body only)', () => ClientHello.parse(body)],
  ['messages Handshake().build', () => Handshake().build(ours)],
  ['restructure 3.0.2 fromBuffer (raw extensions)', () => RHandshake.fromBuffer(message)],
];
for (const [, fn] of cases) measure(fn, 2); // warm-up
const results = cases.map(([name, fn]) => [name, measure(fn)] as const);
const base = results.find(([name]) => name.startsWith('restructure'))![1];
console.log(
  `input: ${message.length}-byte ClientHello handshake message, ${ours.body.extensions!.length} extensions`,
);
for (const [name, ops] of results)
  console.log(
    `${name.padEnd(54)} ${Math.round(ops).toLocaleString('en-US').padStart(10)} ops/s  ${(ops / base).toFixed(2)}x restructure`,
  );
if (sink === 42) console.log('');
