import { readFileSync } from 'node:fs';
import { fc, testProp } from '@fast-check/ava';
import {
  decodeTcp,
  detectCaptureFormat,
  dissectCapture,
  readCapture,
  TcpReassembler,
  type TcpSegment,
} from '@tls-kit/messages';
import { DecodeError, IncompleteDataError, WireError } from '@tls-kit/wire';
import test from 'ava';
import { bytes } from './helpers/bytes.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

test('capture formats are recognised by their magic number', (t) => {
  t.is(detectCaptureFormat(fixture('node-tls13.pcap')), 'pcap');
  t.is(detectCaptureFormat(fixture('openssl-tls13-x25519.pcapng')), 'pcapng');
  t.is(detectCaptureFormat(fixture('node-tls13.c2s.bin')), undefined);
  // Big-endian pcap and nanosecond pcap magics.
  t.is(detectCaptureFormat(Uint8Array.of(0xa1, 0xb2, 0xc3, 0xd4)), 'pcap');
  t.is(detectCaptureFormat(Uint8Array.of(0x4d, 0x3c, 0xb2, 0xa1)), 'pcap');
  t.throws(() => readCapture(bytes(30)), { instanceOf: DecodeError });
});

test('pcap and pcapng readers return the same frames and timestamps', (t) => {
  const a = readCapture(fixture('openssl-tls13-x25519.pcap'));
  const b = readCapture(fixture('openssl-tls13-x25519.pcapng'));
  t.is(a.error, undefined);
  t.is(b.error, undefined);
  t.is(a.packets.length, b.packets.length);
  for (let i = 0; i < a.packets.length; i++) {
    t.deepEqual(a.packets[i]!.data, b.packets[i]!.data);
    t.is(a.packets[i]!.linkType, 1);
    t.true(Math.abs(a.packets[i]!.timestamp - b.packets[i]!.timestamp) < 1e-6);
  }
  const syn = decodeTcp(a.packets[0]!);
  t.like(syn, { src: '127.0.0.1', dst: '127.0.0.2', dstPort: 443, flags: 0x02 });
});

test('a truncated capture keeps the packets before the fault and reports the fault with its offset', (t) => {
  const whole = fixture('node-tls12.pcap');
  const full = readCapture(whole).packets.length;
  for (const cut of [10, 30, 50, whole.length - 1]) {
    const result = readCapture(whole.subarray(0, cut));
    t.true(result.error instanceof IncompleteDataError, `cut at ${cut}`);
    t.is(result.errorOffset, cut);
    t.true(result.packets.length < full);
  }
  const ng = fixture('openssl-tls13-x25519.pcapng');
  const cut = readCapture(ng.subarray(0, ng.length - 6));
  t.regex(cut.error!.path, /^pcapng\.block\[\d+\]$/);
  // A corrupted block trailer is a DecodeError.
  const bad = Uint8Array.from(ng);
  bad[bad.length - 1]! ^= 0xff;
  t.true(readCapture(bad).error instanceof DecodeError);
});

function segment(seq: number, payload: string, flags = 0x18, fromClient = true): TcpSegment {
  return {
    packet: 0,
    timestamp: 0,
    src: fromClient ? '10.0.0.1' : '10.0.0.2',
    dst: fromClient ? '10.0.0.2' : '10.0.0.1',
    srcPort: fromClient ? 5000 : 443,
    dstPort: fromClient ? 443 : 5000,
    seq,
    flags,
    payload: new TextEncoder().encode(payload),
  };
}

const text = (d: { data: Uint8Array }[]) => d.map((x) => new TextDecoder().decode(x.data)).join('');

test('TCP reassembly orders segments, drops retransmissions and trims overlaps', (t) => {
  const tcp = new TcpReassembler();
  t.deepEqual(tcp.push(segment(99, '', 0x02)), []);
  t.deepEqual(tcp.push(segment(500, '', 0x12, false)), []);
  t.is(text(tcp.push(segment(100, 'hello '))), 'hello ');
  t.deepEqual(tcp.push(segment(112, 'wide ')), []); // out of order: waits
  t.is(tcp.gaps().length, 1);
  t.is(text(tcp.push(segment(106, 'world '))), 'world wide ');
  t.deepEqual(tcp.push(segment(100, 'hello ')), []); // retransmission
  t.is(text(tcp.push(segment(114, 'de web'))), 'web'); // overlap: 114..116 were delivered
  t.is(text(tcp.push(segment(501, 'pong', 0x18, false))), 'pong');
  t.deepEqual(tcp.gaps(), []);
  t.deepEqual(tcp.connections, [{ index: 0, client: '10.0.0.1:5000', server: '10.0.0.2:443' }]);
});

test('TCP reassembly handles sequence number wrap-around and bounds out-of-order data', (t) => {
  const tcp = new TcpReassembler(10);
  t.is(text(tcp.push(segment(0xfffffffe, 'ab'))), 'ab');
  t.is(text(tcp.push(segment(0, 'cd'))), 'cd');
  t.throws(() => tcp.push(segment(100, 'x'.repeat(11))), { instanceOf: DecodeError });
});

test('a capture whose TLS stream is cut mid-record reports the record fault after what decoded', (t) => {
  const whole = fixture('openssl-tls12-ecdhe-rsa.pcap');
  const packets = readCapture(whole).packets;
  // Cut inside the server's first flight (packet 4): its frame is incomplete.
  const cut = packets[4]!.fileOffset + 200;
  const transcript = dissectCapture(whole.subarray(0, cut));
  t.true(transcript.events.some((e) => e.kind === 'handshake'));
  t.true(transcript.captureError?.error instanceof IncompleteDataError);
  t.is(transcript.captureError?.fileOffset, cut);
});

testProp(
  'corrupted captures: a transcript with a located fault, never an exception',
  [
    fc.constantFrom('node-tls12.pcap', 'openssl-tls13-x25519.pcapng'),
    fc.nat(),
    fc.integer({ min: 0, max: 255 }),
    fc.nat(),
  ],
  (t, name, position, value, cut) => {
    const whole = Uint8Array.from(fixture(name));
    whole[position % whole.length] = value;
    const input = whole.subarray(0, whole.length - (cut % 64));
    let transcript: ReturnType<typeof dissectCapture> | undefined;
    try {
      transcript = dissectCapture(input);
    } catch (e) {
      // Only an unrecognisable magic number is thrown, as a WireError.
      t.true(e instanceof WireError && position % whole.length < 4, String(e));
      return;
    }
    const fault = transcript.captureError;
    t.true(fault === undefined || (fault.error instanceof WireError && fault.fileOffset <= input.length));
  },
);
