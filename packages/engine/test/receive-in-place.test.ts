// Records are read in place from the caller's input (no copy per record): nothing may depend on
// that input once dataFromWire returns, whatever the chunking, and across a paused callback.
import { fc, testProp } from '@fast-check/ava';
import { type Certificate, type CertificateChainCallback, ServerCertificates } from '@tls-kit/certs';
import { ContentType } from '@tls-kit/messages';
import test from 'ava';
import { concat } from '../src/bytes.js';
import { ClientTLS, ServerTLS } from '../src/index.js';
import { PlaintextProtection } from '../src/record/protection.js';
import { makeClient } from './helpers/mitm.js';
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
    const c2s: Uint8Array[] = [];
    const s2c: Uint8Array[] = [];
    const c = client.start(
      (d) => c2s.push(d),
      () => {},
    );
    const s = server.start(
      (d) => s2c.push(d),
      () => {},
    );
    for (let i = 0; i < 10 && (c2s.length > 0 || s2c.length > 0); i++) {
      if (c2s.length > 0) deliverInChunks(s, concat(c2s.splice(0)), cuts);
      if (s2c.length > 0) deliverInChunks(c, concat(s2c.splice(0)), cuts);
    }
    t.is(c.state, 'open');
    t.is(s.state, 'open');
    const payload = new Uint8Array(size).map((_, i) => (i * 7 + 3) & 0xff);
    c.dataFromApplication(payload);
    const got = deliverInChunks(s, concat(c2s.splice(0)), cuts);
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
