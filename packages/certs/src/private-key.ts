// Private keys: PKCS#8 (RFC 5208 / 5958), PKCS#1 RSA (RFC 8017 §A.1.2) and SEC1 EC (RFC 5915).
// The structure is checked here with the strict DER reader; the provider turns it into a key.

import type { CryptoProvider, PrivateKey, PrivateKeyFormat } from '@tls-kit/crypto';
import { readAlgorithmIdentifier } from './algorithms.js';
import { contextTag, DerReader, readSingle, Tag } from './der.js';
import { CertificateParseError, PemError } from './errors.js';
import { decodePem, encodePem, isPrivateKeyLabel, privateKeyLabels } from './pem.js';

/** Works out which of the three formats a DER private key is in, checking its outer structure. */
export function detectPrivateKeyFormat(der: Uint8Array): PrivateKeyFormat {
  const el = readSingle(der, 'private key');
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

/** Imports a DER private key of any of the three formats (detected unless given). */
export function loadPrivateKeyDer(
  der: Uint8Array,
  provider: CryptoProvider,
  format?: PrivateKeyFormat,
): PrivateKey {
  const detected = detectPrivateKeyFormat(der);
  if (format && format !== detected) {
    throw new CertificateParseError(`expected a ${format} private key, found ${detected}`, 0);
  }
  return provider.importPrivateKey(der, detected);
}

/** Imports the single private key of a PEM text; its label must agree with its content. */
export function loadPrivateKeyPem(text: string, provider: CryptoProvider): PrivateKey {
  const blocks = decodePem(text);
  const keys = blocks.filter((b) => isPrivateKeyLabel(b.label));
  if (keys.length !== 1 || blocks.length !== 1) {
    throw new PemError(
      `expected exactly one private key block, found ${keys.length} among ${blocks.length} blocks`,
    );
  }
  return privateKeyFromBlock(keys[0]!, provider);
}

export function privateKeyFromBlock(
  block: { readonly label: string; readonly der: Uint8Array; readonly line: number },
  provider: CryptoProvider,
): PrivateKey {
  if (block.label === 'ENCRYPTED PRIVATE KEY') {
    throw new PemError(`line ${block.line}: encrypted private keys are not supported`);
  }
  const format = privateKeyLabels[block.label as keyof typeof privateKeyLabels];
  return loadPrivateKeyDer(block.der, provider, format);
}

/** PKCS#8 "PRIVATE KEY" PEM. */
export function privateKeyToPem(key: PrivateKey): string {
  return encodePem('PRIVATE KEY', key.pkcs8);
}
