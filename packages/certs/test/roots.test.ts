// Every certificate of Node's bundled root store, parsed by us and compared with node's
// X509Certificate (OpenSSL's parser): names, validity, key, CA flag, EKU, serial, bytes, and
// the self-signature checked through the provider.

import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { Certificate, DerError, type GeneralName, type Name, TrustStore, verifyChain } from '@tls-kit/certs';
import { explicit, sequence, smallInteger } from '@tls-kit/crypto/der-writer';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import { profileProblem } from '../src/certificate-profile.js';
import { checkSignature } from '../src/issuer.js';
import { IssuerIndex } from '../src/issuer-index.js';

/** Node prints names one attribute per line, most general first, with RFC 2253-style escapes. */
function nodeStyle(name: Name): string {
  return name.rdns
    .map((rdn) =>
      rdn.attributes
        .map((a) => `${a.shortName ?? a.type}=${(a.value ?? '').replace(/([,+"\\<>;])/g, '\\$1')}`)
        .join('+'),
    )
    .join('\n');
}

function nodeSan(n: GeneralName): string {
  const prefix = { dns: 'DNS', email: 'email', uri: 'URI', ip: 'IP Address' } as Record<string, string>;
  if (n.type === 'directoryName') return 'DirName';
  return 'value' in n && prefix[n.type] ? `${prefix[n.type]}:${n.value}` : n.type;
}

const roots = tls.rootCertificates.map((pem) => ({
  pem,
  ours: Certificate.fromPem(pem)[0]!,
  node: new X509Certificate(pem),
}));

test('Node root store: every certificate parses', (t) => {
  t.true(roots.length > 100);
  t.is(TrustStore.system().certificates.length, roots.length);
});

test('Node root store: the index of not yet parsed roots finds the issuers the parsed index finds', (t) => {
  const lazy = new IssuerIndex([]).withDer(roots.map(({ ours }) => ours.getAsn1Bytes()));
  const eager = new IssuerIndex(roots.map(({ ours }) => ours));
  const ders = (certs: readonly Certificate[]) =>
    certs.map((c) => Buffer.from(c.getAsn1Bytes()).toString('hex'));
  for (const { ours } of roots) {
    const found = lazy.issuersOf(ours);
    t.deepEqual(ders(found), ders(eager.issuersOf(ours)), `${ours.subject}`);
    if (ours.isSelfIssued)
      t.true(
        found.some((c) => c.equals(ours)),
        `${ours.subject}`,
      );
    t.true(lazy.has(ours));
  }
  t.deepEqual(ders(lazy.certificates), ders(eager.certificates));
});

test('a trusted certificate given as DER that does not parse past its subject anchors nothing and fails nothing', (t) => {
  const root = roots.find(({ ours }) => ours.isSelfIssued)!.ours;
  // Version, serial, an empty algorithm, the root's names, no key, no signature: the walk to the
  // subject succeeds, the full parse cannot.
  const name = root.subject.der;
  const broken = sequence(
    sequence(explicit(0, smallInteger(2)), smallInteger(1), sequence(), name, sequence(), name),
  );
  t.throws(() => Certificate.fromDer(broken));
  const store = new TrustStore([]).withDer([broken]);
  t.is(store.certificates.length, 0);
  // Within the root's validity (some bundled roots have expired by now).
  const time = new Date(root.notBefore.getTime() + 1000);
  const result = verifyChain({ leaf: root, trustStore: store, profile: 'rfc5280', time });
  t.false(result.ok);
  if (!result.ok) t.is(result.reason, 'self-signed-leaf');
  const withRoot = store.withDer([root.getAsn1Bytes()]);
  t.true(verifyChain({ leaf: root, trustStore: withRoot, profile: 'rfc5280', time }).ok);
  t.throws(() => store.withDer([new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])]), { instanceOf: DerError });
});

