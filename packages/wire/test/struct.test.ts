import test from 'ava';
import {
  Bytes,
  Const,
  DecodeError,
  EncodeError,
  IncompleteDataError,
  type Infer,
  Mapped,
  Opaque,
  Optional,
  PrefixedBytes,
  Struct,
  TLSPrefixedArray,
  UBInt8,
  UBInt16,
} from '../src/index.js';
import { checkFraming, roundTrip, u8 } from './helpers.js';

const Point = Struct({ x: UBInt8, y: UBInt16 }, 'Point');

test('Struct encodes fields in order', (t) => {
  roundTrip(t, Point, { x: 1, y: 0x0203 }, u8(1, 2, 3));
  checkFraming(t, Point, u8(1, 2, 3));
  t.deepEqual(Object.keys(Point.parse(u8(1, 2, 3))), ['x', 'y']);
});

test('Struct infers its value type', (t) => {
  const value: Infer<typeof Point> = { x: 1, y: 2 };
  // @ts-expect-error y must be a number
  const wrong: Infer<typeof Point> = { x: 1, y: 'a' };
  t.throws(() => Point.build(wrong), { instanceOf: EncodeError });
  t.deepEqual(Point.parse(Point.build(value)), value);
});

test('Struct build refuses non-objects and missing fields, naming the field', (t) => {
  t.throws(() => Point.build(null as never), { instanceOf: EncodeError, message: /expected an object/ });
  t.throws(() => Point.build(7 as never), { instanceOf: EncodeError });
  const e = t.throws(() => Point.build({ x: 1 } as never), { instanceOf: EncodeError });
  t.is(e?.path, 'Point.y');
  t.regex(e?.message ?? '', /^Point\.y: undefined is not an integer/);
});

test('Struct can be extended through .fields', (t) => {
  const Point3 = Struct({ ...Point.fields, z: UBInt8 });
  roundTrip(t, Point3, { x: 1, y: 2, z: 3 }, u8(1, 0, 2, 3));
});

test('the field path goes through nested structs, arrays and containers', (t) => {
  const Extension = Struct({ type: UBInt16, data: PrefixedBytes(UBInt16, { max: 2 }) });
  const Hello = Struct(
    { version: UBInt16, extensions: TLSPrefixedArray(Extension), tail: Opaque(Struct({ inner: Point })) },
    'ClientHello',
  );
  const good = {
    version: 0x0303,
    extensions: [0, 1, 2, 3].map((i) => ({ type: i, data: u8(i) })),
    tail: { inner: { x: 1, y: 2 } },
  };
  const bytes = Hello.build(good);
  t.deepEqual(Hello.parse(bytes), good);

  const bad = { ...good, extensions: [...good.extensions.slice(0, 3), { type: 3, data: u8(1, 2, 3) }] };
  const enc = t.throws(() => Hello.build(bad), { instanceOf: EncodeError });
  t.is(enc?.path, 'ClientHello.extensions[3].data');
  t.deepEqual(enc?.segments, ['ClientHello', 'extensions', 3, 'data']);
  t.is(enc?.reason, 'length 3 outside 0..2');
  t.is(enc?.message, 'ClientHello.extensions[3].data: length 3 outside 0..2');

  const corrupt = bytes.slice();
  corrupt[2 + 2 + 5 * 3 + 2 + 1] = 9; // length of extensions[3].data
  const dec = t.throws(() => Hello.parse(corrupt), { instanceOf: DecodeError });
  t.is(dec?.path, 'ClientHello.extensions[3].data');

  const inner = t.throws(() => Hello.parse(bytes.subarray(0, bytes.length - 1)), {
    instanceOf: IncompleteDataError,
  });
  t.is(inner?.path, 'ClientHello.tail');
  const build = t.throws(() => Hello.build({ ...good, tail: { inner: { x: 1, y: -1 } } }), {
    instanceOf: EncodeError,
  });
  t.is(build?.path, 'ClientHello.tail.inner.y');
});

test('Optional trailing field: absent when the input ends, present otherwise', (t) => {
  const Hello = Struct({ version: UBInt16, extensions: Optional(TLSPrefixedArray(UBInt16)) });
  // The key is always present in parsed values (undefined when absent), keeping one object shape.
  roundTrip(t, Hello, { version: 0x0303, extensions: undefined }, u8(3, 3));
  t.deepEqual(Hello.build({ version: 0x0303 }), u8(3, 3));
  roundTrip(t, Hello, { version: 0x0303, extensions: [] }, u8(3, 3, 0, 0));
  roundTrip(t, Hello, { version: 0x0303, extensions: [0x2b] }, u8(3, 3, 0, 2, 0, 0x2b));
  // One byte after the version: not "absent" and not a valid block.
  t.throws(() => Hello.parse(u8(3, 3, 0)), { instanceOf: IncompleteDataError });
  // Inside a container, absence is decided by the container's end.
  const Wrapped = Opaque(Hello, UBInt8);
  roundTrip(t, Wrapped, { version: 1, extensions: undefined }, u8(2, 0, 1));
  t.throws(() => Wrapped.parse(u8(3, 0, 1, 0)), { instanceOf: DecodeError });
});

test('Optional makes the property optional in the inferred type', (t) => {
  const S = Struct({ a: UBInt8, b: Optional(UBInt8) });
  const v: Infer<typeof S> = { a: 1 };
  t.deepEqual(S.parse(S.build(v)), { a: 1, b: undefined });
});

test('Const checks on parse, writes on build, and is not stored in a Struct', (t) => {
  const S = Struct(
    { version: UBInt16, compression: Const(UBInt8, 0), tag: Const(Bytes(2), u8(0xde, 0xad)) },
    'S',
  );
  const value: Infer<typeof S> = { version: 0x0303 };
  roundTrip(t, S, value, u8(3, 3, 0, 0xde, 0xad));
  const e = t.throws(() => S.parse(u8(3, 3, 1, 0xde, 0xad)), { instanceOf: DecodeError });
  t.is(e?.path, 'S.compression');
  t.is(e?.offset, 2);
  t.throws(() => S.parse(u8(3, 3, 0, 0xde, 0xae)), { instanceOf: DecodeError, message: /S\.tag/ });
  t.throws(() => S.build({ version: 1, compression: 1 } as never), { instanceOf: EncodeError });
  t.notThrows(() => S.build({ version: 1, compression: 0 } as never));
  // Standalone, it parses to the constant.
  t.is(Const(UBInt8, 7).parse(u8(7)), 7);
});

test('Mapped adapts values and turns thrown errors into Decode/EncodeError', (t) => {
  const Version = Mapped(
    UBInt16,
    (v) => {
      if (v >> 8 !== 3) throw new Error(`not a TLS version: ${v}`);
      return { major: v >> 8, minor: v & 0xff };
    },
    (v: { major: number; minor: number }) => (v.major << 8) | v.minor,
  );
  roundTrip(t, Version, { major: 3, minor: 4 }, u8(3, 4));
  const e = t.throws(() => Version.parse(u8(2, 0)), {
    instanceOf: DecodeError,
    message: /not a TLS version: 512/,
  });
  t.true(e?.cause instanceof Error);
  t.is(e?.offset, 0);
  t.throws(() => Version.build(null as never), { instanceOf: EncodeError });
  t.throws(() => Version.build({ major: 256, minor: 0 }), { instanceOf: EncodeError });
});

test('an empty Struct encodes nothing', (t) => {
  roundTrip(t, Struct({}), {}, u8());
});
