// Certificate extensions (RFC 5280 §4.2). Each known extension is parsed strictly; every
// extension, known or not, is also kept raw with its critical flag.

import { toHex } from '@tls-kit/crypto/bytes';
import {
  contentOf,
  contextTag,
  type DerElement,
  DerReader,
  decodeBitString,
  decodeOid,
  decodeSmallInteger,
  decodeString,
  encodingOf,
  isStringTag,
  Tag,
} from '@tls-kit/crypto/der';
import { CertificateParseError } from './errors.js';
import { Name } from './name.js';
import { Oid } from './oids.js';

export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** Content of extnValue (the DER of the extension-specific structure). */
  readonly value: Uint8Array;
}

export type GeneralName =
  | { readonly type: 'dns'; readonly value: string }
  | { readonly type: 'email'; readonly value: string }
  | { readonly type: 'uri'; readonly value: string }
  | { readonly type: 'ip'; readonly bytes: Uint8Array; readonly value: string }
  | { readonly type: 'directoryName'; readonly name: Name }
  | { readonly type: 'registeredId'; readonly value: string }
  /** otherName, x400Address, ediPartyName: kept as DER. */
  | { readonly type: 'other'; readonly tag: number; readonly der: Uint8Array };

export interface BasicConstraints {
  readonly cA: boolean;
  readonly pathLenConstraint: number | undefined;
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

/** Bit positions of KeyUsage (RFC 5280 §4.2.1.3). */
export const keyUsageBits: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export interface NameConstraints {
  readonly permitted: readonly GeneralName[];
  readonly excluded: readonly GeneralName[];
}

export interface AuthorityKeyIdentifier {
  /** Hex of keyIdentifier. */
  readonly keyIdentifier: string | undefined;
  readonly authorityCertIssuer: readonly GeneralName[] | undefined;
  /** Hex of authorityCertSerialNumber's content. */
  readonly authorityCertSerialNumber: string | undefined;
}

export interface PolicyInformation {
  readonly policyIdentifier: string;
  readonly qualifiers: readonly { readonly oid: string; readonly cps?: string; readonly der: Uint8Array }[];
}

export interface ParsedExtensions {
  readonly all: readonly Extension[];
  readonly basicConstraints?: BasicConstraints;
  readonly keyUsage?: ReadonlySet<KeyUsageName>;
  readonly extendedKeyUsage?: readonly string[];
  readonly subjectAltNames?: readonly GeneralName[];
  readonly nameConstraints?: NameConstraints;
  readonly authorityKeyIdentifier?: AuthorityKeyIdentifier;
  /** Hex of the subject key identifier. */
  readonly subjectKeyIdentifier?: string;
  readonly certificatePolicies?: readonly PolicyInformation[];
}

/** The extensions this package interprets; a critical extension outside this set fails validation. */
export const handledExtensions: ReadonlySet<string> = new Set([
  Oid.basicConstraints,
  Oid.keyUsage,
  Oid.extKeyUsage,
  Oid.subjectAltName,
  Oid.nameConstraints,
  Oid.authorityKeyIdentifier,
  Oid.subjectKeyIdentifier,
  // Parsed only: with the default inputs of RFC 5280 §6.1.1 (any-policy, no explicit policy
  // required) policy processing cannot reject a path unless policyConstraints is present.
  Oid.certificatePolicies,
]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Parses `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension` from the [3] wrapper's content. */
export function parseExtensions(seqEl: DerElement): ParsedExtensions {
  const reader = DerReader.inside(seqEl);
  const all: Extension[] = [];
  const out: Mutable<ParsedExtensions> = { all };
  if (reader.done) throw new CertificateParseError('empty Extensions', seqEl.offset);
  while (!reader.done) {
    const extEl = reader.expect(Tag.SEQUENCE, 'Extension');
    const r = DerReader.inside(extEl);
    const oid = r.oid('extnID');
    // DER omits a DEFAULT FALSE, but explicit FALSE is common in deployed certificates and harmless.
    const critical = r.peekTag() === Tag.BOOLEAN ? r.boolean('critical') : false;
    const valueEl = r.expect(Tag.OCTET_STRING, 'extnValue');
    r.finish('Extension');
    if (all.some((e) => e.oid === oid)) {
      // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of an extension.
      throw new CertificateParseError(`duplicate extension ${oid}`, extEl.offset);
    }
    all.push({ oid, critical, value: contentOf(valueEl) });
    const v = DerReader.encapsulated(valueEl);
    switch (oid) {
      case Oid.basicConstraints:
        out.basicConstraints = parseBasicConstraints(v);
        break;
      case Oid.keyUsage:
        out.keyUsage = parseKeyUsage(v);
        break;
      case Oid.extKeyUsage:
        out.extendedKeyUsage = parseOidSequence(v, 'ExtKeyUsageSyntax');
        break;
      case Oid.subjectAltName:
        out.subjectAltNames = parseGeneralNamesValue(v, 'SubjectAltName');
        break;
      case Oid.nameConstraints:
        out.nameConstraints = parseNameConstraints(v);
        break;
      case Oid.authorityKeyIdentifier:
        out.authorityKeyIdentifier = parseAuthorityKeyIdentifier(v);
        break;
      case Oid.subjectKeyIdentifier:
        out.subjectKeyIdentifier = toHex(v.octetString('SubjectKeyIdentifier'));
        v.finish('SubjectKeyIdentifier');
        break;
      case Oid.certificatePolicies:
        out.certificatePolicies = parseCertificatePolicies(v);
        break;
    }
  }
  return out;
}

function parseBasicConstraints(v: DerReader): BasicConstraints {
  const r = v.enter(Tag.SEQUENCE, 'BasicConstraints');
  v.finish('BasicConstraints');
  const cA = r.peekTag() === Tag.BOOLEAN ? r.boolean('cA') : false;
  const pathEl = r.optional(Tag.INTEGER);
  r.finish('BasicConstraints');
  return { cA, pathLenConstraint: pathEl ? decodeSmallInteger(pathEl) : undefined };
}

function parseKeyUsage(v: DerReader): ReadonlySet<KeyUsageName> {
  const el = v.expect(Tag.BIT_STRING, 'KeyUsage');
  v.finish('KeyUsage');
  const { bytes } = decodeBitString(el);
  const set = new Set<KeyUsageName>();
  keyUsageBits.forEach((name, i) => {
    if ((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) set.add(name);
  });
  return set;
}

function parseOidSequence(v: DerReader, what: string): string[] {
  const seqEl = v.expect(Tag.SEQUENCE, what);
  v.finish(what);
  const r = DerReader.inside(seqEl);
  const out: string[] = [];
  while (!r.done) out.push(r.oid(what));
  if (out.length === 0) throw new CertificateParseError(`empty ${what}`, seqEl.offset);
  return out;
}

function parseGeneralNamesValue(v: DerReader, what: string): GeneralName[] {
  const el = v.expect(Tag.SEQUENCE, what);
  v.finish(what);
  return parseGeneralNames(el, what);
}

function parseGeneralNames(el: DerElement, what: string): GeneralName[] {
  const r = DerReader.inside(el);
  const out: GeneralName[] = [];
  while (!r.done) out.push(parseGeneralName(r.read()));
  if (out.length === 0) throw new CertificateParseError(`empty ${what}`, el.offset);
  return out;
}

function ia5(el: DerElement): string {
  return decodeString({ ...el, tag: Tag.IA5_STRING });
}

/** GeneralName (RFC 5280 §4.2.1.6): IMPLICIT context tags except directoryName, which is EXPLICIT. */
export function parseGeneralName(el: DerElement): GeneralName {
  switch (el.tag) {
    case contextTag(1, false):
      return { type: 'email', value: ia5(el) };
    case contextTag(2, false):
      return { type: 'dns', value: ia5(el) };
    case contextTag(6, false):
      return { type: 'uri', value: ia5(el) };
    case contextTag(7, false): {
      const bytes = contentOf(el);
      // 4 or 16 bytes in a SAN; 8 or 32 (address and mask) in name constraints.
      if (![4, 8, 16, 32].includes(bytes.length)) {
        throw new CertificateParseError('iPAddress of invalid length', el.offset);
      }
      return { type: 'ip', bytes, value: formatIpBytes(bytes) };
    }
    case contextTag(4, true): {
      const r = DerReader.inside(el);
      const nameEl = r.expect(Tag.SEQUENCE, 'directoryName');
      r.finish('directoryName');
      return { type: 'directoryName', name: Name.fromElement(nameEl) };
    }
    case contextTag(8, false):
      return { type: 'registeredId', value: decodeOid({ ...el, tag: Tag.OID }) };
    case contextTag(0, true):
    case contextTag(3, true):
    case contextTag(5, true):
      return { type: 'other', tag: el.tag, der: encodingOf(el) };
    default:
      throw new CertificateParseError(`invalid GeneralName tag 0x${el.tag.toString(16)}`, el.offset);
  }
}

function parseNameConstraints(v: DerReader): NameConstraints {
  const seqEl = v.expect(Tag.SEQUENCE, 'NameConstraints');
  v.finish('NameConstraints');
  const r = DerReader.inside(seqEl);
  const permittedEl = r.optional(contextTag(0, true));
  const excludedEl = r.optional(contextTag(1, true));
  r.finish('NameConstraints');
  // RFC 5280 §4.2.1.10: conforming CAs MUST NOT issue an empty NameConstraints.
  if (!permittedEl && !excludedEl) throw new CertificateParseError('empty NameConstraints', seqEl.offset);
  return {
    permitted: permittedEl ? parseSubtrees(permittedEl) : [],
    excluded: excludedEl ? parseSubtrees(excludedEl) : [],
  };
}

function parseSubtrees(el: DerElement): GeneralName[] {
  const r = DerReader.inside(el);
  const out: GeneralName[] = [];
  while (!r.done) {
    const subtreeEl = r.expect(Tag.SEQUENCE, 'GeneralSubtree');
    const s = DerReader.inside(subtreeEl);
    const base = parseGeneralName(s.read());
    // minimum MUST be zero (DEFAULT, so absent) and maximum MUST be absent.
    const min = s.optional(contextTag(0, false));
    if (min && decodeSmallInteger({ ...min, tag: Tag.INTEGER }) !== 0) {
      throw new CertificateParseError('GeneralSubtree minimum must be 0', min.offset);
    }
    if (!s.done) throw new CertificateParseError('GeneralSubtree maximum must be absent', s.offset);
    if (base.type === 'ip' && base.bytes.length !== 8 && base.bytes.length !== 32) {
      throw new CertificateParseError('iPAddress constraint must be address and mask', subtreeEl.offset);
    }
    out.push(base);
  }
  if (out.length === 0) throw new CertificateParseError('empty GeneralSubtrees', el.offset);
  return out;
}

function parseAuthorityKeyIdentifier(v: DerReader): AuthorityKeyIdentifier {
  const seqEl = v.expect(Tag.SEQUENCE, 'AuthorityKeyIdentifier');
  v.finish('AuthorityKeyIdentifier');
  const r = DerReader.inside(seqEl);
  const kid = r.optional(contextTag(0, false));
  const issuer = r.optional(contextTag(1, true));
  const serial = r.optional(contextTag(2, false));
  r.finish('AuthorityKeyIdentifier');
  return {
    keyIdentifier: kid ? toHex(contentOf(kid)) : undefined,
    authorityCertIssuer: issuer ? parseGeneralNames(issuer, 'authorityCertIssuer') : undefined,
    authorityCertSerialNumber: serial ? toHex(contentOf(serial)) : undefined,
  };
}

function parseCertificatePolicies(v: DerReader): PolicyInformation[] {
  const seqEl = v.expect(Tag.SEQUENCE, 'CertificatePolicies');
  v.finish('CertificatePolicies');
  const r = DerReader.inside(seqEl);
  const out: PolicyInformation[] = [];
  while (!r.done) {
    const p = r.enter(Tag.SEQUENCE, 'PolicyInformation');
    const policyIdentifier = p.oid('policyIdentifier');
    const qualifiers: { oid: string; cps?: string; der: Uint8Array }[] = [];
    const qsEl = p.optional(Tag.SEQUENCE);
    p.finish('PolicyInformation');
    if (qsEl) {
      const qs = DerReader.inside(qsEl);
      while (!qs.done) {
        const qEl = qs.expect(Tag.SEQUENCE, 'PolicyQualifierInfo');
        const q = DerReader.inside(qEl);
        const oid = q.oid('policyQualifierId');
        const qualifier = q.read();
        q.finish('PolicyQualifierInfo');
        const cps = oid === Oid.cps && isStringTag(qualifier.tag) ? decodeString(qualifier) : undefined;
        qualifiers.push(
          cps === undefined ? { oid, der: encodingOf(qEl) } : { oid, cps, der: encodingOf(qEl) },
        );
      }
    }
    out.push({ policyIdentifier, qualifiers });
  }
  if (out.length === 0) throw new CertificateParseError('empty CertificatePolicies', seqEl.offset);
  return out;
}

/** Text form of an address (4 or 16 bytes) or address/mask (8 or 32 bytes). */
export function formatIpBytes(bytes: Uint8Array): string {
  if (bytes.length === 8 || bytes.length === 32) {
    const half = bytes.length / 2;
    return `${formatIpBytes(bytes.subarray(0, half))}/${formatIpBytes(bytes.subarray(half))}`;
  }
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}
