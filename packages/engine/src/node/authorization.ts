// node:tls' `authorized` / `authorizationError` from the engine's peerVerification: the OpenSSL
// verify codes node:tls reports where one fits our reason, else the reason itself.
import type { Certificate } from '@tls-kit/certs';
import type { PeerVerification } from '../core.js';

const sameName = (a: Certificate) => Buffer.from(a.subject.der).equals(Buffer.from(a.issuer.der));

const CODES: Partial<Record<string, string>> = {
  expired: 'CERT_HAS_EXPIRED',
  'not-yet-valid': 'CERT_NOT_YET_VALID',
  'hostname-mismatch': 'ERR_TLS_CERT_ALTNAME_INVALID',
  'bad-signature': 'CERT_SIGNATURE_FAILURE',
  'path-length-exceeded': 'PATH_LENGTH_EXCEEDED',
  'not-a-ca': 'INVALID_CA',
  'extended-key-usage': 'INVALID_PURPOSE',
  'key-usage': 'INVALID_PURPOSE',
  'depth-exceeded': 'CERT_CHAIN_TOO_LONG',
  'self-signed-leaf': 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'self-signed-in-chain': 'SELF_SIGNED_CERT_IN_CHAIN',
  // ocspVerification (OpenSSL's X509_V_ERR_CERT_REVOKED).
  revoked: 'CERT_REVOKED',
};

/** `null` when the peer is authorized, else node:tls' code for why (e.g. 'DEPTH_ZERO_SELF_SIGNED_CERT'). */
export function authorizationError(
  verdict: PeerVerification | undefined,
  chain: readonly Certificate[],
): string | null {
  if (verdict === undefined) return 'no peer certificate';
  if (verdict.ok) return null;
  if (verdict.reason === 'unknown-issuer') {
    const last = chain[chain.length - 1];
    if (chain.length === 1 && last && sameName(last)) return 'DEPTH_ZERO_SELF_SIGNED_CERT';
    if (last && sameName(last)) return 'SELF_SIGNED_CERT_IN_CHAIN';
    return chain.length === 1 ? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
  }
  return CODES[verdict.reason] ?? verdict.reason;
}
