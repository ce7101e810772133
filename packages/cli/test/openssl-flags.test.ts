// s_client's openssl flags against openssl s_server: -showcerts, -brief, -quiet, -msg, -cipher,
// -ciphersuites, -verify_hostname, -sess_out/-sess_in in openssl's PEM (TLS 1.2), the single-dash
// spellings, and what is printed of the chain.
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Certificate } from '@tls-kit/certs';
import { createServer } from '@tls-kit/engine/node';
import { have, opensslClient } from '@tls-kit/test-helpers';
import test from 'ava';
import { engineHasTls12, opensslWww, pkiFiles, sClient } from './helpers/peers.js';

const withOpenssl = have('openssl') ? test : test.skip;
if (!have('openssl')) test('openssl is absent: these tests are skipped', (t) => t.log('no openssl binary'));

const GET = 'GET / HTTP/1.0\r\n\r\n';

withOpenssl('the certificates printed are the ones the server sent, not the trust anchor', async (t) => {
  const { child, port } = await opensslWww();
  try {
    const r = await sClient(['-connect', `127.0.0.1:${port}`, '-showcerts'], GET);
    t.is(r.status, 0, r.err);
    const f = pkiFiles();
    const sent = [f.leaf, f.intermediate].map((p) => Certificate.fromPem(readFileSync(p, 'utf8'))[0]!);
    const lines = r.err.split('\n').filter((l) => l.startsWith('Certificate '));
    t.deepEqual(
      lines,
      sent.map((c, i) => `Certificate ${i}: ${c.subject} (issuer: ${c.issuer})`),
    );
    // -showcerts: the same two, as PEM, byte for byte what openssl was given.
    const pems = Certificate.fromPem(r.out);
    t.deepEqual(
      pems.map((c) => Buffer.from(c.getAsn1Bytes()).toString('hex')),
      sent.map((c) => Buffer.from(c.getAsn1Bytes()).toString('hex')),
    );
    t.regex(r.out, / 0 s:CN=localhost/);
    t.regex(r.out, /HTTP\/1\.0 200 ok/);
  } finally {
    child.kill();
  }
});

withOpenssl('-brief prints openssl’s summary; -quiet prints nothing but the data', async (t) => {
  const { child, port } = await opensslWww();
  try {
    const brief = await sClient(['-connect', `127.0.0.1:${port}`, '-brief'], GET);
    t.is(brief.status, 0, brief.err);
    t.regex(
      brief.err,
      /^CONNECTION ESTABLISHED\nProtocol version: TLSv1\.3\nCiphersuite: TLS_\w+\nPeer certificate: CN=localhost\nVerification: OK\nServer Temp Key: \S+\n$/,
    );
    const quiet = await sClient(['-connect', `127.0.0.1:${port}`, '-quiet'], GET);
    t.is(quiet.status, 0, quiet.err);
    t.is(quiet.err, '');
    t.regex(quiet.out, /^HTTP\/1\.0 200 ok/);
  } finally {
    child.kill();
  }
});

withOpenssl('-msg traces every handshake message, the encrypted ones decrypted', async (t) => {
  const { child, port } = await opensslWww();
  try {
    const r = await sClient(['-connect', `127.0.0.1:${port}`, '-msg', '-quiet'], GET);
    t.is(r.status, 0, r.err);
    for (const message of [
      'ClientHello',
      'ServerHello',
      'EncryptedExtensions',
      'Certificate',
      'CertificateVerify',
      'Finished',
    ]) {
      t.regex(r.out, new RegExp(`^  ${message} \\(\\d+ bytes\\)$`, 'm'), message);
    }
    t.regex(r.out, /decrypted with the server handshake key/);
    t.regex(r.out, /│ GET \/ HTTP\/1\.0\\r\\n/);
    t.notRegex(r.out, /encrypted, no key in the key log|fault at/);
  } finally {
    child.kill();
  }
});

