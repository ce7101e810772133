// Certificate revocation lists (RFC 5280 §5) and the revocation check of §6.3 for complete,
// direct CRLs: the CRL's issuer is the certificate's issuer and signs it with the key of the
// path's next certificate. Delta CRLs, indirect CRLs (certificateIssuer entries) and
// issuingDistributionPoint scopes are not handled: such a CRL is refused, never half-applied.

import type { CryptoProvider } from '@tls-kit/crypto';
import { bytesEqual, toHex } from '@tls-kit/crypto/bytes';
import {
  contentOf,
  contextTag,
  DerReader,
  decodeInteger,
  decodeOctetAlignedBitString,
  decodeSmallInteger,
  decodeTime,
  encodingOf,
  readSingle,
  Tag,
} from '@tls-kit/crypto/der';
import {
  interpretSignatureAlgorithm,
  readAlgorithmIdentifier,
  type SignatureAlgorithm,
} from './algorithms.js';
import type { Certificate } from './certificate.js';
import type { Problem } from './certificate-profile.js';
import { CertificateParseError, certificateDerError, PemError } from './errors.js';
import { type AuthorityKeyIdentifier, type Extension, parseExtensions } from './extensions.js';
import { checkSignedData } from './issuer.js';
import { Name } from './name.js';
import { CRL_REASONS, type CrlReason } from './ocsp.js';
import { decodePem } from './pem.js';

/** 'leaf': the leaf's issuer must have a CRL (openssl -crl_check); 'chain': every issuer (-crl_check_all). */
export type CrlCheck = 'leaf' | 'chain';

export interface RevokedCertificate {
  readonly revocationDate: Date;
  readonly reason: CrlReason | undefined;
}

const CRL_NUMBER = '2.5.29.20';
const DELTA_CRL_INDICATOR = '2.5.29.27';
const ISSUING_DISTRIBUTION_POINT = '2.5.29.28';
const REASON_CODE = '2.5.29.21';
const INVALIDITY_DATE = '2.5.29.24';
const CERTIFICATE_ISSUER = '2.5.29.29';

/** CRL and entry extensions understood here; any other critical one makes the CRL unusable (§5.2, §5.3). */
const handledCrlExtensions: ReadonlySet<string> = new Set([
  CRL_NUMBER,
  '2.5.29.35',
  REASON_CODE,
  INVALIDITY_DATE,
]);

export class CertificateRevocationList {
  /** @internal Use fromDer, fromPem or load. */
  constructor(
    readonly der: Uint8Array,
    /** @internal The signed TBSCertList. */
    readonly tbs: Uint8Array,
    readonly signatureAlgorithm: SignatureAlgorithm,
    /** @internal */
    readonly signature: Uint8Array,
    readonly issuer: Name,
    readonly thisUpdate: Date,
    readonly nextUpdate: Date | undefined,
    readonly extensions: readonly Extension[],
    readonly authorityKeyIdentifier: AuthorityKeyIdentifier | undefined,
    /** By serial number (hex of the INTEGER content, as Certificate.serialNumber). */
    private readonly revoked: ReadonlyMap<string, RevokedCertificate>,
    /** Why this CRL cannot be applied (a delta or indirect CRL, an unknown critical extension). */
    readonly unsupported: string | undefined,
  ) {}

  /** Parses a DER CertificateList (the input is copied). Throws DerError / CertificateParseError. */
  static fromDer(der: Uint8Array): CertificateRevocationList {
    return parseCrl(der.slice());
  }

  /** Every "X509 CRL" block of a PEM text. */
  static fromPem(text: string): CertificateRevocationList[] {
    return decodePem(text).map((block) => {
      if (block.label !== 'X509 CRL')
        throw new PemError(`line ${block.line}: expected an X509 CRL block, not "${block.label}"`);
      return CertificateRevocationList.fromDer(block.der);
    });
  }

  /** PEM (any number of CRLs) or DER (one), as node:tls' `crl` option takes them. */
  static load(input: string | Uint8Array): CertificateRevocationList[] {
    if (typeof input === 'string') return CertificateRevocationList.fromPem(input);
    if (input[0] === 0x30) return [CertificateRevocationList.fromDer(input)];
    return CertificateRevocationList.fromPem(new TextDecoder().decode(input));
  }

