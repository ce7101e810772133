// X.509 v3 certificates (RFC 5280 §4.1), parsed once per object and immutable.

import type { PrivateKey, PublicKey } from '@tls-kit/crypto';
import { bytesEqual, toHex } from '@tls-kit/crypto/bytes';
import {
  contentOf,
  contextTag,
  DerReader,
  decodeOctetAlignedBitString,
  decodeSmallInteger,
  decodeTime,
  encodingOf,
  readSingle,
  Tag,
} from '@tls-kit/crypto/der';
import {
  type AlgorithmIdentifier,
  interpretSignatureAlgorithm,
  readAlgorithmIdentifier,
  readSubjectPublicKeyInfo,
  type SignatureAlgorithm,
  type SubjectPublicKeyInfo,
} from './algorithms.js';
import {
  CertificateParseError,
  certificateDerError,
  ExtraneousPrivateKeyError,
  PemError,
  PrivateKeyMismatchError,
  UnsupportedAlgorithmError,
} from './errors.js';
import {
  type AuthorityKeyIdentifier,
  type BasicConstraints,
  type Extension,
  type GeneralName,
  type KeyUsageName,
  type NameConstraints,
  type ParsedExtensions,
  type PolicyInformation,
  parseExtensions,
} from './extensions.js';
import { Name } from './name.js';
import { decodePem, encodePem, isPrivateKeyLabel } from './pem.js';

/** Everything read from the DER. Shared by the Certificate objects that differ only in their key. */
interface ParsedCertificate {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly version: 1 | 2 | 3;
  readonly serialNumber: string;
  readonly signatureAlgorithmId: AlgorithmIdentifier;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signature: Uint8Array;
  readonly issuer: Name;
  readonly subject: Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: SubjectPublicKeyInfo;
  readonly extensions: ParsedExtensions;
}

export class Certificate {
  private constructor(
    /** @internal Parsed data; also the identity used by verification caches. */
    readonly parsed: ParsedCertificate,
    /** Present when the certificate was loaded or built together with its key. */
    readonly privateKey?: PrivateKey,
  ) {}

  /** Parses one DER certificate; the input is copied. Throws DerError / CertificateParseError. */
  static fromDer(der: Uint8Array): Certificate {
    return new Certificate(parseCertificate(der.slice()));
  }

  /**
   * Parses every CERTIFICATE block of a PEM text. A private key block is refused with
   * ExtraneousPrivateKeyError (load chains with their key through loadCertificateChainPem).
   */
  static fromPem(text: string): Certificate[] {
    return certificateDersFromPem(text).map((der) => Certificate.fromDer(der));
  }

  /** The exact DER encoding (the design's get_asn1_bytes). */
  getAsn1Bytes(): Uint8Array {
    return this.parsed.der.slice();
  }

  toPem(): string {
    return encodePem('CERTIFICATE', this.parsed.der);
  }

  /** This certificate paired with its private key; throws PrivateKeyMismatchError if they differ. */
  withPrivateKey(key: PrivateKey): Certificate {
    if (!publicKeysMatch(this.parsed.spki.der, key.publicKey.spki)) {
      throw new PrivateKeyMismatchError(`the private key does not match the certificate of ${this.subject}`);
    }
    return new Certificate(this.parsed, key);
  }

  withoutPrivateKey(): Certificate {
    return this.privateKey ? new Certificate(this.parsed) : this;
  }

