import test from 'ava';
import {
  DecodeError,
  defineCodec,
  EncodeError,
  IncompleteDataError,
  LengthPrefix,
  PrefixedBytes,
  Reader,
  Struct,
  TLSPrefixedArray,
  UBInt8,
  UBInt16,
  UBInt24,
  Writer,
  withPath,
} from '../src/index.js';
import { u8 } from './helpers.js';

test('Reader reads big-endian integers and zero-copy bytes within bounds', (t) => {
  const input = u8(1, 0, 2, 0, 0, 3, 0, 0, 0, 4, 9, 8, 7);
  const r = new Reader(input);
  t.is(r.u8(), 1);
  t.is(r.u16(), 2);
  t.is(r.u24(), 3);
  t.is(r.u32(), 4);
  t.is(r.remaining(), 3);
  const b = r.bytes(2);
  t.deepEqual(b, u8(9, 8));
  t.is(b.buffer, input.buffer);
  t.deepEqual(r.rest(), u8(7));
  t.true(r.atEnd());
  t.is(new Reader(u8(0xff, 0xff, 0xff, 0xff)).u32(), 0xffffffff);
});

test('Reader: a short read at top level is incomplete, inside a container it is malformed', (t) => {
  const e = t.throws(() => new Reader(u8(1)).u32(), { instanceOf: IncompleteDataError });
  t.is(e?.needed, 3);
  t.is(e?.offset, 1);
  const r = new Reader(u8(2, 1, 2, 3, 4));
  r.u8();
  const saved = r.enter(2);
  r.u8();
  t.throws(() => r.u16(), {
    instanceOf: DecodeError,
    message: /needs 2 byte\(s\) but its container has 1 left/,
  });
  r.u8();
  r.leave(saved);
  t.is(r.remaining(), 2);
});

test('Reader.limit runs a hand-written region that must be consumed exactly', (t) => {
  const r = new Reader(u8(3, 1, 2, 3, 9));
  const n = r.u8();
  t.deepEqual(
    r.limit(n, (sub) => [sub.u8(), sub.u16()]),
    [1, 0x0203],
  );
  t.is(r.u8(), 9);
  const r2 = new Reader(u8(3, 1, 2, 3));
  const len = r2.u8();
  t.throws(() => r2.limit(len, (sub) => sub.u8()), {
    instanceOf: DecodeError,
    message: /2 unexpected trailing/,
  });
});

test('Writer grows and back-patches length prefixes', (t) => {
  const w = new Writer(1);
  w.u8(1);
  w.prefixed(UBInt24, (inner) => {
    inner.u16(0x0203);
    inner.bytes(new Uint8Array(1000).fill(5));
  });
  w.u32(0xdeadbeef);
  const out = w.finish();
  t.is(out.length, 1 + 3 + 1002 + 4);
  t.deepEqual(out.subarray(0, 6), u8(1, 0, 0x03, 0xea, 2, 3));
  t.deepEqual(out.subarray(-4), u8(0xde, 0xad, 0xbe, 0xef));
  t.is(out.buffer.byteLength, out.length, 'finish returns an exactly-sized copy');
});

test('Writer.prefixed refuses bodies beyond the field or bounds', (t) => {
  t.throws(() => new Writer().prefixed(UBInt8, (w) => w.bytes(new Uint8Array(256))), {
    instanceOf: EncodeError,
  });
  t.throws(() => new Writer().prefixed(UBInt16, (w) => w.u8(0), { min: 2 }), {
    instanceOf: EncodeError,
    message: /length 1 outside 2\.\.65535/,
  });
});

// A hand-written codec in the style messages uses for lists with duplicate checks.
const UniqueList = defineCodec<number[]>(
  {
    read(r) {
      const start = r.pos;
      const list = TLSPrefixedArray(UBInt16).read(r);
      if (new Set(list).size !== list.length) throw r.error('duplicate entry', start);
      return list;
    },
    write(w, v) {
      if (new Set(v).size !== v.length) throw new EncodeError('duplicate entry');
      w.prefixed(UBInt16, () => {
        for (const [i, x] of v.entries()) withPath(i, () => UBInt16.write(w, x));
      });
    },
  },
  'UniqueList',
);

