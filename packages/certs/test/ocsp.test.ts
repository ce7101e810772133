// OCSP responses (RFC 6960) made by the `openssl ocsp` responder at test time: parsing, and the
// checks of verifyOcspResponse (signer, delegation, CertID, freshness), with only typed errors
// for malformed input.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveOpenssl, opensslOcspResponse } from '@tls-kit/test-helpers';
import test from 'ava';
import fc from 'fast-check';
import {
  type Certificate,
  CertificateBuilder,
  CertificateError,
  OcspParseError,
  OcspVerificationError,
  parseOcspResponse,
  privateKeyToPem,
  verifyOcspResponse,
} from '../src/index.js';

const available = haveOpenssl();
const maybe = available ? test : test.skip;
if (!available) test('openssl is absent', (t) => t.log('openssl not installed: OCSP tests skipped'));

const builder = new CertificateBuilder();
const root = builder.root({ subject: 'CN=OCSP test root', key: { type: 'ec', curve: 'P-256' } });
const leaf = builder.leaf(root, { subject: 'CN=localhost', subjectAltNames: ['DNS:localhost'] });
const otherLeaf = builder.leaf(root, { subject: 'CN=other', subjectAltNames: ['DNS:other'] });
const responder = builder.leaf(root, {
  subject: 'CN=OCSP responder',
  key: { type: 'rsa', bits: 2048 },
  extendedKeyUsage: ['ocspSigning'],
});
const responderWithoutEku = builder.leaf(root, { subject: 'CN=not a responder' });
const stranger = builder.root({ subject: 'CN=OCSP test root' });

const dir = mkdtempSync(join(tmpdir(), 'tls-kit-certs-ocsp-'));
/** The certificate's and its key's PEM files. */
function files(name: string, cert: Certificate): { cert: string; key: string } {
  const paths = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  writeFileSync(paths.cert, cert.toPem());
  writeFileSync(paths.key, privateKeyToPem(cert.privateKey!));
  return paths;
}
const rootFiles = files('root', root);
const leafFiles = files('leaf', leaf);

let counter = 0;
/** `openssl ocsp`'s answer for the leaf, issued by the root, with `options`. */
function response(options: Partial<Parameters<typeof opensslOcspResponse>[1]> = {}): Uint8Array {
  return opensslOcspResponse(join(dir, `response-${counter++}.der`), {
    issuerCert: rootFiles.cert,
    issuerKey: rootFiles.key,
    leafCert: leafFiles.cert,
    ...options,
  });
}

const verify = (
  der: Uint8Array,
  options: { certificate?: Certificate; issuer?: Certificate; now?: Date } = {},
) => verifyOcspResponse(parseOcspResponse(der), { certificate: leaf, issuer: root, ...options });

function refused(
  t: { is: (a: unknown, b: unknown, m?: string) => void; fail: (m: string) => void },
  run: () => unknown,
  reason: string,
) {
  try {
    run();
    t.fail(`accepted, expected ${reason}`);
  } catch (e) {
    if (!(e instanceof OcspVerificationError)) throw e;
    t.is(e.reason, reason, e.message);
  }
}

maybe('good, signed by the issuer: parsed fields and the status', (t) => {
  const der = response();
  const parsed = parseOcspResponse(der);
  t.is(parsed.responseStatus, 'successful');
  const basic = parsed.basic!;
  t.true('byName' in basic.responderId && basic.responderId.byName.equals(root.subject));
  t.is(basic.responses.length, 1);
  t.is(basic.responses[0]!.certId.serialNumber, leaf.serialNumber);
  t.is(basic.responses[0]!.certId.hashAlgorithm, 'sha1');
  t.true(
    basic.certificates.some((c) => c.equals(root)),
    'openssl includes the signer',
  );
  const status = verify(der);
  t.is(status.status, 'good');
  t.is(status.revocationTime, undefined);
  t.true(status.thisUpdate.getTime() <= Date.now());
  t.true(status.nextUpdate!.getTime() > Date.now() + 23 * 3_600_000, '-ndays 1');
});

maybe('revoked: the revocation time and reason', (t) => {
  const status = verify(response({ status: 'revoked', revocation: '240101000000Z,keyCompromise' }));
  t.is(status.status, 'revoked');
  t.is(status.revocationTime?.toISOString(), '2024-01-01T00:00:00.000Z');
  t.is(status.reason, 'keyCompromise');
});

maybe('unknown: openssl answers unknown for a serial missing from its index', (t) => {
  t.is(verify(response({ status: 'unknown' })).status, 'unknown');
});

