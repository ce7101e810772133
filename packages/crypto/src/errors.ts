// Typed errors: callers (the engine maps them to TLS alerts) branch on the class, never on text.

/** Base class of every error this package throws on purpose. */
export class CryptoError extends Error {
  override name = 'CryptoError';
}

/** An AEAD tag did not verify (RFC 5116 §2.2); no plaintext is released. Maps to bad_record_mac. */
export class AeadAuthenticationError extends CryptoError {
  override name = 'AeadAuthenticationError';
  constructor(message = 'AEAD authentication failed') {
    super(message);
  }
}

/** A peer's key share is malformed or unsafe (off-curve point, bad length, y outside (1, p-1),
 * all-zero X25519 result). Maps to illegal_parameter (RFC 8446 §4.2.8). */
export class InvalidKeyShareError extends CryptoError {
  override name = 'InvalidKeyShareError';
}

/** An algorithm, group, scheme or key type this provider does not implement, or a key that does
 * not fit the requested scheme. */
export class UnsupportedAlgorithmError extends CryptoError {
  override name = 'UnsupportedAlgorithmError';
}

/** A key (DER or raw) that cannot be parsed or has the wrong size. */
export class InvalidKeyError extends CryptoError {
  override name = 'InvalidKeyError';
}

/** Malformed DER (X.690): bad length, non-minimal encoding, trailing bytes, wrong tag. `offset`
 * is the byte position in the outermost input, when the problem has one. */
export class DerError extends InvalidKeyError {
  override name = 'DerError';
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
  }
}