  get version(): 1 | 2 | 3 {
    return this.parsed.version;
  }
  /** Hex of the serial number's DER content. */
  get serialNumber(): string {
    return this.parsed.serialNumber;
  }
  get subject(): Name {
    return this.parsed.subject;
  }
  get issuer(): Name {
    return this.parsed.issuer;
  }
  get notBefore(): Date {
    return new Date(this.parsed.notBefore);
  }
  get notAfter(): Date {
    return new Date(this.parsed.notAfter);
  }
  get signatureAlgorithm(): SignatureAlgorithm {
    return this.parsed.signatureAlgorithm;
  }
  get signatureAlgorithmOid(): string {
    return this.parsed.signatureAlgorithmId.oid;
  }
  get subjectPublicKeyInfo(): SubjectPublicKeyInfo {
    return this.parsed.spki;
  }
  /** The subject's key; throws UnsupportedAlgorithmError for algorithms this package does not handle. */
  get publicKey(): PublicKey {
    const key = this.parsed.spki.key;
    if (!key) throw new UnsupportedAlgorithmError(`unsupported ${this.parsed.spki.unsupported}`);
    return key;
  }
  /** Every extension, raw, with its critical flag (known and unknown). */
  get extensions(): readonly Extension[] {
    return this.parsed.extensions.all;
  }
  get basicConstraints(): BasicConstraints | undefined {
    return this.parsed.extensions.basicConstraints;
  }
  get keyUsage(): ReadonlySet<KeyUsageName> | undefined {
    return this.parsed.extensions.keyUsage;
  }
  /** EKU OIDs. */
  get extendedKeyUsage(): readonly string[] | undefined {
    return this.parsed.extensions.extendedKeyUsage;
  }
  get subjectAltNames(): readonly GeneralName[] {
    return this.parsed.extensions.subjectAltNames ?? [];
  }
  get nameConstraints(): NameConstraints | undefined {
    return this.parsed.extensions.nameConstraints;
  }
  get authorityKeyIdentifier(): AuthorityKeyIdentifier | undefined {
    return this.parsed.extensions.authorityKeyIdentifier;
  }
  get subjectKeyIdentifier(): string | undefined {
    return this.parsed.extensions.subjectKeyIdentifier;
  }
  get certificatePolicies(): readonly PolicyInformation[] | undefined {
    return this.parsed.extensions.certificatePolicies;
  }
  /** basicConstraints cA; a certificate without it is a leaf (the design's certificate APIs). */
  get isCA(): boolean {
    return this.parsed.extensions.basicConstraints?.cA === true;
  }
  /** Subject and issuer are the same Name (RFC 5280 §6.1: "self-issued"). */
  get isSelfIssued(): boolean {
    return this.parsed.subject.equals(this.parsed.issuer);
  }
  /** Hex of the DER: an identity for maps and sets. Computed on each call and kept nowhere, so
   * certificates held by connections do not carry twice their size in text. */
  get derHex(): string {
    return toHex(this.parsed.der);
  }

  /** Same certificate bytes (keys are not compared). */
  equals(other: Certificate): boolean {
    return this.parsed === other.parsed || bytesEqual(this.parsed.der, other.parsed.der);
  }

  toString(): string {
    return `Certificate(${this.subject})`;
  }
}

/** Keys are compared by algorithm and key bits, not by SPKI bytes (encodings of parameters vary). */
export function publicKeysMatch(spkiA: Uint8Array, spkiB: Uint8Array): boolean {
  if (bytesEqual(spkiA, spkiB)) return true;
  const a = readSubjectPublicKeyInfo(new DerReader(spkiA, certificateDerError));
  const b = readSubjectPublicKeyInfo(new DerReader(spkiB, certificateDerError));
  return a.algorithm.oid === b.algorithm.oid && bytesEqual(a.keyBytes, b.keyBytes);
}

/** The DER of every CERTIFICATE block of a PEM text, not parsed; other blocks are refused. */
export function certificateDersFromPem(text: string): Uint8Array[] {
  return decodePem(text).map((block) => {
    if (isPrivateKeyLabel(block.label)) {
      throw new ExtraneousPrivateKeyError(`line ${block.line}: a private key where only certificates belong`);
    }
    if (block.label !== 'CERTIFICATE')
      throw new PemError(`line ${block.line}: unexpected PEM block "${block.label}"`);
    return block.der;
  });
}

/**
 * The subject Name's DER, found by walking the outer structure only (RFC 5280 §4.1: version,
 * serialNumber, signature, issuer, validity, subject), without decoding any field: what an index
 * of not yet parsed certificates is keyed by.
 */
