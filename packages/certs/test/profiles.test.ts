// The rules of the two profiles (RFC 5280 and the CA/Browser Forum Baseline Requirements), each
// on a chain made with CertificateBuilder that breaks it, with the verdict in both profiles.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Certificate,
  CertificateBuilder,
  type CertificateOptions,
  Oid,
  type Profile,
  privateKeyToPem,
  TrustStore,
  type VerifyOptions,
  verifyChain,
} from '@tls-kit/certs';
import { oid, sequence, tlv } from '@tls-kit/crypto/der-writer';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';

const b = new CertificateBuilder({ provider: nodeProvider });
const root = b.root({ subject: 'CN=Profile Root,O=tls-kit' });
const inter = b.intermediate(root, { subject: 'CN=Profile Intermediate,O=tls-kit' });
const store = new TrustStore([root.withoutPrivateKey()]);

const verdict = (profile: Profile, options: Partial<VerifyOptions> & { leaf: Certificate }) => {
  const r = verifyChain({ trustStore: store, provider: nodeProvider, profile, ...options });
  return r.ok ? 'ok' : r.reason;
};

/** Both profiles' verdicts on `leaf` issued under `inter` (or with the given pool and store). */
const both = (leaf: Certificate, options: Partial<VerifyOptions> = {}) => ({
  rfc5280: verdict('rfc5280', { leaf, intermediates: [inter], ...options }),
  webpki: verdict('webpki', { leaf, intermediates: [inter], ...options }),
});

const leafWith = (options: Partial<CertificateOptions>) =>
  b.certificate({ subject: 'CN=leaf.example.com', issuer: inter, ca: false, ...options });

const caUnder = (options: Partial<CertificateOptions>) =>
  b.certificate({ subject: 'CN=Odd CA', issuer: root, ca: true, ...options });

const akiOf = (issuer: Certificate, extra: Uint8Array[] = []) =>
  sequence(tlv(0x80, Uint8Array.from(Buffer.from(issuer.subjectKeyIdentifier!, 'hex'))), ...extra);

test('the builder makes chains that pass both profiles', (t) => {
  t.deepEqual(both(b.leaf(inter, { subject: 'CN=leaf.example.com' })), { rfc5280: 'ok', webpki: 'ok' });
});

test('AKI: critical, without keyIdentifier, missing (RFC 5280 §4.2.1.1)', (t) => {
  const critical = leafWith({
    extensions: [{ oid: Oid.authorityKeyIdentifier, critical: true, value: akiOf(inter) }],
  });
  t.deepEqual(both(critical), { rfc5280: 'invalid-extension', webpki: 'invalid-extension' });
  const noKeyId = leafWith({
    extensions: [
      { oid: Oid.authorityKeyIdentifier, critical: false, value: sequence(tlv(0x82, Uint8Array.of(1))) },
    ],
  });
  t.deepEqual(both(noKeyId), { rfc5280: 'invalid-extension', webpki: 'invalid-extension' });
  const missing = leafWith({ omitExtensions: [Oid.authorityKeyIdentifier] });
  // OpenSSL (without -x509_strict) and node:tls accept it; a private PKI may lack it.
  t.deepEqual(both(missing), { rfc5280: 'ok', webpki: 'invalid-extension' });
});

test('AKI of a root (webpki): issuer/serial, no keyIdentifier, not its SKI (CA/B BR §7.1.2.1.3)', (t) => {
  const rootKey = nodeProvider.generateKeyPair({ type: 'ec', curve: 'P-256' });
  const cases: [string, Uint8Array][] = [
    [
      'with authorityCertSerialNumber',
      sequence(tlv(0xa1, tlv(0xa4, root.subject.der)), tlv(0x82, Uint8Array.of(1))),
    ],
    ['without keyIdentifier', sequence(tlv(0x82, Uint8Array.of(1)))],
    ['another keyIdentifier', sequence(tlv(0x80, Uint8Array.of(1, 2, 3)))],
  ];
  for (const [name, value] of cases) {
    const odd = b.root({
      subject: `CN=Odd Root ${name}`,
      key: rootKey,
      extensions: [{ oid: Oid.authorityKeyIdentifier, critical: false, value }],
    });
    const leaf = b.leaf(odd, { subject: 'CN=leaf.example.com' });
    t.deepEqual(
      both(leaf, { intermediates: [], trustStore: new TrustStore([odd.withoutPrivateKey()]) }),
      { rfc5280: 'ok', webpki: 'invalid-extension' },
      name,
    );
  }
});

