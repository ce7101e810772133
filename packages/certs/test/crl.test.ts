// CRLs (RFC 5280 §5, §6.3) made by `openssl ca -gencrl` over builder-made PKIs, checked by
// verifyChain: revoked, good, a CRL of another key, expired, not yet valid, missing when
// required (leaf / chain), and malformed input.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Certificate,
  CertificateBuilder,
  CertificateRevocationList,
  DerError,
  privateKeyToPem,
  TrustStore,
  type VerifyOptions,
  verifyChain,
} from '@tls-kit/certs';
import { nodeProvider } from '@tls-kit/crypto/node';
import { haveOpenssl, opensslCrl } from '@tls-kit/test-helpers';
import test from 'ava';

const b = new CertificateBuilder({ provider: nodeProvider });
const day = 86400_000;
const notBefore = new Date(Date.now() - 10 * day);
const root = b.root({ subject: 'CN=CRL Root', notBefore });
const inter = b.intermediate(root, { subject: 'CN=CRL Intermediate', notBefore });
const leaf = b.leaf(inter, { subject: 'CN=crl.example.com', notBefore });
const other = b.leaf(inter, { subject: 'CN=other.example.com', notBefore });
const store = new TrustStore([root.withoutPrivateKey()]);
const dir = mkdtempSync(join(tmpdir(), 'tls-kit-crl-'));

/** A CRL of `issuer` listing `revoked`, by openssl. */
function crlOf(
  issuer: Certificate,
  revoked: readonly Certificate[] = [],
  options: { validHours?: number; name?: string } = {},
): CertificateRevocationList[] {
  const stem = join(
    dir,
    options.name ?? `${issuer.subject.commonName}-${revoked.length}`.replace(/\W/g, '_'),
  );
  writeFileSync(`${stem}.pem`, issuer.toPem());
  writeFileSync(`${stem}.key`, privateKeyToPem(issuer.privateKey!));
  const pem = opensslCrl(`${stem}.crl`, {
    issuerCert: `${stem}.pem`,
    issuerKey: `${stem}.key`,
    revoked: revoked.map((c) => ({ serial: c.serialNumber, reason: 'keyCompromise' })),
    ...(options.validHours ? { validHours: options.validHours } : {}),
  });
  return CertificateRevocationList.load(pem);
}

const verdict = (options: Partial<VerifyOptions>) => {
  const r = verifyChain({
    leaf,
    intermediates: [inter],
    trustStore: store,
    provider: nodeProvider,
    ...options,
  });
  return r.ok ? 'ok' : r.reason;
};

test('a revoked leaf is refused with "revoked"; one not listed passes', (t) => {
  if (!haveOpenssl()) return t.pass('openssl is not installed');
  const crls = crlOf(inter, [other]);
  t.is(crls[0]!.revokedCount, 1);
  t.is(verdict({ crls }), 'ok');
  t.is(verdict({ crls, leaf: other }), 'revoked');
  const r = verifyChain({
    leaf: other,
    intermediates: [inter],
    trustStore: store,
    crls,
    provider: nodeProvider,
  });
  if (!r.ok) {
    t.is(r.depth, 0);
    t.regex(r.message, /keyCompromise/);
  }
  // DER too, as node:tls' crl option takes it.
  t.is(verdict({ crls: CertificateRevocationList.load(crls[0]!.der), leaf: other }), 'revoked');
});

test('a revoked intermediate is found on the way up', (t) => {
  if (!haveOpenssl()) return t.pass('openssl is not installed');
  t.is(verdict({ crls: crlOf(root, [inter]) }), 'revoked');
});

test('crlCheck: a missing CRL fails for the leaf (leaf) or any certificate (chain)', (t) => {
  if (!haveOpenssl()) return t.pass('openssl is not installed');
  const leafCrl = crlOf(inter);
  t.is(verdict({ crls: [], crlCheck: 'leaf' }), 'crl-missing');
  t.is(verdict({ crls: leafCrl, crlCheck: 'leaf' }), 'ok');
  t.is(verdict({ crls: leafCrl, crlCheck: 'chain' }), 'crl-missing');
  t.is(verdict({ crls: [...leafCrl, ...crlOf(root)], crlCheck: 'chain' }), 'ok');
  // Without crlCheck a certificate whose issuer has no CRL is not checked.
  t.is(verdict({ crls: crlOf(root) }), 'ok');
});

test('a CRL signed by another key with the issuer name does not verify', (t) => {
  if (!haveOpenssl()) return t.pass('openssl is not installed');
  const impostor = b.intermediate(root, { subject: 'CN=CRL Intermediate', notBefore });
  t.is(verdict({ crls: crlOf(impostor, [], { name: 'impostor' }) }), 'crl-invalid');
});

test('an expired CRL and a CRL not yet valid have their own reasons', (t) => {
  if (!haveOpenssl()) return t.pass('openssl is not installed');
  const crls = crlOf(inter, [], { validHours: 1, name: 'short' });
  t.is(verdict({ crls, time: new Date(Date.now() + 2 * 3600_000) }), 'crl-expired');
  t.is(verdict({ crls, time: new Date(Date.now() - 3600_000) }), 'crl-not-yet-valid');
});

test('malformed CRLs are typed errors', (t) => {
  if (!haveOpenssl()) return t.pass('openssl is not installed');
  const der = crlOf(inter, [other])[0]!.der;
  for (let n = 0; n < der.length; n++) {
    t.throws(() => CertificateRevocationList.fromDer(der.subarray(0, n)), { instanceOf: DerError });
  }
});
