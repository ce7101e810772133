// Records are read in place from the caller's input (no copy per record): nothing may depend on
// that input once dataFromWire returns, whatever the chunking, and across a paused callback.
import { fc, testProp } from '@fast-check/ava';
import { type Certificate, type CertificateChainCallback, ServerCertificates } from '@tls-kit/certs';
import { concat } from '@tls-kit/crypto/bytes';
import { ContentType } from '@tls-kit/messages';
import test from 'ava';
import { ClientTLS, ServerTLS } from '../src/index.js';
import { PlaintextProtection } from '../src/record/protection.js';
import { makeClient } from './helpers/mitm.js';
import { side } from './helpers/pipe.js';
import { pki } from './helpers/pki.js';

/** Delivers `bytes` in the given cuts, overwriting each chunk as soon as the call returns. */
function deliverInChunks(to: { dataFromWire(d: Uint8Array): Uint8Array }, bytes: Uint8Array, cuts: number[]) {
  const received: Uint8Array[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    const end = Math.min(bytes.length, at + Math.max(1, cut));
    const chunk = bytes.slice(at, end);
    const data = to.dataFromWire(chunk);
    chunk.fill(0x5a);
    if (data.length > 0) received.push(data.slice());
    at = end;
    if (at === bytes.length) break;
  }
  return concat(received);
}

testProp(
  'handshake and data in any chunking, each chunk overwritten after its call',
  [fc.array(fc.integer({ min: 1, max: 40_000 }), { maxLength: 12 }), fc.integer({ min: 0, max: 70_000 })],
  (t, cuts, size) => {
    const server = new ServerTLS({ certificates: pki().chain('ecdsa') });
    const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
    const c = side((write, close) => client.start(write, close));
    const s = side((write, close) => server.start(write, close));
    for (let i = 0; i < 10 && (c.out.length > 0 || s.out.length > 0); i++) {
      if (c.out.length > 0) deliverInChunks(s.connection, concat(c.out.splice(0)), cuts);
      if (s.out.length > 0) deliverInChunks(c.connection, concat(s.out.splice(0)), cuts);
    }
    t.is(c.connection.state, 'open');
    t.is(s.connection.state, 'open');
    const payload = new Uint8Array(size).map((_, i) => (i * 7 + 3) & 0xff);
    c.connection.dataFromApplication(payload);
    const got = deliverInChunks(s.connection, concat(c.out.splice(0)), cuts);
    t.deepEqual(got, payload);
  },
  { numRuns: 25 },
);

class LaterCertificates extends ServerCertificates {
  pending: ((chain: Iterable<Certificate> | null) => void) | undefined;
  getCertificateChainForServerName(_serverName: string | null, callback: CertificateChainCallback) {
    this.pending = callback;
  }
}

test('records left in the input while a callback is pending are copied before the call returns', (t) => {
  const certificates = new LaterCertificates();
  const server = new ServerTLS({ certificates });
  const client = makeClient({ cipherSuites: ['TLS_AES_128_GCM_SHA256'] });
  const out: Uint8Array[] = [];
  const s = server.start(
    (d) => out.push(d),
    () => {},
  );
  // ClientHello and a change_cipher_spec in one chunk: the server pauses after the first record.
  const chunk = concat([
    client.take(),
    new PlaintextProtection().seal(ContentType.change_cipher_spec, new Uint8Array([1])),
  ]);
  s.dataFromWire(chunk);
  t.is(s.state, 'waiting');
  chunk.fill(0); // the caller reuses its buffer; a zeroed CCS record would be an unexpected_message
  certificates.pending!([pki().leaf('ecdsa')]);
  t.is(s.state, 'handshaking');
  client.connection.dataFromWire(concat(out.splice(0)));
  client.connection.dataFromApplication(new TextEncoder().encode('after resume'));
  t.is(s.dataFromWire(client.take()).length, 12);
  t.is(s.state, 'open');
});

test('dataFromWireParts hands out each record’s data apart, in order; dataFromWire joins them', (t) => {
  const pair = () => {
    const server = new ServerTLS({ certificates: pki().chain('ecdsa') });
    const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
    const c = side((write, close) => client.start(write, close));
    const s = side((write, close) => server.start(write, close));
    for (let i = 0; i < 10 && (c.out.length > 0 || s.out.length > 0); i++) {
      if (c.out.length > 0) s.connection.dataFromWire(concat(c.out.splice(0)));
      if (s.out.length > 0) c.connection.dataFromWire(concat(s.out.splice(0)));
    }
    return { c, s };
  };
  const messages = [100, 20_000, 1, 16_384].map((n, k) => new Uint8Array(n).fill(k + 1));
  const parted = pair();
  const joined = pair();
  for (const m of messages) {
    parted.c.connection.dataFromApplication(m);
    joined.c.connection.dataFromApplication(m);
  }
  const parts = parted.s.connection.dataFromWireParts(concat(parted.c.out.splice(0)));
  // 20,000 bytes take two records (2^14 plaintext bytes at most per record, RFC 8446 §5.1).
  t.deepEqual(
    parts.map((p) => p.length),
    [100, 16_384, 20_000 - 16_384, 1, 16_384],
  );
  t.deepEqual(concat([...parts]), concat(messages));
  t.deepEqual(joined.s.connection.dataFromWire(concat(joined.c.out.splice(0))), concat(messages));
  t.is(parted.s.connection.dataFromWireParts(new Uint8Array(0)).length, 0);
});
