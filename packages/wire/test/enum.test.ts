import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import {
  Bytes,
  DecodeError,
  EncodeError,
  EnumClass,
  EnumSwitch,
  type Infer,
  Opaque,
  PrefixedBytes,
  Struct,
  TLSPrefixedArray,
  UBInt8,
  UBInt16,
} from '../src/index.js';
import { checkFraming, roundTrip, u8 } from './helpers.js';

// The design's IntegerEnum fixture.
enum IntegerEnum {
  FIRST = 1,
  SECOND = 2,
}
enum OtherEnum {
  A = 'a',
}

// Mirrors tls.test.test_utils.TestEnumClass.
const UBInt8Enum = EnumClass(UBInt8, IntegerEnum);

test('TestEnumClass: build encodes members with the type field', (t) => {
  t.deepEqual(UBInt8Enum.build(IntegerEnum.FIRST), u8(1));
  t.deepEqual(UBInt8Enum.build(IntegerEnum.SECOND), u8(2));
  t.deepEqual(EnumClass(UBInt16, IntegerEnum).build(IntegerEnum.SECOND), u8(0, 2));
});

test('TestEnumClass: build refuses something that is not a member of the enum', (t) => {
  for (const bad of ['FIRST', OtherEnum.A, null, undefined, {}, 1n]) {
    t.throws(() => UBInt8Enum.build(bad as never), { instanceOf: EncodeError, message: /not a member/ });
  }
  const strict = EnumClass(UBInt8, IntegerEnum, { strict: true });
  t.throws(() => strict.build(3 as IntegerEnum), { instanceOf: EncodeError, message: /3 is not a member/ });
  // Open enums still check the type field's range.
  t.throws(() => UBInt8Enum.build(256 as IntegerEnum), { instanceOf: EncodeError });
});

test('TestEnumClass: parse decodes to the member (the plain number)', (t) => {
  t.is(UBInt8Enum.parse(u8(1)), IntegerEnum.FIRST);
  t.is(UBInt8Enum.parse(u8(2)), IntegerEnum.SECOND);
  t.is(typeof UBInt8Enum.parse(u8(2)), 'number');
  roundTrip(t, UBInt8Enum, IntegerEnum.SECOND, u8(2));
  checkFraming(t, EnumClass(UBInt16, IntegerEnum), u8(0, 1));
});

test('EnumClass is open by default: unknown (GREASE) codes survive a round trip', (t) => {
  const grease = 0x0a0a as IntegerEnum;
  const Codec16 = EnumClass(UBInt16, IntegerEnum);
  roundTrip(t, Codec16, grease, u8(0x0a, 0x0a));
  t.is(Codec16.nameOf(IntegerEnum.FIRST), 'FIRST');
  t.is(Codec16.nameOf(grease), undefined);
  t.true(Codec16.has(2));
  t.false(Codec16.has(0x0a0a));
});

test('EnumClass strict refuses unknown codes when parsing', (t) => {
  const strict = EnumClass(UBInt8, IntegerEnum, { strict: true, name: 'Kind' });
  const e = t.throws(() => strict.parse(u8(7)), {
    instanceOf: DecodeError,
    message: /^Kind: 7 is not a known value/,
  });
  t.is(e?.offset, 0);
  t.is(strict.parse(u8(1)), IntegerEnum.FIRST);
});

test('EnumClass works with a plain object of codes', (t) => {
  const Level = { warning: 1, fatal: 2 } as const;
  const codec = EnumClass(UBInt8, Level, { strict: true });
  const v: Infer<typeof codec> = codec.parse(u8(2));
  t.is(v, 2);
  t.is(codec.nameOf(v), 'fatal');
  t.throws(() => codec.parse(u8(3)), { instanceOf: DecodeError });
});

// Mirrors tls.test.test_utils.TestEnumSwitch: a Struct containing an EnumSwitch whose value field
// depends on the member in its type field.
const UBInt8EnumMappedStruct = Struct({
  an_integer: UBInt8,
  switch: EnumSwitch(UBInt8, IntegerEnum, { [IntegerEnum.FIRST]: UBInt8, [IntegerEnum.SECOND]: UBInt16 }),
});
type Mapped = Infer<typeof UBInt8EnumMappedStruct>;
const switchCases: [IntegerEnum, Mapped, Uint8Array][] = [
  [
    IntegerEnum.FIRST,
    { an_integer: 0xff, switch: { type: IntegerEnum.FIRST, value: 0xab } },
    u8(0xff, 1, 0xab),
  ],
  [
    IntegerEnum.SECOND,
    { an_integer: 0xff, switch: { type: IntegerEnum.SECOND, value: 0xabcd } },
    u8(0xff, 2, 0xab, 0xcd),
  ],
];
for (const [type, parsed, encoded] of switchCases) {
  test(`TestEnumSwitch: build (${IntegerEnum[type]})`, (t) => {
    t.deepEqual(UBInt8EnumMappedStruct.build(parsed), encoded);
  });
  test(`TestEnumSwitch: parse (${IntegerEnum[type]})`, (t) => {
    t.deepEqual(UBInt8EnumMappedStruct.parse(encoded), parsed);
  });
  test(`TestEnumSwitch: round trip (${IntegerEnum[type]})`, (t) => {
    roundTrip(t, UBInt8EnumMappedStruct, parsed, encoded);
    checkFraming(t, UBInt8EnumMappedStruct, encoded);
  });
}

