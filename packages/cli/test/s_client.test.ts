// `tls-kit s_client` against real servers: openssl s_server, Node's tls, and our own s_server.
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { createServer } from '@tls-kit/engine/node';
import { have } from '@tls-kit/test-helpers';
import test, { type ExecutionContext } from 'ava';
import { run } from '../src/commands/s_client.js';
import {
  engineHasTls12,
  fakeIO,
  keylogSecrets,
  ocspResponseFile,
  opensslWww,
  pkiFiles,
  sClient,
  tlsKit,
} from './helpers/peers.js';

const haveOpenssl = have('openssl');
const withOpenssl = haveOpenssl ? test : test.skip;
if (!haveOpenssl)
  test('openssl is absent: the openssl interop tests are skipped', (t) => t.log('no openssl binary'));

type ServerFactory = (options: { cert: Buffer; key: Buffer }, onSecure: (socket: Duplex) => void) => Server;

/**
 * A server made by `create` (node:tls's or ours) with the test chain, on 127.0.0.1 until the test
 * ends; `handle` gets each connection. Resolves to the port.
 */
async function serve(
  t: ExecutionContext,
  handle: (socket: Duplex) => void,
  create: ServerFactory = tls.createServer,
): Promise<number> {
  const f = pkiFiles();
  const server = create({ cert: readFileSync(f.cert), key: readFileSync(f.key) }, (s) => {
    s.on('error', () => {});
    handle(s);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  return (server.address() as AddressInfo).port;
}

withOpenssl(
  'against openssl s_server -www: the parameter lines, the page, a clean close (exit 0)',
  async (t) => {
    const { child, port } = await opensslWww(['-alpn', 'http/1.1']);
    try {
      const r = await sClient(
        ['--connect', `127.0.0.1:${port}`, '--alpn', 'h2,http/1.1'],
        'GET / HTTP/1.0\r\n\r\n',
      );
      t.is(r.status, 0, r.err);
      t.regex(
        r.err,
        /^Protocol: TLSv1\.3\nCipher: TLS_\w+\nGroup: \S+\nSignature: ecdsa_secp256r1_sha256\nALPN: http\/1\.1\nResumed: no\n/,
      );
      t.regex(r.err, /\nVerification: OK\n/);
      t.regex(r.out, /^HTTP\/1\.0 200 ok\r\n/);
      t.notRegex(r.err, /error:/);
    } finally {
      child.kill();
    }
  },
);

for (const version of ['--tls1_3', '--tls1_2'] as const) {
  withOpenssl(`--status / --status_out against openssl s_server -status_file (${version})`, async (t) => {
    const ocsp = ocspResponseFile();
    const { child, port } = await opensslWww(['-status_file', ocsp.path]);
    const out = join(pkiFiles().dir, `stapled${version}.der`);
    try {
      const r = await sClient(
        ['--connect', `127.0.0.1:${port}`, version, '--status_out', out],
        'GET / HTTP/1.0\r\n\r\n',
      );
      t.is(r.status, 0, r.err);
      t.regex(
        r.err,
        new RegExp(`\nOCSP response: ${ocsp.der.length} bytes \\(passed through, not verified\\)\n`),
      );
      t.deepEqual(new Uint8Array(readFileSync(out)), ocsp.der);
      // Without --status nothing is asked for, and no OCSP line is printed.
      const plain = await sClient(['--connect', `127.0.0.1:${port}`, version], 'GET / HTTP/1.0\r\n\r\n');
      t.is(plain.status, 0, plain.err);
      t.notRegex(plain.err, /OCSP/);
    } finally {
      child.kill();
    }
  });
}

withOpenssl('--groups and --ciphersuites are what openssl negotiates', async (t) => {
  const { child, port } = await opensslWww();
  try {
    const r = await sClient(
      [
        '--connect',
        `127.0.0.1:${port}`,
        '--groups',
        'P-384',
        '--ciphersuites',
        'TLS_CHACHA20_POLY1305_SHA256',
      ],
      'GET / HTTP/1.0\r\n\r\n',
    );
    t.is(r.status, 0, r.err);
    t.regex(r.err, /Cipher: TLS_CHACHA20_POLY1305_SHA256\nGroup: P-384\n/);
    t.regex(r.out, /TLSv1\.3, Cipher is TLS_CHACHA20_POLY1305_SHA256/);
  } finally {
    child.kill();
  }
});

withOpenssl('--sess_out then --sess_in resumes with openssl s_server (TLS 1.3 ticket)', async (t) => {
  const f = pkiFiles();
  const sess = join(f.dir, 'openssl-13.sess');
  const { child, port } = await opensslWww();
  try {
    const first = await sClient(
      ['--connect', `127.0.0.1:${port}`, '--sess_out', sess],
      'GET / HTTP/1.0\r\n\r\n',
    );
    t.is(first.status, 0, first.err);
    t.regex(first.err, /Resumed: no/);
    t.true(existsSync(sess));
    t.is(statSync(sess).mode & 0o777, 0o600, 'the session file holds a secret');
    const second = await sClient(
      ['--connect', `127.0.0.1:${port}`, '--sess_in', sess],
      'GET / HTTP/1.0\r\n\r\n',
    );
    t.is(second.status, 0, second.err);
    t.regex(second.err, /Resumed: yes/);
    t.regex(second.out, /Reused, TLSv1\.3/);
  } finally {
    child.kill();
  }
});

withOpenssl(
  '--cert/--key answer openssl s_server -Verify; --keylogfile matches openssl’s key log',
  async (t) => {
    const f = pkiFiles();
    const ours = join(f.dir, 'client-keylog.txt');
    const theirs = join(f.dir, 'server-openssl-keylog.txt');
    const { child, port } = await opensslWww([
      '-Verify',
      '1',
      '-CAfile',
      f.root,
      '-verify_return_error',
      '-keylogfile',
      theirs,
    ]);
    try {
      const r = await sClient(
        [
          '--connect',
          `127.0.0.1:${port}`,
          '--cert',
          f.clientCert,
          '--key',
          f.clientKey,
          '--keylogfile',
          ours,
        ],
        'GET / HTTP/1.0\r\n\r\n',
      );
      t.is(r.status, 0, r.err);
      t.regex(r.out, /HTTP\/1\.0 200 ok/);
      t.is(keylogSecrets(ours).length, 4);
      t.deepEqual(keylogSecrets(ours), keylogSecrets(theirs));
    } finally {
      child.kill();
    }
  },
);

test('against node:tls: stdin goes out, the echo comes back, close_notify both ways', async (t) => {
  const f = pkiFiles();
  const port = await serve(t, (s) => s.pipe(s));
  const fake = fakeIO();
  const status = run(
    ['--connect', `127.0.0.1:${port}`, '--servername', 'localhost', '--CAfile', f.root],
    fake.io,
  );
  fake.stdin.write('first line\n');
  await fake.waitFor(/first line\n/);
  fake.stdin.end('second line\n');
  t.is(await status, 0, fake.stderr());
  t.is(fake.stdout(), 'first line\nsecond line\n');
});

test('the server closes first while stdin is still open: exit 0 at once, no late close_notify timeout', async (t) => {
  const f = pkiFiles();
  const port = await serve(t, (s) => s.end('goodbye\n'), createServer);
  const fake = fakeIO(); // stdin is never ended
  const status = await run(
    // --timeout also bounds the handshake: 3 s leaves room for a loaded machine.
    ['--connect', `127.0.0.1:${port}`, '--servername', 'localhost', '--CAfile', f.root, '--timeout', '3'],
    fake.io,
  );
  t.is(status, 0, fake.stderr());
  t.is(fake.stdout(), 'goodbye\n');
  await new Promise((resolve) => setTimeout(resolve, 3200));
  t.notRegex(fake.stderr(), /error:/);
  t.true(fake.stdin.destroyed, 'stdin released so the process can exit');
});

test('a certificate the CAfile does not vouch for: the Verification line says why, exit 1', async (t) => {
  const f = pkiFiles();
  const port = await serve(t, () => {});
  const fake = fakeIO();
  fake.stdin.end();
  t.is(
    await run(
      ['--connect', `127.0.0.1:${port}`, '--servername', 'localhost', '--CAfile', f.strangerRoot],
      fake.io,
    ),
    1,
  );
  const lines = fake.stderr().trim().split('\n');
  t.is(lines.length, 2, fake.stderr());
  t.regex(lines[0]!, /^Verification: .*issuer/);
  t.regex(lines[1]!, /^error: server certificate rejected: /);
});

test('--insecure: the Verification line says why, and the connection goes on (exit 0)', async (t) => {
  const f = pkiFiles();
  const port = await serve(t, (s) => s.pipe(s));
  const fake = fakeIO();
  fake.stdin.end('echoed by an unverified server\n');
  const args = ['--connect', `127.0.0.1:${port}`, '--servername', 'localhost', '--CAfile', f.strangerRoot];
  t.is(await run([...args, '--insecure'], fake.io), 0, fake.stderr());
  t.regex(fake.stderr(), /\nVerification: .*issuer/);
  t.notRegex(fake.stderr(), /Verification: OK|error:/);
  t.is(fake.stdout(), 'echoed by an unverified server\n');
});

test('our s_client against our s_server, as child processes (the pnpm tls-kit entry point)', async (t) => {
  const f = pkiFiles();
  const server = tlsKit([
    's_server',
    '--accept',
    '0',
    '--cert',
    f.cert,
    '--key',
    f.key,
    '--www',
    '--naccept',
    '1',
  ]);
  try {
    const port = (await server.waitFor(/ACCEPT 127\.0\.0\.1:(\d+)/))[1]!;
    const c = tlsKit([
      's_client',
      '--connect',
      `127.0.0.1:${port}`,
      '--servername',
      'localhost',
      '--CAfile',
      f.root,
    ]);
    // stdin stays open until the answer came (see the half-close test in s_server.test.ts).
    c.process.stdin.write('GET /index.html HTTP/1.0\r\n\r\n');
    await c.waitFor(/HTTP\/1\.0 200 ok/);
    c.process.stdin.end();
    t.is(await c.exited, 0, c.output());
    t.regex(c.output(), /Protocol: TLSv1\.3/);
    t.regex(c.output(), /HTTP\/1\.0 200 ok/);
    t.is(await server.exited, 0, server.output());
  } finally {
    server.kill();
  }
});

test('TLS 1.2 (when the engine has it): --tls1_2 against openssl, and --sess_out/--sess_in resumption', async (t) => {
  if (!(await engineHasTls12()) || !haveOpenssl) {
    t.log(haveOpenssl ? 'the engine does not negotiate TLS 1.2 yet' : 'openssl absent');
    t.pass();
    return;
  }
  const f = pkiFiles();
  const sess = join(f.dir, 'openssl-12.sess');
  const { child, port } = await opensslWww();
  try {
    const first = await sClient(
      ['--connect', `127.0.0.1:${port}`, '--tls1_2', '--sess_out', sess],
      'GET / HTTP/1.0\r\n\r\n',
    );
    t.is(first.status, 0, first.err);
    t.regex(first.err, /Protocol: TLSv1\.2\nCipher: TLS_ECDHE_ECDSA_WITH_\w+\n/);
    t.regex(first.out, /New, TLSv1\.2/);
    const second = await sClient(
      ['--connect', `127.0.0.1:${port}`, '--tls1_2', '--sess_in', sess],
      'GET / HTTP/1.0\r\n\r\n',
    );
    t.is(second.status, 0, second.err);
    t.regex(second.err, /Resumed: yes/);
    t.regex(second.out, /Reused, TLSv1\.2/);
  } finally {
    child.kill();
  }
});

test('usage errors: one line pointing at --help, exit 2; --help exit 0; a bad --sess_in', async (t) => {
  for (const argv of [
    [],
    ['--connect', 'nohostport'],
    ['--connect', 'a:1', '--tls1_2', '--tls1_3'],
    ['--nope'],
    ['--connect', 'a:1', '--cert', 'x'],
  ]) {
    const fake = fakeIO();
    t.is(await run(argv, fake.io), 2, argv.join(' '));
    t.regex(fake.stderr(), /^error: \S[^\n]* \(see tls-kit s_client --help\)\n$/, argv.join(' '));
  }
  const help = fakeIO();
  t.is(await run(['--help'], help.io), 0);
  t.regex(help.stdout(), /--sess_out FILE/);
  const badSession = fakeIO();
  t.is(await run(['--connect', '127.0.0.1:1', '--sess_in', pkiFiles().root], badSession.io), 1);
  t.is(badSession.stderr(), 'error: invalid session: not a tls-kit session\n');
});
