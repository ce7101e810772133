// What a user sees when things go wrong, from the `tls-kit` command as a child process: bad input
// to each command is one line on stderr naming the file and the fault, never a stack trace; a
// reader that goes away (`| head`) ends the output quietly; relative paths are taken from the
// directory `pnpm tls-kit` was run in (INIT_CWD).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { pkiFiles } from './helpers/peers.js';

const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** `tls-kit args` as `pnpm tls-kit` starts it; `shell` pipes its stdout through a command. */
function tlsKit(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; pipe?: string } = {}) {
  const node = [process.execPath, '--conditions=@tls-kit/source', '--import', 'tsx', bin, ...args];
  const quoted = node.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child = options.pipe
    ? spawn('sh', ['-c', `${quoted} | ${options.pipe}`], { cwd: options.cwd ?? root, env: options.env })
    : spawn(node[0]!, node.slice(1), { cwd: options.cwd ?? root, env: options.env });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
}

function badFiles() {
  const dir = pkiFiles().dir;
  const write = (name: string, text: string | Uint8Array) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  return {
    badBase64: write('bad-base64.pem', '-----BEGIN CERTIFICATE-----\nMII$$$\n-----END CERTIFICATE-----\n'),
    empty: write('empty.key', ''),
    noCert: write('no-cert.pem', 'just some text\n'),
    garbage: write(
      'garbage.bin',
      Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 253) & 0xff),
    ),
  };
}

test('bad input to each command: one line on stderr naming what is wrong, no stack trace; usage errors exit 2', async (t) => {
  const f = pkiFiles();
  const bad = badFiles();
  const cases: [string[], RegExp, number?][] = [
    [
      ['s_client', '-connect', '127.0.0.1:1', '-cert', bad.badBase64, '-key', f.key],
      /^error: --cert \S+bad-base64\.pem: line 2: invalid base64$/,
    ],
    [
      ['s_client', '-connect', '127.0.0.1:1', '-cert', f.cert, '-key', bad.empty],
      /^error: --key \S+empty\.key: the file is empty$/,
    ],
    [
      ['s_client', '-connect', '127.0.0.1:1', '-CAfile', bad.noCert],
      /^error: --CAfile \S+no-cert\.pem: no certificate in it$/,
    ],
    [['s_client', '-connect', '127.0.0.1:1', '-CAfile', f.root], /^error: connect ECONNREFUSED/],
    [
      ['s_server', '-accept', '0', '-cert', f.cert, '-key', f.clientKey],
      /^error: --cert \S+ --key \S+: .*key/,
    ],
    [['s_server', '-accept', '0', '-cert', f.cert, '-key', bad.noCert], /^error: --key \S+no-cert\.pem: /],
    [['dissect', bad.garbage], /^error: \S+garbage\.bin: malformed TLS data/],
    [['dissect', join(f.dir, 'missing.pcap')], /^error: \S+missing\.pcap: no such file$/],
    // openssl verify's status for a file that does not verify.
    [['verify', '-CAfile', f.root, bad.garbage], /^error \S+garbage\.bin: no certificate found$/, 2],
  ];
  // Usage errors: exit 2, one line pointing at the command's --help.
  const usageCases: [string[], RegExp][] = [
    [['nope'], /^error: unknown command 'nope' \(see tls-kit --help\)$/],
    [['demo', '--groups', 'NOPE'], /^error: --groups: unknown group "NOPE" .*\(see tls-kit demo --help\)$/],
    [['s_client', '-connect', '127.0.0.1:1', '-groups', 'NOPE'], /^error: --groups: unknown group "NOPE"/],
    [
      ['s_server', '-accept', '0', '-cert', f.cert, '-key', f.key, '-groups', 'P-256:NOPE'],
      /^error: --groups: unknown group "NOPE"/,
    ],
    [['s_client', '-connect', '127.0.0.1:1', '-cipher', 'FOO'], /^error: --cipher: 'FOO' matches no cipher/],
    [['s_client', '-bogus'], /^error: unknown option '-bogus' \(see tls-kit s_client --help\)$/],
    [['s_server', '--accept'], /^error: option --accept needs a value/],
    [['verify', '-bogus', 'x.pem'], /^error: unknown option '-bogus' \(see tls-kit verify --help\)$/],
    [['dissect'], /^error: expected one FILE, got 0 \(see tls-kit dissect --help\)$/],
  ];
  for (const [args, message, status = 1] of [...cases, ...usageCases.map(([a, m]) => [a, m, 2] as const)]) {
    const r = await tlsKit(args);
    t.is(r.status, status, `${args.join(' ')}: status ${r.status}`);
    t.regex(r.stderr, /^[^\n]*\n$/, `${args.join(' ')}: one line\n${r.stderr}`);
    t.regex(r.stderr.trimEnd(), message, args.join(' '));
  }
});

test('`tls-kit demo | head -3` ends quietly', async (t) => {
  const r = await tlsKit(['demo', '--no-color'], { pipe: 'head -3' });
  t.is(r.stdout.split('\n').length, 4, r.stdout);
  t.is(r.stderr, '');
});

test('relative paths are taken from INIT_CWD when `pnpm tls-kit` starts bin.ts', async (t) => {
  const f = pkiFiles();
  // What pnpm sets for `pnpm tls-kit ...` run in f.dir: the script runs at the root.
  const env = {
    ...process.env,
    INIT_CWD: f.dir,
    npm_lifecycle_script: 'node --conditions=@tls-kit/source --import tsx packages/cli/src/bin.ts',
  };
  badFiles();
  const r = await tlsKit(['s_client', '-connect', '127.0.0.1:1', '-CAfile', 'no-cert.pem'], { env });
  t.regex(r.stderr, /^error: --CAfile no-cert\.pem: no certificate in it\n$/);
  // Without the package manager's script, the working directory stays what it is.
  const plain = await tlsKit(['s_client', '-connect', '127.0.0.1:1', '-CAfile', 'no-cert.pem'], {
    env: { ...process.env, INIT_CWD: f.dir, npm_lifecycle_script: 'tls-kit s_client' },
  });
  t.regex(plain.stderr, /^error: --CAfile no-cert\.pem: no such file\n$/);
});
