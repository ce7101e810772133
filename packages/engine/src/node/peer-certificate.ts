// getPeerCertificate(): the node:tls shape (subject/issuer objects, subjectaltname, infoAccess,
// the public key's fields, valid_from, fingerprints, ext_key_usage, raw...) built from
// @tls-kit/certs' Certificate, which is attached as well. The fields node:crypto's
// X509Certificate gives (fingerprints, infoAccess, key details) are computed on first read.
import { createHash, X509Certificate } from 'node:crypto';
import { type Certificate, type GeneralName, type Name, Oid } from '@tls-kit/certs';

export interface PeerCertificate {
  /** Attribute -> value, or a list of values when the attribute repeats (as node:tls). */
  readonly subject: Record<string, string | string[]>;
  readonly issuer: Record<string, string | string[]>;
  /** "DNS:localhost, IP Address:127.0.0.1", as node:tls writes it. */
  readonly subjectaltname?: string;
  /** { 'OCSP - URI': [...], 'CA Issuers - URI': [...] } from Authority Information Access. */
  readonly infoAccess?: Record<string, string[]>;
  readonly valid_from: string;
  readonly valid_to: string;
  /** Uppercase hex. */
  readonly serialNumber: string;
  /** SHA-1, SHA-256 and SHA-512 of the DER, "AB:CD:..." as node:tls writes them. */
  readonly fingerprint: string;
  readonly fingerprint256: string;
  readonly fingerprint512: string;
  /** Extended key usage OIDs. */
  readonly ext_key_usage?: string[];
  readonly ca: boolean;
  /** RSA: key size, '0x10001'-style exponent, uppercase hex modulus; EC: key size and curve names. */
  readonly bits?: number;
  readonly exponent?: string;
  readonly modulus?: string;
  /** RSA: the SubjectPublicKeyInfo DER; EC: the public point. */
  readonly pubkey?: Buffer;
  readonly asn1Curve?: string;
  readonly nistCurve?: string;
  /** The DER encoding (node:tls returns a Buffer). */
  readonly raw: Buffer;
  /** The parsed certificate. */
  readonly certificate: Certificate;
  /** With getPeerCertificate(true): the issuer's entry, the root's pointing to itself as in node:tls. */
  issuerCertificate?: PeerCertificate;
}

// node:tls makes subject, issuer and infoAccess objects without a prototype (deepStrictEqual
// against them needs the same).
const bare = <T>(): Record<string, T> => Object.create(null);

function nameObject(name: Name): Record<string, string | string[]> {
  const out = bare<string | string[]>();
  for (const rdn of name.rdns) {
    for (const atv of rdn.attributes) {
      if (atv.value === undefined) continue;
      // @tls-kit/certs' short names are OpenSSL's, node's keys.
      const key = atv.shortName ?? atv.type;
      const seen = out[key];
      out[key] = seen === undefined ? atv.value : [...(Array.isArray(seen) ? seen : [seen]), atv.value];
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

const colonHex = (der: Uint8Array, hash: string) =>
  createHash(hash).update(der).digest('hex').toUpperCase().match(/../g)!.join(':');

const CURVES: Record<string, { asn1: string; bits: number }> = {
  'P-256': { asn1: 'prime256v1', bits: 256 },
  'P-384': { asn1: 'secp384r1', bits: 384 },
  'P-521': { asn1: 'secp521r1', bits: 521 },
};

/** RFC 5280 §4.2.2.1 id-pe-authorityInfoAccess. */
const AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';

/** The key fields node:tls reports, by SubjectPublicKeyInfo algorithm (none for EdDSA). */
const KEY_FIELD_NAMES: Record<string, (keyof PeerCertificate)[]> = {
  [Oid.rsaEncryption]: ['bits', 'exponent', 'modulus', 'pubkey'],
  [Oid.ecPublicKey]: ['bits', 'asn1Curve', 'nistCurve', 'pubkey'],
};

/** The key fields node:tls reports for RSA and EC keys. */
function keyFields(x509: X509Certificate): Partial<PeerCertificate> {
  const key = x509.publicKey;
  const jwk = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType === 'rsa' && jwk.n && jwk.e) {
    const modulus = Buffer.from(jwk.n, 'base64url');
    return {
      bits: key.asymmetricKeyDetails?.modulusLength ?? modulus.length * 8,
      exponent: `0x${Buffer.from(jwk.e, 'base64url').toString('hex').replace(/^0+/, '')}`,
      modulus: modulus.toString('hex').toUpperCase(),
      pubkey: key.export({ type: 'spki', format: 'der' }),
    };
  }
  if (key.asymmetricKeyType === 'ec' && jwk.crv && jwk.x && jwk.y) {
    const curve = CURVES[jwk.crv];
    return {
      bits: curve?.bits,
      asn1Curve: curve?.asn1,
      nistCurve: jwk.crv,
      pubkey: Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]),
    };
  }
  return {};
}