test('EnumSwitch: an unknown tag keeps the rest of the input as raw bytes and rebuilds identically', (t) => {
  const Switch = UBInt8EnumMappedStruct.fields.switch;
  const encoded = u8(0x42, 0xde, 0xad, 0xbe);
  const parsed = Switch.parse(encoded);
  t.deepEqual(parsed, { type: 0x42, value: u8(0xde, 0xad, 0xbe), unknown: true });
  t.deepEqual(Switch.build(parsed), encoded);
  t.deepEqual(Switch.parse(u8(0x42)), { type: 0x42, value: u8(), unknown: true });
});

test('EnumSwitch: a member without a choice is treated like an unknown tag', (t) => {
  const Switch = EnumSwitch(UBInt8, IntegerEnum, { [IntegerEnum.FIRST]: UBInt8 });
  roundTrip(t, Switch, { type: IntegerEnum.SECOND, value: u8(9, 9), unknown: true }, u8(2, 9, 9));
  // Building a choice-less tag without the unknown flag uses the default codec as well.
  t.deepEqual(Switch.build({ type: IntegerEnum.SECOND, value: u8(5) } as never), u8(2, 5));
});

test('EnumSwitch: unknown values in a TLS vector need a prefixed default codec', (t) => {
  // TLS Extension: type, then extension_data<0..2^16-1>; known bodies sit inside the same prefix.
  enum ExtensionType {
    supported_versions = 43,
  }
  const Extension = EnumSwitch(
    UBInt16,
    ExtensionType,
    { [ExtensionType.supported_versions]: Opaque(TLSPrefixedArray(UBInt16, UBInt8)) },
    PrefixedBytes(UBInt16),
  );
  const Extensions = TLSPrefixedArray(Extension);
  const encoded = u8(0, 12, 0x0a, 0x0a, 0, 1, 0, 0, 43, 0, 3, 2, 3, 4);
  const parsed = Extensions.parse(encoded);
  t.deepEqual(parsed, [
    { type: 0x0a0a, value: u8(0), unknown: true },
    { type: ExtensionType.supported_versions, value: [0x0304] },
  ]);
  t.deepEqual(Extensions.build(parsed), encoded);
  const e = t.throws(() => Extensions.parse(u8(0, 8, 0, 43, 0, 4, 3, 3, 4, 0)), { instanceOf: DecodeError });
  t.is(e?.path, '[0].value[1]');
});

test('EnumSwitch: the value type narrows on known tags', (t) => {
  const Switch = EnumSwitch(UBInt8, IntegerEnum, {
    [IntegerEnum.FIRST]: UBInt8,
    [IntegerEnum.SECOND]: Bytes(2),
  });
  const v = Switch.parse(u8(2, 1, 2));
  if (v.unknown) return t.fail();
  if (v.type === IntegerEnum.SECOND) {
    const bytes: Uint8Array = v.value;
    t.deepEqual(bytes, u8(1, 2));
  } else {
    const n: number = v.value;
    t.fail(`unexpected ${n}`);
  }
});

test('EnumSwitch: strict refuses unknown tags; build errors name type/value', (t) => {
  const Switch = EnumSwitch(UBInt8, IntegerEnum, { [IntegerEnum.FIRST]: UBInt8 }, undefined, {
    strict: true,
    name: 'Msg',
  });
  t.throws(() => Switch.parse(u8(9, 1)), {
    instanceOf: DecodeError,
    message: /^Msg: 9 is not a known value/,
  });
  t.throws(() => Switch.build({ type: 9 as IntegerEnum, value: u8(), unknown: true }), {
    instanceOf: EncodeError,
    message: /Msg\.type/,
  });
  t.throws(() => Switch.build({ type: IntegerEnum.FIRST, value: 300 }), {
    instanceOf: EncodeError,
    message: /Msg\.value/,
  });
  t.throws(() => Switch.build('x' as never), { instanceOf: EncodeError, message: /expected an object/ });
  t.throws(() => Switch.build({ type: 'FIRST' } as never), { instanceOf: EncodeError, message: /Msg\.type/ });
});

testProp(
  'EnumSwitch round-trips any tag and payload',
  [fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 8 })],
  (t, tag, payload) => {
    const Switch = EnumSwitch(UBInt8, IntegerEnum, { [IntegerEnum.FIRST]: Bytes(2) });
    const encoded = u8(tag, ...payload);
    try {
      t.deepEqual(Switch.build(Switch.parse(encoded)), encoded);
    } catch (e) {
      // Only the FIRST choice can be malformed (it wants exactly 2 bytes).
      t.is(tag, IntegerEnum.FIRST);
      t.true(e instanceof DecodeError || (e as Error).name === 'IncompleteDataError');
    }
  },
);
