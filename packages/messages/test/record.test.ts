import {
  Alert,
  AlertDescription,
  AlertLevel,
  ChangeCipherSpec,
  ContentType,
  HandshakeSplitter,
  MAX_PLAINTEXT_LENGTH,
  ProtocolVersion,
  RecordSplitter,
  TLS13Ciphertext,
  TLSCiphertext,
  TLSCompressed,
  TLSInnerPlaintext,
  TLSPlaintext,
} from '@tls-kit/messages';
import { type Codec, DecodeError, EncodeError, IncompleteDataError } from '@tls-kit/wire';
import test from 'ava';
import { bytes, concat, hex, roundTrip, truncationsAreIncomplete } from './helpers/bytes.js';

const handshakeRecord = hex('16 0303 0004 0e000000'); // a ServerHelloDone in one record

function recordTests(
  name: string,
  codec: Codec<{ type: number; version: number; fragment: Uint8Array }>,
  max: number,
) {
  test(`${name}: parses a handshake record into its fields`, (t) => {
    t.deepEqual(codec.parse(handshakeRecord), {
      type: ContentType.handshake,
      version: ProtocolVersion.TLS1_2,
      fragment: hex('0e000000'),
    });
  });
  test(`${name}: as_bytes rebuilds the record`, (t) => {
    roundTrip(t, codec, { type: ContentType.application_data, version: 0x0303, fragment: bytes(100) });
    t.deepEqual(codec.build(codec.parse(handshakeRecord)), handshakeRecord);
  });
  test(`${name}: an incomplete packet is an IncompleteDataError saying how much is missing`, (t) => {
    truncationsAreIncomplete(t, codec, handshakeRecord);
    const error = t.throws(() => codec.parse(hex('16 0303')), { instanceOf: IncompleteDataError });
    t.is(error?.needed, 2);
  });
  test(`${name}: not enough data for the fragment`, (t) => {
    const error = t.throws(() => codec.parse(hex('17 0303 0010 0102')), { instanceOf: IncompleteDataError });
    t.is(error?.needed, 14);
  });
  test(`${name}: a type outside ContentType is refused`, (t) => {
    const error = t.throws(() => codec.parse(hex('63 0303 0000')), { instanceOf: DecodeError });
    t.regex(error!.path, /\.type$/);
    t.throws(() => codec.parse(hex('00 0303 0000')), { instanceOf: DecodeError });
    t.throws(() => codec.build({ type: 0x63, version: 0x0303, fragment: bytes(0) }), {
      instanceOf: EncodeError,
    });
  });
  test(`${name}: a length above ${max} is refused before the fragment is read`, (t) => {
    const length = max + 1;
    const error = t.throws(() => codec.parse(hex(`17 0303 ${length.toString(16).padStart(4, '0')}`)), {
      instanceOf: DecodeError,
    });
    t.regex(error!.path, /\.fragment$/);
    t.notThrows(() => codec.parse(concat(hex(`17 0303 ${max.toString(16).padStart(4, '0')}`), bytes(max))));
    t.throws(() => codec.build({ type: 23, version: 0x0303, fragment: bytes(length) }), {
      instanceOf: EncodeError,
    });
  });
}

recordTests('TestTLSPlaintextParsing', TLSPlaintext, MAX_PLAINTEXT_LENGTH);
recordTests('TestTLSCompressedParsing', TLSCompressed, 2 ** 14 + 1024);
recordTests('TestTLSCiphertextParser', TLSCiphertext, 2 ** 14 + 2048);
recordTests('TLS 1.3 TLSCiphertext', TLS13Ciphertext, 2 ** 14 + 256);

test('RecordSplitter: records arriving one byte at a time come out whole, with offsets', (t) => {
  const stream = concat(handshakeRecord, hex('14 0303 0001 01'), hex('17 0303 0003 aabbcc'));
  const splitter = new RecordSplitter();
  const out = [];
  const needs = [];
  for (const b of stream) {
    splitter.push(Uint8Array.of(b));
    needs.push(splitter.needed());
    for (let r = splitter.next(); r !== undefined; r = splitter.next()) out.push(r);
  }
  t.deepEqual(
    out.map((r) => [r.offset, r.record.type, r.record.fragment.length]),
    [
      [0, ContentType.handshake, 4],
      [9, ContentType.change_cipher_spec, 1],
      [15, ContentType.application_data, 3],
    ],
  );
  t.deepEqual(out[2]!.bytes, hex('17 0303 0003 aabbcc'));
  t.deepEqual(needs.slice(0, 9), [4, 3, 2, 1, 4, 3, 2, 1, 0]);
  t.is(splitter.buffered, 0);
});

