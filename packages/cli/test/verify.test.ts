// `tls-kit verify`: flags, output and exit status.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CertificateBuilder, privateKeyToPem } from '@tls-kit/certs';
import { haveOpenssl, opensslCrl, opensslSelfSigned } from '@tls-kit/test-helpers';
import test from 'ava';
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

test.serial('FILE: OK, and with --show_chain the chain, one subject per line', async (t) => {
  const r = await cli('--CAfile', roots, '--untrusted', chain, '--hostname', 'cli.example', leafPem);
  t.is(r.code, 0);
  t.is(r.out, `${leafPem}: OK`);
  const shown = await cli('-CAfile', roots, '-untrusted', chain, '-show_chain', leafPem);
  t.is(
    shown.out,
    [
      `${leafPem}: OK`,
      'depth=0: CN=cli.example',
      'depth=1: CN=CLI Intermediate',
      'depth=2: CN=CLI Root,O=tls-kit',
    ].join('\n'),
  );
});

test.serial(
  '--show_chain names attributes as openssl does (emailAddress, serialNumber, street, ...)',
  async (t) => {
    const subject = '/O=Org, Inc/CN=Named/emailAddress=a@example.org/serialNumber=7/street=1 Main St';
    const { pem, rfc2253 } = opensslSelfSigned(dir, 'named', subject);
    const shown = await cli('-CAfile', pem, '-show_chain', pem);
    t.is(shown.out, `${pem}: OK\ndepth=0: ${rfc2253}`);
    t.regex(shown.out, /emailAddress=a@example\.org/);
  },
);

test.serial('openssl-style single-dash flags, and intermediates in the leaf file', async (t) => {
  const r = await cli('-CAfile', roots, fullchain);
  t.is(r.code, 0);
  t.is(r.out, `${fullchain}: OK`);
});

test.serial('failures: error FILE: <reason>: <certificate and rule>, exit 2', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--CAfile', roots, leafPem], /^error \S+leaf\.pem: unknown-issuer: certificate 0 \(CN=cli\.example\)/],
    [
      ['--CAfile', roots, '--untrusted', chain, '--hostname', 'other.example', leafPem],
      /^error \S+: hostname-mismatch: /,
    ],
    [['--CAfile', roots, '--untrusted', chain, '--purpose', 'client', leafPem], /: OK$/],
    [['--CAfile', roots, '--untrusted', chain, '--purpose', 'sslclient', leafPem], /: OK$/],
    [['--CAfile', roots, '--untrusted', chain, '--purpose', 'sslserver', leafPem], /: OK$/],
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
      /^error \S+: expired: certificate 0 .*\[RFC 5280 §6\.1\.3 \(a\)\(2\)\]/,
    ],
    [['--CAfile', roots, '--untrusted', chain, '--attime', '0', leafPem], /^error \S+: not-yet-valid: /],
    [['--CAfile', roots, '--untrusted', chain, join(dir, 'missing.pem')], /^error \S+missing\.pem: ENOENT/],
    [['--CAfile', roots, garbage], /^error \S+garbage\.pem: /],
    [['--CAfile', withKey, leafPem], /^error \S+with-key\.pem: .*private key/],
  ];
  for (const [args, pattern] of cases) {
    const r = await cli(...args);
    const text = r.code === 0 ? r.out : r.err;
    t.regex(text, pattern, args.join(' '));
    t.is(r.code, pattern.source.includes('OK') ? 0 : 2, args.join(' '));
  }
});

test.serial('bad flags: one error line pointing at --help, exit 2; --help exit 0', async (t) => {
  for (const args of [
    [],
    ['--CAfile'],
    ['--bogus', 'x', leafPem],
    ['--CAfile', roots],
    ['--CAfile', roots, '--purpose', 'any', leafPem],
    ['--CAfile', roots, '--profile', 'strict', leafPem],
    ['--CAfile', roots, '--verify_depth', 'deep', leafPem],
    ['--CAfile', roots, '--attime', 'soon', leafPem],
  ]) {
    const r = await cli(...args);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.err, /^error: [^\n]+ \(see tls-kit verify --help\)$/, args.join(' '));
  }
  const help = await cli('--help');
  t.is(help.code, 0);
  t.regex(help.out, /^usage: tls-kit verify \[--CAfile/);
});

test.serial('several files: one line each, exit 2 when any fails', async (t) => {
  const r = await cli('-CAfile', roots, '-untrusted', chain, leafPem, fullchain, withKey);
  t.is(r.code, 2);
  t.is(r.out, [`${leafPem}: OK`, `${fullchain}: OK`].join('\n'));
  t.regex(r.err, /^error \S+with-key\.pem: /);
});

