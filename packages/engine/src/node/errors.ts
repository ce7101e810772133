// node:tls' error codes for the adapter: argument validation (ERR_INVALID_ARG_*), the OpenSSL
// verify codes of a chain that did not verify, and peer alerts named as OpenSSL's reason strings
// (node turns "sslv3 alert handshake failure" into ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE).
import type { Certificate } from '@tls-kit/certs';
import { AlertDescription } from '@tls-kit/messages';
import { alertName } from '../alerts.js';
import { BadTLSDataError, TLSAlertError } from '../errors.js';
import type { Reason } from '../reasons.js';

/** An Error with node's `code` (and any other properties node sets on it). */
export function nodeError<T extends object>(
  code: string,
  message: string,
  extra?: T,
  Kind: new (message: string) => Error = Error,
): Error & { code: string } & T {
  return Object.assign(new Kind(message), { code }, extra);
}

const describe = (value: unknown): string => {
  if (value === null || value === undefined) return `Received ${value}`;
  if (typeof value === 'function') return `Received function ${value.name || '<anonymous>'}`;
  if (typeof value === 'object') return `Received an instance of ${value.constructor?.name ?? 'Object'}`;
  const shown = typeof value === 'string' ? `'${value.slice(0, 25)}'` : String(value);
  return `Received type ${typeof value} (${shown})`;
};

/** node's ERR_INVALID_ARG_TYPE (a TypeError). */
export function invalidArgType(name: string, expected: string, value: unknown): Error {
  return nodeError(
    'ERR_INVALID_ARG_TYPE',
    `The "${name}" argument must be ${expected}. ${describe(value)}`,
    undefined,
    TypeError,
  );
}

/** node's ERR_INVALID_ARG_VALUE (a TypeError). */
export function invalidArgValue(name: string, value: unknown, reason = 'is invalid'): Error {
  return nodeError(
    'ERR_INVALID_ARG_VALUE',
    `The argument '${name}' ${reason}. Received ${JSON.stringify(value) ?? String(value)}`,
    undefined,
    TypeError,
  );
}

/** The OpenSSL verify codes node reports, with OpenSSL's messages (X509_verify_cert_error_string). */
const VERIFY_MESSAGES: Record<string, string> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  PATH_LENGTH_EXCEEDED: 'path length constraint exceeded',
  INVALID_CA: 'invalid CA certificate',
  INVALID_PURPOSE: 'unsupported certificate purpose',
  CERT_CHAIN_TOO_LONG: 'certificate chain too long',
  CERT_REVOKED: 'certificate revoked',
  CERT_REJECTED: 'certificate rejected',
  UNHANDLED_CRITICAL_EXTENSION: 'unhandled critical extension',
  PERMITTED_VIOLATION: 'permitted subtree violation',
  CERT_UNTRUSTED: 'certificate not trusted',
  UNABLE_TO_GET_CRL: 'unable to get certificate CRL',
  CRL_SIGNATURE_FAILURE: 'CRL signature failure',
  CRL_HAS_EXPIRED: 'CRL has expired',
  CRL_NOT_YET_VALID: 'CRL is not yet valid',
  EE_KEY_TOO_SMALL: 'EE certificate key too weak',
  ERR_TLS_CERT_ALTNAME_INVALID: "Hostname/IP does not match certificate's altnames",
};

/**
 * @tls-kit/certs' VerifyFailureReason -> node's code. 'unknown-issuer' depends on the chain
 * (see verifyCode); a reason missing here is reported as itself.
 */
const VERIFY_CODES: Partial<Record<string, string>> = {
  expired: 'CERT_HAS_EXPIRED',
  'not-yet-valid': 'CERT_NOT_YET_VALID',
  'bad-signature': 'CERT_SIGNATURE_FAILURE',
  'unsupported-algorithm': 'CERT_SIGNATURE_FAILURE',
  'weak-signature-algorithm': 'CERT_SIGNATURE_FAILURE',
  'path-length-exceeded': 'PATH_LENGTH_EXCEEDED',
  'not-a-ca': 'INVALID_CA',
  'leaf-is-ca': 'CERT_REJECTED',
  'extended-key-usage': 'INVALID_PURPOSE',
  'key-usage': 'INVALID_PURPOSE',
  'name-constraints': 'PERMITTED_VIOLATION',
  'unknown-critical-extension': 'UNHANDLED_CRITICAL_EXTENSION',
  'depth-exceeded': 'CERT_CHAIN_TOO_LONG',
  revoked: 'CERT_REVOKED',
  'self-signed-leaf': 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'self-signed-in-chain': 'SELF_SIGNED_CERT_IN_CHAIN',
  'weak-key': 'EE_KEY_TOO_SMALL',
  'crl-missing': 'UNABLE_TO_GET_CRL',
  'crl-invalid': 'CRL_SIGNATURE_FAILURE',
  'crl-expired': 'CRL_HAS_EXPIRED',
  'crl-not-yet-valid': 'CRL_NOT_YET_VALID',
  'hostname-mismatch': 'ERR_TLS_CERT_ALTNAME_INVALID',
};

