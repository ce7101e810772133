// The chain-level mistakes of other JavaScript TLS stacks (node-forge, @reclaimprotocol/tls, subtls),
// one test each. (forge's RSA e=3 and Ed25519 non-canonical S forgeries belong to @tls-kit/crypto's
// tests; forge's unbounded ASN.1 recursion, CVE-2025-66031, is in der.test.ts here and in
// crypto/test/der.test.ts.)

import { CertificateBuilder, TrustStore, verifyChain, verifyHostname } from '@tls-kit/certs';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';

const b = new CertificateBuilder({ provider: nodeProvider });
const root = b.root({ subject: 'CN=Trusted Root,O=Example' });
const i1 = b.intermediate(root, { subject: 'CN=Intermediate 1' });
const i2 = b.intermediate(i1, { subject: 'CN=Intermediate 2' });
const leaf = b.leaf(i2, { subject: 'CN=www.example.com', subjectAltNames: ['DNS:www.example.com'] });
const trustStore = new TrustStore([root.withoutPrivateKey()]);
const verify = (options: Omit<Parameters<typeof verifyChain>[0], 'trustStore'>) =>
  verifyChain({ trustStore, provider: nodeProvider, ...options });

test('forge CVE-2026-33896: a leaf certificate is never accepted as a CA', (t) => {
  const victim = b.leaf(leaf, { subject: 'CN=bank.example', subjectAltNames: ['DNS:bank.example'] });
  const r = verify({ leaf: victim, intermediates: [leaf, i2, i1], hostname: 'bank.example' });
  t.false(r.ok);
  if (!r.ok) t.is(r.reason, 'not-a-ca');
});

test('forge #1086: the chain may come in any order', (t) => {
  for (const pool of [
    [i1, i2],
    [i2, i1],
    [leaf, i1, i2, root.withoutPrivateKey()],
  ]) {
    const r = verify({ leaf, intermediates: pool, hostname: 'www.example.com' });
    t.true(r.ok);
    if (r.ok)
      t.deepEqual(
        r.chain.map((c) => c.subject.commonName),
        ['www.example.com', 'Intermediate 2', 'Intermediate 1', 'Trusted Root'],
      );
  }
});

test('forge: the host name is checked whenever one is given', (t) => {
  const r = verify({ leaf, intermediates: [i1, i2], hostname: 'evil.example' });
  t.false(r.ok);
  if (!r.ok) t.is(r.reason, 'hostname-mismatch');
});

test('reclaim: "*" is accepted only as the whole left-most label', (t) => {
  const odd = b.leaf(i2, {
    subject: 'CN=x',
    subjectAltNames: ['DNS:www.*.example.com', 'DNS:a*.example.org', 'DNS:*.*.example.net'],
  });
  for (const host of ['www.a.example.com', 'ab.example.org', 'a.b.example.net'])
    t.false(verifyHostname(odd, host), host);
});

test('reclaim: *.a.com does not match a.com', (t) => {
  const wildcard = b.leaf(i2, { subject: 'CN=a.com', subjectAltNames: ['DNS:*.a.com'] });
  t.false(verifyHostname(wildcard, 'a.com'));
  t.true(verifyHostname(wildcard, 'www.a.com'));
});

test('reclaim: the CN is not used when a SAN exists (nor when none does)', (t) => {
  const both = b.leaf(i2, { subject: 'CN=victim.example', subjectAltNames: ['DNS:attacker.example'] });
  t.false(verifyHostname(both, 'victim.example'));
  const cnOnly = b.leaf(i2, { subject: 'CN=victim.example', subjectAltNames: [] });
  t.false(verifyHostname(cnOnly, 'victim.example'));
});

test('reclaim: issuers are matched by Name DER, not by a DN string', (t) => {
  // One CN whose value reads "Trusted Root,O=Example": naive string forms of the two names
  // coincide, the DER does not. The impostor has its own key; its name must not select the root.
  const impostor = b.root({ subject: 'CN=Trusted Root\\,O=Example' });
  t.is(impostor.subject.commonName, 'Trusted Root,O=Example');
  t.not(impostor.subject.toString(), root.subject.toString());
  const forged = b.leaf(impostor, {
    subject: 'CN=www.example.com',
    subjectAltNames: ['DNS:www.example.com'],
  });
  const r = verify({ leaf: forged, intermediates: [impostor.withoutPrivateKey()] });
  t.false(r.ok);
  if (!r.ok) t.is(r.reason, 'self-signed-in-chain');
});

test('reclaim: basicConstraints, keyUsage, EKU and pathLen are all enforced', (t) => {
  const reason = (l: typeof leaf, pool: (typeof leaf)[]) => {
    const r = verify({ leaf: l, intermediates: pool });
    return r.ok ? 'ok' : r.reason;
  };
  const noBc = b.certificate({
    subject: 'CN=No BC',
    issuer: root,
    ca: false,
    keyUsage: ['keyCertSign'],
    extendedKeyUsage: [],
  });
  // keyCertSign without cA is itself refused (RFC 5280 §4.2.1.3); without it, the missing cA is.
  t.is(reason(b.leaf(noBc, { subject: 'CN=l' }), [noBc]), 'invalid-extension');
  const noBcNoKu = b.certificate({
    subject: 'CN=No BC',
    issuer: root,
    ca: false,
    keyUsage: [],
    extendedKeyUsage: [],
  });
  t.is(reason(b.leaf(noBcNoKu, { subject: 'CN=l' }), [noBcNoKu]), 'not-a-ca');
  const noKu = b.intermediate(root, { subject: 'CN=No KU', keyUsage: ['digitalSignature'] });
  t.is(reason(b.leaf(noKu, { subject: 'CN=l' }), [noKu]), 'key-usage');
  t.is(
    reason(b.leaf(i2, { subject: 'CN=l', extendedKeyUsage: ['codeSigning'] }), [i1, i2]),
    'extended-key-usage',
  );
  const pl0 = b.intermediate(root, { subject: 'CN=PL0', pathLength: 0 });
  const under = b.intermediate(pl0, { subject: 'CN=Under PL0' });
  t.is(reason(b.leaf(under, { subject: 'CN=l' }), [pl0, under]), 'path-length-exceeded');
});