test.serial("without --CAfile, Node's root store: a private root is unknown there", async (t) => {
  const r = await cli('-untrusted', chain, leafPem);
  t.is(r.code, 2);
  t.regex(r.err, /unknown-issuer: certificate 1 \(CN=CLI Intermediate\)/);
});

test.serial('--profile: a leaf without EKU fails webpki (the default) and passes rfc5280', async (t) => {
  const noEku = file(
    'no-eku.pem',
    b.leaf(inter, { subject: 'CN=cli.example', extendedKeyUsage: [] }).toPem(),
  );
  const web = await cli('-CAfile', roots, '-untrusted', chain, noEku);
  t.is(web.code, 2);
  t.regex(
    web.err,
    /extended-key-usage: certificate 0 \(CN=cli\.example\): no extendedKeyUsage in the leaf \[CA\/B BR/,
  );
  const rfc = await cli('-CAfile', roots, '-untrusted', chain, '-profile', 'rfc5280', noEku);
  t.is(rfc.code, 0, rfc.err);
});

test.serial('--verify_depth N allows N intermediates', async (t) => {
  t.is((await cli('-CAfile', roots, '-untrusted', chain, '-verify_depth', '1', leafPem)).code, 0);
  const r = await cli('-CAfile', roots, '-untrusted', chain, '-verify_depth', '0', leafPem);
  t.is(r.code, 2);
  t.regex(r.err, /depth-exceeded/);
});

test.serial('--CRLfile, --crl_check, --crl_check_all with CRLs made by openssl ca', async (t) => {
  if (!haveOpenssl()) return t.pass('openssl is not installed');
  const crlFor = (name: string, issuer: typeof inter, revoked: (typeof inter)[]) => {
    const cert = file(`${name}-issuer.pem`, issuer.toPem());
    const key = file(`${name}-issuer.key`, privateKeyToPem(issuer.privateKey!));
    opensslCrl(join(dir, `${name}.crl`), {
      issuerCert: cert,
      issuerKey: key,
      revoked: revoked.map((c) => ({ serial: c.serialNumber, reason: 'keyCompromise' })),
    });
    return join(dir, `${name}.crl`);
  };
  const revokedLeaf = b.leaf(inter, { subject: 'CN=revoked.example' });
  const revokedPem = file('revoked.pem', revokedLeaf.toPem());
  const interCrl = crlFor('inter', inter, [revokedLeaf]);
  const rootCrl = crlFor('root', root, []);
  const base = ['-CAfile', roots, '-untrusted', chain];
  const revoked = await cli(...base, '-CRLfile', interCrl, '-crl_check', leafPem, revokedPem);
  t.is(revoked.code, 2);
  t.is(revoked.out, `${leafPem}: OK`);
  t.regex(revoked.err, /revoked: certificate 0 \(CN=revoked\.example\): revoked at .* \(keyCompromise\)/);
  const missing = await cli(...base, '-crl_check', leafPem);
  t.regex(missing.err, /crl-missing/);
  const all = await cli(...base, '-CRLfile', interCrl, '-crl_check_all', leafPem);
  t.regex(all.err, /crl-missing: certificate 1 \(CN=CLI Intermediate\)/);
  const both = await cli(...base, '-CRLfile', interCrl, '-CRLfile', rootCrl, '-crl_check_all', leafPem);
  t.is(both.code, 0, both.err);
});

test.serial('2,048 name constraints over 2,048 names: a clear refusal, not seconds of work', async (t) => {
  const nc = b.intermediate(root, {
    subject: 'CN=Many Constraints',
    nameConstraints: { permitted: Array.from({ length: 2048 }, (_, i) => `DNS:zone${i}.example`) },
  });
  const many = b.leaf(nc, {
    subject: 'CN=h0.zone0.example',
    subjectAltNames: Array.from({ length: 2048 }, (_, i) => `DNS:h${i}.zone${i}.example`),
  });
  const path = file('many.pem', many.toPem() + nc.toPem());
  const r = await cli('-CAfile', roots, path);
  t.is(r.code, 2);
  t.regex(r.err, /name-constraints-too-complex: certificate 1 \(CN=Many Constraints\): too complex/);
});

test('through the tls-kit command', (t) => {
  const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
  const node = (...args: string[]) =>
    spawnSync(process.execPath, ['--conditions=@tls-kit/source', '--import=tsx', bin, 'verify', ...args], {
      encoding: 'utf8',
    });
  const ok = node('--CAfile', roots, fullchain);
  t.is(ok.status, 0, ok.stderr);
  t.is(ok.stdout, `${fullchain}: OK\n`);
  const bad = node('--CAfile', roots, leafPem);
  t.is(bad.status, 2);
  t.regex(bad.stderr, /^error \S+: unknown-issuer/);
});
