// One test per row of the design document's TLS 1.2 state tables: server as a state machine,
// client as a state machine and the common states (close/write rows), checked on our client and server in memory.
import { type CertificateChainCallback, ServerCertificates } from '@tls-kit/certs';
import { AlertDescription, ClientHello, ContentType, HandshakeType, ServerHello } from '@tls-kit/messages';
import test from 'ava';
import { PkiStore } from './helpers/client-certificate-store.js';
import { pki } from './helpers/pki.js';
import {
  clientTLS12,
  complete,
  inject,
  plainHandshakeMessages,
  plainHandshakeTypes,
  recordTypes,
  send,
  serverTLS12,
  startClient,
  startServer,
} from './helpers/tls12-memory.js';

const H = HandshakeType;
const C = ContentType;

/** ServerCertificates that answers only when the test says so. */
class LaterCertificates extends ServerCertificates {
  pending: CertificateChainCallback | undefined;
  getCertificateChainForServerName(_name: string | null, callback: CertificateChainCallback): void {
    this.pending = callback;
  }
}

/** A full handshake with `clientTLS`/`serverTLS`, so the next one can resume. */
function fullHandshake(clientTLS = clientTLS12(), serverTLS = serverTLS12({ ticketKeys: false })) {
  const client = startClient(clientTLS);
  const server = startServer(serverTLS);
  complete(client, server);
  return { client, server, clientTLS, serverTLS };
}

// --- Server as a state machine ---

test('ch.13 row 1: ClientHello in IDLE -> CHECK_SESSION_CACHE, no output', (t) => {
  const certificates = new LaterCertificates();
  const server = startServer(serverTLS12({ certificates, versions: ['TLSv1.2'] }));
  t.is(server.connection.handshakeState, 'IDLE');
  const client = startClient(clientTLS12());
  send(client, server);
  t.is(server.connection.handshakeState, 'CHECK_SESSION_CACHE');
  t.is(server.out.length, 0);
  certificates.pending!(pki().chain('ecdsa').chain);
  t.is(server.connection.handshakeState, 'WAIT');
});

test('ch.13 row 2: id found in CHECK_SESSION_CACHE -> WAIT_RESUME, output ServerHello, ChangeCipherSpec, Finished', (t) => {
  const { clientTLS, serverTLS, server: first } = fullHandshake();
  const client = startClient(clientTLS);
  const server = startServer(serverTLS);
  // Resumption (the design's hello messages): the ClientHello carries the session ID of the session to resume.
  const hello = ClientHello.parse(plainHandshakeMessages(client.out[0]!)[0]!.subarray(4));
  t.deepEqual(hello.legacySessionId, first.connection.sessionId);
  send(client, server);
  t.is(server.connection.handshakeState, 'WAIT_RESUME');
  const out = server.take();
  t.deepEqual(plainHandshakeTypes(out), [H.server_hello]);
  // And the ServerHello echoes it.
  const serverHello = ServerHello.parse(plainHandshakeMessages(out)[0]!.subarray(4));
  t.deepEqual(serverHello.legacySessionIdEcho, hello.legacySessionId);
  t.deepEqual(recordTypes(out), [C.handshake, C.change_cipher_spec, C.handshake]);
});

test('ch.13 row 2 (ticket): a session ticket is also "found": WAIT_RESUME', (t) => {
  const serverTLS = serverTLS12({ sessionCache: false });
  const { clientTLS } = fullHandshake(clientTLS12(), serverTLS);
  const client = startClient(clientTLS);
  const server = startServer(serverTLS);
  send(client, server);
  t.is(server.connection.handshakeState, 'WAIT_RESUME');
  t.deepEqual(recordTypes(server.take()), [C.handshake, C.change_cipher_spec, C.handshake]);
});

test('ch.13 row 3: id not found in CHECK_SESSION_CACHE -> WAIT, output ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone', (t) => {
  // The client offers a session this server never saw (its cache is new): a full handshake.
  const { clientTLS } = fullHandshake();
  const client = startClient(clientTLS);
  const server = startServer(
    serverTLS12({ ticketKeys: false, clientAuth: 'request', clientTrustRoot: pki().trustStore }),
  );
  send(client, server);
  t.is(server.connection.handshakeState, 'WAIT');
  t.deepEqual(plainHandshakeTypes(server.take()), [
    H.server_hello,
    H.certificate,
    H.server_key_exchange,
    H.certificate_request,
    H.server_hello_done,
  ]);
  t.false(server.connection.resumed);
});

test('ch.13 row 4: client Finished in WAIT -> APP_DATA, output [NewSessionTicket], ChangeCipherSpec, Finished', (t) => {
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  send(client, server);
  send(server, client);
  t.is(server.connection.handshakeState, 'WAIT');
  send(client, server);
  t.is(server.connection.handshakeState, 'APP_DATA');
  const out = server.take();
  t.deepEqual(plainHandshakeTypes(out), [H.new_session_ticket]);
  t.deepEqual(recordTypes(out), [C.handshake, C.change_cipher_spec, C.handshake]);
  t.is(server.connection.state, 'open');
});

test('ch.13 row 5: client Finished in WAIT_RESUME -> APP_DATA, no output', (t) => {
  const { clientTLS, serverTLS } = fullHandshake();
  const client = startClient(clientTLS);
  const server = startServer(serverTLS);
  send(client, server);
  send(server, client);
  t.is(server.connection.handshakeState, 'WAIT_RESUME');
  send(client, server);
  t.is(server.connection.handshakeState, 'APP_DATA');
  t.is(server.out.length, 0);
  t.true(server.connection.resumed);
  t.true(client.connection.resumed);
});