test('SKI missing in a CA (RFC 5280 §4.2.1.2)', (t) => {
  const ca = caUnder({ omitExtensions: [Oid.subjectKeyIdentifier] });
  const leaf = b.leaf(ca, { subject: 'CN=leaf.example.com' });
  t.deepEqual(both(leaf, { intermediates: [ca] }), {
    rfc5280: 'invalid-extension',
    webpki: 'invalid-extension',
  });
});

test('basicConstraints not critical in a CA, root included (RFC 5280 §4.2.1.9)', (t) => {
  const bc = sequence(Uint8Array.of(0x01, 0x01, 0xff));
  const ca = caUnder({ extensions: [{ oid: Oid.basicConstraints, critical: false, value: bc }] });
  t.deepEqual(both(b.leaf(ca, { subject: 'CN=leaf.example.com' }), { intermediates: [ca] }), {
    rfc5280: 'invalid-extension',
    webpki: 'invalid-extension',
  });
  const softRoot = b.root({
    subject: 'CN=Soft Root',
    extensions: [{ oid: Oid.basicConstraints, critical: false, value: bc }],
  });
  t.deepEqual(
    both(b.leaf(softRoot, { subject: 'CN=leaf.example.com' }), {
      intermediates: [],
      trustStore: new TrustStore([softRoot.withoutPrivateKey()]),
    }),
    { rfc5280: 'invalid-extension', webpki: 'invalid-extension' },
  );
});

test('a CA with an empty subject (RFC 5280 §4.1.2.6)', (t) => {
  const ca = caUnder({ subject: '' });
  const leaf = b.leaf(ca, { subject: 'CN=leaf.example.com' });
  t.deepEqual(both(leaf, { intermediates: [ca] }), {
    rfc5280: 'invalid-certificate',
    webpki: 'invalid-certificate',
  });
});

test('keyCertSign without cA (RFC 5280 §4.2.1.3)', (t) => {
  const leaf = leafWith({ keyUsage: ['digitalSignature', 'keyCertSign'] });
  t.deepEqual(both(leaf), { rfc5280: 'invalid-extension', webpki: 'invalid-extension' });
});

test('policyConstraints not critical; nameConstraints in an end entity (RFC 5280 §4.2.1.11, §4.2.1.10)', (t) => {
  const policy = leafWith({
    extensions: [{ oid: '2.5.29.36', critical: false, value: sequence(tlv(0x80, Uint8Array.of(0))) }],
  });
  t.deepEqual(both(policy), { rfc5280: 'invalid-extension', webpki: 'invalid-extension' });
  const nc = leafWith({ nameConstraints: { permitted: ['DNS:example.com'] } });
  t.deepEqual(both(nc), { rfc5280: 'invalid-extension', webpki: 'invalid-extension' });
});

test('SAN: non-critical with an empty subject, an underscore in a dNSName (RFC 5280 §4.2.1.6)', (t) => {
  const empty = leafWith({ subject: '', subjectAltNames: ['DNS:leaf.example.com'] });
  t.deepEqual(both(empty), { rfc5280: 'invalid-extension', webpki: 'invalid-extension' });
  const emptyCritical = leafWith({
    subject: '',
    extensions: [
      {
        oid: Oid.subjectAltName,
        critical: true,
        value: sequence(tlv(0x82, Buffer.from('leaf.example.com'))),
      },
    ],
  });
  t.deepEqual(both(emptyCritical), { rfc5280: 'ok', webpki: 'ok' });
  const underscore = leafWith({ subject: 'CN=a_b.example.com', subjectAltNames: ['DNS:a_b.example.com'] });
  t.deepEqual(both(underscore), { rfc5280: 'invalid-extension', webpki: 'invalid-extension' });
});

test('serial number zero (RFC 5280 §4.1.2.2)', (t) => {
  t.deepEqual(both(leafWith({ serialNumber: Uint8Array.of(0) })), {
    rfc5280: 'invalid-certificate',
    webpki: 'invalid-certificate',
  });
});

