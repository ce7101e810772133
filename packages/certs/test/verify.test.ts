// Path building and RFC 5280 checks on PKIs made with CertificateBuilder (no outside tool).

import {
  Certificate,
  CertificateBuilder,
  Oid,
  TrustStore,
  VerifyFailureReason,
  type VerifyOptions,
  verifyChain,
} from '@tls-kit/certs';
import type { CryptoProvider } from '@tls-kit/crypto';
import { nobleProvider } from '@tls-kit/crypto';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';

const b = new CertificateBuilder({ provider: nodeProvider });
const root = b.root({ subject: 'CN=Verify Root,O=tls-kit' });
const inter = b.intermediate(root, { subject: 'CN=Verify Intermediate,O=tls-kit' });
const leaf = b.leaf(inter, { subject: 'CN=leaf.example.com', subjectAltNames: ['DNS:leaf.example.com'] });
const store = new TrustStore([root.withoutPrivateKey()]);

const verify = (options: Partial<VerifyOptions> & { leaf: Certificate }) =>
  verifyChain({ trustStore: store, provider: nodeProvider, ...options });
const reason = (r: ReturnType<typeof verifyChain>) => (r.ok ? 'ok' : r.reason);

test('a valid chain is returned leaf first, anchor last', (t) => {
  const r = verify({ leaf, intermediates: [inter], hostname: 'leaf.example.com' });
  t.true(r.ok);
  if (r.ok)
    t.deepEqual(
      r.chain.map((c) => c.subject.toString()),
      ['CN=leaf.example.com', 'CN=Verify Intermediate,O=tls-kit', 'CN=Verify Root,O=tls-kit'],
    );
});

test('every key type and the default provider', (t) => {
  for (const key of [
    { type: 'ec', curve: 'P-384' },
    { type: 'ed25519' },
    { type: 'rsa', bits: 2048 },
  ] as const) {
    const r = b.root({ subject: `CN=Root ${key.type}`, key });
    const i = b.intermediate(r, { subject: `CN=Inter ${key.type}`, key });
    const l = b.leaf(i, { subject: 'CN=x.example', key, subjectAltNames: ['DNS:x.example'] });
    t.true(
      verifyChain({
        leaf: l,
        intermediates: [i],
        trustStore: new TrustStore([r.withoutPrivateKey()]),
        hostname: 'x.example',
      }).ok,
      key.type,
    );
  }
});

test('the noble provider verifies the same chain', (t) => {
  t.true(verify({ leaf, intermediates: [inter], provider: nobleProvider }).ok);
});

test('a repeated verification costs no signature operation (per-certificate cache)', (t) => {
  let calls = 0;
  const counting: CryptoProvider = {
    ...nodeProvider,
    verify: (...args) => {
      calls++;
      return nodeProvider.verify(...args);
    },
  };
  t.true(verify({ leaf, intermediates: [inter], provider: counting }).ok);
  t.is(calls, 2);
  for (let i = 0; i < 5; i++) t.true(verify({ leaf, intermediates: [inter], provider: counting }).ok);
  t.is(calls, 2);
});

test('several candidate issuers with the same name: the one whose key signed is used', (t) => {
  // A decoy with the same subject and the same key identifier scheme but another key.
  const decoy = b.intermediate(root, { subject: 'CN=Verify Intermediate,O=tls-kit' });
  const r = verify({ leaf, intermediates: [decoy, inter] });
  t.true(r.ok);
  if (r.ok) t.true(r.chain[1]!.equals(inter));
});

test('a candidate with a bad signature is skipped for a good one', (t) => {
  // Same name and key as `inter`, but issued by an untrusted root: the signature from the
  // trusted root's point of view does not exist, so building must go around it.
  const other = b.root({ subject: 'CN=Verify Root,O=tls-kit' });
  const reissued = b.intermediate(other, {
    subject: 'CN=Verify Intermediate,O=tls-kit',
    key: inter.privateKey!,
  });
  t.true(verify({ leaf, intermediates: [reissued, inter] }).ok);
  // Alone, its authority key identifier names a root we do not trust.
  t.is(reason(verify({ leaf, intermediates: [reissued] })), 'unknown-issuer');
  // A signature that does not verify: flip a bit of the leaf's signature value.
  const der = leaf.getAsn1Bytes();
  der[der.length - 5]! ^= 1;
  t.is(reason(verify({ leaf: Certificate.fromDer(der), intermediates: [inter] })), 'bad-signature');
});

