// `tls-kit s_server` against real clients: openssl s_client, curl, Node's tls; bad clients.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { connect } from '@tls-kit/engine/node';
import { gnutlsClient, have, opensslClient as opensslSClient, spawnChild } from '@tls-kit/test-helpers';
import test, { type ExecutionContext } from 'ava';
import { run } from '../src/commands/s_server.js';
import { engineHasTls12, fakeIO, keylogSecrets, ocspResponseFile, pkiFiles } from './helpers/peers.js';

const haveOpenssl = have('openssl');
const haveCurl = have('curl');

/** Starts s_server in-process on a free port; stopped when the test ends, whatever happened. */
async function startServer(t: ExecutionContext, extra: string[]) {
  const f = pkiFiles();
  const fake = fakeIO();
  t.teardown(() => fake.abort());
  const status = run(['--accept', '0', '--cert', f.cert, '--key', f.key, ...extra], fake.io);
  const port = Number((await fake.waitFor(/ACCEPT 127\.0\.0\.1:(\d+)/))[1]);
  return { fake, status, port };
}

/** curl fetching https://localhost:PORT/ from the server, trusting the test root. */
function curlGet(port: number, extra: string[] = []) {
  const f = pkiFiles();
  const url = `https://localhost:${port}/`;
  return spawnChild('curl', [
    '-sS',
    ...extra,
    '--cacert',
    f.root,
    '--resolve',
    `localhost:${port}:127.0.0.1`,
    url,
  ]);
}

/** openssl s_client sending `input`; -ign_eof keeps it reading after stdin ends. */
function opensslClient(port: number, input: string, extra: string[] = []) {
  const child = opensslSClient(port, pkiFiles().root, ['-ign_eof', ...extra]);
  child.process.stdin.end(input);
  return child;
}

const withOpenssl = haveOpenssl ? test : test.skip;
if (!haveOpenssl)
  test('openssl is absent: the openssl interop tests are skipped', (t) => t.log('no openssl binary'));

withOpenssl(
  '--www answers a real openssl s_client GET with HTTP/1.0 200 ok naming protocol and cipher',
  async (t) => {
    const { fake, status, port } = await startServer(t, ['--www', '--naccept', '1', '--alpn', 'http/1.1']);
    const client = opensslClient(port, 'GET / HTTP/1.0\r\n\r\n', ['-alpn', 'http/1.1']);
    t.is(await client.exited, 0, client.output());
    const out = client.output();
    t.regex(out, /HTTP\/1\.0 200 ok\r\n/);
    t.regex(out, /Protocol: TLSv1\.3/);
    t.regex(out, /Cipher: TLS_AES_(128_GCM_SHA256|256_GCM_SHA384)|Cipher: TLS_CHACHA20/);
    t.regex(out, /ALPN: http\/1\.1/);
    t.regex(out, /Verify return code: 0 \(ok\)/);
    t.is(await status, 0);
    t.regex(fake.stderr(), /#1 127\.0\.0\.1:\d+ handshake: TLSv1\.3 TLS_\w+ \S+ ALPN=http\/1\.1 resumed=no/);
  },
);

for (const version of ['-tls1_3', '-tls1_2'] as const) {
  withOpenssl(`--status_file: openssl s_client -status (${version}) gets the response stapled`, async (t) => {
    const ocsp = ocspResponseFile();
    const { status, port } = await startServer(t, ['--www', '--naccept', '2', '--status_file', ocsp.path]);
    const client = opensslClient(port, 'GET / HTTP/1.0\r\n\r\n', ['-status', version]);
    t.is(await client.exited, 0, client.output());
    t.regex(client.output(), /OCSP Response Status: successful/);
    t.regex(client.output(), /Cert Status: good/);
    // A client that does not ask gets nothing.
    const plain = opensslClient(port, 'GET / HTTP/1.0\r\n\r\n', ['-status', version].slice(1));
    t.is(await plain.exited, 0, plain.output());
    t.notRegex(plain.output(), /OCSP response:/);
    t.is(await status, 0);
  });
}

(haveCurl ? test : test.skip)('--www answers curl --cacert', async (t) => {
  const { status, port } = await startServer(t, ['--www', '--naccept', '1']);
  const curl = curlGet(port);
  t.is(await curl.exited, 0, curl.output());
  t.regex(curl.output(), /Protocol: TLSv1\.3/);
  t.is(await status, 0);
});

test('several clients at once; garbage, a bad ClientHello, fuzzed records and a vanishing peer are one line each', async (t) => {
  const f = pkiFiles();
  const { fake, status, port } = await startServer(t, ['--naccept', '6']);
  const ca = readFileSync(f.root);
  const talk = async () => {
    const s = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca });
    await once(s, 'secureConnect');
    return s;
  };
  // Two clients connected at the same time, each sending before either closes.
  const [a, b] = await Promise.all([talk(), talk()]);
  a.write('hello from a\n');
  b.write('hello from b\n');
  await fake.waitFor(/hello from a\n[\s\S]*hello from b\n|hello from b\n[\s\S]*hello from a\n/);
  const raw = (bytes: Uint8Array | string) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.resume();
    s.end(bytes);
  };
  // Not TLS at all.
  raw('GET / HTTP/1.0\r\n\r\n');
  // A handshake record whose ClientHello body is junk (decode_error).
  raw(
    Buffer.from([0x16, 0x03, 0x01, 0x00, 0x0a, 0x01, 0x00, 0x00, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
  );
  // A peer that vanishes in the middle of its ClientHello.
  raw(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00]));
  // A client (ours, whose transport is at hand) that completes the handshake, then writes an
  // application_data record of junk under the TLS layer.
  const fuzzed = connect({ host: '127.0.0.1', port, servername: 'localhost', ca });
  fuzzed.on('error', () => {});
  await once(fuzzed, 'secureConnect');
  await fake.waitFor(/(handshake: .*\n[\s\S]*){3}/); // the server completed its side too
  fuzzed.socket.write(Buffer.concat([Buffer.from([0x17, 0x03, 0x03, 0x00, 0x40]), Buffer.alloc(0x40, 0x5a)]));
  await fake.waitFor(/(error: .*\n[\s\S]*){4}/);
  a.end();
  b.end();
  a.resume();
  b.resume();
  t.is(await status, 0);
  const lines = fake.stderr().trim().split('\n');
  t.is(lines.filter((l) => / handshake: TLSv1\.3 /.test(l)).length, 3, fake.stderr());
  const errors = lines.filter((l) => / error: /.test(l));
  t.is(errors.length, 4, fake.stderr());
  for (const e of errors) t.regex(e, /^#\d 127\.0\.0\.1:\d+ error: \S.*$/);
  t.regex(fake.stderr(), /error: .*bad_record_mac/);
  t.regex(fake.stdout(), /hello from a/);
  t.regex(fake.stdout(), /hello from b/);
});

