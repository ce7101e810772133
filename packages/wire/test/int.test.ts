import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import {
  EncodeError,
  IncompleteDataError,
  UBInt8,
  UBInt16,
  UBInt24,
  UBInt32,
  type UIntCodec,
} from '../src/index.js';
import { checkFraming, roundTrip, u8 } from './helpers.js';

const ints: [string, UIntCodec, number][] = [
  ['UBInt8', UBInt8, 8],
  ['UBInt16', UBInt16, 16],
  ['UBInt24', UBInt24, 24],
  ['UBInt32', UBInt32, 32],
];

test('UBInt8/16/24/32 are big-endian', (t) => {
  roundTrip(t, UBInt8, 0xab, u8(0xab));
  roundTrip(t, UBInt16, 0x0102, u8(1, 2));
  roundTrip(t, UBInt24, 0x010203, u8(1, 2, 3));
  roundTrip(t, UBInt32, 0x01020304, u8(1, 2, 3, 4));
  roundTrip(t, UBInt32, 0xffffffff, u8(0xff, 0xff, 0xff, 0xff));
  roundTrip(t, UBInt24, 0xfffffe, u8(0xff, 0xff, 0xfe));
});

for (const [name, codec, bits] of ints) {
  test(`${name} has its size and max`, (t) => {
    t.is(codec.size as number, bits / 8);
    t.is(codec.max, 2 ** bits - 1);
  });

  test(`${name} refuses values outside 0..2^${bits}-1 and non-integers`, (t) => {
    for (const bad of [
      -1,
      2 ** bits,
      0.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '1',
      null,
      undefined,
      1n,
      {},
    ]) {
      t.throws(() => codec.build(bad as number), { instanceOf: EncodeError }, String(bad));
    }
  });

  test(`${name} truncated is incomplete, one more byte is trailing`, (t) => {
    checkFraming(t, codec, codec.build(codec.max));
    const e = t.throws(() => codec.parse(new Uint8Array(0)), { instanceOf: IncompleteDataError });
    t.is(e?.needed, bits / 8);
  });

  testProp(`${name} round-trips every value`, [fc.integer({ min: 0, max: 2 ** bits - 1 })], (t, v) => {
    const bytes = codec.build(v);
    t.is(bytes.length, bits / 8);
    t.is(codec.parse(bytes), v);
  });
}