  /** The entry for `certificate`'s serial number, if this CRL lists it. */
  entryFor(certificate: Certificate): RevokedCertificate | undefined {
    return this.revoked.get(certificate.serialNumber);
  }

  get revokedCount(): number {
    return this.revoked.size;
  }
}

function parseCrl(der: Uint8Array): CertificateRevocationList {
  const listEl = readSingle(der, 'CertificateList', certificateDerError);
  if (listEl.tag !== Tag.SEQUENCE) throw new CertificateParseError('CertificateList is not a SEQUENCE', 0);
  const list = DerReader.inside(listEl);
  const tbsEl = list.expect(Tag.SEQUENCE, 'tbsCertList');
  const algorithmId = readAlgorithmIdentifier(list, 'signatureAlgorithm');
  const signature = decodeOctetAlignedBitString(
    list.expect(Tag.BIT_STRING, 'signatureValue'),
    'signatureValue',
  );
  list.finish('CertificateList');
  const tbs = DerReader.inside(tbsEl);
  const versionEl = tbs.optional(Tag.INTEGER);
  if (versionEl && decodeSmallInteger(versionEl) !== 1)
    throw new CertificateParseError('CRL version must be v2 when present', versionEl.offset);
  const inner = readAlgorithmIdentifier(tbs, 'signature');
  if (!bytesEqual(inner.der, algorithmId.der))
    throw new CertificateParseError('signatureAlgorithm differs from tbsCertList.signature', tbsEl.offset);
  const issuer = Name.fromElement(tbs.expect(Tag.SEQUENCE, 'issuer'));
  const thisUpdate = decodeTime(tbs.read());
  const next = tbs.peekTag();
  const nextUpdate =
    next === Tag.UTC_TIME || next === Tag.GENERALIZED_TIME ? decodeTime(tbs.read()) : undefined;
  const revoked = new Map<string, RevokedCertificate>();
  let unsupported: string | undefined;
  const entriesEl = tbs.optional(Tag.SEQUENCE);
  if (entriesEl) {
    const entries = DerReader.inside(entriesEl);
    while (!entries.done) {
      const entry = entries.enter(Tag.SEQUENCE, 'revokedCertificate');
      const serialEl = entry.expect(Tag.INTEGER, 'userCertificate');
      decodeInteger(serialEl);
      const revocationDate = decodeTime(entry.read());
      const extensions = entry.done
        ? undefined
        : parseExtensions(entry.expect(Tag.SEQUENCE, 'crlEntryExtensions'));
      entry.finish('revokedCertificate');
      let reason: CrlReason | undefined;
      for (const e of extensions?.all ?? []) {
        if (e.oid === CERTIFICATE_ISSUER) unsupported ??= 'an indirect CRL (certificateIssuer entries)';
        else if (e.critical && !handledCrlExtensions.has(e.oid))
          unsupported ??= `an unhandled critical entry extension ${e.oid}`;
        if (e.oid === REASON_CODE) {
          const r = new DerReader(e.value, certificateDerError);
          reason = CRL_REASONS[decodeSmallInteger(r.expect(Tag.ENUMERATED, 'CRLReason'))];
          r.finish('CRLReason');
        }
      }
      // removeFromCRL only has a meaning in delta CRLs (§5.3.1).
      if (reason !== 'removeFromCRL') revoked.set(toHex(contentOf(serialEl)), { revocationDate, reason });
    }
  }
  let extensions: readonly Extension[] = [];
  let authorityKeyIdentifier: AuthorityKeyIdentifier | undefined;
  const extEl = tbs.optional(contextTag(0, true));
  if (extEl) {
    const wrapper = DerReader.inside(extEl);
    const parsed = parseExtensions(wrapper.expect(Tag.SEQUENCE, 'crlExtensions'));
    wrapper.finish('crlExtensions');
    extensions = parsed.all;
    authorityKeyIdentifier = parsed.authorityKeyIdentifier;
    for (const e of extensions) {
      if (e.oid === DELTA_CRL_INDICATOR) unsupported ??= 'a delta CRL';
      else if (e.oid === ISSUING_DISTRIBUTION_POINT) unsupported ??= 'a CRL with an issuingDistributionPoint';
      else if (e.critical && !handledCrlExtensions.has(e.oid))
        unsupported ??= `an unhandled critical extension ${e.oid}`;
    }
  }
  tbs.finish('tbsCertList');
  return new CertificateRevocationList(
    der,
    encodingOf(tbsEl),
    interpretSignatureAlgorithm(algorithmId),
    signature,
    issuer,
    thisUpdate,
    nextUpdate,
    extensions,
    authorityKeyIdentifier,
    revoked,
    unsupported,
  );
}

