// The per-certificate rules of a profile: what RFC 5280 requires of a conforming certificate
// ('rfc5280'), and that plus the CA/Browser Forum Baseline Requirements for TLS server
// certificates ('webpki'), as pyca/cryptography and rustls' webpki apply them.

import { DerReader, Tag } from '@tls-kit/crypto/der';
import { getPublicSuffix } from 'tldts';
import type { Certificate } from './certificate.js';
import { CertificateError, certificateDerError } from './errors.js';
import { parseGeneralName } from './extensions.js';
import { parseIpAddress } from './hostname.js';
import { Oid } from './oids.js';
import type { Purpose, VerifyFailureReason } from './verify-failure.js';

export type Profile = 'webpki' | 'rfc5280';
export type Role = 'leaf' | 'intermediate' | 'anchor';

/** A broken rule: the failure reason, what is wrong, and where the rule is written. */
export interface Problem {
  readonly reason: VerifyFailureReason;
  readonly message: string;
  readonly section?: string;
}

const POLICY_CONSTRAINTS = '2.5.29.36';
const AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';
const DSA = '1.2.840.10040.4.1';
const P192 = '1.2.840.10045.3.1.1';

const problem = (reason: VerifyFailureReason, message: string, section: string): Problem => ({
  reason,
  message,
  section,
});

/** The first rule of `profile` that `cert`, in the position `role`, breaks. */
export function profileProblem(
  cert: Certificate,
  role: Role,
  profile: Profile,
  purpose: Purpose,
): Problem | undefined {
  return (
    rfc5280Problem(cert, role, profile) ??
    (profile === 'webpki' ? webpkiProblem(cert, role, purpose) : undefined)
  );
}

function rfc5280Problem(cert: Certificate, role: Role, profile: Profile): Problem | undefined {
  const find = (oid: string) => cert.extensions.find((e) => e.oid === oid);
  const webpki = profile === 'webpki';
  if (/^0*$/.test(cert.serialNumber))
    return problem('invalid-certificate', 'serialNumber is zero', 'RFC 5280 §4.1.2.2');
  const akiExtension = find(Oid.authorityKeyIdentifier);
  if (akiExtension?.critical)
    return problem('invalid-extension', 'authorityKeyIdentifier is critical', 'RFC 5280 §4.2.1.1');
  if (role !== 'anchor' && !cert.isSelfIssued) {
    if (akiExtension && cert.authorityKeyIdentifier?.keyIdentifier === undefined)
      return problem('invalid-extension', 'authorityKeyIdentifier lacks keyIdentifier', 'RFC 5280 §4.2.1.1');
    // OpenSSL without -x509_strict, and so node:tls, accept it: a private PKI may lack it.
    if (!akiExtension && webpki)
      return problem('invalid-extension', 'no authorityKeyIdentifier', 'RFC 5280 §4.2.1.1');
  }
  const skiExtension = find(Oid.subjectKeyIdentifier);
  if (skiExtension?.critical)
    return problem('invalid-extension', 'subjectKeyIdentifier is critical', 'RFC 5280 §4.2.1.2');
  if (cert.isCA && !skiExtension && (role !== 'anchor' || webpki))
    return problem('invalid-extension', 'a CA certificate without subjectKeyIdentifier', 'RFC 5280 §4.2.1.2');
  if (cert.isCA && !find(Oid.basicConstraints)!.critical)
    return problem('invalid-extension', 'basicConstraints of a CA is not critical', 'RFC 5280 §4.2.1.9');
  if (cert.isCA && cert.subject.rdns.length === 0)
    return problem('invalid-certificate', 'a CA certificate with an empty subject', 'RFC 5280 §4.1.2.6');
  if (!cert.isCA && cert.keyUsage?.has('keyCertSign'))
    return problem('invalid-extension', 'keyCertSign in a certificate that is not a CA', 'RFC 5280 §4.2.1.3');
  if (find(POLICY_CONSTRAINTS)?.critical === false)
    return problem('invalid-extension', 'policyConstraints is not critical', 'RFC 5280 §4.2.1.11');
  if (!cert.isCA && cert.nameConstraints)
    return problem('invalid-extension', 'nameConstraints in an end-entity certificate', 'RFC 5280 §4.2.1.10');
  const sanExtension = find(Oid.subjectAltName);
  if (cert.subject.rdns.length === 0 && !sanExtension?.critical)
    return problem(
      'invalid-extension',
      'an empty subject needs a critical subjectAltName',
      'RFC 5280 §4.2.1.6',
    );
  const badDns = cert.subjectAltNames.find((n) => n.type === 'dns' && !/^[A-Za-z0-9.*-]+$/.test(n.value));
  if (badDns && badDns.type === 'dns')
    return problem(
      'invalid-extension',
      `dNSName "${badDns.value}" is not in the preferred name syntax (letters, digits, hyphens)`,
      'RFC 5280 §4.2.1.6',
    );
  return undefined;
}

