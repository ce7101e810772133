import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import {
  ClientHello,
  ContentType,
  Extension,
  ExtensionType,
  Handshake,
  HandshakeRecord,
  HandshakeType,
  RFC8448_CLIENT_HELLO_RECORD,
} from '../bench/shapes.js';
import { DecodeError, IncompleteDataError, WireError } from '../src/index.js';
import { checkFraming, valueOrWireError } from './helpers.js';

const record = RFC8448_CLIENT_HELLO_RECORD;
const body = record.subarray(9); // after the record header (5) and handshake header (4)

test('RFC 8448 ClientHello record parses into typed fields and rebuilds byte for byte', (t) => {
  const parsed = HandshakeRecord.parse(record);
  t.is(parsed.type, ContentType.handshake);
  t.is(parsed.legacy_record_version, 0x0301);
  const hs = parsed.fragment;
  if (hs.unknown || hs.type !== HandshakeType.client_hello) return t.fail('not a ClientHello');
  const hello = hs.value;
  t.is(hello.legacy_version, 0x0303);
  t.deepEqual(hello.cipher_suites, [0x1301, 0x1303, 0x1302]);
  t.is(hello.extensions?.length, 8);
  const sni = hello.extensions?.[0];
  if (sni === undefined || sni.unknown || sni.type !== ExtensionType.server_name)
    return t.fail('no SNI first');
  t.is(new TextDecoder().decode(sni.value[0]?.host_name), 'server');
  // renegotiation_info (0xff01) is not in the enum: kept raw.
  t.deepEqual(hello.extensions?.[1], {
    type: 0xff01 as ExtensionType,
    value: Uint8Array.of(0),
    unknown: true,
  });
  t.deepEqual(HandshakeRecord.build(parsed), record);
});

test('RFC 8448 record: truncation at every offset is incomplete, one extra byte is trailing', (t) => {
  checkFraming(t, HandshakeRecord, record);
  checkFraming(t, Handshake, record.subarray(5));
});

test('ClientHello body: truncation is incomplete except where the optional extensions start', (t) => {
  const extensionsAt = 2 + 32 + 1 + 2 + 6 + 2;
  for (let cut = 0; cut < body.length; cut++) {
    if (cut === extensionsAt) {
      t.is(ClientHello.parse(body.subarray(0, cut)).extensions, undefined);
      continue;
    }
    t.throws(
      () => ClientHello.parse(body.subarray(0, cut)),
      { instanceOf: IncompleteDataError },
      `cut ${cut}`,
    );
  }
});

test('a needed count lets a record layer wait for exactly enough bytes', (t) => {
  let have = 3;
  for (;;) {
    const result = valueOrWireError(() => HandshakeRecord.parse(record.subarray(0, have)));
    if (result === 'value') break;
    if (!(result instanceof IncompleteDataError)) return t.fail(String(result));
    have += result.needed;
  }
  t.is(have, record.length, 'header first (2 more bytes), then the whole fragment');
});

testProp(
  'random bytes give a value or a WireError, and a value rebuilds to the same bytes',
  [fc.uint8Array({ maxLength: 200 })],
  (t, bytes) => {
    for (const codec of [HandshakeRecord, Handshake, ClientHello, Extension]) {
      let value: unknown;
      const result = valueOrWireError(() => {
        value = codec.parse(bytes);
      });
      if (result === 'value') t.deepEqual((codec.build as (v: unknown) => Uint8Array)(value), bytes);
      else t.true(result instanceof WireError);
    }
  },
  { numRuns: 300 },
);

testProp(
  'mutated real records give a value or a WireError, and a value rebuilds to the same bytes',
  [
    fc.array(fc.tuple(fc.nat(record.length - 1), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 4,
    }),
  ],
  (t, edits) => {
    const bytes = record.slice();
    for (const [at, v] of edits) bytes[at] = v;
    const result = valueOrWireError(() =>
      t.deepEqual(HandshakeRecord.build(HandshakeRecord.parse(bytes)), bytes),
    );
    if (result !== 'value') t.true(result instanceof DecodeError || result instanceof IncompleteDataError);
  },
  { numRuns: 300 },
);

const bytesOf = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const extensionArb = fc.oneof(
  fc.record({
    type: fc.constant(ExtensionType.supported_versions as const),
    value: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant(ExtensionType.key_share as const),
    value: fc.array(fc.record({ group: fc.integer({ min: 0, max: 0xffff }), key_exchange: bytesOf(1, 40) })),
  }),
  fc.record({
    type: fc.constantFrom<number>(0x0a0a, 0xfe0d, 0x0017).map((n): ExtensionType => n),
    value: bytesOf(0, 20),
    unknown: fc.constant(true as const),
  }),
);
const clientHelloArb = fc.record(
  {
    legacy_version: fc.integer({ min: 0, max: 0xffff }),
    random: bytesOf(32, 32),
    legacy_session_id: bytesOf(0, 32),
    cipher_suites: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 20 }),
    legacy_compression_methods: bytesOf(1, 3),
    extensions: fc.option(fc.array(extensionArb, { minLength: 2, maxLength: 6 }), { nil: undefined }),
  },
  { requiredKeys: [] },
);

testProp(
  'random ClientHello values round-trip',
  [clientHelloArb],
  (t, hello) => {
    const full = { extensions: undefined, ...hello } as ClientHello;
    let bytes: Uint8Array;
    try {
      bytes = ClientHello.build(full);
    } catch (e) {
      // Only missing required fields may fail to build, and they say which.
      t.true(e instanceof WireError && /^ClientHello\.\w+:/.test(e.message), String(e));
      return;
    }
    t.deepEqual(ClientHello.parse(bytes), full);
  },
  { numRuns: 200 },
);