test('defineCodec gives hand-written codecs the same parse/build semantics', (t) => {
  t.deepEqual(UniqueList.build([1, 2]), u8(0, 4, 0, 1, 0, 2));
  t.deepEqual(UniqueList.parse(u8(0, 4, 0, 1, 0, 2)), [1, 2]);
  t.throws(() => UniqueList.parse(u8(0, 4, 0, 1, 0, 1)), {
    instanceOf: DecodeError,
    message: /^UniqueList: duplicate/,
  });
  t.throws(() => UniqueList.parse(u8(0, 2, 0, 1, 0)), { instanceOf: DecodeError, message: /trailing/ });
  t.throws(() => UniqueList.parse(u8(0, 4, 0, 1)), { instanceOf: IncompleteDataError });
  const e = t.throws(() => UniqueList.build([1, 70000]), { instanceOf: EncodeError });
  t.is(e?.path, 'UniqueList[1]');
  // And they compose: the path continues through a Struct.
  const S = Struct({ groups: UniqueList, tail: PrefixedBytes() }, 'S');
  t.is(
    t.throws(() => S.build({ groups: [1, -1], tail: u8() }), { instanceOf: EncodeError })?.path,
    'S.groups[1]',
  );
});

test('withPath prefixes names and indices only on WireErrors', (t) => {
  const e = t.throws(() =>
    withPath('outer', () =>
      withPath(2, () =>
        withPath('inner', () => {
          throw new DecodeError('bad');
        }),
      ),
    ),
  );
  t.is(e?.message, 'outer[2].inner: bad');
  t.throws(
    () =>
      withPath('x', () => {
        throw new TypeError('not ours');
      }),
    { instanceOf: TypeError, message: 'not ours' },
  );
  t.is(
    withPath('x', () => 5),
    5,
  );
});

test('parse refuses non-Uint8Array input with a DecodeError', (t) => {
  t.throws(() => UBInt8.parse('a' as never), { instanceOf: DecodeError });
  t.throws(() => UBInt8.parse([1] as never), { instanceOf: DecodeError });
});

test('Writer starting at size 0 grows; build output is exact whatever the previous size', (t) => {
  const w = new Writer(0);
  w.u32(1);
  t.deepEqual(w.finish(), u8(0, 0, 0, 1));
  const codec = PrefixedBytes(UBInt16);
  for (const n of [10, 3000, 5, 0, 70]) {
    const out = codec.build(new Uint8Array(n).fill(n & 0xff));
    t.is(out.length, 2 + n);
    t.is(out.buffer.byteLength, 2 + n);
    t.deepEqual(codec.parse(out), new Uint8Array(n).fill(n & 0xff));
  }
});

test('LengthPrefix resolves bounds once and checks both ways', (t) => {
  const prefix = new LengthPrefix(UBInt16, { min: 1, max: 3 });
  t.is(prefix.min, 1);
  t.is(prefix.max, 3);
  t.is(new LengthPrefix(UBInt8, { max: 1000 }).max, 255, 'capped by the field');
  const w = new Writer();
  const at = prefix.reserve(w);
  w.u16(0xabcd);
  prefix.patch(w, at);
  t.deepEqual(w.finish(), u8(0, 2, 0xab, 0xcd));
  const w2 = new Writer();
  const at2 = prefix.reserve(w2);
  w2.u32(0);
  t.throws(() => prefix.patch(w2, at2), { instanceOf: EncodeError, message: /length 4 outside 1\.\.3/ });
  t.throws(() => prefix.write(new Writer(), 0), { instanceOf: EncodeError });
  const e = t.throws(() => prefix.read(new Reader(u8(0, 9))), { instanceOf: DecodeError });
  t.is(e?.offset, 0);
  t.is(prefix.read(new Reader(u8(0, 3))), 3);
});

test('Reader refuses negative or NaN counts from hand-written arithmetic', (t) => {
  const r = new Reader(u8(1, 2, 3));
  r.u8();
  t.throws(() => r.bytes(-1), { instanceOf: DecodeError, message: /invalid byte count -1/ });
  t.throws(() => r.enter(Number.NaN), { instanceOf: DecodeError });
  t.throws(() => r.need(-2), { instanceOf: DecodeError });
  t.is(r.pos, 1);
});
