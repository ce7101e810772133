// Private keys: PKCS#8 (RFC 5208 / 5958), PKCS#1 RSA (RFC 8017 §A.1.2) and SEC1 EC (RFC 5915),
// plain or passphrase-protected (encrypted-private-key.ts). The structure is checked here with the
// strict DER reader; the provider turns it into a key.

import type { CryptoProvider, PrivateKey, PrivateKeyFormat } from '@tls-kit/crypto';
import { contextTag, DerReader, readSingle, Tag } from '@tls-kit/crypto/der';
import { readAlgorithmIdentifier } from './algorithms.js';
import { decryptLegacyPem, decryptPrivateKeyInfo, type Passphrase } from './encrypted-private-key.js';
import {
  CertificateParseError,
  certificateDerError,
  DerError,
  PassphraseRequiredError,
  PemError,
  PrivateKeyDecryptionError,
} from './errors.js';
import {
  decodePem,
  encodePem,
  isPrivateKeyLabel,
  type PemBlock,
  privateKeyLabels,
  withoutEcParameters,
} from './pem.js';

/** Works out which of the three formats a DER private key is in, checking its outer structure. */
export function detectPrivateKeyFormat(der: Uint8Array): PrivateKeyFormat {
  const el = readSingle(der, 'private key', certificateDerError);
  if (el.tag !== Tag.SEQUENCE) throw new CertificateParseError('private key is not a SEQUENCE', 0);
  const r = DerReader.inside(el);
  const version = r.smallInteger('private key version');
  switch (r.peekTag()) {
    case Tag.SEQUENCE: {
      if (version > 1) throw new CertificateParseError(`PKCS#8 version ${version}`, 0);
      readAlgorithmIdentifier(r, 'privateKeyAlgorithm');
      r.octetString('privateKey');
      r.optional(contextTag(0, true));
      r.optional(contextTag(1, false));
      r.finish('PrivateKeyInfo');
      return 'pkcs8';
    }
    case Tag.INTEGER: {
      if (version !== 0) throw new CertificateParseError('multi-prime RSA keys are not supported', 0);
      for (const field of [
        'modulus',
        'publicExponent',
        'privateExponent',
        'prime1',
        'prime2',
        'exponent1',
        'exponent2',
      ]) {
        r.integer(field);
      }
      r.integer('coefficient');
      r.finish('RSAPrivateKey');
      return 'pkcs1';
    }
    case Tag.OCTET_STRING: {
      if (version !== 1) throw new CertificateParseError(`ECPrivateKey version ${version}`, 0);
      r.octetString('privateKey');
      const params = r.optional(contextTag(0, true));
      if (!params) throw new CertificateParseError('ECPrivateKey without a named curve', r.offset);
      r.optional(contextTag(1, true));
      r.finish('ECPrivateKey');
      return 'sec1';
    }
    default:
      throw new CertificateParseError('not a PKCS#8, PKCS#1 or SEC1 private key', r.offset);
  }
}

/** How a DER private key is read: its expected format, and the passphrase if it is encrypted. */
export interface PrivateKeyDerOptions {
  readonly format?: PrivateKeyFormat;
  readonly passphrase?: Passphrase;
}

/**
 * Imports a DER private key of any of the three formats (detected unless given), or a PKCS#8
 * EncryptedPrivateKeyInfo given its passphrase (format 'pkcs8' then names what it carries).
 */
export function loadPrivateKeyDer(
  der: Uint8Array,
  provider: CryptoProvider,
  options: PrivateKeyFormat | PrivateKeyDerOptions = {},
): PrivateKey {
  const { format, passphrase } = typeof options === 'string' ? { format: options } : options;
  if (!isEncryptedPrivateKeyInfo(der)) return provider.importPrivateKey(der, formatOf(der, format));
  if (format && format !== 'pkcs8')
    throw new CertificateParseError(`expected a ${format} private key, found an encrypted PKCS#8 one`, 0);
  return importDecrypted(
    decryptPrivateKeyInfo(der, required(passphrase, 'EncryptedPrivateKeyInfo')),
    provider,
    'pkcs8',
  );
}

/** An EncryptedPrivateKeyInfo opens with an AlgorithmIdentifier, every plain format with a version INTEGER. */
function isEncryptedPrivateKeyInfo(der: Uint8Array): boolean {
  try {
    const el = readSingle(der, 'private key', certificateDerError);
    return el.tag === Tag.SEQUENCE && DerReader.inside(el).peekTag() === Tag.SEQUENCE;
  } catch (error) {
    if (error instanceof DerError) return false; // reported by the plain path
    throw error;
  }
}

function formatOf(der: Uint8Array, expected: PrivateKeyFormat | undefined): PrivateKeyFormat {
  const detected = detectPrivateKeyFormat(der);
  if (expected && expected !== detected) {
    throw new CertificateParseError(`expected a ${expected} private key, found ${detected}`, 0);
  }
  return detected;
}

function required(passphrase: Passphrase | undefined, what: string): Passphrase {
  if (passphrase === undefined)
    throw new PassphraseRequiredError(`the private key is encrypted (${what}): a passphrase is needed`);
  return passphrase;
}

/**
 * Imports a decrypted key. Without a MAC, a wrong passphrase shows as bad padding (caught before)
 * or, about once in 256 tries, as plaintext that is not a key of the expected format: both are
 * PrivateKeyDecryptionError. Garbage is wiped; a key is handed over to the provider.
 */
function importDecrypted(
  plaintext: Uint8Array,
  provider: CryptoProvider,
  format: PrivateKeyFormat,
): PrivateKey {
  let detected: PrivateKeyFormat;
  try {
    detected = formatOf(plaintext, format);
  } catch (cause) {
    plaintext.fill(0);
    if (!(cause instanceof DerError)) throw cause;
    const message = `wrong passphrase: the decrypted data is not a ${format} private key`;
    throw new PrivateKeyDecryptionError(message, { cause });
  }
  return provider.importPrivateKey(plaintext, detected);
}

/** Imports the single private key of a PEM text; its label must agree with its content. */
export function loadPrivateKeyPem(
  text: string,
  provider: CryptoProvider,
  passphrase?: Passphrase,
): PrivateKey {
  const blocks = withoutEcParameters(decodePem(text));
  const keys = blocks.filter((b) => isPrivateKeyLabel(b.label));
  if (keys.length !== 1 || blocks.length !== 1) {
    throw new PemError(
      `expected exactly one private key block, found ${keys.length} among ${blocks.length} blocks`,
    );
  }
  return privateKeyFromBlock(keys[0]!, provider, passphrase);
}

/** The key of one private key PEM block: "ENCRYPTED PRIVATE KEY", legacy encrypted (RFC 1421 headers), or plain. */
export function privateKeyFromBlock(
  block: PemBlock,
  provider: CryptoProvider,
  passphrase?: Passphrase,
): PrivateKey {
  const what = `"${block.label}" at line ${block.line}`;
  if (block.label === 'ENCRYPTED PRIVATE KEY')
    return importDecrypted(decryptPrivateKeyInfo(block.der, required(passphrase, what)), provider, 'pkcs8');
  const format = privateKeyLabels[block.label as keyof typeof privateKeyLabels];
  if (block.headers)
    return importDecrypted(
      decryptLegacyPem(block.headers, block.der, required(passphrase, what)),
      provider,
      format,
    );
  return provider.importPrivateKey(block.der, formatOf(block.der, format));
}

/** PKCS#8 "PRIVATE KEY" PEM. */
export function privateKeyToPem(key: PrivateKey): string {
  return encodePem('PRIVATE KEY', key.pkcs8);
}
