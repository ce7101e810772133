// Exceptions of the design document (certificate side) and the parse errors of this package.
// Every class sets `name` so that messages and `instanceof` both identify it.

import type { DerErrorFactory } from '@tls-kit/crypto/der';

/** Base class of every error this package throws on purpose. */
export class CertificateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Malformed DER: `offset` is the byte position (in the outermost input) where the problem lies. */
export class DerError extends CertificateError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

/** What this package passes to @tls-kit/crypto/der's reader: malformed DER is a DerError here. */
export const certificateDerError: DerErrorFactory = (message, offset) => new DerError(message, offset);

/** Well-formed DER that is not a valid X.509 / key structure (RFC 5280, RFC 5208, RFC 5915, RFC 8017). */
export class CertificateParseError extends DerError {}

/** A PEM block is malformed (bad armor, bad base64) or of an unexpected kind. */
export class PemError extends CertificateError {}

/** A key algorithm, curve, signature algorithm or key encryption scheme this package does not handle. */
export class UnsupportedAlgorithmError extends CertificateError {}

/**
 * An encrypted private key could not be decrypted: wrong passphrase, bad padding, a decrypted
 * result that is not a key, a malformed EncryptedPrivateKeyInfo or DEK-Info header, or a PBKDF2
 * iteration count over the limit. A wrong passphrase and a corrupted file look the same (PBES2
 * and the legacy PEM encryption carry no MAC), so the message cannot always tell them apart.
 */
export class PrivateKeyDecryptionError extends CertificateError {}

/** The private key is encrypted and no passphrase was given. */
export class PassphraseRequiredError extends CertificateError {}

/** A chain file contains certificates that are not part of the chain of its leaf. */
export class CertificateNotInChainError extends CertificateError {}

// --- The design document's exceptions ---

/** A method or callback is no longer valid to call, e.g. a certificate_chain_callback invoked twice. */
export class InvalidatedError extends CertificateError {}

/** The leaf certificate of a chain has no private key. */
export class LeafCertificateHasNoPrivateKeyError extends CertificateError {}

/** More than one leaf (non-CA) certificate in a set that must have exactly one. */
export class MoreThanOneLeafCertificateError extends CertificateError {}

/** No leaf (non-CA) certificate in a set that must have exactly one. */
export class NoLeafCertificateError extends CertificateError {}

/** No certificate chain can be found between a specified leaf and a specified root. */
export class NoCertificateChainError extends CertificateError {}

/** A private key was found associated with a certificate when it should not have been. */
export class ExtraneousPrivateKeyError extends CertificateError {}

/** A private key does not belong to the certificate it was paired with: a key where it does not belong. */
export class PrivateKeyMismatchError extends ExtraneousPrivateKeyError {}