test('Node root store: fields agree with X509Certificate', (t) => {
  for (const { ours, node } of roots) {
    const label = node.subject.replace(/\n/g, ', ');
    t.deepEqual(Buffer.from(ours.getAsn1Bytes()), node.raw, label);
    t.is(nodeStyle(ours.subject), node.subject, label);
    t.is(nodeStyle(ours.issuer), node.issuer, label);
    t.is(ours.notBefore.getTime(), Date.parse(node.validFrom), label);
    t.is(ours.notAfter.getTime(), Date.parse(node.validTo), label);
    t.is(
      ours.serialNumber.replace(/^0+(?=.)/, ''),
      node.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
      label,
    );
    t.is(ours.isCA, node.ca, label);
    t.deepEqual(ours.extendedKeyUsage ?? undefined, node.keyUsage, label);
    const key = node.publicKey;
    t.is(String(ours.publicKey.type), String(key.asymmetricKeyType), label);
    if (ours.publicKey.type === 'rsa')
      t.is(ours.publicKey.bits, key.asymmetricKeyDetails?.modulusLength, label);
    if (ours.publicKey.type === 'ec') {
      const curve = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }[
        ours.publicKey.curve!
      ];
      t.is(curve, key.asymmetricKeyDetails?.namedCurve, label);
    }
    t.is(
      ours.subjectAltNames.map(nodeSan).join(', ') || undefined,
      // Node quotes directory names in a form of its own: compare their attribute values only.
      node.subjectAltName?.replace(/DirName:"[^"]*"/g, 'DirName'),
      label,
    );
    for (const san of ours.subjectAltNames) {
      if (san.type !== 'directoryName') continue;
      for (const rdn of san.name.rdns)
        for (const a of rdn.attributes)
          t.true(node.subjectAltName!.includes(a.value!.replace(/,/g, '\\u002c')), label);
    }
    t.deepEqual(
      Buffer.from(ours.subjectPublicKeyInfo.der),
      key.export({ format: 'der', type: 'spki' }),
      label,
    );
  }
});

test('Node root store: self-signatures verify through the provider as node says', (t) => {
  let verified = 0;
  for (const { ours, node } of roots) {
    if (!ours.isSelfIssued) continue;
    const check = checkSignature(ours, ours, nodeProvider);
    const nodeSays = node.verify(node.publicKey);
    // SHA-1 self-signatures of old roots are verifiable too (verify-only schemes).
    t.is(check.ok, nodeSays, `${ours.subject}: ${check.ok ? '' : check.message}`);
    if (check.ok) verified++;
  }
  t.true(verified > 100);
});

test('Node root store: extensions are all kept, each known one parsed', (t) => {
  for (const { ours } of roots) {
    const oids = ours.extensions.map((e) => e.oid);
    t.is(new Set(oids).size, oids.length);
    if (oids.includes('2.5.29.19')) t.truthy(ours.basicConstraints);
    if (oids.includes('2.5.29.15')) t.truthy(ours.keyUsage);
    if (oids.includes('2.5.29.14')) t.regex(ours.subjectKeyIdentifier!, /^[0-9a-f]+$/);
    if (oids.includes('2.5.29.32')) t.true(ours.certificatePolicies!.length > 0);
    if (ours.isCA && ours.keyUsage) t.true(ours.keyUsage.has('keyCertSign'), `${ours.subject}`);
  }
});

test("the profile rules are not applied to the system store's anchors, some of which break them", (t) => {
  const store = TrustStore.system();
  t.false(store.checkAnchors);
  t.true(new TrustStore([]).checkAnchors);
  // E.g. Go Daddy Root Certificate Authority - G2 has serial number 0: webpki would refuse a
  // large part of the Web if these rules applied to vetted roots.
  const breaking = store.certificates.filter((c) => profileProblem(c, 'anchor', 'webpki', 'server'));
  t.true(breaking.length > 0);
  t.true(breaking.some((c) => c.subject.commonName === 'Go Daddy Root Certificate Authority - G2'));
});
