// RecordSplitter on a bulk transfer: 64 full-size TLS 1.3 application_data records (16,401 bytes:
// 2^14 of data, the content type and a 16-byte tag) pushed in 64 KiB chunks (a socket read) and in
// 1,448-byte chunks (one TCP segment), taken with next() (a copy per record) and nextView() (views).
// Run: `pnpm bench` in packages/messages.
import { RecordSplitter } from '../src/index.js';

const RECORD = 5 + 2 ** 14 + 17;
const COUNT = 64;
const stream = new Uint8Array(RECORD * COUNT);
for (let i = 0; i < COUNT; i++) {
  const at = i * RECORD;
  stream.set([23, 3, 3, (RECORD - 5) >> 8, (RECORD - 5) & 0xff], at);
  stream.fill(i, at + 5, at + RECORD);
}

let sink = 0;
function split(chunk: number, take: 'next' | 'nextView'): void {
  const splitter = new RecordSplitter();
  let records = 0;
  for (let at = 0; at < stream.length; at += chunk) {
    splitter.push(stream.subarray(at, at + chunk));
    for (let r = splitter[take](); r !== undefined; r = splitter[take]()) {
      sink ^= r.record.fragment[r.record.fragment.length - 1]!;
      records++;
    }
  }
  if (records !== COUNT) throw new Error(`${records} records instead of ${COUNT}`);
}

/** MB/s over CPU time (user + system), best of `rounds`: steadier than wall time on a shared box. */
function measure(fn: () => void, rounds = 7, n = 20): number {
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const d = process.cpuUsage(t0);
    best = Math.max(best, (n * stream.length) / 1e6 / ((d.user + d.system) / 1e6));
  }
  return best;
}

const cases: [string, () => void][] = [
  ['next()     64 KiB chunks', () => split(65536, 'next')],
  ['nextView() 64 KiB chunks', () => split(65536, 'nextView')],
  ['next()     1448-byte chunks', () => split(1448, 'next')],
  ['nextView() 1448-byte chunks', () => split(1448, 'nextView')],
];
for (const [, fn] of cases) measure(fn, 2); // warm-up
console.log(`input: ${COUNT} records of ${RECORD} bytes (${(stream.length / 1e6).toFixed(2)} MB)`);
for (const [name, fn] of cases)
  console.log(
    `RecordSplitter ${name.padEnd(30)} ${Math.round(measure(fn)).toLocaleString('en-US').padStart(7)} MB/s`,
  );
if (sink === 0x1234) console.log('');
