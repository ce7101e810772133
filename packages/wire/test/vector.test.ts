import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import {
  Bytes,
  DecodeError,
  EncodeError,
  IncompleteDataError,
  Opaque,
  PrefixedBytes,
  Struct,
  TLSPrefixedArray,
  UBInt8,
  UBInt16,
  UBInt24,
} from '../src/index.js';
import { checkFraming, roundTrip, u8 } from './helpers.js';

// Mirrors tls.test.test_utils.TestTLSPrefixedArray: a TLSPrefixedArray of UBInt8 encodes a list of
// ints as a 16-bit length followed by each element.
const tlsArray = TLSPrefixedArray(UBInt8);
const arrayCases: [number[], Uint8Array][] = [
  [[], u8(0, 0)],
  [[0], u8(0, 1, 0)],
  [[1, 2, 3], u8(0, 3, 1, 2, 3)],
  [
    Array.from({ length: 300 }, (_, i) => i & 0xff),
    u8(1, 44, ...Array.from({ length: 300 }, (_, i) => i & 0xff)),
  ],
];
for (const [ints, encoded] of arrayCases) {
  test(`TestTLSPrefixedArray: build/parse/round trip (${ints.length} ints)`, (t) => {
    roundTrip(t, tlsArray, ints, encoded);
  });
}

test('TLSPrefixedArray: the prefix counts bytes, not elements', (t) => {
  roundTrip(t, TLSPrefixedArray(UBInt16), [0x1301, 0x1302], u8(0, 4, 0x13, 0x01, 0x13, 0x02));
  roundTrip(t, TLSPrefixedArray(UBInt16, UBInt8), [0x0304], u8(2, 3, 4));
  // restructure-style count prefix (2 elements = 2) must not be accepted as 2 bytes of data plus trailing.
  t.throws(() => TLSPrefixedArray(UBInt16).parse(u8(0, 2, 0x13, 0x01, 0x13, 0x02)), {
    instanceOf: DecodeError,
  });
});

test('TLSPrefixedArray: an element running past the vector is a DecodeError, not a shorter list', (t) => {
  // 3 bytes of uint16 elements: the second element is cut by the vector's end.
  const e = t.throws(() => TLSPrefixedArray(UBInt16).parse(u8(0, 3, 0x13, 0x01, 0x13, 0x02)), {
    instanceOf: DecodeError,
  });
  t.deepEqual(e?.segments, [1]);
  t.is(e?.offset, 4);
});

test('TLSPrefixedArray: a vector shorter than its prefix says is incomplete at top level', (t) => {
  const e = t.throws(() => TLSPrefixedArray(UBInt16).parse(u8(0, 4, 0x13, 0x01)), {
    instanceOf: IncompleteDataError,
  });
  t.is(e?.needed, 2);
  checkFraming(t, TLSPrefixedArray(UBInt16), u8(0, 4, 0x13, 0x01, 0x13, 0x02));
});

test('TLSPrefixedArray: bounds are in bytes, both ways', (t) => {
  const suites = TLSPrefixedArray(UBInt16, UBInt16, { min: 2, max: 6 });
  t.throws(() => suites.build([]), { instanceOf: EncodeError, message: /length 0 outside 2\.\.6/ });
  t.throws(() => suites.build([1, 2, 3, 4]), { instanceOf: EncodeError, message: /length 8 outside/ });
  t.throws(() => suites.parse(u8(0, 0)), { instanceOf: DecodeError });
  t.notThrows(() => suites.build([1, 2, 3]));
});

test('TLSPrefixedArray: build refuses non-arrays and bad elements with their index', (t) => {
  t.throws(() => tlsArray.build('abc' as unknown as number[]), {
    instanceOf: EncodeError,
    message: /expected an array/,
  });
  const e = t.throws(() => tlsArray.build([1, 2, 256]), { instanceOf: EncodeError });
  t.is(e?.path, '[2]');
  t.throws(() => TLSPrefixedArray(UBInt8, UBInt8).build(new Array(256).fill(0)), { instanceOf: EncodeError });
});

test('TLSPrefixedArray of structs (nested vectors)', (t) => {
  const KeyShare = Struct({ group: UBInt16, key: PrefixedBytes(UBInt16) });
  const shares = TLSPrefixedArray(KeyShare);
  roundTrip(
    t,
    shares,
    [
      { group: 0x1d, key: u8(1, 2) },
      { group: 0x17, key: u8() },
    ],
    u8(0, 10, 0, 0x1d, 0, 2, 1, 2, 0, 0x17, 0, 0),
  );
  const e = t.throws(() => shares.parse(u8(0, 10, 0, 0x1d, 0, 2, 1, 2, 0, 0x17, 0, 1)), {
    instanceOf: DecodeError,
  });
  t.is(e?.path, '[1].key');
});

test('Opaque holds exactly one value', (t) => {
  const body = Opaque(Struct({ a: UBInt8, b: UBInt16 }), UBInt24);
  roundTrip(t, body, { a: 1, b: 2 }, u8(0, 0, 3, 1, 0, 2));
  // Leftover bytes inside the container are malformed even though the outer input ends there.
  t.throws(() => body.parse(u8(0, 0, 4, 1, 0, 2, 9)), {
    instanceOf: DecodeError,
    message: /1 unexpected trailing/,
  });
  // A value running past the container is malformed, not "need more data".
  t.throws(() => body.parse(u8(0, 0, 2, 1, 0, 2)), { instanceOf: DecodeError });
  checkFraming(t, body, u8(0, 0, 3, 1, 0, 2));
});

test('Opaque defaults to a 16-bit prefix and checks bounds', (t) => {
  roundTrip(t, Opaque(Bytes(2)), u8(5, 6), u8(0, 2, 5, 6));
  const bounded = Opaque(PrefixedBytes(), UBInt16, { max: 3 });
  t.throws(() => bounded.build(u8(1, 2, 3)), { instanceOf: EncodeError, message: /length 4 outside 0\.\.3/ });
  t.throws(() => bounded.parse(u8(0, 4, 3, 1, 2, 3)), { instanceOf: DecodeError });
});

testProp(
  'TLSPrefixedArray round-trips random lists',
  [fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 100 })],
  (t, list) => {
    const codec = TLSPrefixedArray(UBInt16);
    const bytes = codec.build(list);
    t.is(bytes.length, 2 + 2 * list.length);
    t.deepEqual(codec.parse(bytes), list);
  },
);
