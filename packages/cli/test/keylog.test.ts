// keylogDecryptor: TLS 1.3 and 1.2 records of real captures (Node's tls on both sides, our engine
// with KeyUpdate) decrypted from NSS key log lines that the peers wrote themselves; and
// `tls-kit dissect --keylog` on a pcap of such a capture.
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { connect } from '@tls-kit/engine/node';
import {
  ContentType,
  type DissectEvent,
  HandshakeType,
  type KeyLogEntry,
  parseKeyLog,
  TLSDissector,
} from '@tls-kit/messages';
import test from 'ava';
import { run as runDissect } from '../src/commands/dissect.js';
import { startRelay } from '../src/demo/relay.js';
import { type DecryptedRecord, keylogDecryptor } from '../src/keylog-decrypt.js';
import { pcapOf } from './helpers/pcap.js';
import { pkiFiles } from './helpers/peers.js';

interface Capture {
  readonly chunks: { from: 'client' | 'server'; data: Uint8Array }[];
  readonly keylog: string;
}

/**
 * Runs `talk` against a node:tls echo server (with `options`) through the capture relay; returns
 * what went by once the relay saw both sides close, and the server's key log.
 */
async function captureEcho(options: tls.TlsOptions, talk: (port: number) => Promise<void>): Promise<Capture> {
  const f = pkiFiles();
  let keylog = '';
  const server = tls.createServer(
    { cert: readFileSync(f.cert), key: readFileSync(f.key), ...options },
    (s) => {
      s.on('error', () => {});
      s.pipe(s);
    },
  );
  server.on('keylog', (line: Buffer) => {
    keylog += line.toString();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const relay = await startRelay((server.address() as AddressInfo).port);
  try {
    await talk(relay.port);
    await relay.done;
    return { chunks: relay.chunks, keylog };
  } finally {
    relay.close();
    server.close();
  }
}

/** A node:tls client through the relay at `port`, once its handshake completed. */
async function nodeClient(port: number): Promise<tls.TLSSocket> {
  const client = tls.connect({
    port,
    host: '127.0.0.1',
    servername: 'localhost',
    ca: readFileSync(pkiFiles().root),
  });
  await once(client, 'secureConnect');
  return client;
}

/** Sends `message`, waits for the echo, then closes (close_notify) and reads what is left. */
async function echoOnce(socket: Duplex, message: string): Promise<void> {
  socket.write(message);
  await once(socket, 'data');
  socket.end();
  socket.resume();
}

function decryptAll(capture: Capture, entries: KeyLogEntry[] = parseKeyLog(capture.keylog)) {
  const opened: DecryptedRecord[] = [];
  const decrypt = keylogDecryptor(entries, { observe: (_r, d) => opened.push(d) });
  // The dissector's hook passes the ServerHello's random and suite, which TLS 1.2 needs.
  const dissector = new TLSDissector(decrypt);
  const events: DissectEvent[] = [];
  for (const c of capture.chunks) events.push(...dissector.push(0, c.from, c.data));
  events.push(...dissector.finish());
  const app = (from: 'client' | 'server') =>
    Buffer.concat(
      opened.filter((d) => d.from === from && d.type === ContentType.application_data).map((d) => d.content),
    ).toString();
  return {
    opened,
    events,
    encryptedLeft: events.filter((e) => e.kind === 'record' && e.encrypted).length,
    faults: events.filter((e) => e.kind === 'error').length,
    app,
  };
}

for (const suite of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']) {
  test(`node:tls client and server, ${suite}: every record decrypts with the server's key log`, async (t) => {
    const capture = await captureEcho({ ciphers: suite, minVersion: 'TLSv1.3' }, async (port) =>
      echoOnce(await nodeClient(port), 'a message for the capture'),
    );
    const r = decryptAll(capture);
    t.is(r.encryptedLeft, 0);
    t.is(r.faults, 0);
    t.true(r.opened.every((d) => d.suite === suite));
    t.is(r.app('client'), 'a message for the capture');
    t.is(r.app('server'), 'a message for the capture');
    const messages = r.events.flatMap((e) => (e.kind === 'handshake' ? [e.message.msgType] : []));
    // ClientHello, ServerHello, EncryptedExtensions, Certificate, CertificateVerify, Finished x2, tickets.
    t.true(messages.length >= 7, String(messages));
    t.is(r.events.filter((e) => e.kind === 'alert').length, 2, 'close_notify both ways');
  });
}

test('KeyUpdate (our client asks, node answers): records after it decrypt with the derived secrets', async (t) => {
  const capture = await captureEcho({ minVersion: 'TLSv1.3' }, async (port) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: readFileSync(pkiFiles().root),
    });
    await once(socket, 'secureConnect');
    socket.write('before');
    await once(socket, 'data');
    socket.connection.keyUpdate(true);
    await echoOnce(socket, 'after');
  });
  const r = decryptAll(capture);
  t.is(r.encryptedLeft, 0);
  t.is(r.app('client'), 'beforeafter');
  t.is(r.app('server'), 'beforeafter');
  for (const from of ['client', 'server'] as const) {
    t.true(
      r.opened.some((d) => d.from === from && d.key === 'application, key update 1'),
      `${from} records under the updated key`,
    );
  }
});

