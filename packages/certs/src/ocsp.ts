// OCSP responses (RFC 6960): strict parsing of OCSPResponse / BasicOCSPResponse (§4.2.1) and
// the client-side checks of §3.2 and §4.2.2 for one certificate, as a TLS client needs for a
// stapled response (RFC 6066 §8). No requests, no fetching, no nonce (a stapled response has none).

import type { CryptoProvider, HashAlgorithm } from '@tls-kit/crypto';
import { bytesEqual, toHex } from '@tls-kit/crypto/bytes';
import { defaultProvider } from '@tls-kit/crypto/default';
import {
  contentOf,
  contextTag,
  type DerElement,
  DerReader,
  decodeInteger,
  decodeNull,
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
import { Certificate } from './certificate.js';
import { CertificateError, certificateDerError, DerError } from './errors.js';
import { type Extension, handledExtensions, parseExtensions } from './extensions.js';
import { checkSignature, checkSignedData, isIssuerCandidate } from './issuer.js';
import { Name } from './name.js';
import { Oid } from './oids.js';

/** Well-formed DER that is not a valid OCSP response (RFC 6960 §4.2.1). */
export class OcspParseError extends DerError {}

export const OcspFailureReason = {
  /** responseStatus is not successful (malformedRequest, internalError, tryLater, ...). */
  Unsuccessful: 'unsuccessful',
  /** A responseType other than id-pkix-ocsp-basic. */
  UnsupportedResponseType: 'unsupported-response-type',
  /** `issuer` is not the issuer of `certificate` by name and key identifier. */
  WrongIssuer: 'wrong-issuer',
  /** The responderID names neither the issuer nor a certificate included in the response. */
  UnknownResponder: 'unknown-responder',
  /** The delegated responder certificate is not authorized (§4.2.2.2): wrong issuer, no OCSPSigning, expired. */
  UnauthorizedResponder: 'unauthorized-responder',
  BadSignature: 'bad-signature',
  UnsupportedAlgorithm: 'unsupported-algorithm',
  /** A SHA-1 signature on the response or on the delegated responder certificate. */
  WeakSignatureAlgorithm: 'weak-signature-algorithm',
  /** No SingleResponse's CertID is the certificate's. */
  NoMatchingResponse: 'no-matching-response',
  /** thisUpdate is later than now (beyond the clock skew). */
  NotYetValid: 'not-yet-valid',
  /** nextUpdate has passed, or a response without nextUpdate is older than a day. */
  Expired: 'expired',
  UnknownCriticalExtension: 'unknown-critical-extension',
} as const;
export type OcspFailureReason = (typeof OcspFailureReason)[keyof typeof OcspFailureReason];

/** The response does not vouch for the certificate: `reason` says which check failed. */
export class OcspVerificationError extends CertificateError {
  constructor(
    readonly reason: OcspFailureReason,
    message: string,
  ) {
    super(message);
  }
}

/** OCSPResponseStatus (§4.2.1); 4 is not used. */
const RESPONSE_STATUSES = [
  'successful',
  'malformedRequest',
  'internalError',
  'tryLater',
  undefined,
  'sigRequired',
  'unauthorized',
] as const;
export type OcspResponseStatus = NonNullable<(typeof RESPONSE_STATUSES)[number]>;

/** CRLReason (RFC 5280 §5.3.1); 7 is not used. */
export const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  undefined,
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type CrlReason = NonNullable<(typeof CRL_REASONS)[number]>;

export interface OcspCertId {
  /** Undefined for a hash algorithm this package does not compute (`hashAlgorithmOid` says which). */
  readonly hashAlgorithm: HashAlgorithm | undefined;
  readonly hashAlgorithmOid: string;
  readonly issuerNameHash: Uint8Array;
  readonly issuerKeyHash: Uint8Array;
  /** Hex of the serial number's DER content, as Certificate.serialNumber. */
  readonly serialNumber: string;
}

export type OcspCertStatus = 'good' | 'revoked' | 'unknown';

export interface OcspSingleResponse {
  readonly certId: OcspCertId;
  readonly status: OcspCertStatus;
  readonly revocationTime: Date | undefined;
  readonly revocationReason: CrlReason | undefined;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly extensions: readonly Extension[];
}

export type OcspResponderId = { readonly byName: Name } | { readonly byKey: Uint8Array };

export interface BasicOcspResponse {
  /** DER of ResponseData: the signed bytes. */
  readonly tbsResponseData: Uint8Array;
  readonly responderId: OcspResponderId;
  readonly producedAt: Date;
  readonly responses: readonly OcspSingleResponse[];
  readonly extensions: readonly Extension[];
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signature: Uint8Array;
  /** The `certs` field: certificates that help to check the signature (a delegated responder's). */
  readonly certificates: readonly Certificate[];
}

export interface OcspResponse {
  readonly responseStatus: OcspResponseStatus;
  /** The responseType OID; undefined when responseStatus is not successful. */
  readonly responseType: string | undefined;
  /** Present for a successful id-pkix-ocsp-basic response. */
  readonly basic: BasicOcspResponse | undefined;
}

const hashOids: Record<string, HashAlgorithm> = {
  [Oid.sha1]: 'sha1',
  [Oid.sha256]: 'sha256',
  [Oid.sha384]: 'sha384',
  [Oid.sha512]: 'sha512',
};

/**
 * Parses a DER OCSPResponse (RFC 6960 §4.2.1), strictly. Throws DerError / OcspParseError, or
 * CertificateParseError for a malformed certificate in `certs`.
 */
export function parseOcspResponse(der: Uint8Array): OcspResponse {
  const bytes = der.slice();
  const outerEl = readSingle(bytes, 'OCSPResponse', certificateDerError);
  if (outerEl.tag !== Tag.SEQUENCE) throw new OcspParseError('OCSPResponse is not a SEQUENCE', 0);
  const outer = DerReader.inside(outerEl);
  const statusEl = outer.expect(Tag.ENUMERATED, 'responseStatus');
  const responseStatus = RESPONSE_STATUSES[decodeSmallInteger(statusEl)];
  if (responseStatus === undefined)
    throw new OcspParseError('unknown OCSPResponseStatus', statusEl.contentOffset);
  const bytesEl = outer.optional(contextTag(0, true));
  outer.finish('OCSPResponse');
  // "If the value of responseStatus is one of the error conditions, the responseBytes field is not set."
  if (responseStatus !== 'successful') {
    if (bytesEl) throw new OcspParseError(`responseBytes in a ${responseStatus} response`, bytesEl.offset);
    return { responseStatus, responseType: undefined, basic: undefined };
  }
  if (!bytesEl) throw new OcspParseError('successful response without responseBytes', outer.offset);
  const wrapper = DerReader.inside(bytesEl);
  const rb = wrapper.enter(Tag.SEQUENCE, 'ResponseBytes');
  wrapper.finish('responseBytes');
  const responseType = rb.oid('responseType');
  const responseEl = rb.expect(Tag.OCTET_STRING, 'response');
  rb.finish('ResponseBytes');
  if (responseType !== Oid.ocspBasic) return { responseStatus, responseType, basic: undefined };
  const inner = DerReader.encapsulated(responseEl);
  const basic = parseBasicResponse(inner.expect(Tag.SEQUENCE, 'BasicOCSPResponse'));
  inner.finish('BasicOCSPResponse');
  return { responseStatus, responseType, basic };
}

function parseBasicResponse(el: DerElement): BasicOcspResponse {
  const r = DerReader.inside(el);
  const tbsEl = r.expect(Tag.SEQUENCE, 'tbsResponseData');
  const algorithm = readAlgorithmIdentifier(r, 'signatureAlgorithm');
  const signature = decodeOctetAlignedBitString(r.expect(Tag.BIT_STRING, 'signature'), 'signature');
  const certificates: Certificate[] = [];
  const certsEl = r.optional(contextTag(0, true));
  if (certsEl) {
    const wrapper = DerReader.inside(certsEl);
    const list = wrapper.enter(Tag.SEQUENCE, 'certs');
    wrapper.finish('certs');
    while (!list.done)
      certificates.push(Certificate.fromDer(encodingOf(list.expect(Tag.SEQUENCE, 'Certificate'))));
  }
  r.finish('BasicOCSPResponse');

  const tbs = DerReader.inside(tbsEl);
  // version [0] EXPLICIT Version DEFAULT v1: DER omits v1, and v1 is the only version.
  const versionEl = tbs.optional(contextTag(0, true));
  if (versionEl)
    throw new OcspParseError('ResponseData version present (only v1, the default, exists)', versionEl.offset);
  const responderId = parseResponderId(tbs.read());
  const producedAt = decodeTime(tbs.expect(Tag.GENERALIZED_TIME, 'producedAt'));
  const list = tbs.enter(Tag.SEQUENCE, 'responses');
  const responses: OcspSingleResponse[] = [];
  while (!list.done) responses.push(parseSingleResponse(list.expect(Tag.SEQUENCE, 'SingleResponse')));
  const extensions = optionalExtensions(tbs, 1, 'responseExtensions');
  tbs.finish('ResponseData');
  return {
    tbsResponseData: encodingOf(tbsEl),
    responderId,
    producedAt,
    responses,
    extensions,
    signatureAlgorithm: interpretSignatureAlgorithm(algorithm),
    signature,
    certificates,
  };
}

/** ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash } (explicit tags, §4.2.1). */
function parseResponderId(el: DerElement): OcspResponderId {
  const r =
    el.tag === contextTag(1, true) || el.tag === contextTag(2, true) ? DerReader.inside(el) : undefined;
  if (!r) throw new OcspParseError('ResponderID is neither byName [1] nor byKey [2]', el.offset);
  const id: OcspResponderId =
    el.tag === contextTag(1, true)
      ? { byName: Name.fromElement(r.expect(Tag.SEQUENCE, 'ResponderID byName')) }
      : { byKey: r.octetString('ResponderID byKey') };
  r.finish('ResponderID');
  if ('byKey' in id && id.byKey.length !== 20) {
    throw new OcspParseError('ResponderID byKey is not a SHA-1 hash', el.offset);
  }
  return id;
}

function parseSingleResponse(el: DerElement): OcspSingleResponse {
  const r = DerReader.inside(el);
  const certId = parseCertId(r.expect(Tag.SEQUENCE, 'CertID'));
  const statusEl = r.read();
  let status: OcspCertStatus;
  let revocationTime: Date | undefined;
  let revocationReason: CrlReason | undefined;
  // CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }
  if (statusEl.tag === contextTag(0, false) || statusEl.tag === contextTag(2, false)) {
    decodeNull(statusEl);
    status = statusEl.tag === contextTag(0, false) ? 'good' : 'unknown';
  } else if (statusEl.tag === contextTag(1, true)) {
    status = 'revoked';
    const info = DerReader.inside(statusEl);
    revocationTime = decodeTime(info.expect(Tag.GENERALIZED_TIME, 'revocationTime'));
    const reasonEl = info.optional(contextTag(0, true));
    if (reasonEl) {
      const inner = DerReader.inside(reasonEl);
      const codeEl = inner.expect(Tag.ENUMERATED, 'revocationReason');
      inner.finish('revocationReason');
      revocationReason = CRL_REASONS[decodeSmallInteger(codeEl)];
      if (revocationReason === undefined) throw new OcspParseError('unknown CRLReason', codeEl.contentOffset);
    }
    info.finish('RevokedInfo');
  } else {
    throw new OcspParseError('CertStatus is not good [0], revoked [1] or unknown [2]', statusEl.offset);
  }
  const thisUpdate = decodeTime(r.expect(Tag.GENERALIZED_TIME, 'thisUpdate'));
  let nextUpdate: Date | undefined;
  const nextEl = r.optional(contextTag(0, true));
  if (nextEl) {
    const inner = DerReader.inside(nextEl);
    nextUpdate = decodeTime(inner.expect(Tag.GENERALIZED_TIME, 'nextUpdate'));
    inner.finish('nextUpdate');
  }
  const extensions = optionalExtensions(r, 1, 'singleExtensions');
  r.finish('SingleResponse');
  return { certId, status, revocationTime, revocationReason, thisUpdate, nextUpdate, extensions };
}

function parseCertId(el: DerElement): OcspCertId {
  const r = DerReader.inside(el);
  const algorithm = readAlgorithmIdentifier(r, 'CertID hashAlgorithm');
  // Hash AlgorithmIdentifiers carry NULL parameters or none (RFC 5754 §2).
  if (algorithm.parameters) decodeNull(algorithm.parameters);
  const issuerNameHash = r.octetString('issuerNameHash');
  const issuerKeyHash = r.octetString('issuerKeyHash');
  const serialEl = r.expect(Tag.INTEGER, 'serialNumber');
  decodeInteger(serialEl);
  r.finish('CertID');
  return {
    hashAlgorithm: hashOids[algorithm.oid],
    hashAlgorithmOid: algorithm.oid,
    issuerNameHash,
    issuerKeyHash,
    serialNumber: toHex(contentOf(serialEl)),
  };
}

/** `[n] EXPLICIT Extensions OPTIONAL`. */
function optionalExtensions(r: DerReader, n: number, what: string): readonly Extension[] {
  const el = r.optional(contextTag(n, true));
  if (!el) return [];
  const wrapper = DerReader.inside(el);
  const list = parseExtensions(wrapper.expect(Tag.SEQUENCE, what)).all;
  wrapper.finish(what);
  return list;
}

export interface OcspVerifyOptions {
  /** The certificate whose status is asked. */
  readonly certificate: Certificate;
  /** Its issuer (from the validated path). */
  readonly issuer: Certificate;
  /** Default: the current time. */
  readonly now?: Date;
  /** Tolerated clock difference with the responder, in milliseconds. Default 5 minutes. */
  readonly clockSkew?: number;
  readonly provider?: CryptoProvider;
}

export interface OcspStatus {
  readonly status: OcspCertStatus;
  readonly revocationTime?: Date;
  readonly reason?: CrlReason;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
}

const DEFAULT_SKEW = 5 * 60_000;
/** How long a response without nextUpdate counts as fresh after its thisUpdate (as mozilla::pkix). */
const LIFETIME_WITHOUT_NEXT_UPDATE = 24 * 3_600_000;

/** Extensions a response may mark critical: the nonce, which stapled responses lack and we ignore. */
const handledResponseExtensions: ReadonlySet<string> = new Set([Oid.ocspNonce]);

const refuse = (reason: OcspFailureReason, message: string): never => {
  throw new OcspVerificationError(reason, message);
};

/**
 * What `response` says of `certificate` (RFC 6960 §3.2, §4.2.2): a successful basic response
 * signed by `issuer` or by a delegated responder it certified for OCSPSigning, with a current
 * SingleResponse for the certificate. 'revoked' and 'unknown' are answers, returned; anything
 * that keeps the response from vouching for the certificate throws OcspVerificationError.
 */
export function verifyOcspResponse(response: OcspResponse, options: OcspVerifyOptions): OcspStatus {
  const { certificate, issuer } = options;
  const provider = options.provider ?? defaultProvider;
  const now = (options.now ?? new Date()).getTime();
  const skew = options.clockSkew ?? DEFAULT_SKEW;
  if (response.responseStatus !== 'successful')
    refuse('unsuccessful', `the OCSP responder answered ${response.responseStatus}`);
  const basic =
    response.basic ?? refuse('unsupported-response-type', `OCSP response type ${response.responseType}`);
  if (!isIssuerCandidate(certificate, issuer))
    refuse('wrong-issuer', `${issuer.subject} is not the issuer of ${certificate.subject}`);
  checkCritical(basic.extensions, 'the OCSP response');

  const signer = responseSigner(basic, issuer, provider, now);
  checkNotSha1(basic.signatureAlgorithm, 'the OCSP response');
  const signature = checkSignedData(
    { algorithm: basic.signatureAlgorithm, data: basic.tbsResponseData, signature: basic.signature },
    'the OCSP response',
    signer,
    provider,
  );
  if (!signature.ok) refuse(signature.reason, signature.message);

  const single =
    basic.responses.find((s) => certIdMatches(s.certId, certificate, issuer, provider)) ??
    refuse('no-matching-response', `the OCSP response has no status for ${certificate.subject}`);
  checkCritical(single.extensions, 'the SingleResponse');
  // §4.2.2.1: thisUpdate not in the future, nextUpdate (when present) not in the past.
  if (single.thisUpdate.getTime() > now + skew)
    refuse(
      'not-yet-valid',
      `the OCSP response's thisUpdate ${single.thisUpdate.toISOString()} is in the future`,
    );
  const expiry = single.nextUpdate?.getTime() ?? single.thisUpdate.getTime() + LIFETIME_WITHOUT_NEXT_UPDATE;
  if (now - skew > expiry)
    refuse('expired', `the OCSP response expired at ${new Date(expiry).toISOString()}`);
  return {
    status: single.status,
    ...(single.revocationTime ? { revocationTime: single.revocationTime } : {}),
    ...(single.revocationReason ? { reason: single.revocationReason } : {}),
    thisUpdate: single.thisUpdate,
    nextUpdate: single.nextUpdate,
  };
}

/**
 * The certificate whose key must have signed the response (§4.2.2.2): the issuer itself, or a
 * certificate of `certs` named by the responderID, issued by the issuer, carrying
 * id-kp-OCSPSigning and valid now.
 */
function responseSigner(
  basic: BasicOcspResponse,
  issuer: Certificate,
  provider: CryptoProvider,
  now: number,
): Certificate {
  const id = basic.responderId;
  const named = (cert: Certificate) =>
    'byName' in id
      ? cert.subject.equals(id.byName)
      : bytesEqual(provider.hash('sha1', cert.subjectPublicKeyInfo.keyBytes), id.byKey);
  if (named(issuer)) return issuer;
  const delegate =
    basic.certificates.find(named) ??
    refuse('unknown-responder', 'the OCSP responderID names neither the issuer nor an included certificate');
  const who = `the OCSP responder ${delegate.subject}`;
  if (!isIssuerCandidate(delegate, issuer))
    refuse('unauthorized-responder', `${who} is not issued by ${issuer.subject}`);
  checkNotSha1(delegate.signatureAlgorithm, who);
  const issued = checkSignature(delegate, issuer, provider);
  if (!issued.ok) refuse('unauthorized-responder', issued.message);
  if (!delegate.extendedKeyUsage?.includes(Oid.ocspSigning))
    refuse('unauthorized-responder', `${who} lacks the OCSPSigning extended key usage`);
  if (now < delegate.notBefore.getTime() || now > delegate.notAfter.getTime())
    refuse('unauthorized-responder', `${who} is not valid now`);
  const unknown = delegate.extensions.find(
    (e) => e.critical && !handledExtensions.has(e.oid) && e.oid !== Oid.ocspNoCheck,
  );
  if (unknown)
    refuse('unknown-critical-extension', `${who} has an unhandled critical extension ${unknown.oid}`);
  return delegate;
}

/** CertID (§4.1.1): hashes of the issuer's Name DER and of its key's BIT STRING value, and the serial. */
function certIdMatches(
  id: OcspCertId,
  certificate: Certificate,
  issuer: Certificate,
  provider: CryptoProvider,
): boolean {
  if (!id.hashAlgorithm || id.serialNumber !== certificate.serialNumber) return false;
  return (
    bytesEqual(provider.hash(id.hashAlgorithm, certificate.issuer.der), id.issuerNameHash) &&
    bytesEqual(provider.hash(id.hashAlgorithm, issuer.subjectPublicKeyInfo.keyBytes), id.issuerKeyHash)
  );
}

function checkCritical(extensions: readonly Extension[], what: string): void {
  const unknown = extensions.find((e) => e.critical && !handledResponseExtensions.has(e.oid));
  if (unknown)
    refuse('unknown-critical-extension', `${what} has an unhandled critical extension ${unknown.oid}`);
}

/** SHA-1 signatures are refused, as verifyChain does by default (RFC 9155). */
function checkNotSha1(algorithm: SignatureAlgorithm, what: string): void {
  if ('hash' in algorithm && algorithm.hash === 'sha1')
    refuse('weak-signature-algorithm', `${what} is signed with SHA-1`);
}
