// RecordSplitter.next() (copies) and nextView() (views valid until the next push).
import { fc, testProp } from '@fast-check/ava';
import { ContentType, MAX_PLAINTEXT_LENGTH, RecordSplitter, type SplitRecord } from '@tls-kit/messages';
import { DecodeError } from '@tls-kit/wire';
import test from 'ava';
import { bytes, concat, hex } from './helpers/bytes.js';

const record = (type: number, fragment: Uint8Array): Uint8Array =>
  concat([type, 0x03, 0x03, fragment.length >> 8, fragment.length & 0xff], fragment);

/** What a split record says, with its bytes copied out (so later mutation cannot hide). */
const summary = (r: SplitRecord) => ({
  offset: r.offset,
  type: r.record.type,
  version: r.record.version,
  fragment: Uint8Array.from(r.record.fragment),
  bytes: Uint8Array.from(r.bytes),
});

test('nextView returns the records next() returns, as views sharing the splitter buffer', (t) => {
  const stream = concat(record(22, bytes(4, 1)), record(20, hex('01')), record(23, bytes(300, 2)));
  const copies = new RecordSplitter();
  const views = new RecordSplitter();
  copies.push(stream);
  views.push(stream);
  const a = [copies.next()!, copies.next()!, copies.next()!];
  const b = [views.nextView()!, views.nextView()!, views.nextView()!];
  t.is(copies.next(), undefined);
  t.is(views.nextView(), undefined);
  t.deepEqual(b.map(summary), a.map(summary));
  t.deepEqual(
    b.map((r) => [r.offset, r.record.type]),
    [
      [0, ContentType.handshake],
      [9, ContentType.change_cipher_spec],
      [15, ContentType.application_data],
    ],
  );
  // Views: one ArrayBuffer for all three, the fragment inside the record's bytes.
  t.is(b[0]!.bytes.buffer, b[2]!.bytes.buffer);
  t.is(b[2]!.record.fragment.buffer, b[2]!.bytes.buffer);
  t.is(b[2]!.record.fragment.byteOffset, b[2]!.bytes.byteOffset + 5);
  // Copies: each record owns exactly its bytes.
  for (const r of a) t.is(r.bytes.buffer.byteLength, r.bytes.length);
});

test('push copies its input: the caller may reuse its chunk before taking the records', (t) => {
  const splitter = new RecordSplitter();
  const chunk = record(23, bytes(50, 7));
  splitter.push(chunk);
  chunk.fill(0);
  t.deepEqual(splitter.nextView()?.record.fragment, bytes(50, 7));
});

test('views from one push stay valid while more are taken; copies from next() outlive later pushes', (t) => {
  const splitter = new RecordSplitter();
  const first = record(23, bytes(100, 0x11));
  const second = record(23, bytes(100, 0x22));
  // Two whole records and the start of a third: the buffer is exactly full.
  splitter.push(concat(first, first, second.subarray(0, 50)));
  const copy = splitter.next()!;
  const view = splitter.nextView()!;
  t.is(splitter.nextView(), undefined);
  t.deepEqual(view.bytes, first);
  t.is(view.offset, first.length);
  // The rest fits once the taken records' room is reclaimed: the next push reuses that memory.
  splitter.push(second.subarray(50));
  const next = splitter.nextView()!;
  t.deepEqual(next.bytes, second);
  t.is(next.offset, 2 * first.length);
  for (let i = 0; i < 20; i++) {
    splitter.push(record(23, bytes(90 + i, i)));
    t.deepEqual((i % 2 === 0 ? splitter.nextView() : splitter.next())?.record.fragment, bytes(90 + i, i));
  }
  t.deepEqual(copy.bytes, first);
  t.is(splitter.buffered, 0);
});

test('a record decrypted in place through its view does not disturb the records after it', (t) => {
  const splitter = new RecordSplitter();
  splitter.push(
    concat(record(23, bytes(10, 1)), record(23, bytes(10, 2)), record(23, bytes(10, 3)).subarray(0, 8)),
  );
  splitter.nextView()!.record.fragment.fill(0xff);
  t.deepEqual(splitter.nextView()?.record.fragment, bytes(10, 2));
  splitter.push(record(23, bytes(10, 3)).subarray(8));
  t.deepEqual(splitter.nextView()?.record.fragment, bytes(10, 3));
});

test('nextView refuses a bad header like next(): on push, and again when reached', (t) => {
  const splitter = new RecordSplitter({ maxFragmentLength: MAX_PLAINTEXT_LENGTH });
  splitter.push(record(22, bytes(4)));
  t.truthy(splitter.nextView());
  const error = t.throws(() => splitter.push(hex('17 0303 4001')), { instanceOf: DecodeError });
  t.is(error?.path, 'TLSRecord.length');
  t.is(error?.offset, 9 + 3);
  t.throws(() => splitter.nextView(), { instanceOf: DecodeError, message: /TLSRecord\.length/ });
  t.is(splitter.buffered, 5); // the header only: the body is never waited for
});

/** A stream of records, and a way to cut it into chunks. */
const records = fc.array(
  fc.record({
    type: fc.constantFrom(20, 21, 22, 23),
    fragment: fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.integer({ min: 0, max: 2 ** 14 + 2048 }).map((n) => bytes(n, n & 0xff)),
    ),
  }),
  { maxLength: 12 },
);
const cuts = fc.array(fc.nat(), { maxLength: 30 });

/**
 * Pushes `stream` in the pieces `cuts` makes, draining after each push with `take`; what it took
 * is summarized before the next push (views are valid until then).
 */
