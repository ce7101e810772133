// OCSP stapling (RFC 6066 §8, RFC 8446 §4.4.2.1), both roles and both versions. The response is
// passed through as bytes: we neither fetch nor verify it (revocation checking is the
// application's, from Connection.ocspResponse).
import type { Certificate } from '@tls-kit/certs';
import {
  AlertDescription,
  CertificateStatusType,
  type ClientHelloExtension,
  ExtensionType,
  findExtension,
} from '@tls-kit/messages';
import type { ConnectionCore } from '../core.js';
import { UserCallbackError } from '../core.js';
import { fail } from '../errors.js';

/**
 * ServerOptions.ocspResponse: the DER OCSPResponse to staple for the chain we send (leaf first),
 * or undefined to staple nothing. Called only when the client asked for OCSP.
 */
export type OcspResponder = (certificates: readonly Certificate[]) => Uint8Array | undefined;

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
 * Server: the response to staple, when the ClientHello asked for OCSP (its status_request decodes
 * only with status_type ocsp) and `responder` has one for `certificates`.
 */
export function stapledResponse(
  clientHelloExtensions: readonly ClientHelloExtension[],
  responder: OcspResponder | undefined,
  certificates: readonly Certificate[],
): Uint8Array | undefined {
  if (!responder || !findExtension(clientHelloExtensions, ExtensionType.status_request)) return undefined;
  let response: Uint8Array | undefined;
  try {
    response = responder(certificates);
  } catch (error) {
    throw new UserCallbackError(error);
  }
  // (null too, from JavaScript callers.)
  if (response === undefined || response === null) return undefined;
  if (!(response instanceof Uint8Array) || response.length > MAX_RESPONSE) {
    fail(AlertDescription.internal_error, 'ocspResponse must return a Uint8Array of at most 2^24-1 bytes');
  }
  return response.length > 0 ? response : undefined;
}

/**
 * Client: keeps a stapled CertificateStatus (the TLS 1.2 message or the TLS 1.3 leaf entry's
 * extension). RFC 6066 §8 defines only status_type ocsp, the one we asked for: anything else
 * contradicts our request (illegal_parameter). A copy of exact size, not a view of the record.
 */
export function acceptStapledResponse(
  core: ConnectionCore,
  status: { readonly statusType: number; readonly ocspResponse: Uint8Array },
): void {
  if (status.statusType !== CertificateStatusType.ocsp) {
    fail(AlertDescription.illegal_parameter, `CertificateStatus with status_type ${status.statusType}`);
  }
  core.facts.ocspResponse = status.ocspResponse.slice();
}
