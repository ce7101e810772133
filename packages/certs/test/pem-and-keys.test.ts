// PEM armor, private keys in PKCS#8 / PKCS#1 / SEC1 (made by openssl), and the strict chain
// file factories of the design document.

import { execFileSync } from 'node:child_process';
import {
  Certificate,
  CertificateBuilder,
  CertificateNotInChainError,
  CertificateParseError,
  decodePem,
  detectPrivateKeyFormat,
  ExtraneousPrivateKeyError,
  encodePem,
  LeafCertificateHasNoPrivateKeyError,
  loadCertificateChainPem,
  loadCertificatesPem,
  loadPrivateKeyDer,
  loadPrivateKeyPem,
  loadTrustStorePem,
  MoreThanOneLeafCertificateError,
  NoLeafCertificateError,
  PassphraseRequiredError,
  PemError,
  PrivateKeyMismatchError,
  privateKeyToPem,
} from '@tls-kit/certs';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import { hasOpenssl, OpensslPki } from './openssl-pki.js';

const provider = nodeProvider;
const b = new CertificateBuilder({ provider });
const root = b.root({ subject: 'CN=PEM Root' });
const inter = b.intermediate(root, { subject: 'CN=PEM Intermediate' });
const leaf = b.leaf(inter, { subject: 'CN=pem.example', subjectAltNames: ['DNS:pem.example'] });
const other = b.leaf(inter, { subject: 'CN=other.example' });
const keyPem = privateKeyToPem(leaf.privateKey!);

test('PEM: strict armor and base64', (t) => {
  const pem = leaf.toPem();
  t.deepEqual(decodePem(`explanatory text\n${pem}trailing\n`)[0]!.der, leaf.getAsn1Bytes());
  t.deepEqual(decodePem(pem.replace(/\n/g, '\r\n'))[0]!.der, leaf.getAsn1Bytes());
  t.throws(() => decodePem(pem.replace('-----END CERTIFICATE-----', '')), {
    instanceOf: PemError,
    message: /no END/,
  });
  t.throws(() => decodePem(pem.replace('END CERTIFICATE', 'END PRIVATE KEY')), {
    instanceOf: PemError,
    message: /does not match/,
  });
  t.throws(() => decodePem(pem.replace(/\n(.)/, '\n!$1')), { instanceOf: PemError, message: /base64/ });
  t.throws(() => decodePem(pem.replace(/\n(.)/, '\nProc-Type: 4,ENCRYPTED\n$1')), {
    instanceOf: PemError,
    message: /encrypted/,
  });
  t.throws(() => decodePem('-----END CERTIFICATE-----\n'), { instanceOf: PemError });
  // "QQ==" is canonical for 0x41; "QR==" carries stray bits.
  t.throws(() => decodePem('-----BEGIN X-----\nQR==\n-----END X-----\n'), {
    instanceOf: PemError,
    message: /non-canonical/,
  });
  t.deepEqual(decodePem('-----BEGIN X-----\nQQ==\n-----END X-----\n')[0]!.der, Uint8Array.of(0x41));
  // One "=": the last symbol's 2 low bits are unused ("QUI=" is 0x41 0x42, "QUJ=" is not canonical).
  t.throws(() => decodePem('-----BEGIN X-----\nQUJ=\n-----END X-----\n'), {
    instanceOf: PemError,
    message: /non-canonical/,
  });
  t.deepEqual(decodePem('-----BEGIN X-----\nQUI=\n-----END X-----\n')[0]!.der, Uint8Array.of(0x41, 0x42));
  t.is(encodePem('CERTIFICATE', leaf.getAsn1Bytes()), pem);
});

test('Certificate.fromPem / loadCertificatesPem refuse private keys', (t) => {
  t.is(Certificate.fromPem(leaf.toPem() + inter.toPem()).length, 2);
  t.throws(() => loadCertificatesPem(leaf.toPem() + keyPem), { instanceOf: ExtraneousPrivateKeyError });
  t.throws(() => loadTrustStorePem(root.toPem() + privateKeyToPem(root.privateKey!)), {
    instanceOf: ExtraneousPrivateKeyError,
  });
  t.throws(() => loadCertificatesPem(encodePem('X509 CRL', Uint8Array.of(5, 0))), { instanceOf: PemError });
  t.is(loadTrustStorePem(root.toPem()).certificates.length, 1);
});

test('loadCertificateChainPem: one chain, its leaf with the key', (t) => {
  const chain = loadCertificateChainPem(inter.toPem() + keyPem + leaf.toPem(), { provider });
  t.deepEqual(
    chain.map((c) => c.subject.toString()),
    ['CN=pem.example', 'CN=PEM Intermediate'],
  );
  t.truthy(chain[0]!.privateKey);
  t.falsy(chain[1]!.privateKey);
  const separate = loadCertificateChainPem(leaf.toPem() + inter.toPem() + root.toPem(), {
    provider,
    key: keyPem,
  });
  t.is(separate.length, 3);
  t.truthy(loadCertificateChainPem(leaf.toPem(), { provider, key: leaf.privateKey! })[0]!.privateKey);
});

