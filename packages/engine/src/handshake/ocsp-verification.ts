// The client's choice of OCSP checking (RFC 6066 §8, RFC 6960) and why a stapled status failed,
// apart from the checks themselves (ocsp.ts) so that options and connection facts can name them.

/**
 * ClientOptions.ocspVerification. 'off': the response is passed through unchecked. 'verify': a
 * stapled response must verify and say good. 'require': and one must be stapled.
 */
export type OcspVerification = 'off' | 'verify' | 'require';
export const OCSP_VERIFICATION_MODES: readonly OcspVerification[] = ['off', 'verify', 'require'];

/** Why Connection.peerVerification is not ok because of the stapled status (report mode). */
export type StatusFailureReason = 'revoked' | 'bad-certificate-status';