/** A CRL problem found for `path[depth]`. */
export type RevocationProblem = Problem & { readonly depth: number };

/**
 * RFC 5280 §6.3 for each certificate of `path` but the anchor, against the CRLs of its issuer
 * (`path[depth + 1]`): by issuer Name DER, and by key identifier when the CRL has an AKI.
 */
export function revocationProblem(
  path: readonly Certificate[],
  crls: readonly CertificateRevocationList[],
  check: CrlCheck | undefined,
  time: Date,
  provider: CryptoProvider,
): RevocationProblem | undefined {
  for (let depth = 0; depth < path.length - 1; depth++) {
    const cert = path[depth]!;
    const issuer = path[depth + 1]!;
    const required = check === 'chain' || (check === 'leaf' && depth === 0);
    const candidates = crls.filter((crl) => crlIsFrom(crl, issuer));
    if (candidates.length === 0) {
      if (required)
        return {
          depth,
          reason: 'crl-missing',
          message: `no CRL of its issuer ${issuer.subject}`,
          section: 'RFC 5280 §6.3.3',
        };
      continue;
    }
    let firstProblem: RevocationProblem | undefined;
    let usable: CertificateRevocationList | undefined;
    for (const crl of candidates) {
      const problem = crlProblem(crl, issuer, time, provider);
      if (!problem) {
        usable = crl;
        break;
      }
      firstProblem ??= { ...problem, depth };
    }
    if (!usable) return firstProblem;
    const entry = usable.entryFor(cert);
    if (entry) {
      return {
        depth,
        reason: 'revoked',
        message: `revoked at ${entry.revocationDate.toISOString()}${entry.reason ? ` (${entry.reason})` : ''} by the CRL of ${issuer.subject}`,
        section: 'RFC 5280 §6.3.3 (i)',
      };
    }
  }
  return undefined;
}

function crlIsFrom(crl: CertificateRevocationList, issuer: Certificate): boolean {
  if (!crl.issuer.equals(issuer.subject)) return false;
  const kid = crl.authorityKeyIdentifier?.keyIdentifier;
  return (
    kid === undefined || issuer.subjectKeyIdentifier === undefined || kid === issuer.subjectKeyIdentifier
  );
}

function crlProblem(
  crl: CertificateRevocationList,
  issuer: Certificate,
  time: Date,
  provider: CryptoProvider,
): Problem | undefined {
  const from = `the CRL of ${issuer.subject}`;
  if (crl.unsupported)
    return {
      reason: 'crl-invalid',
      message: `${from} is ${crl.unsupported}, not supported`,
      section: 'RFC 5280 §5.2',
    };
  if (issuer.keyUsage && !issuer.keyUsage.has('cRLSign'))
    return {
      reason: 'crl-invalid',
      message: `${from}: its issuer's keyUsage lacks cRLSign`,
      section: 'RFC 5280 §6.3.3 (f)',
    };
  const signature = checkSignedData(
    { algorithm: crl.signatureAlgorithm, data: crl.tbs, signature: crl.signature },
    from,
    issuer,
    provider,
  );
  if (!signature.ok)
    return { reason: 'crl-invalid', message: signature.message, section: 'RFC 5280 §6.3.3 (g)' };
  if (time < crl.thisUpdate)
    return {
      reason: 'crl-not-yet-valid',
      message: `${from} is not valid before ${crl.thisUpdate.toISOString()}`,
      section: 'RFC 5280 §5.1.2.4',
    };
  if (crl.nextUpdate && time > crl.nextUpdate)
    return {
      reason: 'crl-expired',
      message: `${from} expired at ${crl.nextUpdate.toISOString()}`,
      section: 'RFC 5280 §6.3.3 (a)(2)',
    };
  return undefined;
}
