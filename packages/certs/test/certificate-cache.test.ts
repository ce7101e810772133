// CertificateCache: the same bytes give the same parsed object (so verification caches hit), other
// bytes never do, the bound holds, and per-call checks still run on cached objects.

import {
  Certificate,
  CertificateBuilder,
  CertificateCache,
  CertificateError,
  DerError,
  TrustStore,
  VerifyFailureReason,
  verifyChain,
} from '@tls-kit/certs';
import type { CryptoProvider } from '@tls-kit/crypto';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import fc from 'fast-check';

const b = new CertificateBuilder({ provider: nodeProvider });
const root = b.root({ subject: 'CN=Cache Root' });
const inter = b.intermediate(root, { subject: 'CN=Cache Intermediate' });
const leaf = b.leaf(inter, { subject: 'CN=cache.example', subjectAltNames: ['DNS:cache.example'] });
const store = new TrustStore([root.withoutPrivateKey()]);

test('the same bytes give the same object; equal copies of the bytes too', (t) => {
  const cache = new CertificateCache(4);
  const der = leaf.getAsn1Bytes();
  const first = cache.parse(der);
  t.is(cache.parse(der), first);
  t.is(cache.parse(der.slice()), first);
  t.is(cache.size, 1);
  t.true(first.equals(leaf));
  t.is(first.privateKey, undefined);
  // The cache keeps its own copy: changing the caller's buffer changes nothing.
  der[der.length - 1]! ^= 1;
  t.not(cache.parse(der), first);
  t.true(cache.parse(leaf.getAsn1Bytes()) === first);
});

test('one changed byte is another certificate, whose bad signature is found', (t) => {
  const cache = new CertificateCache(8);
  const good = cache.parse(inter.getAsn1Bytes());
  const tampered = inter.getAsn1Bytes();
  tampered[tampered.length - 1]! ^= 1; // inside the signature
  const bad = cache.parse(tampered);
  t.not(bad, good);
  const leafCert = cache.parse(leaf.getAsn1Bytes());
  const options = { trustStore: store, provider: nodeProvider, hostname: 'cache.example' };
  t.true(verifyChain({ ...options, leaf: leafCert, intermediates: [good] }).ok);
  const r = verifyChain({ ...options, leaf: leafCert, intermediates: [bad] });
  t.false(r.ok);
  if (!r.ok) t.is(r.reason, VerifyFailureReason.BadSignature);
});

test('cached objects are still checked for hostname and validity on every verification', (t) => {
  const cache = new CertificateCache(8);
  const chain = () => ({
    leaf: cache.parse(leaf.getAsn1Bytes()),
    intermediates: [cache.parse(inter.getAsn1Bytes())],
  });
  const base = { trustStore: store, provider: nodeProvider };
  t.true(verifyChain({ ...base, ...chain(), hostname: 'cache.example' }).ok);
  const wrongName = verifyChain({ ...base, ...chain(), hostname: 'other.example' });
  t.false(wrongName.ok);
  if (!wrongName.ok) t.is(wrongName.reason, VerifyFailureReason.HostnameMismatch);
  const later = verifyChain({ ...base, ...chain(), time: new Date(Date.now() + 400 * 86400_000) });
  t.false(later.ok);
  if (!later.ok) t.is(later.reason, VerifyFailureReason.Expired);
  t.true(verifyChain({ ...base, ...chain(), hostname: 'cache.example' }).ok);
});

test('a verified chain parsed again through the cache costs no signature verification', (t) => {
  let calls = 0;
  const provider: CryptoProvider = {
    ...nodeProvider,
    verify: (...args) => {
      calls++;
      return nodeProvider.verify(...args);
    },
  };
  const cache = new CertificateCache(8);
  const run = () =>
    verifyChain({
      trustStore: store,
      provider,
      leaf: cache.parse(leaf.getAsn1Bytes()),
      intermediates: [cache.parse(inter.getAsn1Bytes())],
    });
  t.true(run().ok);
  t.is(calls, 2);
  t.true(run().ok);
  t.is(calls, 2);
  // Without the cache each parse is a new object, verified again: what the cache saves.
  t.true(
    verifyChain({
      trustStore: store,
      provider,
      leaf: Certificate.fromDer(leaf.getAsn1Bytes()),
      intermediates: [Certificate.fromDer(inter.getAsn1Bytes())],
    }).ok,
  );
  t.is(calls, 4);
});

test('least recently used entries go first, and the bound holds', (t) => {
  const certs = [root, inter, leaf].map((c) => c.getAsn1Bytes());
  const cache = new CertificateCache(2);
  const [r, i] = [cache.parse(certs[0]!), cache.parse(certs[1]!)];
  t.is(cache.parse(certs[0]!), r); // root is now the most recent
  cache.parse(certs[2]!); // evicts the intermediate
  t.is(cache.size, 2);
  t.is(cache.parse(certs[0]!), r);
  t.not(cache.parse(certs[1]!), i);
  fc.assert(
    fc.property(
      fc.array(fc.nat({ max: 2 }), { maxLength: 30 }),
      fc.integer({ min: 1, max: 3 }),
      (picks, capacity) => {
        const bounded = new CertificateCache(capacity);
        for (const k of picks) {
          t.true(bounded.parse(certs[k]!).equals(Certificate.fromDer(certs[k]!)));
          t.true(bounded.size <= capacity);
        }
      },
    ),
  );
});

test('bad input is refused and not kept; a bad capacity is refused', (t) => {
  const cache = new CertificateCache(2);
  t.throws(() => cache.parse(new Uint8Array([0x30, 0x03, 0x02, 0x01])), { instanceOf: DerError });
  t.is(cache.size, 0);
  for (const capacity of [0, -1, 1.5, Number.NaN])
    t.throws(() => new CertificateCache(capacity), { instanceOf: CertificateError });
});

test('certificates over maxCertificateSize are parsed but not kept', (t) => {
  const der = leaf.getAsn1Bytes();
  const small = new CertificateCache(4, der.length - 1);
  const first = small.parse(der);
  t.true(first.equals(leaf));
  t.is(small.size, 0);
  t.not(small.parse(der), first);
  const exact = new CertificateCache(4, der.length);
  t.is(exact.parse(der), exact.parse(der));
  t.throws(() => new CertificateCache(4, 0), { instanceOf: CertificateError });
});
