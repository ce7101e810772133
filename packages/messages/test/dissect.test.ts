import { readFileSync } from 'node:fs';
import { fc, testProp } from '@fast-check/ava';
import {
  ClientHello,
  ContentType,
  type DecryptedContent,
  dissect,
  dissectStream,
  formatTranscript,
  Handshake,
  HandshakeType,
  hasErrors,
  messageName,
  parseKeyLog,
  type RecordDecryptor,
  type RecordDecryptorInfo,
  ServerHello,
  TLSDissector,
  transcriptToJson,
} from '@tls-kit/messages';
import { DecodeError, IncompleteDataError, WireError } from '@tls-kit/wire';
import test from 'ava';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

test('the text transcript names records, messages, fields and enums', (t) => {
  const lines = formatTranscript(dissect(fixture('openssl-tls13-hrr-chacha.pcap')));
  const text = lines.join('\n');
  t.regex(lines[0]!, /^connection #0: client 127\.0\.0\.1:49152 -> server 127\.0\.0\.2:443$/);
  t.regex(text, /client @0 packet 3 record handshake \(0x16\) TLS1_0 \(0x0301\) length \d+/);
  t.regex(text, /\n {2}ClientHello \(\d+ bytes\)\n {4}legacyVersion: TLS1_2 \(0x0303\)/);
  t.regex(text, /\n {2}HelloRetryRequest \(\d+ bytes\)/);
  t.regex(text, /selectedGroup: secp256r1 \(0x0017\)/);
  t.regex(text, /hostName: "hrr\.example\.test"/);
  t.regex(text, /- TLS_CHACHA20_POLY1305_SHA256 \(0x1303\)/);
  t.regex(text, /record application_data \(0x17\) TLS1_2 \(0x0303\) length \d+ \[encrypted\]/);
  t.false(hasErrors(dissect(fixture('openssl-tls13-hrr-chacha.pcap'))));
});

test('JSON gives numbers and names for enums and hex for bytes', (t) => {
  const json = transcriptToJson(dissect(fixture('node-tls12.pcap'))) as {
    events: {
      kind: string;
      message?: string;
      body?: Record<string, unknown>;
      encrypted?: boolean;
      fragment?: string;
    }[];
  };
  const hello = json.events.find((e) => e.message === 'ServerHello')!;
  t.deepEqual(hello.body!.cipherSuite, { value: 0xc02f, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' });
  t.regex(hello.body!.random as string, /^[0-9a-f]{64}$/);
  const ske = json.events.find((e) => e.message === 'ServerKeyExchange')!;
  t.like(ske.body, { params: { curveParams: { namedCurve: { value: 24, name: 'secp384r1' } } } });
  const encrypted = json.events.find((e) => e.kind === 'record' && e.encrypted)!;
  t.regex(encrypted.fragment!, /^[0-9a-f]+$/);
  t.notThrows(() => JSON.stringify(json));
});

test('a truncated stream prints what decoded, then the fault with offset and path', (t) => {
  const whole = fixture('node-tls12.s2c.bin');
  const transcript = dissectStream(whole.subarray(0, 700));
  const errors = transcript.events.filter((e) => e.kind === 'error');
  t.is(errors.length, 1);
  t.true(transcript.events.some((e) => e.kind === 'handshake'));
  const error = errors[0]!;
  t.true(error.kind === 'error' && error.error instanceof IncompleteDataError);
  t.is(error.offset, 700);
  t.regex(
    formatTranscript(transcript).at(-1)!,
    /^error: server stream offset 700 at TLSRecord: input ended early/,
  );
});

test('a malformed message is located in the stream with its field path', (t) => {
  const bytes = Uint8Array.from(fixture('node-tls12.c2s.bin'));
  const sessionIdLength = bytes[43]!;
  const at = 44 + sessionIdLength;
  bytes[at + 1]! |= 1; // an odd cipher_suites length
  const transcript = dissectStream(bytes);
  const error = transcript.events.find((e) => e.kind === 'error');
  if (error?.kind !== 'error') return t.fail('no error');
  t.true(error.error instanceof DecodeError);
  t.regex(error.error.path, /^Handshake\.ClientHello\.cipherSuites\[\d+\]$/);
  t.is(error.offset, at + 2 + (bytes[at + 1]! - 1));
  t.true(hasErrors(transcript));
});

test('a non-TLS stream is refused on its first record header', (t) => {
  const transcript = dissectStream(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  const error = transcript.events[0];
  t.is(error?.kind, 'error');
  t.regex(formatTranscript(transcript)[0]!, /^error: server stream offset 0 at TLSRecord\.type: /);
});

test('parseKeyLog reads NSS key log lines', (t) => {
  const random = 'ab'.repeat(32);
  const entries = parseKeyLog(
    `# comment\nCLIENT_RANDOM ${random} ${'cd'.repeat(48)}\n\nSERVER_HANDSHAKE_TRAFFIC_SECRET ${random.toUpperCase()} ${'ef'.repeat(32)}\n`,
  );
  t.deepEqual(
    entries.map((e) => [e.label, e.clientRandom]),
    [
      ['CLIENT_RANDOM', random],
      ['SERVER_HANDSHAKE_TRAFFIC_SECRET', random],
    ],
  );
  t.throws(() => parseKeyLog('CLIENT_RANDOM nothex'), { instanceOf: DecodeError });
});

test('the decryption hook is called for encrypted records and its plaintext is decoded', (t) => {
  const seen: number[] = [];
  const dissector = new TLSDissector((record) => {
    seen.push(record.type);
    return { type: 21, content: Uint8Array.of(1, 0) };
  });
  const events = dissector.push(0, 'client', fixture('openssl-tls13-x25519.c2s.bin'));
  t.true(seen.length > 0);
  t.true(events.some((e) => e.kind === 'alert' && e.alert.level === 1 && e.alert.description === 0));
});

// Random input never escapes as anything but a value or a WireError.
testProp(
  'codecs on random bytes: a value or a WireError',
  [fc.uint8Array({ maxLength: 300 })],
  (t, input) => {
    for (const codec of [
      ClientHello,
      ServerHello,
      Handshake(),
      Handshake({ version: 0x0303, keyExchange: 'ECDHE' }),
    ]) {
      try {
        codec.parse(input);
      } catch (e) {
        t.true(e instanceof WireError, String(e));
      }
    }
    t.notThrows(() => dissectStream(input));
  },
);

testProp(
  'a real handshake with one corrupted byte: a transcript, never an exception',
  [fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 255 })],
  (t, position, value) => {
    const bytes = Uint8Array.from(fixture('openssl-tls12-dhe-rsa.s2c.bin'));
    bytes[position % bytes.length] = value;
    const transcript = dissectStream(bytes);
    t.true(Array.isArray(formatTranscript(transcript)));
  },
);

test('a TLS 1.3-only client stream: its ChangeCipherSpec does not hide the ClientHello after an HRR', (t) => {
  const transcript = dissectStream(fixture('openssl-tls13-hrr-chacha.c2s.bin'));
  const names = transcript.events.flatMap((e) => (e.kind === 'handshake' ? [messageName(e)] : []));
  t.deepEqual(names, ['ClientHello', 'ClientHello']);
  t.false(hasErrors(transcript));
});

/** A stand-in decryptor (no crypto here): records the hook's info, "opens" every record. */
function recordingDecryptor(content: (info: RecordDecryptorInfo) => DecryptedContent | undefined) {
  const seen: RecordDecryptorInfo[] = [];
  const decrypt: RecordDecryptor = (_record, info) => {
    seen.push({ ...info });
    return content(info);
  };
  return { seen, decrypt };
}

const serverHelloOf = (bytes: Uint8Array) => {
  for (const e of dissect(bytes).events) {
    if (
      e.kind === 'handshake' &&
      !e.message.unknown &&
      e.message.msgType === HandshakeType.server_hello &&
      !e.message.body.isHelloRetryRequest
    )
      return e.message.body;
  }
  throw new Error('no ServerHello');
};

test('the decryption hook gets the ServerHello random and suite (TLS 1.2), never a HelloRetryRequest one', (t) => {
  for (const name of ['openssl-tls12-ecdhe-rsa.pcap', 'openssl-tls13-hrr-chacha.pcap']) {
    const bytes = fixture(name);
    const hello = serverHelloOf(bytes);
    const { seen, decrypt } = recordingDecryptor(() => undefined);
    dissect(bytes, decrypt);
    t.true(seen.length > 0, name);
    for (const info of seen) {
      t.truthy(info.clientRandom, name);
      t.deepEqual(info.serverRandom, hello.random, name);
      t.is(info.cipherSuite, hello.cipherSuite, name);
    }
  }
});

test('decrypted records: tagged, application data shown as text, in JSON too', (t) => {
  const { decrypt } = recordingDecryptor((info) =>
    info.from === 'client'
      ? {
          type: ContentType.application_data,
          content: new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n\x00'),
        }
      : undefined,
  );
  const transcript = dissect(fixture('openssl-tls13-x25519.pcapng'), decrypt);
  const text = formatTranscript(transcript).join('\n');
  t.regex(
    text,
    /\[decrypted: application_data \(0x17\), 19 bytes\]\n {4}\| GET \/ HTTP\/1\.0\\r\\n\n {4}\| \\r\\n\n {4}\| \\x00/,
  );
  t.regex(text, /server .* \[encrypted\]/);
  const json = transcriptToJson(transcript) as {
    events: { decrypted?: { length: number; content: string } }[];
  };
  const first = json.events.find((e) => e.decrypted);
  t.is(first?.decrypted?.length, 19);
  t.is(Buffer.from(first!.decrypted!.content, 'hex').toString(), 'GET / HTTP/1.0\r\n\r\n\x00');
  const record = transcript.events.find((e) => e.kind === 'record' && e.decrypted);
  t.is(record?.kind === 'record' ? record.encrypted : undefined, false);
});