test('without the right secrets records stay encrypted; a tampered record is not opened', async (t) => {
  const capture = await captureEcho({ minVersion: 'TLSv1.3' }, async (port) => {
    const client = await nodeClient(port);
    client.end('x');
    client.resume();
  });
  // Secrets for another connection (a different client random): nothing decrypts, nothing throws.
  const foreign = parseKeyLog(capture.keylog).map((e) => ({ ...e, clientRandom: 'ab'.repeat(32) }));
  const none = decryptAll(capture, foreign);
  t.is(none.opened.length, 0);
  t.true(none.encryptedLeft > 0);
  // Wrong secrets for this connection: the AEAD tag refuses them.
  const wrong = parseKeyLog(capture.keylog).map((e) => ({
    ...e,
    secret: e.secret.replace(/^./, (c) => (c === '0' ? '1' : '0')),
  }));
  t.is(decryptAll(capture, wrong).opened.length, 0);
  // One flipped ciphertext bit in the server's first encrypted record.
  const chunks = capture.chunks.map((c) => ({ ...c, data: c.data.slice() }));
  const first = chunks.find((c) => c.from === 'server')!;
  first.data[first.data.length - 1]! ^= 1;
  const tampered = decryptAll({ chunks, keylog: capture.keylog });
  t.true(tampered.encryptedLeft > 0);
});

for (const suite of [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
]) {
  test(`TLS 1.2, node:tls both sides, ${suite}: CLIENT_RANDOM + ServerHello decrypt every record`, async (t) => {
    const capture = await captureEcho({ ciphers: suite, maxVersion: 'TLSv1.2' }, async (port) => {
      const client = await nodeClient(port);
      t.is(client.getProtocol(), 'TLSv1.2');
      await echoOnce(client, 'twelve');
    });
    t.regex(capture.keylog, /^CLIENT_RANDOM /m);
    const r = decryptAll(capture);
    t.is(r.encryptedLeft, 0);
    t.is(r.faults, 0);
    t.is(r.app('client'), 'twelve');
    t.is(r.app('server'), 'twelve');
    const finished = r.events.filter(
      (e) => e.kind === 'handshake' && e.message.msgType === HandshakeType.finished,
    );
    t.is(finished.length, 2, 'both Finished messages decrypted and decoded');
  });
}

/** Runs `tls-kit dissect` with console output captured. */
async function dissectCommand(argv: string[]): Promise<{ status: number; stdout: string }> {
  const out: string[] = [];
  const { log } = console;
  console.log = (...args: unknown[]) => out.push(args.join(' '));
  try {
    return { status: await runDissect(argv), stdout: out.join('\n') };
  } finally {
    console.log = log;
  }
}

for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
  test.serial(`tls-kit dissect --keylog decrypts a ${version} pcap, application data included`, async (t) => {
    const capture = await captureEcho({ minVersion: version, maxVersion: version }, async (port) =>
      echoOnce(await nodeClient(port), 'GET /secret HTTP/1.0\r\n\r\n'),
    );
    const dir = mkdtempSync(join(tmpdir(), 'tls-kit-dissect-keylog-'));
    try {
      writeFileSync(join(dir, 'c.pcap'), pcapOf(capture.chunks));
      writeFileSync(join(dir, 'keys.log'), capture.keylog);
      const plain = await dissectCommand([join(dir, 'c.pcap')]);
      t.is(plain.status, 0);
      t.notRegex(plain.stdout, /GET \/secret/);
      const r = await dissectCommand([join(dir, 'c.pcap'), '--keylog', join(dir, 'keys.log')]);
      t.is(r.status, 0, r.stdout);
      // Both directions: the request and its echo.
      t.is(r.stdout.match(/\| GET \/secret HTTP\/1\.0\\r\\n/g)?.length, 2, r.stdout);
      t.regex(r.stdout, /\[decrypted: handshake \(0x16\)/);
      t.regex(r.stdout, /Finished \(\d+ bytes\)/);
      t.regex(r.stdout, /description: close_notify/);
      t.notRegex(r.stdout, /\[encrypted\]/);
      t.regex(
        r.stdout,
        /keylog: \d+ secret\(s\), \d+ for this input's connections; \d+ record\(s\) decrypted, 0 left encrypted/,
      );
      const json = JSON.parse(
        (await dissectCommand([join(dir, 'c.pcap'), '--json', '--keylog', join(dir, 'keys.log')])).stdout,
      );
      const app = json.events.filter(
        (e: { decrypted?: { type: { name: string } } }) => e.decrypted?.type.name === 'application_data',
      );
      t.is(Buffer.from(app[0].decrypted.content, 'hex').toString(), 'GET /secret HTTP/1.0\r\n\r\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