const selfSigned = (c: Certificate) => Buffer.from(c.subject.der).equals(Buffer.from(c.issuer.der));

/** node's code for a chain (as received, leaf first) that failed verification with `reason`. */
export function verifyCode(reason: string, chain: readonly Certificate[]): string {
  const last = chain[chain.length - 1];
  // A lone self-signed certificate that is not trusted: OpenSSL names the self-signature first.
  if (reason === 'leaf-is-ca' && chain.length === 1 && last && selfSigned(last))
    return 'DEPTH_ZERO_SELF_SIGNED_CERT';
  if (reason !== 'unknown-issuer') return VERIFY_CODES[reason] ?? reason;
  if (last && selfSigned(last)) {
    return chain.length === 1 ? 'DEPTH_ZERO_SELF_SIGNED_CERT' : 'SELF_SIGNED_CERT_IN_CHAIN';
  }
  return chain.length === 1 ? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
}

/** The Error node emits for a verify code: OpenSSL's message, the code as `code`. */
export function verifyError(code: string): Error {
  return nodeError(code, VERIFY_MESSAGES[code] ?? code);
}

/** Alerts whose OpenSSL reason starts "sslv3 alert" (the SSL 3.0 alerts); the others say "tlsv1". */
const SSLV3_ALERTS: ReadonlySet<number> = new Set([
  AlertDescription.unexpected_message,
  AlertDescription.bad_record_mac,
  AlertDescription.handshake_failure,
  AlertDescription.bad_certificate,
  AlertDescription.unsupported_certificate,
  AlertDescription.certificate_revoked,
  AlertDescription.certificate_expired,
  AlertDescription.certificate_unknown,
  AlertDescription.illegal_parameter,
  AlertDescription.decompression_failure,
  AlertDescription.no_certificate,
]);

/** OpenSSL's reason strings that do not follow "<family> alert <name>". */
const ALERT_REASONS: Record<number, string> = {
  [AlertDescription.certificate_required]: 'tlsv13 alert certificate required',
  [AlertDescription.missing_extension]: 'tlsv13 alert missing extension',
  [AlertDescription.unsupported_extension]: 'tlsv1 unsupported extension',
  [AlertDescription.unrecognized_name]: 'tlsv1 unrecognized name',
  [AlertDescription.bad_certificate_status_response]: 'tlsv1 bad certificate status response',
  [AlertDescription.certificate_unobtainable]: 'tlsv1 certificate unobtainable',
  [AlertDescription.bad_certificate_hash_value]: 'tlsv1 bad certificate hash value',
  [AlertDescription.user_canceled]: 'tlsv1 alert user cancelled',
};

/** OpenSSL's reason string for a received alert, e.g. "sslv3 alert handshake failure". */
export function alertReason(code: number): string {
  const fixed = ALERT_REASONS[code];
  if (fixed) return fixed;
  const words = alertName(code).replace(/_/g, ' ');
  return SSLV3_ALERTS.has(code) ? `sslv3 alert ${words}` : `tlsv1 alert ${words}`;
}

/**
 * OpenSSL's reason for a failure we found ourselves, by the engine's reason: what node's own
 * side reports (a server's 'tlsClientError', a client's 'error'). Bytes that are no TLS record
 * (a plain-text peer) OpenSSL reads as a record version, unless they start an HTTP request.
 */
const LOCAL_REASONS: Partial<Record<Reason, string>> = {
  UnknownRecordType: 'wrong version number',
  BadRecordHeader: 'wrong version number',
  HttpRequest: 'http request',
  HttpsProxyRequest: 'https proxy request',
  NoSupportedVersion: 'unsupported protocol',
  ObsoleteClientVersion: 'unsupported protocol',
  NoSharedCipherSuite: 'no shared cipher',
  NoSharedGroup: 'no suitable key share',
  NoApplicationProtocol: 'no application protocol',
  AlpnCallbackRefused: 'no application protocol',
  // OpenSSL's server says this in both versions; only the alert it sends differs.
  NoClientCertificate: 'peer did not return a certificate',
  NoClientCertificateTls12: 'peer did not return a certificate',
};

/**
 * An engine error as node reports it: a peer alert gets node's ERR_SSL_* code, `library` and
 * `reason`, as do the failures of ours OpenSSL names; anything else is returned as it is.
 */
export function nodeErrorFrom(error: Error): Error {
  if ('code' in error) return error;
  let reason: string | undefined;
  if (error instanceof TLSAlertError) reason = alertReason(error.alertCode);
  else if (error instanceof BadTLSDataError) reason = LOCAL_REASONS[error.reason];
  if (reason === undefined) return error;
  return Object.assign(error, {
    code: `ERR_SSL_${reason.toUpperCase().replace(/ /g, '_')}`,
    library: 'SSL routines',
    reason,
  });
}
