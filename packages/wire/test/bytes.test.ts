import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import {
  Bytes,
  DecodeError,
  EncodeError,
  IncompleteDataError,
  PrefixedBytes,
  Remaining,
  Struct,
  UBInt8,
  UBInt16,
  UBInt24,
  UBInt32,
  type UIntCodec,
} from '../src/index.js';
import { checkFraming, roundTrip, u8 } from './helpers.js';

const notBytes: unknown[] = [
  'abc',
  [1, 2, 3],
  3,
  null,
  undefined,
  {},
  new Uint16Array(2),
  new ArrayBuffer(2),
];

// Mirrors tls.test.test_utils.TestBytesAdapter: byte codecs pass bytes through on decode, accept
// bytes on encode, and refuse anything that is not bytes on encode.
test('TestBytesAdapter: decoding passes bytes through, zero-copy', (t) => {
  const input = u8(3, 0x61, 0x62, 0x63);
  const parsed = PrefixedBytes().parse(input);
  t.deepEqual(parsed, u8(0x61, 0x62, 0x63));
  t.is(parsed.buffer, input.buffer, 'a view of the input, not a copy');
  t.deepEqual(Bytes(4).parse(input), input);
  t.deepEqual(Remaining.parse(input), input);
});

test('TestBytesAdapter: encoding allows bytes (Buffer included)', (t) => {
  t.deepEqual(PrefixedBytes().build(u8(1, 2)), u8(2, 1, 2));
  t.deepEqual(PrefixedBytes().build(Buffer.from([1, 2])), u8(2, 1, 2));
  t.deepEqual(Bytes(2).build(u8(1, 2)), u8(1, 2));
  t.deepEqual(Remaining.build(u8(1, 2)), u8(1, 2));
});

test('TestBytesAdapter: encoding refuses anything that is not bytes', (t) => {
  for (const codec of [PrefixedBytes(), Bytes(3), Remaining]) {
    for (const bad of notBytes) {
      t.throws(() => codec.build(bad as Uint8Array), {
        instanceOf: EncodeError,
        message: /expected a Uint8Array/,
      });
    }
  }
});

// Mirrors TestPrefixedBytesWithDefaultLength (UBInt8 length field).
const defaultCases: [string, Uint8Array, Uint8Array][] = [
  ['empty', u8(), u8(0)],
  ['one byte', u8(0x61), u8(1, 0x61)],
  ['255 bytes', new Uint8Array(255).fill(7), u8(255, ...new Uint8Array(255).fill(7))],
];
for (const [name, bytestring, encoded] of defaultCases) {
  test(`TestPrefixedBytesWithDefaultLength: build/parse/round trip (${name})`, (t) => {
    roundTrip(t, PrefixedBytes(), bytestring, encoded);
  });
}

// Mirrors TestPrefixedBytesWithOverriddenLength.
const overriddenCases: [string, Uint8Array, Uint8Array, UIntCodec][] = [
  ['UBInt16', u8(0x61, 0x62), u8(0, 2, 0x61, 0x62), UBInt16],
  ['UBInt24', u8(0x61), u8(0, 0, 1, 0x61), UBInt24],
  ['UBInt32', u8(), u8(0, 0, 0, 0), UBInt32],
  ['UBInt8 explicit', u8(9), u8(1, 9), UBInt8],
];
for (const [name, bytestring, encoded, lengthField] of overriddenCases) {
  test(`TestPrefixedBytesWithOverriddenLength: build/parse/round trip (${name})`, (t) => {
    roundTrip(t, PrefixedBytes(lengthField), bytestring, encoded);
  });
}

test('PrefixedBytes refuses values longer than the length field holds', (t) => {
  t.throws(() => PrefixedBytes().build(new Uint8Array(256)), {
    instanceOf: EncodeError,
    message: /length 256/,
  });
  t.notThrows(() => PrefixedBytes(UBInt16).build(new Uint8Array(256)));
  t.throws(() => PrefixedBytes(UBInt16).build(new Uint8Array(0x10000)), { instanceOf: EncodeError });
});

test('PrefixedBytes enforces bounds (opaque x<min..max>) both ways', (t) => {
  const cookie = PrefixedBytes(UBInt16, { min: 1, max: 4 });
  t.throws(() => cookie.build(u8()), { instanceOf: EncodeError, message: /length 0 outside 1\.\.4/ });
  t.throws(() => cookie.build(u8(1, 2, 3, 4, 5)), { instanceOf: EncodeError });
  t.throws(() => cookie.parse(u8(0, 0)), { instanceOf: DecodeError, message: /outside 1\.\.4/ });
  const e = t.throws(() => cookie.parse(u8(0, 5, 1, 2, 3, 4, 5)), { instanceOf: DecodeError });
  t.is(e?.offset, 0, 'points at the length prefix');
  roundTrip(t, cookie, u8(1, 2, 3, 4), u8(0, 4, 1, 2, 3, 4));
});

test('an out-of-bounds length is refused before waiting for its body', (t) => {
  // A huge bogus length must not turn into "need more data" (no unbounded buffering).
  t.throws(() => PrefixedBytes(UBInt24, { max: 100 }).parse(u8(0xff, 0xff, 0xff)), {
    instanceOf: DecodeError,
  });
});

test('PrefixedBytes truncated body reports how many bytes are missing', (t) => {
  const e = t.throws(() => PrefixedBytes(UBInt16).parse(u8(0, 10, 1, 2, 3)), {
    instanceOf: IncompleteDataError,
  });
  t.is(e?.needed, 7);
  t.is(e?.offset, 5);
  checkFraming(t, PrefixedBytes(UBInt16), u8(0, 3, 1, 2, 3));
});

test('Bytes(n) is exactly n bytes', (t) => {
  roundTrip(t, Bytes(3), u8(1, 2, 3), u8(1, 2, 3));
  roundTrip(t, Bytes(0), u8(), u8());
  t.throws(() => Bytes(3).build(u8(1, 2)), { instanceOf: EncodeError, message: /expected 3 bytes, got 2/ });
  t.throws(() => Bytes(3).build(u8(1, 2, 3, 4)), { instanceOf: EncodeError });
  checkFraming(t, Bytes(3), u8(1, 2, 3));
  t.throws(() => Bytes(-1), { instanceOf: RangeError });
  t.throws(() => Bytes(1.5), { instanceOf: RangeError });
});

test('Remaining takes the rest of the enclosing input', (t) => {
  const S = Struct({ kind: UBInt8, rest: Remaining });
  roundTrip(t, S, { kind: 1, rest: u8(2, 3) }, u8(1, 2, 3));
  roundTrip(t, S, { kind: 1, rest: u8() }, u8(1));
});

testProp('PrefixedBytes round-trips any bytes', [fc.uint8Array({ maxLength: 300 })], (t, bytes) => {
  const codec = PrefixedBytes(UBInt16);
  t.deepEqual(codec.parse(codec.build(bytes)), bytes);
});
