// A signature of the peer's over handshake data, for both versions: TLS 1.3 CertificateVerify
// (RFC 8446 §4.4.3) and TLS 1.2 digitally-signed structs (RFC 5246 §4.7). The scheme must be one
// we offered and fit the key (illegal_parameter); the signature must verify (decrypt_error).
import type { PrivateKey, PublicKey, SignatureSchemeName } from '@tls-kit/crypto';
import { schemeName } from '../algorithms.js';
import { refuse } from '../errors.js';
import type { HandshakeContext } from './context.js';

/**
 * Returns the scheme's name. `fitsKey` is the version's rule (TLS 1.3 binds ECDSA to a curve and
 * refuses PKCS#1; TLS 1.2 does neither); `what` names the signed message in errors.
 */
export function verifyPeerSignature(
  conn: HandshakeContext,
  scheme: number,
  signature: Uint8Array,
  key: PublicKey,
  signed: Uint8Array,
  fitsKey: (scheme: SignatureSchemeName, key: PublicKey | PrivateKey) => boolean,
  what: string,
): SignatureSchemeName {
  const name = schemeName(scheme);
  if (!name || !conn.config.signatureSchemes.includes(name)) {
    refuse('UnofferedSignatureScheme', `${what} with a scheme we did not offer (0x${scheme.toString(16)})`);
  }
  if (!fitsKey(name, key))
    refuse('SignatureSchemeDoesNotFitKey', `${what}: ${name} does not fit the ${key.type} key`);
  let ok: boolean;
  try {
    ok = conn.config.provider.verify(name, key, signed, signature);
  } catch {
    ok = false;
  }
  if (!ok) refuse('BadSignature', `bad ${what} signature`);
  return name;
}