test('ch.13 row 6: ClientHello in APP_DATA -> APP_DATA, output Alert(no_renegotiation)', (t) => {
  const { client, server } = fullHandshake();
  inject(client.connection, H.client_hello, new Uint8Array(40));
  send(client, server);
  t.is(server.connection.handshakeState, 'APP_DATA');
  t.is(server.connection.state, 'open');
  const out = server.take();
  t.deepEqual(recordTypes(out), [C.alert]);
  // The client reads it: a warning no_renegotiation, which leaves the connection open (RFC 5246 §7.2).
  client.connection.dataFromWire(out);
  t.is(client.connection.state, 'open');
  t.deepEqual(client.connection.warningAlerts, [AlertDescription.no_renegotiation]);
});

// --- Client as a state machine ---

test('ch.14 row 1: IDLE -> WAIT_1, output ClientHello', (t) => {
  const client = startClient(clientTLS12());
  t.is(client.connection.handshakeState, 'WAIT_1');
  t.deepEqual(plainHandshakeTypes(client.take()), [H.client_hello]);
});

test('ch.14 row 2: ServerHelloDone in WAIT_1 -> WAIT_2, output Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished', (t) => {
  const client = startClient(clientTLS12({ clientCertificateStore: new PkiStore('ecdsa') }));
  const server = startServer(serverTLS12({ clientAuth: 'require', clientTrustRoot: pki().trustStore }));
  send(client, server);
  send(server, client);
  t.is(client.connection.handshakeState, 'WAIT_2');
  const out = client.take();
  t.deepEqual(plainHandshakeTypes(out), [H.certificate, H.client_key_exchange, H.certificate_verify]);
  t.deepEqual(recordTypes(out).slice(-2), [C.change_cipher_spec, C.handshake]);
  server.connection.dataFromWire(out);
  t.is(server.connection.peerCertificates.length, 2);
});

test('ch.14 row 3: server Finished in WAIT_1 (resumption) -> APP_DATA, output ChangeCipherSpec, Finished', (t) => {
  const { clientTLS, serverTLS } = fullHandshake();
  const client = startClient(clientTLS);
  const server = startServer(serverTLS);
  send(client, server);
  t.is(client.connection.handshakeState, 'WAIT_1');
  send(server, client);
  t.is(client.connection.handshakeState, 'APP_DATA');
  t.deepEqual(recordTypes(client.take()), [C.change_cipher_spec, C.handshake]);
});

test('ch.14 row 4: server Finished in WAIT_2 -> APP_DATA, no output', (t) => {
  const client = startClient(clientTLS12());
  const server = startServer(serverTLS12());
  send(client, server);
  send(server, client);
  send(client, server);
  t.is(client.connection.handshakeState, 'WAIT_2');
  send(server, client);
  t.is(client.connection.handshakeState, 'APP_DATA');
  t.is(client.out.length, 0);
});

test('ch.14 row 5: HelloRequest in APP_DATA -> APP_DATA, output Alert(no_renegotiation)', (t) => {
  const { client, server } = fullHandshake();
  inject(server.connection, H.hello_request, new Uint8Array(0));
  send(server, client);
  t.is(client.connection.handshakeState, 'APP_DATA');
  t.is(client.connection.state, 'open');
  const out = client.take();
  t.deepEqual(recordTypes(out), [C.alert]);
  server.connection.dataFromWire(out);
  t.is(server.connection.state, 'open');
  t.deepEqual(server.connection.warningAlerts, [AlertDescription.no_renegotiation]);
});

// --- Common states, on a TLS 1.2 connection (both roles) ---

for (const role of ['client', 'server'] as const) {
  const ends = () => {
    const { client, server } = fullHandshake();
    return role === 'client' ? { us: client, peer: server } : { us: server, peer: client };
  };

  test(`ch.15 row 1 (${role}): Alert(close_notify) in APP_DATA -> SHUTDOWN, output close_notify, close_callback(False), EOF`, (t) => {
    const { us, peer } = ends();
    peer.connection.applicationFinished();
    send(peer, us);
    t.is(us.connection.state, 'closed');
    t.is(us.closed, false);
    t.true(us.ended);
    t.true(us.connection.ended);
    t.deepEqual(recordTypes(us.take()), [C.alert]);
  });

  test(`ch.15 row 2 (${role}): applicationFinished in APP_DATA -> HOST_INITIATED_CLOSING, output close_notify`, (t) => {
    const { us, peer } = ends();
    us.connection.applicationFinished();
    t.is(us.connection.state, 'closing');
    t.is(us.closed, undefined);
    const out = us.take();
    t.deepEqual(recordTypes(out), [C.alert]);
    peer.connection.dataFromWire(out);
    t.true(peer.connection.ended);
  });

  test(`ch.15 row 3 (${role}): Alert(close_notify) in HOST_INITIATED_CLOSING -> SHUTDOWN, close_callback(True), EOF`, (t) => {
    const { us, peer } = ends();
    us.connection.applicationFinished();
    send(us, peer);
    send(peer, us);
    t.is(us.connection.state, 'closed');
    t.is(us.closed, true);
    t.true(us.ended);
    t.is(us.out.length, 0);
  });

  test(`ch.15 row 4 (${role}): write data in APP_DATA -> APP_DATA, write_callback()`, (t) => {
    const { us, peer } = ends();
    us.connection.dataFromApplication(new TextEncoder().encode('data'));
    const out = us.take();
    t.deepEqual(recordTypes(out), [C.application_data]);
    t.is(new TextDecoder().decode(peer.connection.dataFromWire(out)), 'data');
    t.is(us.connection.handshakeState, 'APP_DATA');
  });
}
