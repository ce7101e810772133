// The reasons a path fails validation, and the purposes it is validated for: the vocabulary shared
// by verify.ts, the per-certificate profile checks and CRL checking.

export const VerifyFailureReason = {
  /** The end-entity certificate is a CA certificate (webpki profile; allowed by RFC 5280). */
  LeafIsCA: 'leaf-is-ca',
  /** No issuer for some certificate, and no path to a trust anchor. */
  UnknownIssuer: 'unknown-issuer',
  /** The leaf is self-issued and not in the trust store (node: DEPTH_ZERO_SELF_SIGNED_CERT). */
  SelfSignedLeaf: 'self-signed-leaf',
  /** The path ends at a self-issued certificate that is not trusted (node: SELF_SIGNED_CERT_IN_CHAIN). */
  SelfSignedInChain: 'self-signed-in-chain',
  BadSignature: 'bad-signature',
  UnsupportedAlgorithm: 'unsupported-algorithm',
  /** A SHA-1 signature on a certificate of the path (refused unless allowSha1Signatures). */
  WeakSignatureAlgorithm: 'weak-signature-algorithm',
  /** webpki: an RSA key under 2048 bits or not a multiple of 8 bits, a P-192 or a DSA key. */
  WeakKey: 'weak-key',
  Expired: 'expired',
  NotYetValid: 'not-yet-valid',
  /** An issuing certificate is not a CA (the node-forge CVE-2026-33896 case). */
  NotCA: 'not-a-ca',
  PathLengthExceeded: 'path-length-exceeded',
  KeyUsage: 'key-usage',
  ExtendedKeyUsage: 'extended-key-usage',
  NameConstraints: 'name-constraints',
  /** Checking the name constraints would take more comparisons than allowed (a refusal, not a verdict). */
  NameConstraintsTooComplex: 'name-constraints-too-complex',
  UnknownCriticalExtension: 'unknown-critical-extension',
  /** An extension breaks the profile's rule for it (criticality, presence, content). */
  InvalidExtension: 'invalid-extension',
  /** A field breaks the profile: zero serial, empty CA subject, CN not among the SANs, a wildcard over a public suffix. */
  InvalidCertificate: 'invalid-certificate',
  HostnameMismatch: 'hostname-mismatch',
  /** Every path was longer than `maxChainDepth`, or path building ran out of its work budget. */
  DepthExceeded: 'depth-exceeded',
  /** A CRL of the issuer lists the certificate (node: CERT_REVOKED). */
  Revoked: 'revoked',
  /** CRL checking was asked for and no CRL of the certificate's issuer was given (node: UNABLE_TO_GET_CRL). */
  CrlMissing: 'crl-missing',
  /** The issuer's CRL does not verify with its key, its issuer may not sign CRLs, or it has an unhandled critical extension. */
  CrlInvalid: 'crl-invalid',
  /** The issuer's CRL is past its nextUpdate (node: CRL_HAS_EXPIRED). */
  CrlExpired: 'crl-expired',
  /** The issuer's CRL has a thisUpdate in the future (node: CRL_NOT_YET_VALID). */
  CrlNotYetValid: 'crl-not-yet-valid',
} as const;
export type VerifyFailureReason = (typeof VerifyFailureReason)[keyof typeof VerifyFailureReason];

export type Purpose = 'server' | 'client';
