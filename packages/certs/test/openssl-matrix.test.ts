// The openssl oracle: a matrix of chains made with the openssl CLI, each verified by
// verifyChain and by `openssl verify -x509_strict`; the verdicts must agree. Where we are
// deliberately stricter than OpenSSL the case says why, and checks OpenSSL accepts while we refuse.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import {
  Certificate,
  CertificateBuilder,
  loadCertificatesPem,
  TrustStore,
  type VerifyFailureReason,
  verifyChain,
} from '@tls-kit/certs';
import { nobleProvider } from '@tls-kit/crypto';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import { caExt, hasOpenssl, leafExt, OpensslPki } from './openssl-pki.js';

interface Case {
  readonly name: string;
  readonly roots: readonly string[];
  readonly untrusted?: readonly string[];
  readonly leaf: string;
  readonly hostname?: string;
  readonly purpose?: 'server' | 'client';
  /** Seconds from now. */
  readonly at?: number;
  /** Our expected verdict under the rfc5280 profile: 'ok' or the failure reason. */
  readonly expect: 'ok' | VerifyFailureReason;
  /** The verdict under the webpki profile, where it differs. */
  readonly webpki?: 'ok' | VerifyFailureReason;
  /** Set where OpenSSL accepts and we refuse on purpose: the reason. */
  readonly stricter?: string;
  /** Set where OpenSSL refuses a valid path that exists and we find it: the explanation. */
  readonly findsPathOpensslMisses?: string;
}

const DAY = 86400;

