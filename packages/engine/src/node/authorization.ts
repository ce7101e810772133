// node:tls' `authorized` / `authorizationError` from the engine's peerVerification: the OpenSSL
// verify code node:tls reports (see errors.ts for the table).
import type { Certificate } from '@tls-kit/certs';
import type { PeerVerification } from '../core.js';
import { verifyCode } from './errors.js';

/**
 * `null` when the peer is authorized, else node:tls' code for why (e.g. 'DEPTH_ZERO_SELF_SIGNED_CERT').
 * No certificate at all is node's UNABLE_TO_GET_ISSUER_CERT (what its VerifyError reports then).
 */
export function authorizationError(
  verdict: PeerVerification | undefined,
  chain: readonly Certificate[],
): string | null {
  if (verdict === undefined) return 'UNABLE_TO_GET_ISSUER_CERT';
  return verdict.ok ? null : verifyCode(verdict.reason, chain);
}