/** "OCSP - URI:http://a\nCA Issuers - URI:http://b" -> node:tls' infoAccess object. */
function infoAccessObject(text: string | undefined): Record<string, string[]> | undefined {
  if (!text) return undefined;
  const out = bare<string[]>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    out[key] = [...(out[key] ?? []), line.slice(colon + 1)];
  }
  return out;
}

export function peerCertificate(cert: Certificate): PeerCertificate {
  const der = cert.getAsn1Bytes();
  const sans = cert.subjectAltNames.map(altName).filter((s): s is string => s !== undefined);
  let x509: X509Certificate | undefined;
  const parsed = (): X509Certificate => {
    x509 = x509 ?? new X509Certificate(der);
    return x509;
  };
  let key: Partial<PeerCertificate> | undefined;
  const keyField = <K extends keyof PeerCertificate>(k: K) => {
    key = key ?? keyFields(parsed());
    return key[k];
  };
  // node:tls leaves out what a certificate lacks (no key with an undefined value).
  const entry: Record<string, unknown> = {
    subject: nameObject(cert.subject),
    issuer: nameObject(cert.issuer),
    ...(sans.length > 0 ? { subjectaltname: sans.join(', ') } : {}),
    valid_from: opensslTime(cert.notBefore),
    valid_to: opensslTime(cert.notAfter),
    serialNumber: cert.serialNumber.toUpperCase(),
    fingerprint256: colonHex(der, 'sha256'),
    ca: cert.isCA,
    raw: Buffer.from(der),
  };
  // Computed on first read: most connections only need the names (checkServerIdentity).
  const lazy = (get: () => unknown): PropertyDescriptor => ({ get, enumerable: true, configurable: true });
  const has = (oid: string) => cert.extensions.some((e) => e.oid === oid);
  const keyAlgorithm = cert.subjectPublicKeyInfo.algorithm.oid;
  const keyNames = KEY_FIELD_NAMES[keyAlgorithm] ?? [];
  return Object.defineProperties(entry, {
    // Ours, beyond node's shape: kept out of Object.keys and deepStrictEqual.
    certificate: { value: cert, enumerable: false },
    fingerprint: lazy(() => colonHex(der, 'sha1')),
    fingerprint512: lazy(() => colonHex(der, 'sha512')),
    ...(has(AUTHORITY_INFO_ACCESS) ? { infoAccess: lazy(() => infoAccessObject(parsed().infoAccess)) } : {}),
    ...(has(Oid.extKeyUsage) ? { ext_key_usage: lazy(() => parsed().keyUsage) } : {}),
    ...Object.fromEntries(keyNames.map((name) => [name, lazy(() => keyField(name))])),
  }) as unknown as PeerCertificate;
}

/** The chain as node:tls links it for getPeerCertificate(true): each entry's issuerCertificate. */
export function peerCertificateChain(chain: readonly Certificate[]): PeerCertificate | undefined {
  const entries = chain.map(peerCertificate);
  entries.forEach((e, i) => {
    const issuer = entries[i + 1] ?? (e.certificate.isSelfIssued ? e : undefined);
    if (issuer) e.issuerCertificate = issuer;
  });
  return entries[0];
}