test('RecordSplitter: several records in one push, and the remainder waits', (t) => {
  const splitter = new RecordSplitter();
  splitter.push(concat(handshakeRecord, handshakeRecord, hex('16 0303 0004 0e')));
  t.truthy(splitter.next());
  t.truthy(splitter.next());
  t.is(splitter.next(), undefined);
  t.is(splitter.needed(), 3);
  splitter.push(hex('000000'));
  t.deepEqual(splitter.next()?.record.fragment, hex('0e000000'));
});

test('RecordSplitter refuses an oversize length on the header, before buffering the body', (t) => {
  const splitter = new RecordSplitter({ maxFragmentLength: MAX_PLAINTEXT_LENGTH });
  const error = t.throws(() => splitter.push(hex('17 0303 4001')), { instanceOf: DecodeError });
  t.is(error?.path, 'TLSRecord.length');
  t.is(error?.offset, 3);
  // Not a TLS stream at all (an HTTP request): refused on the first bytes.
  const http = t.throws(() => new RecordSplitter().push(new TextEncoder().encode('GET / HTTP/1.1\r\n')), {
    instanceOf: DecodeError,
  });
  t.is(http?.path, 'TLSRecord.type');
  t.throws(() => new RecordSplitter().push(hex('16 0203 0000')), { instanceOf: DecodeError });
});

test('HandshakeSplitter: a message spanning records, and records holding several messages', (t) => {
  const splitter = new HandshakeSplitter();
  const finished = concat(hex('14 00000c'), bytes(12));
  splitter.push(concat(hex('0e000000'), finished.subarray(0, 6)));
  t.deepEqual(splitter.next()?.msgType, 0x0e);
  t.is(splitter.next(), undefined);
  t.is(splitter.needed(), 10);
  splitter.push(finished.subarray(6));
  const m = splitter.next();
  t.is(m?.msgType, 0x14);
  t.deepEqual(m?.bytes, finished);
  t.deepEqual(m?.body, bytes(12));
  t.is(m?.offset, 4);
  const small = new HandshakeSplitter({ maxMessageLength: 1000 });
  t.throws(() => small.push(hex('0b 0003e9')), { instanceOf: DecodeError });
});

test('Alert and ChangeCipherSpec', (t) => {
  roundTrip(
    t,
    Alert,
    { level: AlertLevel.fatal, description: AlertDescription.handshake_failure },
    hex('0228'),
  );
  // Unknown descriptions are read: TLS 1.3 treats them as errors (RFC 8446 §6).
  t.deepEqual(Alert.parse(hex('02fe')), { level: 2, description: 254 });
  truncationsAreIncomplete(t, Alert, hex('0100'));
  t.throws(() => Alert.parse(hex('010000')), { instanceOf: DecodeError });
  roundTrip(t, ChangeCipherSpec, {}, hex('01'));
  t.throws(() => ChangeCipherSpec.parse(hex('02')), { instanceOf: DecodeError });
});

test('TLSInnerPlaintext: the content type is the last non-zero byte (RFC 8446 §5.4)', (t) => {
  roundTrip(
    t,
    TLSInnerPlaintext,
    { content: hex('0e000000'), type: ContentType.handshake, zeros: 3 },
    hex('0e000000 16 000000'),
  );
  t.deepEqual(TLSInnerPlaintext.parse(hex('000017')), { content: hex('0000'), type: 0x17, zeros: 0 });
  t.throws(() => TLSInnerPlaintext.parse(hex('000000')), { instanceOf: DecodeError });
  t.throws(() => TLSInnerPlaintext.parse(hex('')), { instanceOf: DecodeError });
  t.throws(() => TLSInnerPlaintext.build({ content: bytes(1), type: 0, zeros: 0 }), {
    instanceOf: EncodeError,
  });
});
