// The handshake messages of a flight share records (RFC 8446 §5.1, RFC 5246 §6.2.1), as many as
// the record size limit allows, and never across a key change or a ChangeCipherSpec: every flight
// of both versions and both roles, each record opened and its messages listed.
import { ContentType, HandshakeType as H } from '@tls-kit/messages';
import test from 'ava';
import { ClientTLS, ServerTLS } from '../src/index.js';
import { PkiStore } from './helpers/client-certificate-store.js';
import { protection, records, splitMessages, suite } from './helpers/mitm.js';
import { pki } from './helpers/pki.js';
import {
  clientTLS12,
  complete,
  send,
  serverTLS12,
  startClient,
  startServer,
} from './helpers/tls12-memory.js';

/** A record as the test sees it: its handshake message types ('CCS' for a ChangeCipherSpec). */
interface Seen {
  readonly messages: 'CCS' | number[];
  /** The index of the secret that opened it (-1: not protected). */
  readonly key: number;
  /** The bytes of handshake messages it carries. */
  readonly size: number;
}

/**
 * The records of `bytes`: protected ones opened with `secrets` in turn (TLS 1.3: a record that
 * does not open under one key is under the next).
 */
function seen(bytes: Uint8Array, secrets: readonly Uint8Array[] = []): Seen[] {
  let key = 0;
  let read = secrets[0] && protection(secrets[0]);
  return records(bytes).map((r) => {
    if (r.type === ContentType.change_cipher_spec) return { messages: 'CCS', key: -1, size: 1 };
    if (r.type !== ContentType.application_data)
      return { messages: types(r.fragment), key: -1, size: r.fragment.length };
    for (;;) {
      try {
        const { fragment } = read!.open(r);
        return { messages: types(fragment), key, size: fragment.length };
      } catch {
        read = protection(secrets[++key]!);
      }
    }
  });
}

const types = (fragment: Uint8Array) => splitMessages(fragment).map((m) => m[0]!);

/** A TLS 1.3 client and server in memory whose key log lines are kept by label. */
function pair13(
  client: ConstructorParameters<typeof ClientTLS>[0],
  server: ConstructorParameters<typeof ServerTLS>[0],
) {
  const secrets = new Map<string, Uint8Array>();
  const keyLog = (line: string) => {
    const [label, , secret] = line.split(' ');
    secrets.set(label!, Uint8Array.from(Buffer.from(secret!, 'hex')));
  };
  const c = startClient(new ClientTLS({ ...client, cipherSuites: [suite.name], keyLog }));
  const s = startServer(new ServerTLS({ ...server, keyLog }));
  return { c, s, secret: (label: string) => secrets.get(label)! };
}

const clientOptions = {
  serverHostname: 'localhost',
  trustRoot: pki().trustStore,
  versions: ['TLSv1.3' as const],
};

test('TLS 1.3 server: ServerHello; EncryptedExtensions .. Finished in one record; its tickets in one record under the next key', (t) => {
  const { c, s, secret } = pair13(clientOptions, { certificates: pki().chain('ecdsa'), ticketCount: 2 });
  send(c, s);
  const flight = seen(s.take(), [
    secret('SERVER_HANDSHAKE_TRAFFIC_SECRET'),
    secret('SERVER_TRAFFIC_SECRET_0'),
  ]);
  t.deepEqual(
    flight.map((r) => r.messages),
    [
      [H.server_hello],
      'CCS',
      [H.encrypted_extensions, H.certificate, H.certificate_verify, H.finished],
      [H.new_session_ticket, H.new_session_ticket],
    ],
  );
});

test('TLS 1.3 client with a certificate: ChangeCipherSpec, then Certificate, CertificateVerify and Finished in one record', (t) => {
  const { c, s, secret } = pair13(
    { ...clientOptions, clientCertificateStore: new PkiStore('ecdsa') },
    { certificates: pki().chain('ecdsa'), clientAuth: 'require', clientTrustRoot: pki().trustStore },
  );
  send(c, s);
  send(s, c);
  const flight = c.take();
  t.deepEqual(
    seen(flight, [secret('CLIENT_HANDSHAKE_TRAFFIC_SECRET')]).map((r) => r.messages),
    ['CCS', [H.certificate, H.certificate_verify, H.finished]],
  );
  s.connection.dataFromWire(flight);
  t.is(s.connection.state, 'open');
});

test('TLS 1.3: a flight is cut at the peer record_size_limit, every record full but the last under each key', (t) => {
  const limit = 256;
  const { c, s, secret } = pair13(
    { ...clientOptions, recordSizeLimit: limit },
    { certificates: pki().chain('rsa'), ticketCount: 2 },
  );
  send(c, s);
  const out = s.take();
  const flight = seen(out, [secret('SERVER_HANDSHAKE_TRAFFIC_SECRET'), secret('SERVER_TRAFFIC_SECRET_0')]);
  // RFC 8449 §4: the limit counts TLSInnerPlaintext, the content type byte with the data.
  const sizes = (key: number) => flight.filter((r) => r.key === key).map((r) => r.size);
  for (const key of [0, 1]) {
    t.true(sizes(key).length > 0);
    t.true(
      sizes(key)
        .slice(0, -1)
        .every((n) => n === limit - 1),
      `sizes: ${sizes(key).join(',')}`,
    );
    t.true(sizes(key).at(-1)! <= limit - 1);
  }
  t.true(sizes(0).length > 3, 'the RSA chain takes several records');
  c.connection.dataFromWire(out);
  complete(c, s);
  t.is(c.connection.state, 'open');
});

test('TLS 1.2 server: ServerHello .. ServerHelloDone in one record; client: Certificate, ClientKeyExchange, CertificateVerify in one, then ChangeCipherSpec and Finished', (t) => {
  const c = startClient(clientTLS12({ clientCertificateStore: new PkiStore('ecdsa') }));
  const s = startServer(serverTLS12({ clientAuth: 'require', clientTrustRoot: pki().trustStore }));
  send(c, s);
  const serverFlight = s.take();
  t.deepEqual(
    seen(serverFlight).map((r) => r.messages),
    [[H.server_hello, H.certificate, H.server_key_exchange, H.certificate_request, H.server_hello_done]],
  );
  c.connection.dataFromWire(serverFlight);
  const clientFlight = c.take();
  const flight = records(clientFlight);
  t.deepEqual(
    flight.map((r) => r.type),
    [ContentType.handshake, ContentType.change_cipher_spec, ContentType.handshake],
  );
  t.deepEqual(types(flight[0]!.fragment), [H.certificate, H.client_key_exchange, H.certificate_verify]);
  s.connection.dataFromWire(clientFlight);
  complete(c, s);
  t.is(c.connection.state, 'open');
  t.is(s.connection.state, 'open');
});
