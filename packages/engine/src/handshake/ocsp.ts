// OCSP stapling (RFC 6066 §8, RFC 8446 §4.4.2.1), both roles and both versions. The response is
// passed through as bytes (Connection.ocspResponse) and, when the client opts in
// (ocspVerification), checked against the validated chain with @tls-kit/certs (RFC 6960). We
// never fetch a response ourselves.
import {
  type Certificate,
  CertificateError,
  InvalidatedError,
  parseOcspResponse,
  verifyOcspResponse,
} from '@tls-kit/certs';
import {
  CertificateStatusType,
  type ClientHelloExtension,
  ExtensionType,
  findExtension,
} from '@tls-kit/messages';
import type { HandshakeState } from '../core.js';
import { refuse, UserCallbackError } from '../errors.js';
import type { HandshakeContext } from './context.js';
import type { OcspVerification, StatusFailureReason } from './ocsp-verification.js';

/**
 * ServerOptions.ocspResponse: the DER OCSPResponse to staple for the chain we send (leaf first),
 * or undefined to staple nothing; a Promise of either to answer later (the handshake waits).
 * Called only when the client asked for OCSP.
 */
export type OcspResponder = (
  certificates: readonly Certificate[],
) => Uint8Array | undefined | PromiseLike<Uint8Array | undefined>;

/** `opaque OCSPResponse<1..2^24-1>` (RFC 6066 §8). */
const MAX_RESPONSE = 2 ** 24 - 1;

/**
 * Our ClientHello's status_request: OCSP with no responder list and no request extensions (RFC
 * 6066 §8: the responders are known to the server).
 */
export const STATUS_REQUEST: ClientHelloExtension = {
  extensionType: ExtensionType.status_request,
  extensionData: {
    statusType: CertificateStatusType.ocsp,
    responderIdList: [],
    requestExtensions: new Uint8Array(0),
  },
};

/**
 * Server: `then` with the response to staple, when the ClientHello asked for OCSP (its
 * status_request decodes only with status_type ocsp) and `responder` has one for `certificates`.
 * A responder answering with a Promise pauses the handshake until it settles (ConnectionCore.waitFor);
 * its rejection, like its exception, ends the connection with the user's error and no alert.
 */
export function withStapledResponse(
  conn: HandshakeContext,
  clientHelloExtensions: readonly ClientHelloExtension[],
  responder: OcspResponder | undefined,
  certificates: readonly Certificate[] | undefined,
  then: (response: Uint8Array | undefined) => HandshakeState,
): HandshakeState {
  if (!responder || !certificates || !findExtension(clientHelloExtensions, ExtensionType.status_request))
    return then(undefined);
  let response: ReturnType<OcspResponder>;
  try {
    response = responder(certificates);
  } catch (error) {
    throw new UserCallbackError(error);
  }
  if (!isPromiseLike(response)) return then(checkedResponse(response));
  type Settled = { readonly response: Uint8Array | undefined } | { readonly error: unknown };
  return conn.waitFor<Settled>(
    (answer) => {
      const settle = (settled: Settled) => {
        try {
          answer(settled);
        } catch (error) {
          // The connection was closed while we waited: nobody is left to tell.
          if (!(error instanceof InvalidatedError)) throw error;
        }
      };
      response.then(
        (r) => settle({ response: r }),
        (error: unknown) => settle({ error }),
      );
    },
    (settled) => {
      if ('error' in settled) throw new UserCallbackError(settled.error);
      return then(checkedResponse(settled.response));
    },
    'OcspResponse',
  );
}

function isPromiseLike(value: unknown): value is PromiseLike<Uint8Array | undefined> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/** The responder's answer, checked (null too, from JavaScript callers, is none). */
function checkedResponse(response: Uint8Array | undefined | null): Uint8Array | undefined {
  if (response === undefined || response === null) return undefined;
  if (!(response instanceof Uint8Array) || response.length > MAX_RESPONSE) {
    refuse('BadOcspResponderResult', 'ocspResponse must return a Uint8Array of at most 2^24-1 bytes');
  }
  return response.length > 0 ? response : undefined;
}

/**
 * Client: keeps a stapled CertificateStatus (the TLS 1.2 message or the TLS 1.3 leaf entry's
 * extension). RFC 6066 §8 defines only status_type ocsp, the one we asked for: anything else
 * contradicts our request (illegal_parameter). A copy of exact size, not a view of the record.
 */
export function acceptStapledResponse(
  conn: HandshakeContext,
  status: { readonly statusType: number; readonly ocspResponse: Uint8Array },
): void {
  if (status.statusType !== CertificateStatusType.ocsp) {
    refuse('BadCertificateStatusType', `CertificateStatus with status_type ${status.statusType}`);
  }
  conn.facts.ocspResponse = status.ocspResponse.slice();
}

/**
 * Client: checks the stapled response against the validated chain (the issuer is its second
 * certificate), as RFC 6066 §8 asks of a client that requested a status: a response that does
 * not verify, is stale or says unknown, or (mode 'require') none at all, is
 * bad_certificate_status_response (RFC 8446 §6.2); revoked is certificate_revoked. With
 * rejectUnauthorized false the failure is recorded in peerVerification, as chain failures are;
 * a chain that already failed is not checked further (its issuer is not known).
 */
export function checkStapledStatus(conn: HandshakeContext, mode: OcspVerification): void {
  if (mode === 'off' || conn.facts.peerVerification?.ok === false) return;
  const [leaf, issuer] = conn.facts.peerCertificates;
  const response = conn.facts.ocspResponse;
  const reject = (reason: StatusFailureReason, message: string): void => {
    if (conn.config.rejectUnauthorized)
      refuse(reason === 'revoked' ? 'CertificateRevoked' : 'BadCertificateStatus', message);
    conn.facts.peerVerification = { ok: false, reason, message };
  };
  const bad = (message: string) => reject('bad-certificate-status', message);
  if (!response) {
    if (mode === 'require') bad('the server stapled no OCSP response');
    return;
  }
  if (!leaf || !issuer) {
    bad('OCSP: the leaf is trusted directly, no issuer to check the response with');
    return;
  }
  let status: ReturnType<typeof verifyOcspResponse>;
  try {
    status = verifyOcspResponse(parseOcspResponse(response), {
      certificate: leaf,
      issuer,
      now: new Date(conn.config.clock()),
      provider: conn.config.provider,
    });
  } catch (error) {
    if (!(error instanceof CertificateError)) throw error;
    bad(`the stapled OCSP response is not acceptable: ${error.message}`);
    return;
  }
  if (status.status === 'revoked') {
    const when = status.revocationTime?.toISOString();
    reject(
      'revoked',
      `OCSP: ${leaf.subject} was revoked at ${when}${status.reason ? ` (${status.reason})` : ''}`,
    );
  } else if (status.status === 'unknown') {
    bad(`OCSP: the responder does not know ${leaf.subject}`);
  }
}
