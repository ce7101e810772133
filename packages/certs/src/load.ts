// Strict PEM factories (a TODO of the design document): a chain file yields exactly one chain with
// its leaf's key, and nothing else.

import type { CryptoProvider, PrivateKey } from '@tls-kit/crypto';
import { defaultProvider } from '@tls-kit/crypto/default';
import { Certificate, publicKeysMatch } from './certificate.js';
import { assembleChain } from './chain.js';
import type { Passphrase } from './encrypted-private-key.js';
import { ExtraneousPrivateKeyError, PemError } from './errors.js';
import { decodePem, isPrivateKeyLabel, type PemBlock, withoutEcParameters } from './pem.js';
import { loadPrivateKeyPem as loadKey, privateKeyFromBlock } from './private-key.js';
import { TrustStore } from './trust-store.js';

export interface LoadOptions {
  readonly provider?: CryptoProvider;
  /**
   * Decrypts an encrypted private key ("ENCRYPTED PRIVATE KEY", PBES2; or a legacy OpenSSL PEM
   * key with DEK-Info); a string is its UTF-8 bytes. Ignored when the key is not encrypted.
   */
  readonly passphrase?: Passphrase;
}

/** Certificates only; a private key in the text raises ExtraneousPrivateKeyError. */
export function loadCertificatesPem(text: string): Certificate[] {
  return Certificate.fromPem(text);
}

/** A TrustStore from a PEM bundle of CA certificates (no keys allowed). */
export function loadTrustStorePem(text: string): TrustStore {
  return new TrustStore(Certificate.fromPem(text));
}

/**
 * The one private key of a PEM text (PKCS#8, PKCS#1 "RSA PRIVATE KEY" or SEC1 "EC PRIVATE KEY"),
 * decrypted with `passphrase` when it is encrypted.
 */
export function loadPrivateKeyPem(text: string, options: LoadOptions = {}): PrivateKey {
  return loadKey(text, options.provider ?? defaultProvider, options.passphrase);
}

/**
 * A certificate chain with its leaf's private key, leaf first. The key is in `text` or given
 * separately as `key` (PEM text or a loaded key), decrypted with `passphrase` if encrypted. Refused, with the design's exceptions: no leaf,
 * more than one leaf, a leaf without its key, a key that does not match the leaf
 * (PrivateKeyMismatchError, an ExtraneousPrivateKeyError), more than one key, and certificates
 * that are not part of the leaf's chain (CertificateNotInChainError).
 */
export function loadCertificateChainPem(
  text: string,
  options: LoadOptions & { readonly key?: string | PrivateKey } = {},
): Certificate[] {
  const provider = options.provider ?? defaultProvider;
  const blocks: PemBlock[] = withoutEcParameters(decodePem(text));
  if (typeof options.key === 'string') blocks.push(...withoutEcParameters(decodePem(options.key)));
  const certificates: Certificate[] = [];
  const keys: PrivateKey[] = typeof options.key === 'object' ? [options.key] : [];
  for (const block of blocks) {
    if (block.label === 'CERTIFICATE') certificates.push(Certificate.fromDer(block.der));
    else if (isPrivateKeyLabel(block.label))
      keys.push(privateKeyFromBlock(block, provider, options.passphrase));
    else throw new PemError(`line ${block.line}: unexpected PEM block "${block.label}"`);
  }
  if (keys.length > 1) throw new ExtraneousPrivateKeyError(`${keys.length} private keys where one belongs`);
  const key = keys[0];
  // No non-CA certificate: the key goes to the CA certificate whose public key it matches.
  const nonCA = certificates.filter((c) => !c.isCA);
  const leaves =
    nonCA.length > 0 || !key
      ? nonCA
      : certificates.filter((c) => publicKeysMatch(c.parsed.spki.der, key.publicKey.spki));
  const withKey =
    key && leaves.length === 1
      ? certificates.map((c) => (c === leaves[0] ? c.withPrivateKey(key) : c))
      : certificates;
  return assembleChain(withKey);
}
