// `--pass` (openssl's `-pass pass:X | env:VAR | file:PATH`) for encrypted --key files of s_server
// and s_client, against openssl s_client and s_server; the keys are encrypted by the openssl CLI.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { opensslClient } from '@tls-kit/test-helpers';
import test, { type ExecutionContext } from 'ava';
import { run as sServer } from '../src/commands/s_server.js';
import { fakeIO, have, opensslWww, pkiFiles, sClient } from './helpers/peers.js';

const haveOpenssl = have('openssl');
const withOpenssl = haveOpenssl ? test : test.skip;
if (!haveOpenssl)
  test('openssl is absent: the passphrase tests are skipped', (t) => t.log('no openssl binary'));

/** `file` re-encrypted by the openssl CLI (`args` pick the format), written next to it. */
function encrypted(file: string, name: string, passphrase: string, ...args: string[]): string {
  const out = join(pkiFiles().dir, name);
  execFileSync('openssl', [...args, '-in', file, '-out', out, '-passout', `pass:${passphrase}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out;
}

const pbes2 = ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256'];

/**
 * s_server in-process with `args`, serving one connection: openssl s_client GETs its --www page,
 * verifying the chain against the test root; both must succeed.
 */
async function answersOpensslClient(t: ExecutionContext, args: string[]): Promise<void> {
  const fake = fakeIO();
  t.teardown(() => fake.abort());
  const status = sServer(['--accept', '0', '--naccept', '1', '--www', ...args], fake.io);
  const port = Number((await fake.waitFor(/ACCEPT 127\.0\.0\.1:(\d+)/))[1]);
  const client = opensslClient(port, pkiFiles().root, ['-ign_eof']);
  client.process.stdin.end('GET / HTTP/1.0\r\n\r\n');
  t.is(await client.exited, 0, client.output());
  t.regex(client.output(), /Verify return code: 0 \(ok\)/);
  t.regex(client.output(), /HTTP\/1\.0 200 ok/);
  t.is(await status, 0, fake.stderr());
}

withOpenssl('s_server -pass pass:X with a PKCS#8 PBES2 key answers openssl s_client', async (t) => {
  const f = pkiFiles();
  const key = encrypted(f.key, 'server-pbes2.key', 'open sesame', ...pbes2);
  // The single-dash spelling openssl users type.
  await answersOpensslClient(t, ['--cert', f.cert, '-key', key, '-pass', 'pass:open sesame']);
});

withOpenssl('s_server --pass env:VAR with a legacy DEK-Info key answers openssl s_client', async (t) => {
  const f = pkiFiles();
  const key = encrypted(f.key, 'server-legacy.key', 'from the environment', 'ec', '-aes256');
  process.env.TLS_KIT_TEST_KEY_PASS = 'from the environment';
  t.teardown(() => {
    delete process.env.TLS_KIT_TEST_KEY_PASS;
  });
  await answersOpensslClient(t, ['--cert', f.cert, '--key', key, '--pass', 'env:TLS_KIT_TEST_KEY_PASS']);
});

withOpenssl(
  's_client --pass file:PATH answers openssl s_server -Verify with an encrypted client key',
  async (t) => {
    const f = pkiFiles();
    const key = encrypted(
      f.clientKey,
      'client-pbes2.key',
      'client side',
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-128-cbc',
    );
    const passFile = join(f.dir, 'client-pass.txt');
    writeFileSync(passFile, 'client side\nignored second line\n');
    const { child, port } = await opensslWww(['-Verify', '1', '-CAfile', f.root, '-verify_return_error']);
    try {
      const { status, out, err } = await sClient(
        [
          '--connect',
          `127.0.0.1:${port}`,
          '--cert',
          f.clientCert,
          '--key',
          key,
          '--pass',
          `file:${passFile}`,
        ],
        'GET / HTTP/1.0\r\n\r\n',
      );
      t.is(status, 0, err);
      t.regex(out, /HTTP\/1\.0 200 ok/);
    } finally {
      child.kill();
    }
  },
);

withOpenssl('a missing, wrong or malformed --pass is one error line and a failing exit status', async (t) => {
  const f = pkiFiles();
  const key = encrypted(f.key, 'server-refused.key', 'right', ...pbes2);
  const attempt = async (extra: string[]) => {
    const fake = fakeIO();
    const status = await sServer(['--accept', '0', '--cert', f.cert, '--key', key, ...extra], fake.io);
    return { status, err: fake.stderr() };
  };
  const missing = await attempt([]);
  t.is(missing.status, 1);
  t.regex(missing.err, /^error: --key \S+: the private key is encrypted .*a passphrase is needed\n$/);
  const wrong = await attempt(['--pass', 'pass:wrong']);
  t.is(wrong.status, 1);
  t.regex(wrong.err, /^error: --key \S+: wrong passphrase/);
  for (const [pass, message] of [
    ['right', /--pass wants pass:PASSWORD, env:VAR or file:PATH/],
    ['env:TLS_KIT_TEST_UNSET_VARIABLE', /--pass env:TLS_KIT_TEST_UNSET_VARIABLE: the variable is not set/],
    ['file:/nonexistent/pass.txt', /--pass \/nonexistent\/pass\.txt: no such file/],
  ] as const) {
    const r = await attempt(['--pass', pass]);
    t.not(r.status, 0);
    t.regex(r.err, message);
  }
  // s_client checks the passphrase before connecting anywhere.
  const client = await sClient([
    '--connect',
    '127.0.0.1:9',
    '--cert',
    f.cert,
    '--key',
    key,
    '--pass',
    'pass:wrong',
  ]);
  t.is(client.status, 1);
  t.regex(client.err, /^error: --key \S+: wrong passphrase/);
});
