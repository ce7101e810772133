// `tls-kit verify`: flags, output and exit status.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { CertificateBuilder, privateKeyToPem } from '@tls-kit/certs';
import { run } from '../src/commands/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'tls-kit-verify-cli-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

const b = new CertificateBuilder();
const day = 86400_000;
const root = b.root({ subject: 'CN=CLI Root,O=tls-kit' });
const inter = b.intermediate(root, { subject: 'CN=CLI Intermediate' });
const leaf = b.leaf(inter, {
  subject: 'CN=cli.example',
  subjectAltNames: ['DNS:cli.example'],
  notAfter: new Date(Date.now() + 30 * day),
});
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const roots = file('roots.pem', root.toPem());
const chain = file('chain.pem', inter.toPem());
const leafPem = file('leaf.pem', leaf.toPem());
const fullchain = file('fullchain.pem', leaf.toPem() + inter.toPem());
const withKey = file('with-key.pem', root.toPem() + privateKeyToPem(root.privateKey!));
const garbage = file('garbage.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    const code = await run(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test.serial('OK and the chain, one subject per line', async (t) => {
  const r = await cli('--CAfile', roots, '--untrusted', chain, '--hostname', 'cli.example', leafPem);
  t.is(r.code, 0);
  t.is(r.out, ['OK', 'CN=cli.example', 'CN=CLI Intermediate', 'CN=CLI Root,O=tls-kit'].join('\n'));
});

test.serial('openssl-style single-dash flags, and intermediates in the leaf file', async (t) => {
  const r = await cli('-CAfile', roots, fullchain);
  t.is(r.code, 0);
  t.regex(r.out, /^OK\n/);
});

test.serial('failures: error: <reason>, exit 2', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--CAfile', roots, leafPem], /^error: unknown-issuer: /],
    [
      ['--CAfile', roots, '--untrusted', chain, '--hostname', 'other.example', leafPem],
      /^error: hostname-mismatch: /,
    ],
    [['--CAfile', roots, '--untrusted', chain, '--purpose', 'client', leafPem], /^OK/],
    [
      [
        '--CAfile',
        roots,
        '--untrusted',
        chain,
        '--attime',
        String(Math.floor((Date.now() + 60 * day) / 1000)),
        leafPem,
      ],
      /^error: expired: /,
    ],
    [['--CAfile', roots, '--untrusted', chain, '--attime', '0', leafPem], /^error: not-yet-valid: /],
    [['--CAfile', roots, '--untrusted', chain, join(dir, 'missing.pem')], /^error: ENOENT/],
    [['--CAfile', roots, garbage], /^error: .*DerError|^error: /],
    [['--CAfile', withKey, leafPem], /^error: .*private key/],
  ];
  for (const [args, pattern] of cases) {
    const r = await cli(...args);
    const text = r.code === 0 ? r.out : r.err;
    t.regex(text, pattern, args.join(' '));
    t.is(r.code, pattern.source.includes('OK') ? 0 : 2, args.join(' '));
  }
});

test.serial('bad flags: one-line error and usage, exit 2; --help exit 0', async (t) => {
  for (const args of [
    [],
    ['--CAfile'],
    ['--bogus', 'x', leafPem],
    ['--CAfile', roots],
    ['--CAfile', roots, '--purpose', 'any', leafPem],
    ['--CAfile', roots, '--attime', 'soon', leafPem],
    ['--CAfile', roots, leafPem, leafPem],
  ]) {
    const r = await cli(...args);
    t.is(r.code, 2, args.join(' '));
    const [first, ...rest] = r.err.split('\n');
    t.regex(first!, /^error: /);
    t.regex(rest.join('\n'), /^usage: tls-kit verify/);
  }
  const help = await cli('--help');
  t.is(help.code, 0);
  t.regex(help.out, /^usage: tls-kit verify --CAfile/);
});

test('through the tls-kit command', (t) => {
  const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
  const node = (...args: string[]) =>
    spawnSync(process.execPath, ['--conditions=@tls-kit/source', '--import=tsx', bin, 'verify', ...args], {
      encoding: 'utf8',
    });
  const ok = node('--CAfile', roots, fullchain);
  t.is(ok.status, 0, ok.stderr);
  t.regex(ok.stdout, /^OK\n/);
  const bad = node('--CAfile', roots, leafPem);
  t.is(bad.status, 2);
  t.regex(bad.stderr, /^error: unknown-issuer/);
});
