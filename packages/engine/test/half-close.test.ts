// The halfClose option (RFC 8446 §6.1): the peer's close_notify closes only its write side; we
// answer when the application is done. TLS 1.2 keeps the immediate answer (RFC 5246 §7.2.1).
import test from 'ava';
import { ClientTLS, type ConnectionEvents, ServerTLS, TLSUsageError, type TLSVersion } from '../src/index.js';
import { deliver, type Side, str, text } from './helpers/pipe.js';
import { pki } from './helpers/pki.js';

interface Watched extends Side {
  ends: number;
  /** What had been written when wireClose was called. */
  writtenAtClose: number | undefined;
}

function watched(
  start: (
    w: (d: Uint8Array) => void,
    c: (immediate: boolean) => void,
    events: ConnectionEvents,
  ) => Side['connection'],
  events: (self: Watched) => ConnectionEvents = () => ({}),
): Watched {
  const s = {
    out: [],
    received: [],
    closed: undefined,
    ends: 0,
    writtenAtClose: undefined,
  } as unknown as Watched;
  const own = events(s);
  s.connection = start(
    (d) => s.out.push(d),
    (immediate) => {
      s.closed = immediate;
      s.writtenAtClose = s.out.length;
    },
    {
      ...own,
      onEnd: () => {
        s.ends++;
        own.onEnd?.();
      },
    },
  );
  return s;
}

function handshake(version: TLSVersion, serverEvents?: (self: Watched) => ConnectionEvents) {
  const client = watched((w, c, e) =>
    new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      versions: [version],
      halfClose: true,
    }).start(w, c, undefined, e),
  );
  const server = watched(
    (w, c, e) =>
      new ServerTLS({ certificates: pki().chain('ecdsa'), versions: [version], halfClose: true }).start(
        w,
        c,
        undefined,
        e,
      ),
    serverEvents,
  );
  for (let i = 0; i < 10 && (deliver(client, server) || deliver(server, client)); i++);
  return { client, server };
}

test('TLS 1.3: the peer close_notify ends the read side only; we answer at applicationFinished', (t) => {
  const { client, server } = handshake('TLSv1.3');
  client.connection.dataFromApplication(text('GET / HTTP/1.0\r\n\r\n'));
  client.connection.applicationFinished();
  deliver(client, server); // the request and the close_notify in one input
  t.is(str(server.received), 'GET / HTTP/1.0\r\n\r\n');
  t.true(server.connection.ended);
  t.is(server.ends, 1);
  t.is(server.connection.state, 'peerClosed');
  t.is(server.out.length, 0, 'no close_notify yet');
  t.is(server.closed, undefined, 'wireClose not called');
  // Input after the close_notify is ignored (RFC 8446 §6.1).
  t.is(server.connection.dataFromWire(new Uint8Array([23, 3, 3, 0, 1, 0])).length, 0);

  server.connection.dataFromApplication(text('HTTP/1.0 200 ok\r\n\r\n'));
  t.is(server.closed, undefined);
  server.connection.applicationFinished();
  t.is(server.connection.state, 'closed');
  t.is(server.closed, false, 'wireClose(false): our close_notify must drain');
  t.is(server.writtenAtClose, server.out.length, 'close_notify written before wireClose');
  t.throws(() => server.connection.dataFromApplication(text('x')), { instanceOf: Error });

  deliver(server, client);
  t.is(str(client.received), 'HTTP/1.0 200 ok\r\n\r\n');
  t.is(client.connection.state, 'closed');
  t.is(client.closed, true, 'both close_notify exchanged: wireClose(true)');
  t.is(client.ends, 1);
});

test('TLS 1.3: applicationFinished from inside onEnd flushes close_notify before wireClose', (t) => {
  let finish = () => {};
  const { client, server } = handshake('TLSv1.3', () => ({ onEnd: () => finish() }));
  finish = () => {
    server.connection.dataFromApplication(text('bye'));
    server.connection.applicationFinished();
  };
  client.connection.applicationFinished();
  deliver(client, server);
  t.is(server.connection.state, 'closed');
  t.is(server.closed, false);
  t.is(server.writtenAtClose, 1, 'one write (data + close_notify), then wireClose');
  deliver(server, client);
  t.is(str(client.received), 'bye');
  t.is(client.closed, true);
});

test('TLS 1.3: keyUpdate after the peer closed is refused, sending still works', (t) => {
  const { client, server } = handshake('TLSv1.3');
  client.connection.applicationFinished();
  deliver(client, server);
  t.throws(() => server.connection.keyUpdate(), { instanceOf: TLSUsageError });
  server.connection.dataFromApplication(text('late'));
  deliver(server, client);
  t.is(str(client.received), 'late');
});

test('TLS 1.2: the peer close_notify is answered at once even with halfClose (RFC 5246 §7.2.1)', (t) => {
  const { client, server } = handshake('TLSv1.2');
  client.connection.applicationFinished();
  deliver(client, server);
  t.is(server.connection.state, 'closed');
  t.true(server.connection.ended);
  t.is(server.closed, false);
  t.throws(() => server.connection.dataFromApplication(text('x')), { instanceOf: Error });
  deliver(server, client); // the server's immediate close_notify
  t.is(client.connection.state, 'closed');
  t.is(client.closed, true);
});
