import { fc, testProp } from '@fast-check/ava';
import {
  Bytes,
  type Codec,
  Const,
  EncodeError,
  EnumClass,
  EnumSwitch,
  Mapped,
  Opaque,
  Optional,
  PrefixedBytes,
  Remaining,
  Struct,
  TLSPrefixedArray,
  UBInt8,
  UBInt16,
  UBInt24,
  UBInt32,
  WireError,
} from '../src/index.js';
import { valueOrWireError } from './helpers.js';

enum Kind {
  a = 1,
  b = 2,
}

// One instance of every combinator, alone and nested.
const codecs: [string, Codec<unknown>][] = [
  ['UBInt8', UBInt8],
  ['UBInt16', UBInt16],
  ['UBInt24', UBInt24],
  ['UBInt32', UBInt32],
  ['Bytes(3)', Bytes(3)],
  ['PrefixedBytes()', PrefixedBytes()],
  ['PrefixedBytes(UBInt16, bounds)', PrefixedBytes(UBInt16, { min: 1, max: 5 })],
  ['Remaining', Remaining],
  ['TLSPrefixedArray(UBInt16)', TLSPrefixedArray(UBInt16)],
  ['TLSPrefixedArray(UBInt24, UBInt8, bounds)', TLSPrefixedArray(UBInt24, UBInt8, { min: 3, max: 9 })],
  ['Opaque(Struct)', Opaque(Struct({ a: UBInt8, b: PrefixedBytes() }), UBInt8)],
  ['EnumClass open', EnumClass(UBInt8, Kind)],
  ['EnumClass strict', EnumClass(UBInt16, Kind, { strict: true })],
  ['EnumSwitch', EnumSwitch(UBInt8, Kind, { [Kind.a]: UBInt16, [Kind.b]: TLSPrefixedArray(UBInt8, UBInt8) })],
  [
    'EnumSwitch in a vector',
    TLSPrefixedArray(
      EnumSwitch(UBInt8, Kind, { [Kind.a]: Opaque(UBInt8, UBInt8) }, PrefixedBytes(UBInt8)),
      UBInt8,
    ),
  ],
  ['Const', Struct({ v: Const(UBInt8, 3), x: UBInt8 })],
  ['Optional', Struct({ v: UBInt16, tail: Optional(PrefixedBytes()) })],
  [
    'Mapped',
    Mapped(
      UBInt8,
      (v) => {
        if (v > 200) throw new Error('too big');
        return String(v);
      },
      (s: string) => Number(s),
    ),
  ],
] as [string, Codec<unknown>][];

testProp(
  'random bytes give a value or a WireError; a value rebuilds to the same bytes (every combinator)',
  [fc.uint8Array({ maxLength: 24 })],
  (t, bytes) => {
    for (const [name, codec] of codecs) {
      let value: unknown;
      const result = valueOrWireError(() => {
        value = codec.parse(bytes);
      });
      if (result === 'value') t.deepEqual(codec.build(value), bytes, name);
      else t.true(result instanceof WireError, name);
    }
  },
  { numRuns: 500 },
);

testProp(
  'random values give bytes or an EncodeError, never another exception (every combinator)',
  [fc.anything({ withTypedArray: true, withBigInt: true, withMap: true, withNullPrototype: true })],
  (t, value) => {
    for (const [name, codec] of codecs) {
      try {
        const bytes = codec.build(value);
        t.true(bytes instanceof Uint8Array, name);
      } catch (e) {
        t.true(e instanceof EncodeError, `${name}: ${String(e)}`);
      }
    }
  },
  { numRuns: 300 },
);