function splitInPieces(stream: Uint8Array, cutPoints: number[], take: 'next' | 'nextView') {
  const at = [...new Set(cutPoints.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const splitter = new RecordSplitter();
  const out: ReturnType<typeof summary>[] = [];
  let from = 0;
  for (const to of [...at, stream.length]) {
    // A reused input buffer: a splitter that kept a reference to it would see the damage.
    const chunk = Uint8Array.from(stream.subarray(from, to));
    splitter.push(chunk);
    chunk.fill(0x5a);
    from = to;
    const taken: SplitRecord[] = [];
    for (let r = splitter[take](); r !== undefined; r = splitter[take]()) taken.push(r);
    out.push(...taken.map(summary));
  }
  if (splitter.buffered !== 0) throw new Error(`${splitter.buffered} bytes left over`);
  return out;
}

testProp(
  'random chunking of a record stream gives the records one push gives, with next() and nextView()',
  [records, cuts],
  (t, list, cutPoints) => {
    const stream = concat(...list.map((r) => record(r.type, r.fragment)));
    const whole = splitInPieces(stream, [], 'next');
    t.deepEqual(
      whole.map((r) => [r.type, r.fragment]),
      list.map((r) => [r.type, r.fragment]),
    );
    t.deepEqual(splitInPieces(stream, [], 'nextView'), whole);
    t.deepEqual(splitInPieces(stream, cutPoints, 'next'), whole);
    t.deepEqual(splitInPieces(stream, cutPoints, 'nextView'), whole);
  },
  { numRuns: 200 },
);

test('pushBorrowed reads whole records in place; detach copies the partial rest out of the chunk', (t) => {
  const splitter = new RecordSplitter();
  const first = record(23, bytes(40, 1));
  const second = record(23, bytes(30, 2));
  const chunk = concat(first, second.subarray(0, 12));
  splitter.pushBorrowed(chunk);
  const view = splitter.nextView()!;
  // No copy: the record is a view of the caller's chunk.
  t.is(view.bytes.buffer, chunk.buffer);
  t.deepEqual(view.record.fragment, bytes(40, 1));
  t.is(splitter.nextView(), undefined);
  t.is(splitter.buffered, 12);
  splitter.detach();
  chunk.fill(0xee); // the caller reuses its chunk
  splitter.pushBorrowed(second.subarray(12)); // bytes buffered: copied like push
  const rest = splitter.nextView()!;
  t.deepEqual(rest.bytes, second);
  t.is(rest.offset, first.length);
  t.not(rest.bytes.buffer, chunk.buffer);
  t.is(splitter.buffered, 0);
});

test('pushBorrowed: a bad header is still refused at once; detach with nothing left drops the buffer', (t) => {
  const splitter = new RecordSplitter();
  splitter.push(record(23, bytes(10, 3)).subarray(0, 8));
  splitter.push(record(23, bytes(10, 3)).subarray(8));
  t.truthy(splitter.next());
  t.throws(() => splitter.pushBorrowed(hex('63 03 03 00 01 00')), { instanceOf: DecodeError });
  const ok = new RecordSplitter();
  ok.pushBorrowed(record(22, bytes(5, 4)));
  t.truthy(ok.nextView());
  ok.detach();
  t.is(ok.buffered, 0);
  t.is(ok.needed(), 5);
});

testProp(
  'pushBorrowed + detach, in any chunking, yields the records push yields',
  [
    fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 8 }),
    fc.array(fc.nat({ max: 700 })),
  ],
  (t, fragments, cuts) => {
    const stream = concat(...fragments.map((f) => record(23, f)));
    const expected = fragments.map((f) => Array.from(f));
    const splitter = new RecordSplitter();
    const got: number[][] = [];
    let at = 0;
    for (const cut of [...cuts, stream.length]) {
      const end = Math.min(stream.length, at + cut);
      const chunk = stream.slice(at, end);
      splitter.pushBorrowed(chunk);
      for (let r = splitter.nextView(); r; r = splitter.nextView()) got.push(Array.from(r.record.fragment));
      splitter.detach();
      chunk.fill(0xaa); // must not matter after detach
      at = end;
      if (at === stream.length) break;
    }
    t.deepEqual(got, expected);
    t.is(splitter.buffered, 0);
  },
);

test('release frees the buffer only when nothing is buffered; views stay valid', (t) => {
  const splitter = new RecordSplitter();
  const whole = record(23, bytes(20, 9));
  const other = record(22, bytes(20, 8));
  splitter.push(concat(whole, other.subarray(0, 3)));
  t.deepEqual(splitter.nextView()?.bytes, whole);
  splitter.release(); // 3 bytes buffered: kept
  splitter.push(other.subarray(3));
  const view = splitter.nextView()!;
  t.deepEqual(view.bytes, other);
  splitter.release(); // empty: freed
  t.is(splitter.buffered, 0);
  splitter.push(whole);
  t.deepEqual(splitter.next()?.bytes, whole);
  t.deepEqual(view.bytes, other, 'the view outlives the release and the next push');
});

test('peek shows the bytes not taken yet, a bad header too, without taking them', (t) => {
  const splitter = new RecordSplitter();
  splitter.push(record(22, bytes(3, 1)));
  t.deepEqual([...splitter.peek(2)], [22, 3]);
  t.truthy(splitter.next());
  t.is(splitter.peek(5).length, 0);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n');
  t.throws(() => splitter.push(http), { instanceOf: DecodeError });
  t.deepEqual(new TextDecoder().decode(splitter.peek(5)), 'GET /');
  t.is(splitter.buffered, http.length);
});