test('cycles in the pool terminate with unknown-issuer', (t) => {
  const b0 = b.root({ subject: 'CN=Cycle B' });
  const a = b.intermediate(b0, { subject: 'CN=Cycle A' });
  const bByA = b.intermediate(a, { subject: 'CN=Cycle B', key: b0.privateKey! });
  const l = b.leaf(a, { subject: 'CN=cycle.example' });
  t.is(reason(verify({ leaf: l, intermediates: [a, bByA] })), 'unknown-issuer');
  t.true(
    verify({ leaf: l, intermediates: [a, bByA], trustStore: new TrustStore([b0.withoutPrivateKey()]) }).ok,
  );
});

test('depth limit', (t) => {
  let issuer = root;
  const chain: Certificate[] = [];
  for (let i = 0; i < 11; i++) {
    issuer = b.intermediate(issuer, { subject: `CN=Depth ${i}` });
    chain.push(issuer);
  }
  const l = b.leaf(issuer, { subject: 'CN=deep' });
  t.is(reason(verify({ leaf: l, intermediates: chain })), 'depth-exceeded');
  t.true(verify({ leaf: l, intermediates: chain.reverse(), maxChainDepth: 11 }).ok);
});

test('an exponential pool exhausts the work budget instead of the CPU', (t) => {
  // Every layer: three certificates with one name and one key, each issued by the layer above,
  // so each has three valid issuers: 3^10 paths, none reaching a trust anchor.
  const topKey = nodeProvider.generateKeyPair({ type: 'ec', curve: 'P-256' });
  let above = [0, 1, 2].map(() => b.certificate({ subject: 'CN=Layer top', key: topKey, ca: true }));
  const pool = [...above];
  for (let depth = 0; depth < 9; depth++) {
    const key = nodeProvider.generateKeyPair({ type: 'ec', curve: 'P-256' });
    above = above.map((issuer) => b.intermediate(issuer, { subject: `CN=Layer ${depth}`, key }));
    pool.push(...above);
  }
  const l = b.leaf(above[0]!, { subject: 'CN=mesh leaf' });
  const r = verify({ leaf: l, intermediates: pool, maxChainDepth: 18 });
  t.is(reason(r), 'depth-exceeded');
  if (!r.ok) t.regex(r.message, /too many candidate issuers/);
});

