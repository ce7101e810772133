// getPeerCertificate(): the node:tls shape (subject/issuer objects, subjectaltname, valid_from,
// fingerprint256, raw...) built from @tls-kit/certs' Certificate, which is attached as well.
import { createHash } from 'node:crypto';
import type { Certificate, GeneralName, Name } from '@tls-kit/certs';

export interface PeerCertificate {
  readonly subject: Record<string, string>;
  readonly issuer: Record<string, string>;
  /** "DNS:localhost, IP Address:127.0.0.1", as node:tls writes it. */
  readonly subjectaltname: string | undefined;
  readonly valid_from: string;
  readonly valid_to: string;
  /** Uppercase hex. */
  readonly serialNumber: string;
  /** SHA-256 of the DER, "AB:CD:..." as node:tls writes it. */
  readonly fingerprint256: string;
  readonly ca: boolean;
  /** The DER encoding (node:tls returns a Buffer). */
  readonly raw: Buffer;
  /** The parsed certificate. */
  readonly certificate: Certificate;
  /** With getPeerCertificate(true): the issuer's entry, the root's pointing to itself as in node:tls. */
  issuerCertificate?: PeerCertificate;
}

function nameObject(name: Name): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rdn of name.rdns) {
    for (const atv of rdn.attributes) {
      if (atv.value === undefined) continue;
      const key = atv.shortName ?? atv.type;
      out[key] = out[key] === undefined ? atv.value : `${out[key]}\n${atv.value}`;
    }
  }
  return out;
}

function altName(n: GeneralName): string | undefined {
  switch (n.type) {
    case 'dns':
      return `DNS:${n.value}`;
    case 'ip':
      return `IP Address:${n.value}`;
    case 'email':
      return `email:${n.value}`;
    case 'uri':
      return `URI:${n.value}`;
    default:
      return undefined;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** OpenSSL's ASN1_TIME_print form, which node:tls uses: "Nov 27 13:16:52 2026 GMT". */
function opensslTime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${d.getUTCFullYear()} GMT`;
}

export function peerCertificate(cert: Certificate): PeerCertificate {
  const der = cert.getAsn1Bytes();
  const sans = cert.subjectAltNames.map(altName).filter((s): s is string => s !== undefined);
  const digest = createHash('sha256').update(der).digest('hex').toUpperCase();
  return {
    subject: nameObject(cert.subject),
    issuer: nameObject(cert.issuer),
    subjectaltname: sans.length > 0 ? sans.join(', ') : undefined,
    valid_from: opensslTime(cert.notBefore),
    valid_to: opensslTime(cert.notAfter),
    serialNumber: cert.serialNumber.toUpperCase(),
    fingerprint256: digest.match(/../g)!.join(':'),
    ca: cert.isCA,
    raw: Buffer.from(der),
    certificate: cert,
  };
}

/** The chain as node:tls links it for getPeerCertificate(true): each entry's issuerCertificate. */
export function peerCertificateChain(chain: readonly Certificate[]): PeerCertificate | undefined {
  const entries = chain.map(peerCertificate);
  entries.forEach((e, i) => {
    e.issuerCertificate = entries[i + 1] ?? (e.certificate.isSelfIssued ? e : undefined);
  });
  return entries[0];
}