withOpenssl(
  '--Verify requires a client certificate: openssl with one is served, without one is refused',
  async (t) => {
    const f = pkiFiles();
    const { fake, status, port } = await startServer(t, [
      '--www',
      '--CAfile',
      f.root,
      '--Verify',
      '--naccept',
      '2',
    ]);
    const withCert = opensslClient(port, 'GET / HTTP/1.0\r\n\r\n', [
      '-cert',
      f.clientLeaf,
      '-cert_chain',
      f.clientChain,
      '-key',
      f.clientKey,
    ]);
    t.is(await withCert.exited, 0, withCert.output());
    t.regex(withCert.output(), /Client certificate: CN=cli test client/);
    const without = opensslClient(port, 'GET / HTTP/1.0\r\n\r\n');
    await without.exited;
    t.notRegex(without.output(), /HTTP\/1\.0 200 ok/);
    t.is(await status, 0);
    t.regex(fake.stderr(), /client=CN=cli test client/);
    t.regex(fake.stderr(), /#2 127\.0\.0\.1:\d+ error: .*certificate/);
  },
);

withOpenssl('--cert2 is served to clients whose SNI names it', async (t) => {
  const f = pkiFiles();
  const { status, port } = await startServer(t, [
    '--www',
    '--cert2',
    f.otherCert,
    '--key2',
    f.otherKey,
    '--naccept',
    '2',
  ]);
  const other = spawnChild('openssl', [
    's_client',
    '-connect',
    `127.0.0.1:${port}`,
    '-servername',
    'other.test',
    '-CAfile',
    f.root,
    '-verify_return_error',
    '-verify_hostname',
    'other.test',
    '-ign_eof',
  ]);
  other.process.stdin.end('GET / HTTP/1.0\r\n\r\n');
  t.is(await other.exited, 0, other.output());
  t.regex(other.output(), /subject=CN ?= ?other\.test/);
  t.regex(other.output(), /SNI: other\.test/);
  const plain = opensslClient(port, 'GET / HTTP/1.0\r\n\r\n');
  t.is(await plain.exited, 0);
  t.regex(plain.output(), /subject=CN ?= ?localhost/);
  t.is(await status, 0);
});

withOpenssl('--keylogfile writes the same secrets openssl logs on its side', async (t) => {
  const f = pkiFiles();
  const ours = join(f.dir, 'server-keylog.txt');
  const theirs = join(f.dir, 'openssl-keylog.txt');
  const { status, port } = await startServer(t, ['--www', '--keylogfile', ours, '--naccept', '1']);
  const client = opensslClient(port, 'GET / HTTP/1.0\r\n\r\n', ['-keylogfile', theirs]);
  t.is(await client.exited, 0);
  t.is(await status, 0);
  t.is(keylogSecrets(ours).length, 4);
  t.deepEqual(keylogSecrets(ours), keylogSecrets(theirs));
});

test('TLS 1.2 (when the engine has it): --tls1_2 serves openssl s_client -tls1_2 and curl --tls-max 1.2', async (t) => {
  if (!(await engineHasTls12())) {
    t.log('the engine does not negotiate TLS 1.2 yet');
    t.pass();
    return;
  }
  if (!haveOpenssl) {
    t.log('openssl absent');
    t.pass();
    return;
  }
  const { status, port } = await startServer(t, ['--www', '--tls1_2', '--naccept', haveCurl ? '2' : '1']);
  const client = opensslClient(port, 'GET / HTTP/1.0\r\n\r\n', ['-tls1_2']);
  t.is(await client.exited, 0, client.output());
  t.regex(client.output(), /Protocol: TLSv1\.2/);
  t.regex(client.output(), /Cipher: TLS_ECDHE_ECDSA_WITH_\w+/);
  if (haveCurl) {
    const curl = curlGet(port, ['--tls-max', '1.2']);
    t.is(await curl.exited, 0, curl.output());
    t.regex(curl.output(), /Protocol: TLSv1\.2/);
  }
  t.is(await status, 0);
});

withOpenssl('TLS 1.2: openssl s_client -no_ticket -reconnect resumes by session ID five times', async (t) => {
  if (!(await engineHasTls12())) {
    t.log('the engine does not negotiate TLS 1.2 yet');
    t.pass();
    return;
  }
  const { fake, status, port } = await startServer(t, ['--www', '--naccept', '6']);
  const client = opensslClient(port, 'GET / HTTP/1.0\r\n\r\n', ['-tls1_2', '-no_ticket', '-reconnect']);
  t.is(await client.exited, 0, client.output());
  t.is(client.output().match(/^Reused, TLSv1\.2/gm)?.length, 5, client.output());
  t.is(await status, 0);
  t.is(fake.stderr().match(/handshake: TLSv1\.2 .* resumed=yes/g)?.length, 5, fake.stderr());
});

test('usage: missing or unknown flags give one error line pointing at --help, exit 2; --help exits 0', async (t) => {
  for (const argv of [
    ['--accept', '0'],
    ['--accept', 'x:y', '--cert', 'a', '--key', 'b'],
    ['--bogus'],
    ['--accept'],
  ]) {
    const fake = fakeIO();
    t.is(await run(argv, fake.io), 2, argv.join(' '));
    t.regex(fake.stderr(), /^error: \S[^\n]* \(see tls-kit s_server --help\)\n$/, argv.join(' '));
  }
  const help = fakeIO();
  t.is(await run(['--help'], help.io), 0);
  t.regex(help.stdout(), /--naccept N/);
  const missing = fakeIO();
  t.is(
    await run(['--accept', '0', '--cert', '/nonexistent.pem', '--key', '/nonexistent.key'], missing.io),
    1,
  );
  t.is(missing.stderr(), 'error: --cert /nonexistent.pem: no such file\n');
});

// TLS 1.3 half-close (RFC 8446 §6.1, the engine's halfClose option in the Node adapter): a
// request that comes with the client's close_notify is still answered.
test('half-close: a GET followed at once by close_notify still gets its answer', async (t) => {
  const { status, port } = await startServer(t, ['--www', '--naccept', '1']);
  const f = pkiFiles();
  const client = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: readFileSync(f.root) });
  await once(client, 'secureConnect');
  client.end('GET / HTTP/1.0\r\n\r\n');
  let answer = '';
  for await (const chunk of client) answer += chunk;
  await status;
  t.regex(answer, /^HTTP\/1\.0 200 ok/);
});

(have('gnutls-cli') ? test : test.skip)('--www answers gnutls-cli (a third implementation)', async (t) => {
  const f = pkiFiles();
  const { status, port } = await startServer(t, ['--www', '--naccept', '1']);
  const client = gnutlsClient(port, f.root);
  client.process.stdin.write('GET / HTTP/1.0\r\n\r\n');
  await client.waitFor(/HTTP\/1\.0 200 ok/);
  client.process.stdin.end();
  await client.exited;
  t.regex(client.output(), /Protocol: TLSv1\.3/);
  t.is(await status, 0);
});
