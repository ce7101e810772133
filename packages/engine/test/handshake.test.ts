import test from 'ava';
import { ClientTLS, ServerTLS } from '../src/index.js';
import { pair, str, text } from './helpers/pipe.js';
import { pki } from './helpers/pki.js';

test('TLS 1.3 handshake in memory, data both ways, close_notify', (t) => {
  const p = pki();
  const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: p.trustStore });
  const server = new ServerTLS({ certificates: p.chain('ecdsa') });
  const {
    client: c,
    server: s,
    pump,
  } = pair(
    (w, cl) => client.start(w, cl),
    (w, cl) => server.start(w, cl),
  );
  pump();
  t.is(c.connection.state, 'open');
  t.is(s.connection.state, 'open');
  t.is(c.connection.tlsVersion, 'TLSv1.3');
  t.is(c.connection.cipherSuite, 'TLS_AES_128_GCM_SHA256');
  t.is(c.connection.namedGroup, 'x25519mlkem768');
  t.is(c.connection.signatureScheme, 'ecdsa_secp256r1_sha256');
  t.is(s.connection.serverName, 'localhost');
  c.connection.dataFromApplication(text('hello server'));
  s.connection.dataFromApplication(text('hello client'));
  pump();
  t.is(str(s.received), 'hello server');
  t.is(str(c.received), 'hello client');
  c.connection.applicationFinished();
  t.is(c.connection.state, 'closing');
  pump();
  t.true(s.connection.ended);
  t.is(s.closed, false);
  t.true(c.connection.ended);
  t.is(c.closed, true);
});
