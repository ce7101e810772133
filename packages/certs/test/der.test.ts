// Malformed DER in certificates and keys: typed errors of this package (the DER reader itself is
// @tls-kit/crypto/der's, tested in crypto/test/der.test.ts), at every offset of real certificates.

import {
  Certificate,
  CertificateBuilder,
  CertificateError,
  CertificateRevocationList,
  DerError,
  loadPrivateKeyDer,
  TrustStore,
  verifyChain,
} from '@tls-kit/certs';
import { fromHex } from '@tls-kit/crypto/bytes';
import { MAX_DEPTH } from '@tls-kit/crypto/der';
import { nodeProvider } from '@tls-kit/crypto/node';
import { nestedDerSequences } from '@tls-kit/test-helpers';
import test from 'ava';
import fc from 'fast-check';

const hex = (s: string) => fromHex(s.replace(/\s/g, ''));

function derError(t: import('ava').ExecutionContext, fn: () => unknown, offset: number, pattern: RegExp) {
  const e = t.throws(fn, { instanceOf: DerError });
  t.true(e instanceof CertificateError);
  t.is(e?.offset, offset);
  t.regex(e?.message ?? '', pattern);
}

test("malformed DER is this package's DerError, with the offset in the outermost input", (t) => {
  derError(t, () => Certificate.fromDer(hex('30 80 00 00')), 1, /indefinite/);
  derError(t, () => Certificate.fromDer(hex('30 81 05 0000000000')), 1, /minimal/);
  derError(t, () => Certificate.fromDer(hex('30 03 02 01')), 0, /runs past/);
  derError(t, () => CertificateRevocationList.fromDer(hex('30 00 00')), 2, /after/);
  derError(t, () => loadPrivateKeyDer(hex('30 04 02 02 00 01'), nodeProvider), 4, /minimally/);
  // signatureAlgorithm, nested inside the Certificate: offsets stay absolute.
  derError(t, () => Certificate.fromDer(hex('30 06 30 00 30 81 01 00')), 5, /minimal/);
});

test('nesting deeper than MAX_DEPTH is a CertificateError, not a stack overflow', (t) => {
  for (const depth of [MAX_DEPTH + 1, 100_000]) {
    t.throws(() => Certificate.fromDer(nestedDerSequences(depth)), { instanceOf: CertificateError });
  }
});

const builder = new CertificateBuilder({ provider: nodeProvider });
const root = builder.root({ subject: 'CN=Fuzz Root' });
const leaf = builder.leaf(root, {
  subject: 'CN=fuzz.example.com',
  subjectAltNames: ['DNS:fuzz.example.com', 'IP:10.0.0.1'],
});
const store = new TrustStore([root.withoutPrivateKey()]);

/** Parses, and if that works touches every property, then verifies: never anything but a CertificateError. */
function exercise(der: Uint8Array): 'parse-error' | 'rejected' | 'accepted' {
  let cert: Certificate;
  try {
    cert = Certificate.fromDer(der);
  } catch (e) {
    if (e instanceof CertificateError) return 'parse-error';
    throw e;
  }
  void [
    cert.subject.toString(),
    cert.issuer.toString(),
    cert.subjectAltNames,
    cert.extensions,
    cert.notAfter,
  ];
  const result = verifyChain({
    leaf: cert,
    trustStore: store,
    provider: nodeProvider,
    hostname: 'fuzz.example.com',
  });
  return result.ok ? 'accepted' : 'rejected';
}

test('a real certificate: every truncation is a typed error', (t) => {
  const der = leaf.getAsn1Bytes();
  t.is(exercise(der), 'accepted');
  for (let n = 0; n < der.length; n++) t.is(exercise(der.subarray(0, n)), 'parse-error', `truncated to ${n}`);
  t.is(exercise(Uint8Array.from([...der, 0])), 'parse-error');
});

test('a real certificate: every flipped byte is refused, by the parser or the signature', (t) => {
  const der = leaf.getAsn1Bytes();
  for (let i = 0; i < der.length; i++) {
    for (const mask of [0x01, 0x80, 0xff]) {
      const bad = der.slice();
      bad[i]! ^= mask;
      t.not(exercise(bad), 'accepted', `byte ${i} ^ ${mask}`);
    }
  }
});

test('a root of the Node store: every truncation fails, every flipped byte parses or fails, typed', async (t) => {
  const tls = await import('node:tls');
  const der = Certificate.fromPem(tls.rootCertificates[0]!)[0]!.getAsn1Bytes();
  for (let n = 0; n < der.length; n++) {
    t.throws(
      () => Certificate.fromDer(der.subarray(0, n)),
      { instanceOf: CertificateError },
      `truncated to ${n}`,
    );
  }
  let parsed = 0;
  for (let i = 0; i < der.length; i++) {
    const bad = der.slice();
    bad[i]! ^= 0xff;
    try {
      Certificate.fromDer(bad);
      parsed++;
    } catch (e) {
      t.true(e instanceof CertificateError, `byte ${i}: ${e}`);
    }
  }
  // Flips inside key, signature and string contents still parse; structure bytes do not.
  t.true(parsed > 0 && parsed < der.length);
});

test('random bytes and random splices: only typed errors', (t) => {
  const der = leaf.getAsn1Bytes();
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(der.length), (junk, at) => {
      for (const input of [junk, Uint8Array.from([...der.subarray(0, at), ...junk, ...der.subarray(at)])]) {
        try {
          Certificate.fromDer(input);
        } catch (e) {
          if (!(e instanceof CertificateError)) return false;
        }
      }
      return true;
    }),
    { numRuns: 2000 },
  );
  t.pass();
});
