// Keeps the README's "why not restructure or binary-parser" section honest: each claim is checked
// against the installed versions (dev dependencies), next to wire's behaviour on the same input.
import test from 'ava';
import { Parser } from 'binary-parser';
import * as r from 'restructure';
import { DecodeError, IncompleteDataError, PrefixedBytes, TLSPrefixedArray, UBInt16 } from '../src/index.js';
import { u8 } from './helpers.js';

test('restructure encodes a byte-counted vector prefix as an element count; wire counts bytes', (t) => {
  const vector = new r.Array(r.uint16, r.uint16, 'bytes');
  t.deepEqual(Uint8Array.from(vector.toBuffer([0x1301, 0x1302])), u8(0, 2, 0x13, 0x01, 0x13, 0x02));
  t.deepEqual(TLSPrefixedArray(UBInt16).build([0x1301, 0x1302]), u8(0, 4, 0x13, 0x01, 0x13, 0x02));
});

test('restructure and binary-parser accept truncated opaque data; wire says how much is missing', (t) => {
  const truncated = u8(0, 10, 1, 2, 3);
  t.deepEqual(Uint8Array.from(new r.Buffer(r.uint16).fromBuffer(truncated)), u8(1, 2, 3));
  const parsed = new Parser().uint16('length').buffer('data', { length: 'length' }).parse(truncated) as {
    data: Uint8Array;
  };
  t.deepEqual(Uint8Array.from(parsed.data), u8(1, 2, 3));
  t.is(
    t.throws(() => PrefixedBytes(UBInt16).parse(truncated), { instanceOf: IncompleteDataError })?.needed,
    7,
  );
});

test('restructure lets an element run past its vector; wire refuses it', (t) => {
  const odd = u8(0, 3, 0x13, 0x01, 0x13, 0x02);
  t.deepEqual(new r.Array(r.uint16, r.uint16, 'bytes').fromBuffer(odd), [0x1301, 0x1302]);
  t.throws(() => TLSPrefixedArray(UBInt16).parse(odd), { instanceOf: DecodeError });
});

test('binary-parser has no encoder', (t) => {
  const parser = new Parser().uint8('a') as unknown as Record<string, unknown>;
  t.is(parser.encode, undefined);
  t.is(parser.build, undefined);
});
