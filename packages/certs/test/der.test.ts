// The strict DER reader, and malformed input at every offset of real certificates.

import {
  Certificate,
  CertificateBuilder,
  CertificateError,
  DerError,
  DerReader,
  MAX_DEPTH,
  parseDerTree,
  TrustStore,
  verifyChain,
} from '@tls-kit/certs';
import { nodeProvider } from '@tls-kit/crypto/node';
import test from 'ava';
import fc from 'fast-check';
import { decodeBoolean, decodeInteger, decodeOid, decodeString, decodeTime, readSingle } from '../src/der.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const el = (s: string) => readSingle(hex(s), 'test value');

function derError(t: import('ava').ExecutionContext, fn: () => unknown, offset: number, pattern: RegExp) {
  const e = t.throws(fn, { instanceOf: DerError });
  t.is(e?.offset, offset);
  t.regex(e?.message ?? '', pattern);
}

test('lengths: definite, minimal, bounded', (t) => {
  t.is(readSingle(hex(`04 81 80${'00'.repeat(128)}`), 'x').length, 128);
  derError(t, () => readSingle(hex('30 80 00 00'), 'x'), 1, /indefinite/);
  derError(t, () => readSingle(hex('04 81 05 0000000000'), 'x'), 1, /minimal/);
  derError(t, () => readSingle(hex(`04 82 00 80${'00'.repeat(128)}`), 'x'), 2, /minimal/);
  derError(t, () => readSingle(hex('04 05 0000'), 'x'), 0, /runs past/);
  derError(t, () => readSingle(hex('04'), 'x'), 1, /end of data/);
  derError(t, () => readSingle(hex('04 85 0102030405'), 'x'), 1, /too large/);
  derError(t, () => readSingle(hex('04 01 00 00'), 'x'), 3, /after/);
  derError(t, () => readSingle(hex('1f 81 00 00'), 'x'), 0, /multi-byte tags/);
});

test('primitive values: DER rules', (t) => {
  t.is(decodeInteger(el('02 01 7f')), 127n);
  t.is(decodeInteger(el('02 02 00 80')), 128n);
  t.is(decodeInteger(el('02 01 80')), -128n);
  derError(t, () => decodeInteger(el('02 02 00 7f')), 2, /minimally/);
  derError(t, () => decodeInteger(el('02 02 ff 80')), 2, /minimally/);
  derError(t, () => decodeInteger(el('02 00')), 0, /empty/);
  t.true(decodeBoolean(el('01 01 ff')));
  derError(t, () => decodeBoolean(el('01 01 01')), 2, /0xFF/);
  t.is(decodeOid(el('06 09 2a 86 48 86 f7 0d 01 01 0b')), '1.2.840.113549.1.1.11');
  t.is(decodeOid(el('06 03 88 37 01')), '2.999.1');
  derError(t, () => decodeOid(el('06 03 2a 80 01')), 3, /minimally/);
  derError(t, () => decodeOid(el('06 02 2a 86')), 3, /ends inside/);
  t.is(decodeString(el('13 02 41 42')), 'AB');
  derError(t, () => decodeString(el('13 01 40')), 2, /PrintableString/);
  derError(t, () => decodeString(el('0c 02 c3 28')), 2, /encoding/);
  t.is(decodeString(el('1e 04 00 41 00 e9')), 'Aé');
  derError(t, () => decodeString(el('24 00')), 0, /primitive/);
  derError(t, () => DerReader.inside(el('03 02 07 80')).read(), 0, /not constructed/);
});

test('times: RFC 5280 §4.1.2.5 forms only', (t) => {
  t.is(decodeTime(el('17 0d 343930313031303030303030 5a')).toISOString(), '2049-01-01T00:00:00.000Z');
  t.is(decodeTime(el('17 0d 353030313031303030303030 5a')).toISOString(), '1950-01-01T00:00:00.000Z');
  const gt = (s: string) =>
    el(`18 ${s.length.toString(16).padStart(2, '0')} ${Buffer.from(s).toString('hex')}`);
  t.is(decodeTime(gt('20500101000000Z')).toISOString(), '2050-01-01T00:00:00.000Z');
  for (const bad of [
    '20500101000000',
    '20500101000000.5Z',
    '205001010000Z',
    '20500101000000+0100',
    '20501301000000Z',
    '20500230000000Z',
    '20500101240000Z',
  ]) {
    t.throws(() => decodeTime(gt(bad)), { instanceOf: DerError }, bad);
  }
});

/** `depth` SEQUENCEs around a NULL, built in one buffer. */
function nestedSequences(depth: number): Uint8Array {
  const headerFor = (len: number) =>
    len < 0x80
      ? [len]
      : len < 0x100
        ? [0x81, len]
        : len < 0x10000
          ? [0x82, len >> 8, len & 0xff]
          : [0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  const headers: number[][] = [];
  let len = 2;
  for (let i = 0; i < depth; i++) {
    const h = [0x30, ...headerFor(len)];
    headers.push(h);
    len += h.length;
  }
  const out = new Uint8Array(len);
  let p = 0;
  for (let i = headers.length - 1; i >= 0; i--) {
    out.set(headers[i]!, p);
    p += headers[i]!.length;
  }
  out.set([0x05, 0x00], p);
  return out;
}

test('nesting deeper than MAX_DEPTH is a DerError, not a stack overflow', (t) => {
  for (const depth of [MAX_DEPTH + 1, 100_000]) {
    const der = nestedSequences(depth);
    t.throws(() => parseDerTree(der), { instanceOf: DerError, message: /nesting deeper/ });
    t.throws(() => Certificate.fromDer(der), { instanceOf: CertificateError });
  }
  let ok = Uint8Array.of(0x05, 0x00);
  for (let i = 0; i < MAX_DEPTH; i++) ok = Uint8Array.from([0x30, ok.length, ...ok]);
  t.truthy(parseDerTree(ok).children);
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
          parseDerTree(input);
        } catch (e) {
          if (!(e instanceof DerError)) return false;
        }
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