const cases: Case[] = [
  // Algorithms
  {
    name: 'ECDSA P-256 chain',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafEc',
    hostname: 'ec.example.com',
    expect: 'ok',
  },
  {
    name: 'ECDSA P-384 chain',
    roots: ['rootP384'],
    untrusted: ['interP384'],
    leaf: 'leafP384',
    hostname: 'p384.example.com',
    expect: 'ok',
  },
  {
    name: 'Ed25519 chain',
    roots: ['rootEd'],
    untrusted: ['interEd'],
    leaf: 'leafEd',
    hostname: 'ed.example.com',
    expect: 'ok',
  },
  {
    name: 'RSA root, RSA leaf (PKCS#1 v1.5)',
    roots: ['rootRsa'],
    leaf: 'leafRsa',
    hostname: 'rsa.example.com',
    expect: 'ok',
  },
  {
    name: 'RSA-PSS signed intermediate, mixed key types',
    roots: ['rootRsa'],
    untrusted: ['interPss'],
    leaf: 'leafUnderPss',
    hostname: 'pss.example.com',
    expect: 'ok',
  },
  // Trust
  { name: 'missing intermediate', roots: ['rootEc'], leaf: 'leafEc', expect: 'unknown-issuer' },
  {
    name: 'wrong root',
    roots: ['rootRsa'],
    untrusted: ['interEc'],
    leaf: 'leafEc',
    expect: 'unknown-issuer',
  },
  {
    name: 'several roots in the store',
    roots: ['rootRsa', 'rootEd', 'rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafEc',
    expect: 'ok',
  },
  // Host names and IP addresses
  {
    name: 'wrong host',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafEc',
    hostname: 'other.example.org',
    expect: 'hostname-mismatch',
  },
  {
    name: 'host name is case-insensitive',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafEc',
    hostname: 'EC.Example.COM',
    expect: 'ok',
  },
  {
    name: 'IPv4 SAN',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafEc',
    hostname: '127.0.0.1',
    expect: 'ok',
  },
  {
    name: 'IPv6 SAN',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafEc',
    hostname: '::1',
    expect: 'ok',
  },
  {
    name: 'other IPv4 address',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafEc',
    hostname: '127.0.0.2',
    expect: 'hostname-mismatch',
  },
  {
    name: 'wildcard matches one label',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafWildcard',
    hostname: 'www.example.com',
    expect: 'ok',
  },
  {
    name: '*.example.com does not match example.com',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafWildcard',
    hostname: 'example.com',
    expect: 'hostname-mismatch',
  },
  {
    name: 'wildcard does not match two labels',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafWildcard',
    hostname: 'a.b.example.com',
    expect: 'hostname-mismatch',
  },
  {
    name: '* in a label other than the left-most',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafStarMiddle',
    hostname: 'a.b.example.com',
    expect: 'hostname-mismatch',
  },
  {
    name: 'wildcard over a single label (*.com)',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafStarTld',
    hostname: 'example.com',
    expect: 'hostname-mismatch',
  },
  {
    name: 'partial wildcard f*.example.com',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafPartialWildcard',
    hostname: 'foo.example.com',
    expect: 'hostname-mismatch',
    stricter:
      'RFC 9525 §6.3: the wildcard must be the complete left-most label; OpenSSL allows partial wildcards by default',
  },
  {
    name: 'CN ignored when a SAN exists',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafCnAndSan',
    hostname: 'host.example.com',
    expect: 'hostname-mismatch',
  },
  {
    name: 'no CN fallback without SAN',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafCnOnly',
    hostname: 'cn.example.com',
    expect: 'hostname-mismatch',
    stricter: 'RFC 9525 §6.2 drops the CN-ID; OpenSSL still falls back to the CN when there is no DNS SAN',
  },
  // Validity
  {
    name: 'expired leaf',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafShort',
    at: 2 * DAY,
    expect: 'expired',
  },
  {
    name: 'expired intermediate',
    roots: ['rootEc'],
    untrusted: ['interShort'],
    leaf: 'leafUnderShort',
    at: 2 * DAY,
    expect: 'expired',
  },
  {
    name: 'valid before expiry',
    roots: ['rootEc'],
    untrusted: ['interShort'],
    leaf: 'leafUnderShort',
    at: DAY / 2,
    expect: 'ok',
  },
  {
    name: 'not yet valid',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafEc',
    at: -DAY,
    expect: 'not-yet-valid',
  },
  // CA rules
  {
    name: 'intermediate without keyCertSign',
    roots: ['rootEc'],
    untrusted: ['interNoCertSign'],
    leaf: 'leafUnderNoCertSign',
    expect: 'key-usage',
  },
  {
    name: 'leaf used as a CA (node-forge CVE-2026-33896)',
    roots: ['rootEc'],
    untrusted: ['interEc', 'leafEc'],
    leaf: 'leafVictim',
    hostname: 'victim.example.com',
    expect: 'not-a-ca',
  },
  {
    name: 'pathLenConstraint 0 exceeded',
    roots: ['rootEc'],
    untrusted: ['interPl0', 'interPlChild'],
    leaf: 'leafPlDeep',
    expect: 'path-length-exceeded',
  },
  {
    name: 'pathLenConstraint 0 respected',
    roots: ['rootEc'],
    untrusted: ['interPl0'],
    leaf: 'leafPlOk',
    expect: 'ok',
  },
  {
    name: 'CA certificate as the leaf',
    roots: ['rootEc'],
    leaf: 'caWithDigitalSignature',
    hostname: 'ca.example.com',
    // RFC 5280 has no rule against a CA as end entity (OpenSSL accepts it when its keyUsage
    // allows digitalSignature); the Baseline Requirements do.
    expect: 'ok',
    webpki: 'leaf-is-ca',
  },
  // Name constraints
  {
    name: 'name constraints: permitted DNS and IP',
    roots: ['rootEc'],
    untrusted: ['interNc'],
    leaf: 'leafNcOk',
    hostname: 'www.example.com',
    expect: 'ok',
    // Its CN "nc leaf" is not one of its SANs (CA/B BR §7.1.4.3).
    webpki: 'invalid-certificate',
  },
  {
    name: 'name constraints: DNS outside permitted',
    roots: ['rootEc'],
    untrusted: ['interNc'],
    leaf: 'leafNcDns',
    expect: 'name-constraints',
  },
  {
    name: 'name constraints: DNS in excluded',
    roots: ['rootEc'],
    untrusted: ['interNc'],
    leaf: 'leafNcExcluded',
    expect: 'name-constraints',
  },
  {
    name: 'name constraints: IP outside permitted',
    roots: ['rootEc'],
    untrusted: ['interNc'],
    leaf: 'leafNcIp',
    expect: 'name-constraints',
  },
  // Extensions and purposes
  {
    name: 'unknown critical extension',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafUnknownCritical',
    expect: 'unknown-critical-extension',
  },
  {
    name: 'unknown non-critical extension',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafUnknownNonCritical',
    expect: 'ok',
  },
  {
    name: 'clientAuth-only leaf for a server',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafClientOnly',
    expect: 'extended-key-usage',
  },
  {
    name: 'clientAuth-only leaf for a client',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafClientOnly',
    purpose: 'client',
    expect: 'ok',
  },
  {
    name: 'serverAuth-only leaf for a client',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafServerOnly',
    purpose: 'client',
    expect: 'extended-key-usage',
  },
  {
    name: 'intermediate EKU excludes serverAuth',
    roots: ['rootEc'],
    untrusted: ['interClientEku'],
    leaf: 'leafUnderClientEku',
    expect: 'extended-key-usage',
  },
  {
    name: 'RSA leaf with keyEncipherment only',
    roots: ['rootRsa'],
    leaf: 'leafRsaKeyEncipherment',
    expect: 'key-usage',
    stricter:
      'TLS 1.3 and ECDHE need digitalSignature; OpenSSL accepts keyEncipherment for the RSA key exchange we never do',
  },
  {
    name: 'SHA-1 signed leaf',
    roots: ['rootEc'],
    untrusted: ['interEc'],
    leaf: 'leafSha1',
    expect: 'weak-signature-algorithm',
    stricter:
      'SHA-1 collisions are practical (RFC 9155 forbids SHA-1 signatures in TLS); OpenSSL 3.0 verify still accepts them',
  },
  {
    name: 'self-signed leaf trusted directly',
    roots: ['selfLeaf'],
    leaf: 'selfLeaf',
    hostname: 'self.example.com',
    expect: 'ok',
  },
  { name: 'self-signed leaf, not trusted', roots: ['rootEc'], leaf: 'selfLeaf', expect: 'self-signed-leaf' },
  // Path building
  {
    name: 'shuffled chain of two intermediates',
    roots: ['rootEc'],
    untrusted: ['interDeep2', 'leafEc', 'interDeep1', 'interEc'],
    leaf: 'leafDeep',
    expect: 'ok',
  },
  {
    name: 'cross-signed: new root trusted',
    roots: ['rootY'],
    untrusted: ['interY'],
    leaf: 'leafY',
    expect: 'ok',
  },
  {
    name: 'cross-signed: old root trusted, cross certificate supplied',
    roots: ['rootX'],
    untrusted: ['interY', 'crossY'],
    leaf: 'leafY',
    expect: 'ok',
  },
  {
    name: 'cross-signed: untrusted self-signed root in the pool too',
    roots: ['rootX'],
    untrusted: ['rootY', 'interY', 'crossY'],
    leaf: 'leafY',
    expect: 'ok',
    findsPathOpensslMisses:
      'OpenSSL takes the first issuer of Intermediate Y in the untrusted pool (the self-signed Root Y), ends at an untrusted root and does not backtrack; path building (RFC 4158) tries the cross certificate next and reaches the trusted Root X',
  },
  {
    name: 'cross-signed: old root trusted, no cross certificate',
    roots: ['rootX'],
    untrusted: ['interY', 'rootY'],
    leaf: 'leafY',
    expect: 'self-signed-in-chain',
  },
];

const pki = hasOpenssl() ? new OpensslPki() : undefined;
const now = Math.floor(Date.now() / 1000);

test.before(() => {
  if (!pki) return;
  const ec = 'p256';
  pki.issue({ name: 'rootEc', cn: 'Root EC', key: ec, ext: caExt() });
  pki.issue({ name: 'interEc', cn: 'Intermediate EC', key: ec, issuer: 'rootEc', ext: caExt() });
  pki.issue({
    name: 'leafEc',
    cn: 'ec.example.com',
    key: ec,
    issuer: 'interEc',
    ext: leafExt('DNS:ec.example.com,IP:127.0.0.1,IP:::1'),
  });
  pki.issue({ name: 'rootP384', cn: 'Root P-384', key: 'p384', ext: caExt() });
  pki.issue({ name: 'interP384', cn: 'Intermediate P-384', key: 'p384', issuer: 'rootP384', ext: caExt() });
  pki.issue({
    name: 'leafP384',
    cn: 'p384.example.com',
    key: ec,
    issuer: 'interP384',
    ext: leafExt('DNS:p384.example.com'),
  });
  pki.issue({ name: 'rootEd', cn: 'Root Ed25519', key: 'ed25519', ext: caExt() });
  pki.issue({ name: 'interEd', cn: 'Intermediate Ed25519', key: 'ed25519', issuer: 'rootEd', ext: caExt() });
  pki.issue({
    name: 'leafEd',
    cn: 'ed.example.com',
    key: 'ed25519',
    issuer: 'interEd',
    ext: leafExt('DNS:ed.example.com'),
  });
  pki.issue({ name: 'rootRsa', cn: 'Root RSA', key: 'rsa', ext: caExt() });
  pki.issue({
    name: 'leafRsa',
    cn: 'rsa.example.com',
    key: 'rsa',
    issuer: 'rootRsa',
    ext: leafExt('DNS:rsa.example.com'),
  });
  pki.issue({
    name: 'interPss',
    cn: 'Intermediate via PSS',
    key: ec,
    issuer: 'rootRsa',
    pss: true,
    ext: caExt(),
  });
  pki.issue({
    name: 'leafUnderPss',
    cn: 'pss.example.com',
    key: 'ed25519',
    issuer: 'interPss',
    ext: leafExt('DNS:pss.example.com'),
  });
  const underEc = (name: string, ext: string[], extra: { days?: number; cn?: string; key?: 'rsa' } = {}) =>
    pki.issue({
      name,
      // The CN repeats the first DNS SAN (CA/B BR §7.1.4.3) unless the case is about the CN.
      cn: extra.cn ?? /^subjectAltName = DNS:([^,\n]+)/m.exec(ext.join('\n'))?.[1] ?? `${name}.example.com`,
      key: extra.key ?? ec,
      issuer: 'interEc',
      ext,
      ...(extra.days ? { days: extra.days } : {}),
    });
  underEc('leafWildcard', leafExt('DNS:*.example.com'));
  underEc('leafStarMiddle', leafExt('DNS:a.*.example.com'));
  underEc('leafStarTld', leafExt('DNS:*.com'));
  underEc('leafPartialWildcard', leafExt('DNS:f*.example.com'));
  underEc('leafCnAndSan', leafExt('DNS:other.example.com'), { cn: 'host.example.com' });
  underEc('leafCnOnly', leafExt(''), { cn: 'cn.example.com' });
  underEc('leafShort', leafExt('DNS:short.example.com'), { days: 1 });
  underEc(
    'leafUnknownCritical',
    leafExt('DNS:u.example.com', '1.3.6.1.4.1.55555.1 = critical,ASN1:UTF8String:must understand'),
  );
  pki.issue({
    name: 'leafSha1',
    cn: 'sha1.example.com',
    key: ec,
    issuer: 'interEc',
    sha1: true,
    ext: leafExt('DNS:sha1.example.com'),
  });
  underEc(
    'leafUnknownNonCritical',
    leafExt('DNS:u.example.com', '1.3.6.1.4.1.55555.1 = ASN1:UTF8String:may ignore'),
  );
  underEc(
    'leafClientOnly',
    leafExt('DNS:c.example.com').map((l) => l.replace('serverAuth,clientAuth', 'clientAuth')),
  );
  underEc(
    'leafServerOnly',
    leafExt('DNS:s.example.com').map((l) => l.replace('serverAuth,clientAuth', 'serverAuth')),
  );
  pki.issue({
    name: 'leafVictim',
    cn: 'victim.example.com',
    key: ec,
    issuer: 'leafEc',
    ext: leafExt('DNS:victim.example.com'),
  });
  pki.issue({
    name: 'interShort',
    cn: 'Short-lived Intermediate',
    key: ec,
    issuer: 'rootEc',
    days: 1,
    ext: caExt(),
  });
  pki.issue({
    name: 'leafUnderShort',
    cn: 'us.example.com',
    key: ec,
    issuer: 'interShort',
    days: 30,
    ext: leafExt('DNS:us.example.com'),
  });
  pki.issue({
    name: 'interNoCertSign',
    cn: 'Intermediate without keyCertSign',
    key: ec,
    issuer: 'rootEc',
    ext: caExt().map((l) => l.replace('keyCertSign,cRLSign', 'digitalSignature,cRLSign')),
  });
  pki.issue({
    name: 'leafUnderNoCertSign',
    cn: 'nk.example.com',
    key: ec,
    issuer: 'interNoCertSign',
    ext: leafExt('DNS:nk.example.com'),
  });
  pki.issue({
    name: 'interPl0',
    cn: 'Intermediate pathlen 0',
    key: ec,
    issuer: 'rootEc',
    ext: caExt().map((l) => l.replace('CA:TRUE', 'CA:TRUE,pathlen:0')),
  });
  pki.issue({
    name: 'interPlChild',
    cn: 'Intermediate below pathlen 0',
    key: ec,
    issuer: 'interPl0',
    ext: caExt(),
  });
  pki.issue({
    name: 'leafPlDeep',
    cn: 'pl.example.com',
    key: ec,
    issuer: 'interPlChild',
    ext: leafExt('DNS:pl.example.com'),
  });
  pki.issue({
    name: 'leafPlOk',
    cn: 'pl.example.com',
    key: ec,
    issuer: 'interPl0',
    ext: leafExt('DNS:pl.example.com'),
  });
  pki.issue({
    name: 'caWithDigitalSignature',
    cn: 'ca.example.com',
    key: ec,
    issuer: 'rootEc',
    ext: caExt('subjectAltName = DNS:ca.example.com').map((l) =>
      l.replace('keyCertSign,cRLSign', 'digitalSignature,keyCertSign,cRLSign'),
    ),
  });
  pki.issue({
    name: 'interNc',
    cn: 'Name-constrained Intermediate',
    key: ec,
    issuer: 'rootEc',
    ext: caExt(
      'nameConstraints = critical,permitted;DNS:example.com,permitted;IP:10.0.0.0/255.0.0.0,excluded;DNS:bad.example.com',
    ),
  });
  const underNc = (name: string, san: string) =>
    pki.issue({ name, cn: 'nc leaf', key: ec, issuer: 'interNc', ext: leafExt(san) });
  underNc('leafNcOk', 'DNS:www.example.com,IP:10.1.2.3');
  underNc('leafNcDns', 'DNS:www.evil.com');
  underNc('leafNcExcluded', 'DNS:bad.example.com');
  underNc('leafNcIp', 'DNS:www.example.com,IP:192.168.1.1');
  pki.issue({
    name: 'interClientEku',
    cn: 'Client-only Intermediate',
    key: ec,
    issuer: 'rootEc',
    ext: caExt('extendedKeyUsage = clientAuth'),
  });
  pki.issue({
    name: 'leafUnderClientEku',
    cn: 'ce.example.com',
    key: ec,
    issuer: 'interClientEku',
    ext: leafExt('DNS:ce.example.com'),
  });
  pki.issue({
    name: 'leafRsaKeyEncipherment',
    cn: 'ke.example.com',
    key: 'rsa',
    issuer: 'rootRsa',
    ext: leafExt('DNS:ke.example.com').map((l) =>
      l.replace('critical,digitalSignature', 'critical,keyEncipherment'),
    ),
  });
  pki.issue({ name: 'interDeep1', cn: 'Deep Intermediate 1', key: ec, issuer: 'rootEc', ext: caExt() });
  pki.issue({ name: 'interDeep2', cn: 'Deep Intermediate 2', key: ec, issuer: 'interDeep1', ext: caExt() });
  pki.issue({
    name: 'leafDeep',
    cn: 'deep.example.com',
    key: ec,
    issuer: 'interDeep2',
    ext: leafExt('DNS:deep.example.com'),
  });
  pki.issue({ name: 'selfLeaf', cn: 'self.example.com', key: ec, ext: leafExt('DNS:self.example.com') });
  pki.issue({ name: 'rootX', cn: 'Root X', key: ec, ext: caExt() });
  pki.issue({ name: 'rootY', cn: 'Root Y', key: ec, ext: caExt() });
  pki.issue({ name: 'crossY', cn: 'Root Y', key: ec, keyOf: 'rootY', issuer: 'rootX', ext: caExt() });
  pki.issue({ name: 'interY', cn: 'Intermediate Y', key: ec, issuer: 'rootY', ext: caExt() });
  pki.issue({
    name: 'leafY',
    cn: 'y.example.com',
    key: ec,
    issuer: 'interY',
    ext: leafExt('DNS:y.example.com'),
  });
});

test.after.always(() => pki?.cleanup());

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(':');

for (const c of cases) {
  test(`matrix: ${c.name}`, (t) => {
    if (!pki) {
      t.log('openssl CLI not found: the oracle matrix cannot run');
      t.is(hasOpenssl(), false);
      return;
    }
    const roots = pki.bundle(
      `${slug(c.name)}-roots.pem`,
      c.roots.map((r) => `${r}.pem`),
    );
    const untrusted = c.untrusted?.length
      ? pki.bundle(
          `${slug(c.name)}-untrusted.pem`,
          c.untrusted.map((u) => `${u}.pem`),
        )
      : undefined;
    const purpose = c.purpose ?? 'server';
    const attime = c.at === undefined ? undefined : now + c.at;
    const oracle = pki.verify({
      roots,
      leaf: `${c.leaf}.pem`,
      purpose,
      ...(untrusted ? { untrusted } : {}),
      ...(c.hostname === undefined ? {} : isIp(c.hostname) ? { ip: c.hostname } : { hostname: c.hostname }),
      ...(attime === undefined ? {} : { attime }),
    });
    const options = {
      leaf: loadCertificatesPem(pki.read(`${c.leaf}.pem`))[0]!,
      intermediates: untrusted ? Certificate.fromPem(pki.read(untrusted)) : [],
      trustStore: new TrustStore(Certificate.fromPem(pki.read(roots))),
      purpose,
      hostname: c.hostname,
      time: attime === undefined ? undefined : new Date(attime * 1000),
    };
    // OpenSSL is an RFC 5280 verifier: the oracle is compared with that profile.
    const ours = verifyChain({ ...options, profile: 'rfc5280', provider: nodeProvider });
    t.is(ours.ok ? 'ok' : ours.reason, c.expect, ours.ok ? 'ok' : ours.message);
    // The pure-JS provider reaches the same verdict.
    const noble = verifyChain({ ...options, profile: 'rfc5280', provider: nobleProvider });
    t.is(noble.ok ? 'ok' : noble.reason, c.expect, 'nobleProvider');
    const web = verifyChain({ ...options, profile: 'webpki', provider: nodeProvider });
    t.is(web.ok ? 'ok' : web.reason, c.webpki ?? c.expect, web.ok ? 'webpki: ok' : `webpki: ${web.message}`);
    if (c.findsPathOpensslMisses) {
      t.false(oracle.ok, 'OpenSSL now finds this path: drop the exception');
      t.true(
        ours.ok && ours.chain.some((cert) => cert.equals(Certificate.fromPem(pki.read('crossY.pem'))[0]!)),
      );
    } else if (c.stricter) {
      t.true(oracle.ok, `OpenSSL was expected to accept (${c.stricter}): ${oracle.output}`);
      t.false(ours.ok);
    } else {
      t.is(ours.ok, oracle.ok, `openssl: ${oracle.output}`);
    }
  });
}

const slug = (s: string) => s.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

test('matrix: SHA-1 signatures are accepted when the caller opts in', (t) => {
  if (!pki) {
    t.false(hasOpenssl());
    return;
  }
  const result = verifyChain({
    leaf: Certificate.fromPem(pki.read('leafSha1.pem'))[0]!,
    intermediates: Certificate.fromPem(pki.read('interEc.pem')),
    trustStore: new TrustStore(Certificate.fromPem(pki.read('rootEc.pem'))),
    allowSha1Signatures: true,
  });
  t.true(result.ok);
});

test('matrix: CertificateBuilder output passes openssl verify -x509_strict', (t) => {
  if (!pki) {
    t.false(hasOpenssl());
    return;
  }
  const builder = new CertificateBuilder({ provider: nodeProvider });
  for (const key of [
    { type: 'ec', curve: 'P-256' },
    { type: 'ec', curve: 'P-384' },
    { type: 'ed25519' },
    { type: 'rsa', bits: 2048 },
  ] as const) {
    const label = `${key.type}${'curve' in key ? key.curve : ''}`;
    const root = builder.root({ subject: `CN=Built Root ${label},O=tls-kit,C=US`, key });
    const inter = builder.intermediate(root, {
      subject: `CN=Built Intermediate ${label}`,
      key,
      pathLength: 0,
    });
    const leaf = builder.leaf(inter, {
      subject: 'CN=built.example',
      key,
      subjectAltNames: ['DNS:built.example', 'IP:127.0.0.1', 'IP:::1', 'email:a@built.example'],
    });
    const file = (name: string, cert: Certificate) => {
      writeFileSync(pki.path(`${label}-${name}.pem`), cert.toPem());
      return `${label}-${name}.pem`;
    };
    const oracle = pki.verify({
      roots: file('root', root),
      untrusted: file('inter', inter),
      leaf: file('leaf', leaf),
      hostname: 'built.example',
      purpose: 'server',
    });
    t.true(oracle.ok, `${label}: ${oracle.output}`);
    const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', `${label}-leaf.pem`], {
      cwd: pki.dir,
      encoding: 'utf8',
    });
    t.regex(
      text,
      /DNS:built\.example, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1, email:a@built\.example/,
    );
    t.regex(text, /TLS Web Server Authentication, TLS Web Client Authentication/);
  }
});