test('RFC 5280 checks on a built PKI', (t) => {
  const check = (
    name: string,
    expected: VerifyFailureReason | 'ok',
    l: Certificate,
    intermediates: Certificate[],
    extra: Partial<VerifyOptions> = {},
  ) => t.is(reason(verify({ leaf: l, intermediates, ...extra })), expected, name);
  // basicConstraints
  const notCa = b.certificate({
    subject: 'CN=No CA bit',
    issuer: root,
    ca: false,
    keyUsage: ['digitalSignature'],
  });
  check('issuer without cA', 'not-a-ca', b.leaf(notCa, { subject: 'CN=l' }), [notCa]);
  check('CA as the leaf', 'leaf-is-ca', inter, []);
  check('CA as the leaf, RFC 5280 (it lacks digitalSignature)', 'key-usage', inter, [], {
    profile: 'rfc5280',
  });
  // pathLenConstraint: a self-issued intermediate (key rollover) does not count.
  const pl0 = b.intermediate(root, { subject: 'CN=PL0', pathLength: 0 });
  const rollover = b.intermediate(pl0, { subject: 'CN=PL0' });
  check('self-issued below pathLen 0', 'ok', b.leaf(rollover, { subject: 'CN=l' }), [pl0, rollover]);
  const below = b.intermediate(pl0, { subject: 'CN=Below PL0' });
  check('pathLen 0 exceeded', 'path-length-exceeded', b.leaf(below, { subject: 'CN=l' }), [pl0, below]);
  const rootPl1 = b.root({ subject: 'CN=Root PL1', pathLength: 1 });
  const i1 = b.intermediate(rootPl1, { subject: 'CN=I1' });
  const i2 = b.intermediate(i1, { subject: 'CN=I2' });
  const anchorStore = { trustStore: new TrustStore([rootPl1.withoutPrivateKey()]) };
  check(
    'pathLen 1 on the anchor',
    'path-length-exceeded',
    b.leaf(i2, { subject: 'CN=l' }),
    [i1, i2],
    anchorStore,
  );
  check('pathLen 1 on the anchor, respected', 'ok', b.leaf(i1, { subject: 'CN=l' }), [i1], anchorStore);
  // keyUsage
  const noSign = b.intermediate(root, {
    subject: 'CN=No keyCertSign',
    keyUsage: ['cRLSign', 'digitalSignature'],
  });
  check('CA without keyCertSign', 'key-usage', b.leaf(noSign, { subject: 'CN=l' }), [noSign]);
  check(
    'leaf without digitalSignature',
    'key-usage',
    b.leaf(inter, { subject: 'CN=l', keyUsage: ['keyAgreement'] }),
    [inter],
  );
  check('leaf without keyUsage', 'ok', b.leaf(inter, { subject: 'CN=l', keyUsage: [] }), [inter]);
  // extendedKeyUsage
  const noEku = b.leaf(inter, { subject: 'CN=l', extendedKeyUsage: [] });
  check('leaf without EKU', 'extended-key-usage', noEku, [inter]);
  check('leaf without EKU, RFC 5280', 'ok', noEku, [inter], { profile: 'rfc5280' });
  check(
    'leaf with anyExtendedKeyUsage only',
    'extended-key-usage',
    b.leaf(inter, { subject: 'CN=l', extendedKeyUsage: ['anyExtendedKeyUsage'] }),
    [inter],
  );
  check('client leaf', 'ok', b.leaf(inter, { subject: 'CN=l', extendedKeyUsage: ['clientAuth'] }), [inter], {
    purpose: 'client',
  });
  const anyEkuCa = b.intermediate(root, {
    subject: 'CN=Any EKU CA',
    extendedKeyUsage: ['anyExtendedKeyUsage'],
  });
  check('CA with anyExtendedKeyUsage', 'ok', b.leaf(anyEkuCa, { subject: 'CN=l' }), [anyEkuCa]);
  const clientCa = b.intermediate(root, { subject: 'CN=Client CA', extendedKeyUsage: ['clientAuth'] });
  check('CA EKU without serverAuth', 'extended-key-usage', b.leaf(clientCa, { subject: 'CN=l' }), [clientCa]);
  check('CA EKU for a client', 'ok', b.leaf(clientCa, { subject: 'CN=l' }), [clientCa], {
    purpose: 'client',
  });
  // Unknown critical extensions, anywhere in the path.
  const unknown = [{ oid: '1.3.6.1.4.1.55555.7', critical: true, value: Uint8Array.of(5, 0) }];
  check(
    'unknown critical in the leaf',
    'unknown-critical-extension',
    b.leaf(inter, { subject: 'CN=l', extensions: unknown }),
    [inter],
  );
  const critInter = b.intermediate(root, { subject: 'CN=Critical', extensions: unknown });
  check(
    'unknown critical in an intermediate',
    'unknown-critical-extension',
    b.leaf(critInter, { subject: 'CN=l' }),
    [critInter],
  );
  check(
    'unknown non-critical',
    'ok',
    b.leaf(inter, { subject: 'CN=l', extensions: [{ ...unknown[0]!, critical: false }] }),
    [inter],
  );
  // Validity, of each certificate including the anchor.
  const day = 86400_000;
  check(
    'expired leaf',
    'expired',
    b.leaf(inter, {
      subject: 'CN=l',
      notBefore: new Date(Date.now() - 10 * day),
      notAfter: new Date(Date.now() - day),
    }),
    [inter],
  );
  check(
    'future leaf',
    'not-yet-valid',
    b.leaf(inter, { subject: 'CN=l', notBefore: new Date(Date.now() + day) }),
    [inter],
  );
  const oldRoot = b.root({
    subject: 'CN=Old root',
    notBefore: new Date(Date.now() - 10 * day),
    notAfter: new Date(Date.now() - day),
  });
  check('expired anchor', 'expired', b.leaf(oldRoot, { subject: 'CN=l' }), [], {
    trustStore: new TrustStore([oldRoot.withoutPrivateKey()]),
  });
  check(
    'validity at a given time',
    'ok',
    b.leaf(inter, { subject: 'CN=l', notBefore: new Date(Date.now() + 2 * day) }),
    [inter],
    { time: new Date(Date.now() + 3 * day) },
  );
  check(
    'GeneralizedTime after 2049',
    'ok',
    b.leaf(inter, { subject: 'CN=l', notAfter: new Date('2051-01-01T00:00:00Z') }),
    [inter],
  );
});

