// writeToWireParts: a call's output as pieces for a gather write (TLS 1.3 records sealed without
// joining their fragment, content type and tag). The pieces, joined in order, must be the wire
// bytes: read by our server and by node:tls, with padding, fragment limits and empty data; and the
// Node adapter, which writes its records as pieces, read by node:tls.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { fc, testProp } from '@fast-check/ava';
import { privateKeyToPem } from '@tls-kit/certs';
import { concat } from '@tls-kit/crypto/bytes';
import test from 'ava';
import { ClientTLS, ServerTLS } from '../src/index.js';
import { connect, createServer } from '../src/node/index.js';
import { side } from './helpers/pipe.js';
import { pki } from './helpers/pki.js';

testProp(
  'pieces joined are the records: our server reads them, padded, fragmented, empty',
  [
    fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 4 }),
    fc.constantFrom(0, 64, 1000),
    fc.constantFrom(16_384, 1000, 64),
  ],
  (t, sizes, recordPadding, maxFragmentSize) => {
    const server = new ServerTLS({ certificates: pki().chain('ecdsa') });
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      recordPadding,
      maxFragmentSize,
    });
    const writes: (readonly Uint8Array[])[] = [];
    let joinedWrites = 0;
    const c = client.start(
      () => joinedWrites++,
      () => {},
      undefined,
      { writeToWireParts: (pieces) => writes.push(pieces) },
    );
    const s = side((write, close) => server.start(write, close));
    for (let i = 0; i < 10 && (writes.length > 0 || s.out.length > 0); i++) {
      for (const pieces of writes.splice(0)) s.connection.dataFromWire(concat(pieces));
      if (s.out.length > 0) c.dataFromWire(concat(s.out.splice(0)));
    }
    t.is(c.state, 'open');
    t.is(s.connection.state, 'open');
    for (const size of sizes) {
      const payload = randomBytes(size);
      c.dataFromApplication(payload);
      const pieces = writes.splice(0).flat();
      t.is(pieces.length > 0, size > 0);
      const got = pieces.length > 0 ? s.connection.dataFromWire(concat(pieces)) : new Uint8Array(0);
      t.deepEqual(Buffer.from(got), payload);
    }
    // Every output went through the pieces: writeToWire was never called.
    t.is(joinedWrites, 0);
  },
  { numRuns: 20 },
);

test('a gather-writing client against node:tls: pieces written under cork() are read and echoed', async (t) => {
  const leaf = pki().leaf('ecdsa');
  const server = tls.createServer(
    { key: privateKeyToPem(leaf.privateKey!), cert: leaf.toPem(), minVersion: 'TLSv1.3' },
    (socket) => {
      socket.on('data', (d) => socket.write(d));
      socket.on('end', () => socket.end());
      socket.on('error', () => {});
    },
  );
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as net.AddressInfo;
  try {
    const payload = randomBytes(100_000);
    const socket = net.connect(port, '127.0.0.1');
    const received: Uint8Array[] = [];
    let total = 0;
    const closed = new Promise<void>((res, rej) => {
      socket.on('close', () => res());
      socket.on('error', rej);
    });
    const client = new ClientTLS({
      serverHostname: 'localhost',
      trustRoot: pki().trustStore,
      recordPadding: 256,
    });
    const connection = client.start(
      () => t.fail('writeToWire called'),
      (immediate) => (immediate ? socket.destroy() : socket.end()),
      undefined,
      {
        writeToWireParts: (pieces) => {
          socket.cork();
          for (const piece of pieces) socket.write(piece);
          socket.uncork();
        },
        onHandshakeComplete: () => connection.dataFromApplication(payload),
      },
    );
    socket.on('data', (chunk: Buffer) => {
      // Both close_notify alerts exchanged: the rest of the stream is not read (RFC 8446 §6.1).
      if (connection.state === 'closed') return;
      const data = connection.dataFromWire(chunk);
      received.push(data);
      total += data.length;
      if (data.length > 0 && total === payload.length) connection.applicationFinished();
    });
    await closed;
    t.deepEqual(Buffer.from(concat(received)), payload);
  } finally {
    server.close();
  }
});

test('the Node adapter writes pieces: every write size, 512-byte records, read exactly by node:tls both ways', async (t) => {
  const leaf = pki().leaf('ecdsa');
  // Writes from 1 byte (whole records under the small-piece size, joined into one buffer) to
  // 200 KB (many records, each its ciphertext piece and a joined tail + tag + next header).
  const sizes = [1, 5, 63, 64, 100, 511, 512, 513, 4096, 16_384, 16_385, 70_000, 200_000];
  const payload = randomBytes(sizes.reduce((a, b) => a + b, 0));
  const writeAll = (socket: { write(data: Uint8Array): boolean; end(): void }) => {
    let at = 0;
    for (const size of sizes) {
      socket.write(payload.subarray(at, at + size));
      at += size;
    }
    socket.end();
  };
  const readAll = (socket: net.Socket) =>
    new Promise<Buffer>((res, rej) => {
      const chunks: Buffer[] = [];
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('end', () => res(Buffer.concat(chunks)));
      socket.on('error', rej);
    });
  const pem = { key: privateKeyToPem(leaf.privateKey!), cert: leaf.toPem(), minVersion: 'TLSv1.3' as const };
  const root = pki().root.toPem();
  // Our server sends (records of at most 512 bytes), node:tls' client reads.
  const ours = createServer(pem, (socket) => {
    socket.on('error', () => {});
    socket.setMaxSendFragment(512);
    writeAll(socket);
  });
  await new Promise<void>((res) => ours.listen(0, '127.0.0.1', res));
  try {
    const { port } = ours.address() as net.AddressInfo;
    const got = await readAll(tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: root }));
    t.deepEqual(got, payload);
  } finally {
    ours.close();
  }
  // Our client sends (full records), node:tls' server reads.
  let received: Promise<Buffer> | undefined;
  const theirs = tls.createServer(pem, (socket) => {
    received = readAll(socket);
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((res) => theirs.listen(0, '127.0.0.1', res));
  try {
    const { port } = theirs.address() as net.AddressInfo;
    const client = connect({ port, host: '127.0.0.1', servername: 'localhost', ca: root });
    client.on('error', () => {});
    await once(client, 'secureConnect');
    writeAll(client);
    await once(client, 'close');
    t.deepEqual(await received, payload);
  } finally {
    theirs.close();
  }
});