withOpenssl('-cipher picks the TLS 1.2 suite openssl reports; names that match nothing exit 2', async (t) => {
  for (const [argv, message] of [
    [
      ['-cipher', 'FOO'],
      /^error: --cipher: 'FOO' matches no cipher suite we have \(see tls-kit s_client --help\)\n$/,
    ],
    [['-cipher', 'TLS_AES_128_GCM_SHA256'], /is a TLS 1\.3 suite/],
    [['-cipher', 'ECDHE:!ECDHE'], /leaves no cipher suite/],
    [['-ciphersuites', 'TLS_AES_128_GCM_SHA256:BAR'], /unknown TLS 1\.3 cipher suite 'BAR'/],
  ] as const) {
    const r = await sClient(['-connect', '127.0.0.1:1', ...argv]);
    t.is(r.status, 2, argv.join(' '));
    t.regex(r.err, message);
  }
  if (!(await engineHasTls12())) return;
  const { child, port } = await opensslWww(['-tls1_2']);
  try {
    for (const [cipher, openssl] of [
      ['ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
      ['ECDHE+AES256:!aRSA', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
    ] as const) {
      const r = await sClient(['-connect', `127.0.0.1:${port}`, '-cipher', cipher], GET);
      t.is(r.status, 0, r.err);
      t.regex(r.out, new RegExp(`Cipher is ${openssl}`), cipher);
    }
  } finally {
    child.kill();
  }
});

withOpenssl('-verify_hostname checks that name; a name the certificate lacks fails (exit 1)', async (t) => {
  const { child, port } = await opensslWww();
  try {
    const good = await sClient(['-connect', `127.0.0.1:${port}`, '-verify_hostname', 'localhost'], GET);
    t.is(good.status, 0, good.err);
    const bad = await sClient(['-connect', `127.0.0.1:${port}`, '-verify_hostname', 'example.com'], GET);
    t.is(bad.status, 1);
    t.regex(
      bad.err,
      /^Verification: hostname mismatch: the certificate is not valid for example\.com\nerror: hostname mismatch/,
    );
  } finally {
    child.kill();
  }
});

/** openssl s_client with `args` (test-helpers' opensslClient), GET on stdin; what it printed. */
async function opensslGet(port: number, args: string[]): Promise<string> {
  const client = opensslClient(port, pkiFiles().root, args);
  client.process.stdin.end(GET);
  await client.exited;
  return client.output();
}

withOpenssl('TLS 1.2 sessions in openssl’s PEM: openssl’s resume with us, ours with openssl', async (t) => {
  if (!(await engineHasTls12())) return void t.pass();
  const dir = pkiFiles().dir;
  // Session IDs (-no_ticket) and RFC 5077 tickets.
  for (const extra of [['-no_ticket'], []]) {
    const { child, port } = await opensslWww(['-tls1_2', ...extra]);
    try {
      const theirs = join(dir, `openssl-session${extra.join('')}.pem`);
      t.regex(await opensslGet(port, ['-sess_out', theirs]), /New, TLSv1\.2/);
      const resumed = await sClient(['-connect', `127.0.0.1:${port}`, '-sess_in', theirs], GET);
      t.is(resumed.status, 0, resumed.err);
      t.regex(resumed.err, /Resumed: yes/);
      t.regex(resumed.out, /Reused, TLSv1\.2/);

      const ours = join(dir, `our-session${extra.join('')}.pem`);
      const first = await sClient(['-connect', `127.0.0.1:${port}`, '-sess_out', ours], GET);
      t.is(first.status, 0, first.err);
      t.regex(readFileSync(ours, 'utf8'), /^-----BEGIN SSL SESSION PARAMETERS-----\n/);
      t.regex(await opensslGet(port, ['-sess_in', ours]), /Reused, TLSv1\.2/, extra.join(' '));
      const again = await sClient(['-connect', `127.0.0.1:${port}`, '-sess_in', ours], GET);
      t.regex(again.err, /Resumed: yes/);
    } finally {
      child.kill();
    }
  }
  // openssl's TLS 1.3 sessions are not read: an error naming the file, not a full handshake.
  const { child, port } = await opensslWww();
  try {
    const tls13 = join(dir, 'openssl-session-tls13.pem');
    // -ign_eof: read on to the server's close, so the NewSessionTicket (sent after the handshake,
    // RFC 8446 §4.6.1) is read and the session written before s_client exits.
    await opensslGet(port, ['-sess_out', tls13, '-ign_eof']);
    t.true(existsSync(tls13), 'openssl wrote its TLS 1.3 session');
    const r = await sClient(['-connect', `127.0.0.1:${port}`, '-sess_in', tls13]);
    t.is(r.status, 1);
    t.regex(
      r.err,
      /^error: --sess_in \S+: a TLS 1\.3 session: only TLS 1\.2 sessions are read in openssl's format\n$/,
    );
  } finally {
    child.kill();
  }
});

test('exit status as openssl’s: the end of stdin ends a connection whose server never answers close_notify with 0', async (t) => {
  const f = pkiFiles();
  // allowHalfOpen: this server keeps its side open after the client's close_notify.
  const server = createServer(
    { cert: readFileSync(f.cert), key: readFileSync(f.key), allowHalfOpen: true },
    (socket) => {
      socket.on('error', () => {});
      socket.on('data', () => {});
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const { port } = server.address() as AddressInfo;
  const r = await sClient(['-connect', `127.0.0.1:${port}`, '-timeout', '3', '-brief'], 'hello\n');
  t.is(r.status, 0, r.err);
  t.regex(r.err, /\nVerification: OK\n(?:.*\n)?closed: no close_notify from the peer within 3 s\n$/);
});
