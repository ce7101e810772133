// The WebSocket <-> TCP relay on its own, in front of a TCP echo server: bytes cross unchanged both
// ways, and what it refuses (another Origin, a server it does not know, one connection too many).
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import test from 'ava';
import { WebSocket } from 'ws';
import { attachRelay, MAX_CONNECTIONS, MAX_MESSAGE_BYTES } from '../src/relay.js';

async function listening<T extends Server | net.Server>(server: T): Promise<number> {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as AddressInfo).port;
}

async function relayToEcho() {
  const echo = net.createServer({ allowHalfOpen: true }, (socket) => socket.pipe(socket));
  // Says its piece and ends (a TLS server after close_notify does the same).
  const greeter = net.createServer((socket) => socket.end('hello from TCP'));
  const http = createServer();
  const targets = new Map([
    ['echo', await listening(echo)],
    ['greeter', await listening(greeter)],
  ]);
  const origin = `http://127.0.0.1:${await listening(http)}`;
  const relay = attachRelay(http, { targets, origin });
  const close = () => {
    relay.close();
    http.closeAllConnections();
    http.close();
    echo.close();
    greeter.close();
  };
  return { origin, relay, close };
}

/** The status the relay answers an upgrade with (101 when it is accepted), and the open WebSocket. */
function upgrade(url: string, origin: string): Promise<{ status: number; ws?: WebSocket }> {
  const ws = new WebSocket(url, { origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

test('bytes cross unchanged both ways', async (t) => {
  const { origin, close } = await relayToEcho();
  t.teardown(close);
  const { status, ws } = await upgrade(`${origin.replace(/^http/, 'ws')}/relay/echo`, origin);
  t.is(status, 101);
  t.teardown(() => ws!.terminate());
  const sent = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
  const received: Buffer[] = [];
  const all = new Promise<void>((resolve) =>
    ws!.on('message', (data: Buffer) => {
      received.push(data);
      if (Buffer.concat(received).length >= sent.length) resolve();
    }),
  );
  ws!.send(sent.subarray(0, 1));
  ws!.send(sent.subarray(1));
  await all;
  t.deepEqual(new Uint8Array(Buffer.concat(received)), sent);
});

test("the TCP side's end closes the WebSocket after the last bytes", async (t) => {
  const { origin, close } = await relayToEcho();
  t.teardown(close);
  const { ws } = await upgrade(`${origin.replace(/^http/, 'ws')}/relay/greeter`, origin);
  const received: string[] = [];
  ws!.on('message', (data: Buffer) => received.push(data.toString()));
  const code = await new Promise<number>((resolve) => ws!.once('close', (c) => resolve(c)));
  t.is(received.join(''), 'hello from TCP');
  t.is(code, 1005); // a clean close frame without a status code (RFC 6455 §7.4.1), not 1006 (abnormal)
});

test('another Origin, an unknown server, and a message over the limit are refused', async (t) => {
  const { origin, close } = await relayToEcho();
  t.teardown(close);
  const ws = origin.replace(/^http/, 'ws');
  t.is((await upgrade(`${ws}/relay/echo`, 'http://elsewhere.example')).status, 403);
  t.is((await upgrade(`${ws}/relay/somewhere`, origin)).status, 404);
  t.is((await upgrade(`${ws}/other`, origin)).status, 404);
  const { ws: open } = await upgrade(`${ws}/relay/echo`, origin);
  const code = new Promise<number>((resolve) => open!.once('close', (c) => resolve(c)));
  open!.send(new Uint8Array(MAX_MESSAGE_BYTES + 1));
  t.is(await code, 1009); // RFC 6455 §7.4.1: message too big
});

test(`at most ${MAX_CONNECTIONS} relayed connections at once`, async (t) => {
  const { origin, relay, close } = await relayToEcho();
  t.teardown(close);
  const url = `${origin.replace(/^http/, 'ws')}/relay/echo`;
  const held: WebSocket[] = [];
  t.teardown(() => {
    for (const ws of held) ws.terminate();
  });
  for (let i = 0; i < MAX_CONNECTIONS; i++) {
    const { status, ws } = await upgrade(url, origin);
    t.is(status, 101);
    held.push(ws!);
  }
  t.is(relay.open, MAX_CONNECTIONS);
  t.is((await upgrade(url, origin)).status, 503);
});
