// The peer's certificate chain, for both versions and both roles: parsed through the certificate
// cache (RFC 8446 §4.4.2, RFC 5246 §7.4.2), validated with @tls-kit/certs (RFC 5280, RFC 9525),
// the failure mapped to its alert (RFC 8446 §6.2), then handed to the user's verifyCallback.
import {
  type Certificate,
  type CertificateCache,
  type TrustStore,
  VerifyFailureReason,
  verifyChain,
} from '@tls-kit/certs';
import type { Connection } from '../connection.js';
import type { PeerVerification } from '../core.js';
import { refuse, UserCallbackError } from '../errors.js';
import type { Reason } from '../reasons.js';
import type { VerifyCallback } from '../verify-callback.js';
import type { HandshakeContext } from './context.js';
import { extensionName } from './messages.js';
import { SharedLists } from './shared-lists.js';

const NONE: ReadonlySet<number> = new Set();

/**
 * Parses the peer's certificate_list through the cache of its ClientTLS / ServerTLS; an
 * unparsable certificate is bad_certificate. `solicited`: the CertificateEntry extensions we
 * asked for (status_request when we requested OCSP).
 */
export function parsePeerCertificates(
  cache: CertificateCache,
  entries: readonly {
    readonly certData: Uint8Array;
    readonly extensions?: readonly { extensionType: number }[];
  }[],
  solicited: ReadonlySet<number> = NONE,
): Certificate[] {
  return entries.map((entry, i) => {
    // RFC 8446 §4.4.2: CertificateEntry extensions answer ones from the ClientHello or the
    // CertificateRequest; any other is unsolicited (§4.2: unsupported_extension).
    const unsolicited = entry.extensions?.find((e) => !solicited.has(e.extensionType));
    if (unsolicited) {
      refuse(
        'UnsolicitedExtension',
        `CertificateEntry extension ${extensionName(unsolicited.extensionType)}`,
      );
    }
    try {
      return cache.parse(entry.certData);
    } catch (error) {
      return refuse('UnparsableCertificate', `certificate ${i} does not parse: ${(error as Error).message}`);
    }
  });
}

/** Our reason (and so the alert, RFC 8446 §6.2) for each way a chain can fail validation. */
function reasonForFailure(failure: VerifyFailureReason): Reason {
  switch (failure) {
    case VerifyFailureReason.Expired:
    case VerifyFailureReason.NotYetValid:
      return 'CertificateExpired';
    case VerifyFailureReason.UnknownIssuer:
    case VerifyFailureReason.SelfSignedLeaf:
    case VerifyFailureReason.SelfSignedInChain:
    case VerifyFailureReason.DepthExceeded:
      return 'UnknownIssuer';
    case VerifyFailureReason.Revoked:
      return 'CertificateRevoked';
    case VerifyFailureReason.UnsupportedAlgorithm:
      return 'UnsupportedCertificateAlgorithm';
    case VerifyFailureReason.HostnameMismatch:
      return 'CertificateNameMismatch';
    default:
      return 'InvalidCertificate';
  }
}

/** One verdict object shared by every verified connection (it is immutable). */
const VERIFIED: PeerVerification = Object.freeze({ ok: true });

/** The chains as received (Certificate messages) and as verified (up to the trust anchor). */
const receivedLists = new SharedLists();
const verifiedChains = new SharedLists();

/**
 * Validates the peer's chain with packages/certs (path, validity, usage, and hostname for
 * servers, or the user's checkServerIdentity instead of the built-in hostname rule), then runs
 * the user's verifyCallback, whose exceptions invalidate without an alert. With
 * `rejectUnauthorized: false` a failure is recorded in `facts.peerVerification` instead of
 * aborting; the caller still checks CertificateVerify against the leaf. `checkStatus` (the
 * stapled OCSP check) runs once the path is known and before verifyCallback.
 */
export function validatePeerChain(
  conn: HandshakeContext,
  certificates: readonly Certificate[],
  purpose: 'server' | 'client',
  trustStore: TrustStore,
  hostname: string | undefined,
  verifyCallback: VerifyCallback | undefined,
  checkStatus?: () => void,
): void {
  // Never empty: each caller deals with an empty certificate_list first (RFC 8446 §4.4.2.4).
  const [leaf, ...intermediates] = certificates as readonly [Certificate, ...Certificate[]];
  conn.facts.receivedCertificates = receivedLists.shared(certificates);
  const { checkServerIdentity, rejectUnauthorized, verification } = conn.config;
  const customIdentity = hostname !== undefined && checkServerIdentity !== undefined;
  let result = verifyChain({
    leaf,
    intermediates,
    trustStore,
    time: new Date(conn.config.clock()),
    purpose,
    // A server's chain meets the Web PKI's rules; a client's usually comes from a private PKI.
    profile: verification.profile ?? (purpose === 'server' ? 'webpki' : 'rfc5280'),
    ...(verification.crls ? { crls: verification.crls } : {}),
    ...(verification.crlCheck ? { crlCheck: verification.crlCheck } : {}),
    ...(verification.maxChainDepth !== undefined ? { maxChainDepth: verification.maxChainDepth } : {}),
    ...(hostname === undefined || customIdentity ? {} : { hostname }),
    provider: conn.config.provider,
  });
  if (result.ok && customIdentity) {
    let refusal: Error | undefined;
    try {
      refusal = checkServerIdentity(hostname, result.chain);
    } catch (error) {
      throw new UserCallbackError(error);
    }
    if (refusal)
      result = { ok: false, reason: VerifyFailureReason.HostnameMismatch, message: refusal.message };
  }
  if (!result.ok) {
    if (rejectUnauthorized)
      refuse(reasonForFailure(result.reason), `${purpose} certificate rejected: ${result.message}`);
    conn.facts.peerVerification = { ok: false, reason: result.reason, message: result.message };
  } else {
    conn.facts.peerVerification = VERIFIED;
  }
  // Unverified: the chain as received.
  conn.facts.peerCertificates = result.ok
    ? verifiedChains.shared(result.chain)
    : conn.facts.receivedCertificates;
  // The stapled status (TLS 1.3: already in the leaf's entry), before the user's callback.
  checkStatus?.();
  if (verifyCallback) {
    try {
      // The driver keeps the Connection untyped: it must not import the class that wraps it.
      verifyCallback([...conn.facts.peerCertificates], conn.publicConnection as Connection);
    } catch (error) {
      throw new UserCallbackError(error);
    }
  }
}
