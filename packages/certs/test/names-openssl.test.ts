// Names are printed with OpenSSL's attribute short names: Name.toString() against
// `openssl x509 -noout -subject -nameopt RFC2253` (the same RFC 4514 form, most specific first)
// for a certificate openssl made with every attribute it names.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Certificate } from '@tls-kit/certs';
import { opensslSelfSigned } from '@tls-kit/test-helpers';
import test from 'ava';

/** Every attribute OpenSSL names (its OBJ_nid2sn) that certificates carry, in openssl's -subj syntax. */
const opensslSubject =
  '/C=US/ST=CA/L=SF/O=Org, Inc/OU=Unit/CN=Root/emailAddress=root@example.org/serialNumber=123' +
  '/street=1 Main St/title=Dr/GN=John/SN=Smith/initials=JS/pseudonym=jj/generationQualifier=III' +
  '/dnQualifier=dq/DC=example/UID=u1/businessCategory=Private Organization/postalCode=94000' +
  '/jurisdictionC=US/jurisdictionST=CA/jurisdictionL=SF/organizationIdentifier=VATUS-1/description=d/name=nm';

test('subject names print as openssl -nameopt RFC2253 prints them', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-kit-names-'));
  try {
    const { pem, rfc2253 } = opensslSelfSigned(dir, 'named', opensslSubject);
    const cert = Certificate.fromPem(readFileSync(pem, 'utf8'))[0]!;
    t.is(String(cert.subject), rfc2253);
    t.false(String(cert.subject).includes('#'));
    t.is(cert.subject.get('emailAddress')[0], 'root@example.org');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