test('webpki: EKU missing, anyExtendedKeyUsage or critical in the leaf, EKU in a root (CA/B BR §7.1.2)', (t) => {
  t.deepEqual(both(leafWith({ extendedKeyUsage: [] })), { rfc5280: 'ok', webpki: 'extended-key-usage' });
  t.deepEqual(both(leafWith({ extendedKeyUsage: ['serverAuth', 'anyExtendedKeyUsage'] })), {
    rfc5280: 'ok',
    webpki: 'extended-key-usage',
  });
  const critical = leafWith({
    extensions: [{ oid: Oid.extKeyUsage, critical: true, value: sequence(oid(Oid.serverAuth)) }],
  });
  t.deepEqual(both(critical), { rfc5280: 'ok', webpki: 'invalid-extension' });
  const ekuRoot = b.root({ subject: 'CN=EKU Root', extendedKeyUsage: ['serverAuth'] });
  t.deepEqual(
    both(b.leaf(ekuRoot, { subject: 'CN=leaf.example.com' }), {
      intermediates: [],
      trustStore: new TrustStore([ekuRoot.withoutPrivateKey()]),
    }),
    { rfc5280: 'ok', webpki: 'invalid-extension' },
  );
});

test('webpki: RSA keys under 2048 bits or not a multiple of 8 (CA/B BR §6.1.5)', (t) => {
  for (const bits of [1024, 2052 - 1]) {
    const leaf = leafWith({ key: { type: 'rsa', bits } });
    t.deepEqual(both(leaf), { rfc5280: 'ok', webpki: 'weak-key' }, `${bits} bits`);
  }
  const weakRoot = b.root({ subject: 'CN=Weak Root', key: { type: 'rsa', bits: 1024 } });
  t.deepEqual(
    both(b.leaf(weakRoot, { subject: 'CN=leaf.example.com' }), {
      intermediates: [],
      trustStore: new TrustStore([weakRoot.withoutPrivateKey()]),
    }),
    { rfc5280: 'ok', webpki: 'weak-key' },
  );
});

test('webpki: malformed authorityInfoAccess (RFC 5280 §4.2.2.1)', (t) => {
  const aia = (value: Uint8Array) =>
    leafWith({ extensions: [{ oid: '1.3.6.1.5.5.7.1.1', critical: false, value }] });
  const good = sequence(sequence(oid('1.3.6.1.5.5.7.48.1'), tlv(0x86, Buffer.from('http://ocsp.example/'))));
  t.deepEqual(both(aia(good)), { rfc5280: 'ok', webpki: 'ok' });
  const noLocation = sequence(sequence(oid('1.3.6.1.5.5.7.48.1')));
  t.deepEqual(both(aia(noLocation)), { rfc5280: 'ok', webpki: 'invalid-extension' });
  t.deepEqual(both(aia(sequence())), { rfc5280: 'ok', webpki: 'invalid-extension' });
});

test('webpki: the CN repeats a SAN entry in canonical form (CA/B BR §7.1.4.3)', (t) => {
  const cases: [string, string[], string][] = [
    ['CN=leaf.example.com', ['DNS:leaf.example.com'], 'ok'],
    ['CN=LEAF.example.com', ['DNS:leaf.example.com'], 'invalid-certificate'],
    ['CN=other.example.com', ['DNS:leaf.example.com'], 'invalid-certificate'],
    ['CN=127.0.0.1', ['IP:127.0.0.1'], 'ok'],
    ['CN=2001:db8::1', ['IP:2001:db8::1'], 'ok'],
    ['CN=2001:DB8:0:0:0:0:0:1', ['IP:2001:db8::1'], 'invalid-certificate'],
    ['CN=2001:db8:0::1', ['IP:2001:db8::1'], 'invalid-certificate'],
    ['CN=bücher.example', ['DNS:xn--bcher-kva.example'], 'invalid-certificate'],
    ['CN=xn--bcher-kva.example', ['DNS:xn--bcher-kva.example'], 'ok'],
  ];
  for (const [subject, subjectAltNames, webpki] of cases) {
    t.deepEqual(both(leafWith({ subject, subjectAltNames })), { rfc5280: 'ok', webpki }, subject);
  }
  // The rule is about TLS server certificates.
  const client = leafWith({ subject: 'CN=A Person', subjectAltNames: ['email:a@example.com'] });
  t.is(verdict('webpki', { leaf: client, intermediates: [inter], purpose: 'client' }), 'ok');
});

test('webpki: wildcards over a public suffix, ICANN or private, one label or more (CA/B BR §3.2.2.6)', (t) => {
  for (const [name, webpki] of [
    ['*.com', 'invalid-certificate'],
    ['*.co.uk', 'invalid-certificate'],
    ['*.github.io', 'invalid-certificate'],
    ['*.s3.amazonaws.com', 'invalid-certificate'],
    ['*.example.co.uk', 'ok'],
    ['*.example.com', 'ok'],
  ] as const) {
    const leaf = leafWith({ subject: `CN=${name}`, subjectAltNames: [`DNS:${name}`] });
    t.deepEqual(both(leaf), { rfc5280: 'ok', webpki }, name);
  }
});