test('name constraints: DNS, IP (v4 and v6) and directoryName, permitted and excluded', (t) => {
  const nc = b.intermediate(root, {
    subject: 'CN=NC,O=tls-kit',
    nameConstraints: {
      permitted: ['DNS:example.com', 'DNS:example.net', 'IP:10.0.0.0/8', 'IP:2001:db8::/32'],
      excluded: ['DNS:secret.example.com', 'IP:10.9.0.0/16'],
    },
  });
  const leafWith = (...sans: string[]) => b.leaf(nc, { subject: 'CN=l', subjectAltNames: sans });
  const cases: [string[], string][] = [
    [['DNS:example.com'], 'ok'],
    [['DNS:a.b.example.com'], 'ok'],
    [['DNS:EXAMPLE.COM'], 'ok'],
    [['DNS:www.example.net'], 'ok'],
    [['DNS:example.org'], 'name-constraints'],
    [['DNS:notexample.com'], 'name-constraints'],
    [['DNS:secret.example.com'], 'name-constraints'],
    [['DNS:x.secret.example.com'], 'name-constraints'],
    // CVE-2025-61727: the wildcard also stands for secret.example.com, which is excluded.
    [['DNS:*.example.com'], 'name-constraints'],
    [['DNS:*.www.example.com'], 'ok'],
    [['DNS:*.com'], 'name-constraints'],
    [['IP:10.1.2.3'], 'ok'],
    [['IP:10.9.1.1'], 'name-constraints'],
    [['IP:11.0.0.1'], 'name-constraints'],
    [['IP:2001:db8::5'], 'ok'],
    [['IP:2001:db9::5'], 'name-constraints'],
    [['DNS:example.com', 'IP:192.168.0.1'], 'name-constraints'],
    [['email:a@example.com'], 'ok'],
  ];
  for (const [sans, expected] of cases)
    t.is(
      reason(verify({ leaf: leafWith(...sans), intermediates: [nc], profile: 'rfc5280' })),
      expected,
      sans.join(','),
    );

  const dirNc = b.intermediate(root, {
    subject: 'CN=Dir NC',
    nameConstraints: { permitted: ['DNS:example.com'] },
  });
  // A subject outside any directoryName constraint is fine when there is none of that form.
  t.true(
    verify({
      leaf: b.leaf(dirNc, { subject: 'CN=anything,O=Else', subjectAltNames: ['DNS:x.example.com'] }),
      intermediates: [dirNc],
      profile: 'rfc5280',
    }).ok,
  );
});

test('name constraints on the anchor apply too', (t) => {
  const ncRoot = b.root({ subject: 'CN=NC Root', nameConstraints: { excluded: ['DNS:blocked.example'] } });
  const l = b.leaf(ncRoot, { subject: 'CN=l', subjectAltNames: ['DNS:www.blocked.example'] });
  t.is(
    reason(verify({ leaf: l, trustStore: new TrustStore([ncRoot.withoutPrivateKey()]) })),
    'name-constraints',
  );
});

test('failure reasons are an enum with text', (t) => {
  const r = verify({ leaf, intermediates: [] });
  t.false(r.ok);
  if (!r.ok) {
    t.is(r.reason, VerifyFailureReason.UnknownIssuer);
    t.regex(r.message, /Verify Intermediate/);
  }
  t.true(Object.values(VerifyFailureReason).includes('not-a-ca'));
  t.is(Oid.serverAuth, '1.3.6.1.5.5.7.3.1');
});

test('the trust anchor may also be in the intermediates', (t) => {
  t.true(verify({ leaf, intermediates: [root.withoutPrivateKey(), inter] }).ok);
});
