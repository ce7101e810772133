// secureStreams(): the engine over WHATWG streams, tested in Node over Duplex.toWeb(socket).
import { once } from 'node:events';
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { privateKeyToPem } from '@tls-kit/certs';
import test from 'ava';
import { BadTLSDataError, ClientTLS, ServerTLS } from '../src/index.js';
import { type StreamTransport, secureStreams } from '../src/node/index.js';
import { pki } from './helpers/pki.js';

const MiB = 1024 * 1024;

function nodeServer(handler: (s: tls.TLSSocket) => void) {
  const p = pki();
  const leaf = p.leaf('ecdsa');
  const server = tls.createServer(
    { cert: leaf.toPem(), key: privateKeyToPem(leaf.privateKey!), minVersion: 'TLSv1.3' },
    (s) => {
      s.on('error', () => {});
      handler(s);
    },
  );
  server.listen(0, '127.0.0.1');
  return once(server, 'listening').then(() => ({ server, port: (server.address() as net.AddressInfo).port }));
}

async function webTransport(port: number): Promise<StreamTransport & { pulled: () => number }> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const web = Duplex.toWeb(socket) as unknown as StreamTransport;
  // Count what the TLS layer pulls from the transport, to observe backpressure.
  let pulled = 0;
  const counting = web.readable.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>(
      {
        transform(chunk, controller) {
          pulled += chunk.length;
          controller.enqueue(chunk);
        },
      },
      // Writable side 1 (0 would never let pipeThrough write), readable side 0: no read-ahead.
      { highWaterMark: 1 },
      { highWaterMark: 0 },
    ),
  );
  return { readable: counting, writable: web.writable, pulled: () => pulled };
}

/** Every chunk of `readable` (the DOM typings lack ReadableStream's async iterator). */
async function* chunksOf(readable: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = readable.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function readText(readable: ReadableStream<Uint8Array>): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of chunksOf(readable)) text += decoder.decode(chunk, { stream: true });
  return text;
}

test('client: secureStreams to a node:tls echo server, close() sends close_notify', async (t) => {
  const { server, port } = await nodeServer((s) => s.pipe(s));
  try {
    const transport = await webTransport(port);
    const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
    const { readable, writable, handshake } = secureStreams(transport, client);
    const connection = await handshake;
    t.is(connection.tlsVersion, 'TLSv1.3');
    const writer = writable.getWriter();
    await writer.write(new TextEncoder().encode('hello over web streams'));
    await writer.close();
    t.is(await readText(readable), 'hello over web streams');
    t.true(connection.ended);
  } finally {
    server.close();
  }
});

test('server: secureStreams answering a node:tls client', async (t) => {
  const p = pki();
  const tlsServer = new ServerTLS({ certificates: p.chain('ecdsa') });
  const server = net.createServer(async (socket) => {
    const { readable, writable } = secureStreams(
      Duplex.toWeb(socket) as unknown as StreamTransport,
      tlsServer,
    );
    const writer = writable.getWriter();
    try {
      for await (const chunk of chunksOf(readable)) {
        await writer.write(new TextEncoder().encode(new TextDecoder().decode(chunk).toUpperCase()));
        if (new TextDecoder().decode(chunk).includes('.')) break;
      }
      await writer.close();
    } catch {
      // the test's client side reports failures
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const client = tls.connect({
      port: (server.address() as net.AddressInfo).port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: p.root.toPem(),
    });
    await once(client, 'secureConnect');
    t.is(client.getProtocol(), 'TLSv1.3');
    client.write('shout this.');
    let text = '';
    for await (const chunk of client) text += chunk;
    t.is(text, 'SHOUT THIS.');
  } finally {
    server.close();
  }
});

test('backpressure: an unread readable stops pulling from the transport', async (t) => {
  const size = 4 * MiB;
  const { server, port } = await nodeServer((s) => s.end(Buffer.alloc(size, 3)));
  try {
    const transport = await webTransport(port);
    const client = new ClientTLS({ serverHostname: 'localhost', trustRoot: pki().trustStore });
    const { readable, handshake } = secureStreams(transport, client, { highWaterMark: 64 * 1024 });
    await handshake;
    await new Promise((r) => setTimeout(r, 300));
    t.true(transport.pulled() < 1 * MiB, `pulled ${transport.pulled()} bytes while nobody read`);
    let total = 0;
    for await (const chunk of chunksOf(readable)) {
      t.true(chunk.every((b) => b === 3));
      total += chunk.length;
    }
    t.is(total, size);
  } finally {
    server.close();
  }
});

test('failures reject the handshake and error the readable', async (t) => {
  const { server, port } = await nodeServer((s) => s.pipe(s));
  try {
    const transport = await webTransport(port);
    const client = new ClientTLS({ serverHostname: 'wrong.example', trustRoot: pki().trustStore });
    const { readable, handshake } = secureStreams(transport, client);
    const error = await t.throwsAsync(handshake, { instanceOf: BadTLSDataError });
    t.is(error?.reason, 'CertificateNameMismatch');
    await t.throwsAsync(readable.getReader().read());
  } finally {
    server.close();
  }
});