maybe('signed by a delegated responder the issuer certified for OCSPSigning', (t) => {
  const der = response({ signer: files('responder', responder) });
  const basic = parseOcspResponse(der).basic!;
  t.true('byName' in basic.responderId && basic.responderId.byName.equals(responder.subject));
  t.is(verify(der).status, 'good');
});

maybe('responderID byKey (the SHA-1 of the key), of the issuer and of a delegated responder', (t) => {
  const byIssuer = response({ responderKeyId: true, noCerts: true });
  const basic = parseOcspResponse(byIssuer).basic!;
  t.true('byKey' in basic.responderId);
  t.is(basic.certificates.length, 0);
  t.is(verify(byIssuer).status, 'good');
  t.is(verify(response({ responderKeyId: true, signer: files('responder', responder) })).status, 'good');
});

maybe('refused: a delegated responder whose certificate the response leaves out', (t) => {
  refused(
    t,
    () => verify(response({ noCerts: true, signer: files('responder', responder) })),
    'unknown-responder',
  );
});

maybe('refused: a delegated responder without the OCSPSigning EKU', (t) => {
  refused(
    t,
    () => verify(response({ signer: files('no-eku', responderWithoutEku) })),
    'unauthorized-responder',
  );
});

maybe('refused: a responder the issuer did not certify (an unrelated key, same name as the issuer)', (t) => {
  // The stranger's name is the root's, so the responderID names the issuer: the signature fails.
  refused(t, () => verify(response({ signer: files('stranger', stranger) })), 'bad-signature');
  const unrelated = builder.root({ subject: 'CN=unrelated responder' });
  refused(t, () => verify(response({ signer: files('unrelated', unrelated) })), 'unauthorized-responder');
});

maybe('refused: a tampered signature', (t) => {
  const der = response();
  const signature = parseOcspResponse(der).basic!.signature;
  const at = Buffer.from(der).indexOf(Buffer.from(signature));
  t.true(at > 0);
  const tampered = der.slice();
  tampered[at + 10]! ^= 0x01;
  refused(t, () => verify(tampered), 'bad-signature');
});

maybe('refused: the response is for another certificate, or checked against the wrong issuer', (t) => {
  const der = response();
  refused(t, () => verify(der, { certificate: otherLeaf }), 'no-matching-response');
  refused(t, () => verify(der, { issuer: stranger }), 'wrong-issuer');
});

maybe('freshness: nextUpdate passed, thisUpdate in the future, and 5 minutes of clock skew', (t) => {
  const der = response({ validMinutes: 30 });
  const { thisUpdate, nextUpdate } = verify(der);
  const at = (ms: number) => new Date(ms);
  t.is(verify(der, { now: at(nextUpdate!.getTime() + 4 * 60_000) }).status, 'good');
  refused(t, () => verify(der, { now: at(nextUpdate!.getTime() + 6 * 60_000) }), 'expired');
  t.is(verify(der, { now: at(thisUpdate.getTime() - 4 * 60_000) }).status, 'good');
  refused(t, () => verify(der, { now: at(thisUpdate.getTime() - 6 * 60_000) }), 'not-yet-valid');
});

test('an unsuccessful response (tryLater) parses and is refused; with responseBytes it is malformed', (t) => {
  const tryLater = Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x03);
  t.is(parseOcspResponse(tryLater).responseStatus, 'tryLater');
  refused(t, () => verify(tryLater), 'unsuccessful');
  t.throws(() => parseOcspResponse(Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x04)), {
    instanceOf: OcspParseError,
  });
  t.throws(() => parseOcspResponse(Uint8Array.of(0x30, 0x07, 0x0a, 0x01, 0x03, 0xa0, 0x02, 0x30, 0x00)), {
    instanceOf: OcspParseError,
  });
});

maybe('truncated and mutated responses: only typed errors', (t) => {
  const der = response({ status: 'revoked', revocation: '240101000000Z,keyCompromise' });
  let parsed = 0;
  for (let length = 0; length < der.length; length++) {
    try {
      parseOcspResponse(der.subarray(0, length));
      parsed++;
    } catch (e) {
      t.true(e instanceof CertificateError, `length ${length}: ${e}`);
    }
  }
  t.is(parsed, 0, 'no truncation parses');
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 1, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      }),
      (flips) => {
        const input = der.slice();
        for (const [at, mask] of flips) input[at]! ^= mask;
        try {
          verify(input);
        } catch (e) {
          return e instanceof CertificateError;
        }
        return true;
      },
    ),
    { numRuns: 1500 },
  );
  t.pass();
});