test('loadCertificateChainPem: a CA:TRUE certificate with its key is the leaf when no non-CA certificate is there', (t) => {
  const rootKey = privateKeyToPem(root.privateKey!);
  const own = loadCertificateChainPem(root.toPem(), { provider, key: rootKey });
  t.is(own.length, 1);
  t.truthy(own[0]!.privateKey);
  // The key picks the leaf among CA certificates; the other becomes its issuer.
  const interKey = privateKeyToPem(inter.privateKey!);
  const chain = loadCertificateChainPem(root.toPem() + inter.toPem(), { provider, key: interKey });
  t.deepEqual(
    chain.map((c) => c.subject.toString()),
    [inter.subject.toString(), root.subject.toString()],
  );
  // A non-CA certificate present: it stays the leaf, and a key on a CA is refused.
  t.throws(() => loadCertificateChainPem(leaf.toPem() + inter.toPem(), { provider, key: interKey }), {
    instanceOf: ExtraneousPrivateKeyError,
  });
  t.throws(() => loadCertificateChainPem(inter.toPem(), { provider, key: keyPem }), {
    instanceOf: NoLeafCertificateError,
  });
});

test('an "EC PARAMETERS" block before an EC key (openssl ecparam -genkey) is skipped', (t) => {
  const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
  const key = privateKeyToPem(leaf.privateKey!);
  t.truthy(loadCertificateChainPem(leaf.toPem(), { provider, key: params + key })[0]!.privateKey);
  t.truthy(loadPrivateKeyPem(params + key, { provider }));
});

test('loadCertificateChainPem: every strictness rule', (t) => {
  const load = (text: string) => () => loadCertificateChainPem(text, { provider });
  t.throws(load(leaf.toPem() + inter.toPem()), { instanceOf: LeafCertificateHasNoPrivateKeyError });
  t.throws(load(leaf.toPem() + keyPem + privateKeyToPem(inter.privateKey!)), {
    instanceOf: ExtraneousPrivateKeyError,
  });
  const mismatch = t.throws(load(leaf.toPem() + privateKeyToPem(other.privateKey!)), {
    instanceOf: PrivateKeyMismatchError,
  });
  t.true(mismatch instanceof ExtraneousPrivateKeyError);
  t.throws(load(leaf.toPem() + other.toPem() + keyPem), { instanceOf: MoreThanOneLeafCertificateError });
  t.throws(load(inter.toPem() + root.toPem()), { instanceOf: NoLeafCertificateError });
  const stranger = b.root({ subject: 'CN=Stranger' });
  t.throws(load(leaf.toPem() + keyPem + inter.toPem() + stranger.toPem()), {
    instanceOf: CertificateNotInChainError,
  });
  t.throws(load(leaf.toPem() + keyPem + root.toPem()), { instanceOf: CertificateNotInChainError });
});

const pki = hasOpenssl() ? new OpensslPki() : undefined;
test.after.always(() => pki?.cleanup());

test('private keys from openssl in PKCS#8, PKCS#1 and SEC1, PEM and DER', (t) => {
  if (!pki) {
    t.log('openssl CLI not found');
    t.false(hasOpenssl());
    return;
  }
  const run = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: pki.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const kind of ['p256', 'p384', 'ed25519', 'rsa'] as const) {
    const file = pki.key(`k-${kind}`, kind);
    const spki = new Uint8Array(run('pkey', '-in', file, '-pubout', '-outform', 'DER'));
    const forms: [string, 'pkcs8' | 'pkcs1' | 'sec1'][] = [[pki.read(file), 'pkcs8']];
    if (kind === 'rsa') forms.push([run('rsa', '-in', file, '-traditional').toString(), 'pkcs1']);
    if (kind === 'p256' || kind === 'p384') forms.push([run('ec', '-in', file).toString(), 'sec1']);
    for (const [pem, format] of forms) {
      const key = loadPrivateKeyPem(pem, { provider });
      t.deepEqual(key.publicKey.spki, spki, `${kind} ${format}`);
      const der = decodePem(pem)[0]!.der;
      t.is(detectPrivateKeyFormat(der), format);
      t.deepEqual(loadPrivateKeyDer(der, provider).publicKey.spki, spki);
      // The label must agree with the content.
      const relabelled = encodePem(format === 'pkcs8' ? 'EC PRIVATE KEY' : 'PRIVATE KEY', der);
      t.throws(() => loadPrivateKeyPem(relabelled, { provider }), { instanceOf: CertificateParseError });
    }
  }
  const encrypted = run('pkey', '-in', 'k-p256.key', '-aes-128-cbc', '-passout', 'pass:x').toString();
  t.throws(() => loadPrivateKeyPem(encrypted, { provider }), {
    instanceOf: PassphraseRequiredError,
    message: /encrypted/,
  });
  t.deepEqual(
    loadPrivateKeyPem(encrypted, { provider, passphrase: 'x' }).publicKey.spki,
    new Uint8Array(run('pkey', '-in', 'k-p256.key', '-pubout', '-outform', 'DER')),
  );
  t.throws(() => loadPrivateKeyPem(pki.read('k-p256.key') + pki.read('k-rsa.key'), { provider }), {
    instanceOf: PemError,
  });
  t.throws(() => detectPrivateKeyFormat(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00)), {
    instanceOf: CertificateParseError,
  });
});

test('a chain file made by openssl loads with its key', (t) => {
  if (!pki) {
    t.false(hasOpenssl());
    return;
  }
  const run = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: pki.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  run(
    'req',
    '-x509',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'srv.key',
    '-subj',
    '/CN=srv',
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-out',
    'srv.pem',
  );
  const chain = loadCertificateChainPem(pki.read('srv.pem') + pki.read('srv.key'), { provider });
  t.is(chain.length, 1);
  t.truthy(chain[0]!.privateKey);
});