test('a CA certificate as the leaf: RFC 5280 accepts it, webpki does not', (t) => {
  const caLeaf = caUnder({ subject: 'CN=ca.example.com', keyUsage: ['digitalSignature', 'keyCertSign'] });
  t.deepEqual(both(caLeaf, { intermediates: [] }), { rfc5280: 'ok', webpki: 'leaf-is-ca' });
});

test('a self-signed certificate in the trust store is trusted as the leaf, CA or not, in both profiles', (t) => {
  const selfCa = b.root({ subject: 'CN=self.example.com', subjectAltNames: ['DNS:self.example.com'] });
  const pinned = new TrustStore([selfCa.withoutPrivateKey()]);
  t.true(selfCa.isCA);
  t.deepEqual(both(selfCa, { intermediates: [], trustStore: pinned, hostname: 'self.example.com' }), {
    rfc5280: 'ok',
    webpki: 'ok',
  });
  const selfLeaf = b.certificate({ subject: 'CN=self.example.com' });
  t.deepEqual(
    both(selfLeaf, { intermediates: [], trustStore: new TrustStore([selfLeaf.withoutPrivateKey()]) }),
    { rfc5280: 'ok', webpki: 'ok' },
  );
});

test('self-signed: the leaf and a certificate in the chain are told apart from an unknown issuer', (t) => {
  const self = b.certificate({ subject: 'CN=self.example.com' });
  t.deepEqual(both(self, { intermediates: [] }), { rfc5280: 'self-signed-leaf', webpki: 'self-signed-leaf' });
  const otherRoot = b.root({ subject: 'CN=Other Root' });
  const otherInter = b.intermediate(otherRoot, { subject: 'CN=Other Intermediate' });
  const leaf = b.leaf(otherInter, { subject: 'CN=leaf.example.com' });
  t.deepEqual(both(leaf, { intermediates: [otherInter, otherRoot] }), {
    rfc5280: 'self-signed-in-chain',
    webpki: 'self-signed-in-chain',
  });
  t.deepEqual(both(leaf, { intermediates: [otherInter] }), {
    rfc5280: 'unknown-issuer',
    webpki: 'unknown-issuer',
  });
});

test('email name constraints: a mailbox, a host, a domain; "*" is literal (RFC 5280 §4.2.1.10)', (t) => {
  const nc = b.intermediate(root, {
    subject: 'CN=Mail NC',
    nameConstraints: {
      permitted: ['email:boss@corp.example', 'email:mail.example', 'email:.staff.example', 'email:*.example'],
    },
  });
  const cases: [string, string][] = [
    ['boss@corp.example', 'ok'],
    ['Boss@corp.example', 'name-constraints'],
    ['boss@CORP.example', 'ok'],
    ['anyone@mail.example', 'ok'],
    ['anyone@sub.mail.example', 'name-constraints'],
    ['x@a.staff.example', 'ok'],
    ['x@staff.example', 'name-constraints'],
    ['x@other.example', 'name-constraints'],
    ['x@*.example', 'ok'],
  ];
  for (const [mailbox, expected] of cases) {
    const leaf = b.leaf(nc, { subject: 'CN=Person', subjectAltNames: [`email:${mailbox}`] });
    t.is(verdict('rfc5280', { leaf, intermediates: [nc], purpose: 'client' }), expected, mailbox);
  }
  // The subject's emailAddress attribute is an rfc822Name too.
  const attr = b.leaf(nc, { subject: 'CN=Person,EMAILADDRESS=x@other.example', subjectAltNames: [] });
  t.is(verdict('rfc5280', { leaf: attr, intermediates: [nc], purpose: 'client' }), 'name-constraints');
});