export function subjectDerOf(der: Uint8Array): Uint8Array {
  const certEl = readSingle(der, 'Certificate', certificateDerError);
  if (certEl.tag !== Tag.SEQUENCE) throw new CertificateParseError('Certificate is not a SEQUENCE', 0);
  const tbs = DerReader.inside(certEl).enter(Tag.SEQUENCE, 'tbsCertificate');
  tbs.optional(contextTag(0, true));
  tbs.expect(Tag.INTEGER, 'serialNumber');
  tbs.expect(Tag.SEQUENCE, 'signature');
  tbs.expect(Tag.SEQUENCE, 'issuer');
  tbs.expect(Tag.SEQUENCE, 'validity');
  return encodingOf(tbs.expect(Tag.SEQUENCE, 'subject'));
}

function parseCertificate(der: Uint8Array): ParsedCertificate {
  const certEl = readSingle(der, 'Certificate', certificateDerError);
  if (certEl.tag !== Tag.SEQUENCE) throw new CertificateParseError('Certificate is not a SEQUENCE', 0);
  const cert = DerReader.inside(certEl);
  const tbsEl = cert.expect(Tag.SEQUENCE, 'tbsCertificate');
  const signatureAlgorithmId = readAlgorithmIdentifier(cert, 'signatureAlgorithm');
  const sigEl = cert.expect(Tag.BIT_STRING, 'signatureValue');
  cert.finish('Certificate');

  const tbs = DerReader.inside(tbsEl);
  let version: 1 | 2 | 3 = 1;
  const versionEl = tbs.optional(contextTag(0, true));
  if (versionEl) {
    const v = DerReader.inside(versionEl);
    const n = decodeSmallInteger(v.expect(Tag.INTEGER, 'version'));
    v.finish('version');
    // v1 is the DEFAULT, so DER omits it.
    if (n < 1 || n > 2) throw new CertificateParseError(`invalid version ${n}`, versionEl.offset);
    version = (n + 1) as 2 | 3;
  }
  const serialEl = tbs.expect(Tag.INTEGER, 'serialNumber');
  const innerSignature = readAlgorithmIdentifier(tbs, 'signature');
  const issuer = Name.fromElement(tbs.expect(Tag.SEQUENCE, 'issuer'));
  const validity = tbs.enter(Tag.SEQUENCE, 'validity');
  const notBefore = decodeTime(validity.read());
  const notAfter = decodeTime(validity.read());
  validity.finish('validity');
  const subject = Name.fromElement(tbs.expect(Tag.SEQUENCE, 'subject'));
  const spki = readSubjectPublicKeyInfo(tbs);
  // Unique identifiers (v2/v3 only) are read and ignored, as RFC 5280 §4.1.2.8 permits.
  for (const n of [1, 2]) {
    const uid = tbs.optional(contextTag(n, false));
    if (uid && version === 1)
      throw new CertificateParseError('unique identifier in a v1 certificate', uid.offset);
  }
  let extensions: ParsedExtensions = { all: [] };
  const extEl = tbs.optional(contextTag(3, true));
  if (extEl) {
    if (version !== 3)
      throw new CertificateParseError('extensions in a certificate older than v3', extEl.offset);
    const wrapper = DerReader.inside(extEl);
    extensions = parseExtensions(wrapper.expect(Tag.SEQUENCE, 'Extensions'));
    wrapper.finish('extensions');
  }
  tbs.finish('tbsCertificate');

  // RFC 5280 §4.1.1.2: the outer signatureAlgorithm MUST equal tbsCertificate.signature.
  if (!bytesEqual(signatureAlgorithmId.der, innerSignature.der)) {
    throw new CertificateParseError('signatureAlgorithm differs from tbsCertificate.signature', tbsEl.offset);
  }
  if (contentOf(serialEl).length > 20 + 1) {
    throw new CertificateParseError('serialNumber longer than 20 octets', serialEl.offset);
  }
  return {
    der,
    tbs: encodingOf(tbsEl),
    version,
    serialNumber: toHex(contentOf(serialEl)),
    signatureAlgorithmId,
    signatureAlgorithm: interpretSignatureAlgorithm(signatureAlgorithmId),
    signature: decodeOctetAlignedBitString(sigEl, 'signatureValue'),
    issuer,
    subject,
    notBefore,
    notAfter,
    spki,
    extensions,
  };
}