function webpkiProblem(cert: Certificate, role: Role, purpose: Purpose): Problem | undefined {
  const find = (oid: string) => cert.extensions.find((e) => e.oid === oid);
  const weak = weakKey(cert);
  if (weak) return problem('weak-key', weak, 'CA/B BR §6.1.5');
  const aia = find(AUTHORITY_INFO_ACCESS);
  if (aia && (aia.critical || !authorityInfoAccessParses(aia.value)))
    return problem('invalid-extension', 'malformed or critical authorityInfoAccess', 'RFC 5280 §4.2.2.1');
  const ekuExtension = find(Oid.extKeyUsage);
  if (role === 'anchor') {
    if (ekuExtension)
      return problem('invalid-extension', 'extendedKeyUsage in a root certificate', 'CA/B BR §7.1.2.1.2');
    const aki = cert.authorityKeyIdentifier;
    if (
      aki &&
      (aki.authorityCertIssuer !== undefined ||
        aki.authorityCertSerialNumber !== undefined ||
        aki.keyIdentifier === undefined ||
        aki.keyIdentifier !== cert.subjectKeyIdentifier)
    )
      return problem(
        'invalid-extension',
        "a root's authorityKeyIdentifier must be its own subjectKeyIdentifier and nothing else",
        'CA/B BR §7.1.2.1.3',
      );
    return undefined;
  }
  if (role !== 'leaf') return undefined;
  if (!ekuExtension)
    return problem('extended-key-usage', 'no extendedKeyUsage in the leaf', 'CA/B BR §7.1.2.7.10');
  if (ekuExtension.critical)
    return problem('invalid-extension', 'extendedKeyUsage is critical', 'CA/B BR §7.1.2.7.10');
  if (cert.extendedKeyUsage?.includes(Oid.anyExtendedKeyUsage))
    return problem('extended-key-usage', 'anyExtendedKeyUsage in the leaf', 'CA/B BR §7.1.2.7.10');
  for (const san of cert.subjectAltNames) {
    if (san.type === 'dns' && san.value.startsWith('*.') && isPublicSuffix(san.value.slice(2)))
      return problem(
        'invalid-certificate',
        `wildcard "${san.value}" covers a public suffix`,
        'CA/B BR §3.2.2.6',
      );
  }
  if (purpose === 'server') {
    const cn = cert.subject.get('CN').find((value) => !commonNameIsSan(cert, value));
    if (cn !== undefined)
      return problem(
        'invalid-certificate',
        `subject CN "${cn}" is not one of the subjectAltName entries in canonical form`,
        'CA/B BR §7.1.4.3',
      );
  }
  return undefined;
}

function weakKey(cert: Certificate): string | undefined {
  const spki = cert.subjectPublicKeyInfo;
  if (spki.key?.type === 'rsa' || spki.key?.type === 'rsa-pss') {
    const bits = spki.key.bits ?? 0;
    if (bits < 2048 || bits % 8 !== 0) return `RSA key of ${bits} bits (at least 2048, a multiple of 8)`;
  }
  if (spki.algorithm.oid === DSA) return 'DSA key';
  if (spki.unsupported?.includes(P192)) return 'P-192 key';
  return undefined;
}

/** AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { accessMethod OID, accessLocation GeneralName } */
function authorityInfoAccessParses(value: Uint8Array): boolean {
  try {
    const outer = new DerReader(value, certificateDerError);
    const list = outer.enter(Tag.SEQUENCE, 'AuthorityInfoAccessSyntax');
    outer.finish('AuthorityInfoAccessSyntax');
    if (list.done) return false;
    while (!list.done) {
      const description = list.enter(Tag.SEQUENCE, 'AccessDescription');
      description.oid('accessMethod');
      parseGeneralName(description.read());
      description.finish('AccessDescription');
    }
    return true;
  } catch (e) {
    if (e instanceof CertificateError) return false;
    throw e;
  }
}

/** Public Suffix List, ICANN and private sections (`*.github.io` is as wrong as `*.co.uk`). */
function isPublicSuffix(name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return getPublicSuffix(lower, { allowPrivateDomains: true }) === lower;
}

/**
 * BR §7.1.4.3: a CN repeats a SAN entry byte for byte: an IPv4 address in dotted decimal, an
 * IPv6 address as RFC 5952 writes it, a domain name as the dNSName (A-labels, same case).
 */
function commonNameIsSan(cert: Certificate, cn: string): boolean {
  const ip = parseIpAddress(cn);
  if (ip) {
    return cert.subjectAltNames.some(
      (san) => san.type === 'ip' && san.bytes.length === ip.length && canonicalIp(san.bytes) === cn,
    );
  }
  return cert.subjectAltNames.some((san) => san.type === 'dns' && san.value === cn);
}

/** Dotted decimal, or RFC 5952 §4: lowercase, no leading zeros, the longest run of 2+ zero groups as '::'. */
function canonicalIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
