// Exit statuses side by side with openssl s_client's, same flags, same server (openssl s_server
// -www), same situations: a clean end, a refused connection, an untrusted chain and a wrong host
// name with -verify_return_error. Usage errors are ours to differ on: 2 where openssl says 1.
import { openssl } from '@tls-kit/test-helpers';
import test from 'ava';
import { run } from '../src/commands/s_client.js';
import { fakeIO, have, opensslWww, pkiFiles } from './helpers/peers.js';

const withOpenssl = have('openssl') ? test : test.skip;
if (!have('openssl')) test('openssl is absent: these tests are skipped', (t) => t.log('no openssl binary'));

const GET = 'GET / HTTP/1.0\r\n\r\n';

async function theirs(args: string[]): Promise<number | null> {
  const child = openssl(['s_client', ...args]);
  child.process.stdin.end(GET);
  return child.exited;
}

async function ours(args: string[]): Promise<number> {
  const fake = fakeIO();
  fake.stdin.end(GET);
  return run(args, fake.io);
}

withOpenssl('exit status as openssl s_client’s for the same flags and situations', async (t) => {
  const f = pkiFiles();
  const { child, port } = await opensslWww();
  t.teardown(() => child.kill());
  const server = `127.0.0.1:${port}`;
  const cases: [string, string[], number][] = [
    ['the server answers and closes', ['-connect', server, '-servername', 'localhost', '-CAfile', f.root], 0],
    ['connection refused', ['-connect', '127.0.0.1:1', '-CAfile', f.root], 1],
    [
      'untrusted chain, -verify_return_error',
      ['-connect', server, '-servername', 'localhost', '-CAfile', f.strangerRoot, '-verify_return_error'],
      1,
    ],
    [
      'wrong host name, -verify_return_error',
      [
        '-connect',
        server,
        '-servername',
        'localhost',
        '-CAfile',
        f.root,
        '-verify_hostname',
        'example.com',
        '-verify_return_error',
      ],
      1,
    ],
  ];
  for (const [situation, args, expected] of cases) {
    t.is(await theirs(args), expected, `openssl: ${situation}`);
    t.is(await ours(args), expected, `ours: ${situation}`);
  }
  // A flag value naming nothing: openssl 1, ours 2 (a usage error).
  const cipher = ['-connect', server, '-CAfile', f.root, '-cipher', 'NO-SUCH-SUITE'];
  t.is(await theirs(cipher), 1);
  t.is(await ours(cipher), 2);
});