test('name constraints: wildcards (CVE-2025-61727) and a leading period in a dNSName constraint', (t) => {
  const nc = b.intermediate(root, {
    subject: 'CN=Wild NC',
    nameConstraints: { permitted: ['DNS:example.com'], excluded: ['DNS:bar.example.com'] },
  });
  const check = (san: string) =>
    verdict('rfc5280', {
      leaf: b.leaf(nc, { subject: `CN=${san}`, subjectAltNames: [`DNS:${san}`] }),
      intermediates: [nc],
    });
  t.is(check('*.example.com'), 'name-constraints');
  t.is(check('*.foo.example.com'), 'ok');
  t.is(check('*.bar.example.com'), 'name-constraints');
  const narrow = b.intermediate(root, {
    subject: 'CN=Narrow NC',
    nameConstraints: { permitted: ['DNS:foo.example.com'] },
  });
  const wild = b.leaf(narrow, { subject: 'CN=*.example.com', subjectAltNames: ['DNS:*.example.com'] });
  t.is(verdict('rfc5280', { leaf: wild, intermediates: [narrow] }), 'name-constraints');
  const dotted = b.intermediate(root, {
    subject: 'CN=Dotted NC',
    nameConstraints: { permitted: ['DNS:.example.com'] },
  });
  const leaf = b.leaf(dotted, { subject: 'CN=www.example.com' });
  t.deepEqual(both(leaf, { intermediates: [dotted] }), {
    rfc5280: 'name-constraints',
    webpki: 'name-constraints',
  });
});

test('name constraints: 2,048 subtrees over 2,048 names are refused fast as too complex', (t) => {
  const names = Array.from({ length: 2048 }, (_, i) => `DNS:host${i}.example.com`);
  const nc = b.intermediate(root, {
    subject: 'CN=Many NC',
    nameConstraints: { permitted: Array.from({ length: 2048 }, (_, i) => `DNS:zone${i}.example.com`) },
  });
  const leaf = b.leaf(nc, { subject: 'CN=host0.example.com', subjectAltNames: names });
  const r = verifyChain({ leaf, intermediates: [nc], trustStore: store, provider: nodeProvider });
  t.false(r.ok);
  if (!r.ok) {
    t.is(r.reason, 'name-constraints-too-complex');
    t.regex(r.message, /too complex/);
    t.is(r.depth, 1);
  }
});

test('failures name the certificate, its position, the rule and its section', (t) => {
  const ca = caUnder({ subject: 'CN=Odd CA', omitExtensions: [Oid.subjectKeyIdentifier] });
  const r = verifyChain({
    leaf: b.leaf(ca, { subject: 'CN=leaf.example.com' }),
    intermediates: [ca],
    trustStore: store,
    provider: nodeProvider,
  });
  t.false(r.ok);
  if (!r.ok) {
    t.is(r.depth, 1);
    t.is(r.section, 'RFC 5280 §4.2.1.2');
    t.is(
      r.message,
      'certificate 1 (CN=Odd CA): a CA certificate without subjectKeyIdentifier [RFC 5280 §4.2.1.2]',
    );
  }
});

test('maxChainDepth counts the intermediates, as openssl -verify_depth', (t) => {
  const i2 = b.intermediate(inter, { subject: 'CN=Second Intermediate' });
  const leaf = b.leaf(i2, { subject: 'CN=leaf.example.com' });
  const at = (maxChainDepth: number) =>
    verdict('webpki', { leaf, intermediates: [inter, i2], maxChainDepth });
  t.is(at(2), 'ok');
  t.is(at(1), 'depth-exceeded');
});

test('webpki: P-192 and DSA leaf keys, made by openssl (CA/B BR §6.1.5)', (t) => {
  if (spawnSync('openssl', ['version']).status !== 0) return t.pass('openssl is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-weak-'));
  const path = (name: string) => join(dir, name);
  writeFileSync(path('ca.pem'), inter.toPem());
  writeFileSync(path('ca.key'), privateKeyToPem(inter.privateKey!));
  writeFileSync(
    path('ext.cnf'),
    [
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature',
      'extendedKeyUsage = serverAuth',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      'subjectAltName = DNS:leaf.example.com',
      '',
    ].join('\n'),
  );
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const keys = {
    'P-192': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime192v1'],
    DSA: ['-paramfile', 'dsa.params'],
  };
  openssl(
    'genpkey',
    '-genparam',
    '-algorithm',
    'DSA',
    '-pkeyopt',
    'dsa_paramgen_bits:1024',
    '-out',
    'dsa.params',
  );
  for (const [name, keyArgs] of Object.entries(keys)) {
    openssl('genpkey', ...keyArgs, '-out', `${name}.key`);
    openssl('req', '-new', '-key', `${name}.key`, '-subj', '/CN=leaf.example.com', '-out', `${name}.csr`);
    openssl(
      ...['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'],
      ...['-days', '30', '-extfile', 'ext.cnf', '-out', `${name}.pem`],
    );
    const [leaf] = Certificate.fromPem(readFileSync(path(`${name}.pem`), 'utf8'));
    t.deepEqual(both(leaf!), { rfc5280: 'ok', webpki: 'weak-key' }, name);
  }
});
