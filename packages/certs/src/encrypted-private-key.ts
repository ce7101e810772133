// Passphrase-protected private keys. Two formats: PKCS#8 EncryptedPrivateKeyInfo (RFC 5958 §3)
// with PBES2 (RFC 8018 §6.2: PBKDF2 + AES-CBC), what OpenSSL 3 writes; and OpenSSL's legacy PEM
// encryption (RFC 1421 §4.6 "Proc-Type: 4,ENCRYPTED" + "DEK-Info: AES-256-CBC,<iv>", the key from
// EVP_BytesToKey: MD5, one iteration, the IV's first 8 bytes as salt). The primitives are
// @noble/hashes and @noble/ciphers; only the structures and the padding check are ours.

import { cbc } from '@noble/ciphers/aes.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';
import { fromHex } from '@tls-kit/crypto/bytes';
import {
  contentOf,
  type DerElement,
  DerReader,
  decodeInteger,
  decodeNull,
  readSingle,
  Tag,
} from '@tls-kit/crypto/der';
import { readAlgorithmIdentifier } from './algorithms.js';
import {
  certificateDerError,
  DerError,
  PrivateKeyDecryptionError,
  UnsupportedAlgorithmError,
} from './errors.js';
import { Oid } from './oids.js';

/** A passphrase: a string stands for its UTF-8 bytes (as with node:tls and the openssl CLI). */
export type Passphrase = string | Uint8Array;

/**
 * PBKDF2 iteration counts above this are refused before any work: the count comes from the file,
 * and a hostile one must not hang the process. OpenSSL writes 2048; ten million takes seconds.
 */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

const AES_BLOCK = 16;

const prfs: Readonly<Record<string, CHash>> = {
  [Oid.hmacWithSha1]: sha1,
  [Oid.hmacWithSha224]: sha224,
  [Oid.hmacWithSha256]: sha256,
  [Oid.hmacWithSha384]: sha384,
  [Oid.hmacWithSha512]: sha512,
};

/** Key lengths of the AES-CBC encryption schemes of RFC 8018 §B.2.5. */
const pbes2Ciphers: Readonly<Record<string, number>> = {
  [Oid.aes128Cbc]: 16,
  [Oid.aes192Cbc]: 24,
  [Oid.aes256Cbc]: 32,
};

/** The same ciphers by the names OpenSSL writes in DEK-Info. DES-EDE3-CBC has no implementation in @noble/ciphers. */
const dekInfoCiphers: Readonly<Record<string, number>> = {
  'AES-128-CBC': 16,
  'AES-192-CBC': 24,
  'AES-256-CBC': 32,
};

/** Names for the refusals of schemes we know but do not implement. */
const knownUnsupported: Readonly<Record<string, string>> = {
  '1.3.6.1.4.1.11591.4.11': 'scrypt',
  '1.2.840.113549.1.5.3': 'PBES1 pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.6': 'PBES1 pbeWithMD5AndRC2-CBC',
  '1.2.840.113549.1.5.10': 'PBES1 pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.5.11': 'PBES1 pbeWithSHA1AndRC2-CBC',
  '1.2.840.113549.1.12.1.3': 'PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.6': 'PKCS#12 pbeWithSHAAnd40BitRC2-CBC',
  '1.2.840.113549.3.7': 'des-ede3-cbc',
  '1.3.14.3.2.7': 'desCBC',
  '1.2.840.113549.2.12': 'hmacWithSHA512-224',
  '1.2.840.113549.2.13': 'hmacWithSHA512-256',
};

function unsupported(what: string, oid: string): UnsupportedAlgorithmError {
  const name = knownUnsupported[oid];
  return new UnsupportedAlgorithmError(`${what} ${name ? `${name} (${oid})` : oid} is not supported`);
}

interface Pbes2 {
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly prf: CHash;
  readonly keyLength: number;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/**
 * Decrypts a DER EncryptedPrivateKeyInfo (PBES2 with PBKDF2 and AES-CBC) to the PKCS#8
 * PrivateKeyInfo it carries (padding removed; the caller owns the result).
 */
export function decryptPrivateKeyInfo(der: Uint8Array, passphrase: Passphrase): Uint8Array {
  return decryptWith(
    readStructure('EncryptedPrivateKeyInfo', () => readEncryptedPrivateKeyInfo(der)),
    passphrase,
  );
}

/**
 * Decrypts content encrypted under a PBES2 AlgorithmIdentifier (`algorithm`, the whole element),
 * as PKCS#12 EncryptedData carries it (RFC 7292 §4.1); padding removed.
 */
export function decryptPbes2(
  algorithm: DerElement,
  ciphertext: Uint8Array,
  passphrase: Passphrase,
): Uint8Array {
  return decryptWith(
    readStructure('PBES2 content', () =>
      readPbes2(readAlgorithmIdentifier(DerReader.over(algorithm), 'contentEncryptionAlgorithm'), ciphertext),
    ),
    passphrase,
  );
}

function decryptWith(p: Pbes2, passphrase: Passphrase): Uint8Array {
  const password = passwordBytes(passphrase);
  const key = pbkdf2(p.prf, password, p.salt, { c: p.iterations, dkLen: p.keyLength });
  if (password !== passphrase) password.fill(0);
  return decryptAesCbc(key, p.iv, p.ciphertext);
}

/** DER errors of the container become PrivateKeyDecryptionError: one class for "cannot decrypt this". */
function readStructure<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (!(cause instanceof DerError)) throw cause;
    throw new PrivateKeyDecryptionError(`malformed ${what}: ${cause.message}`, { cause });
  }
}

function readEncryptedPrivateKeyInfo(der: Uint8Array): Pbes2 {
  // RFC 5958 §3: SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }
  const outer = DerReader.inside(readSingle(der, 'EncryptedPrivateKeyInfo', certificateDerError));
  const scheme = readAlgorithmIdentifier(outer, 'encryptionAlgorithm');
  const ciphertext = outer.octetString('encryptedData');
  outer.finish('EncryptedPrivateKeyInfo');
  return readPbes2(scheme, ciphertext);
}

function readPbes2(scheme: ReturnType<typeof readAlgorithmIdentifier>, ciphertext: Uint8Array): Pbes2 {
  if (scheme.oid !== Oid.pbes2) throw unsupported('key encryption scheme', scheme.oid);
  if (!scheme.parameters) throw new DerError('PBES2 without parameters', scheme.offset);
  // RFC 8018 §A.4: PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme }
  const params = DerReader.inside(scheme.parameters);
  const kdf = readAlgorithmIdentifier(params, 'keyDerivationFunc');
  const enc = readAlgorithmIdentifier(params, 'encryptionScheme');
  params.finish('PBES2-params');
  if (kdf.oid !== Oid.pbkdf2) throw unsupported('PBES2 key derivation function', kdf.oid);
  const keyLength = pbes2Ciphers[enc.oid];
  if (keyLength === undefined) throw unsupported('PBES2 encryption scheme', enc.oid);
  // RFC 8018 §B.2.5: the parameter is the 16-byte IV.
  if (enc.parameters?.tag !== Tag.OCTET_STRING || enc.parameters.length !== AES_BLOCK)
    throw new DerError('AES-CBC parameters must be a 16-byte IV', enc.offset);
  const iv = contentOf(enc.parameters);
  if (!kdf.parameters) throw new DerError('PBKDF2 without parameters', kdf.offset);
  // RFC 8018 §A.2: PBKDF2-params ::= SEQUENCE { salt CHOICE { specified OCTET STRING, otherSource
  // AlgorithmIdentifier }, iterationCount INTEGER (1..MAX), keyLength INTEGER (1..MAX) OPTIONAL,
  // prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }
  const r = DerReader.inside(kdf.parameters);
  if (r.peekTag() === Tag.SEQUENCE)
    throw unsupported('PBKDF2 salt otherSource', readAlgorithmIdentifier(r, 'otherSource').oid);
  const salt = r.octetString('PBKDF2 salt');
  const iterationsElement = r.expect(Tag.INTEGER, 'PBKDF2 iterationCount');
  const iterations = decodeInteger(iterationsElement);
  if (iterations < 1n)
    throw new DerError('PBKDF2 iterationCount must be at least 1', iterationsElement.offset);
  if (iterations > BigInt(MAX_PBKDF2_ITERATIONS)) {
    throw new PrivateKeyDecryptionError(
      `PBKDF2 iteration count ${iterations} is over the limit of ${MAX_PBKDF2_ITERATIONS}`,
    );
  }
  const lengthElement = r.optional(Tag.INTEGER);
  if (lengthElement && decodeInteger(lengthElement) !== BigInt(keyLength))
    throw new DerError(`PBKDF2 keyLength is not the cipher's ${keyLength} bytes`, lengthElement.offset);
  const prfId = r.done ? undefined : readAlgorithmIdentifier(r, 'PBKDF2 prf');
  r.finish('PBKDF2-params');
  const prf = prfs[prfId?.oid ?? Oid.hmacWithSha1];
  if (!prf) throw unsupported('PBKDF2 pseudorandom function', prfId!.oid);
  // RFC 8018 §B.1: the HMAC parameters are NULL (or, from some encoders, absent).
  if (prfId?.parameters) decodeNull(prfId.parameters);
  checkCiphertextLength(ciphertext.length);
  return { salt, iterations: Number(iterations), prf, keyLength, iv, ciphertext };
}

/**
 * Decrypts the body of a legacy encrypted PEM key, given its RFC 1421 headers. The result is the
 * DER key of the block's label, padding removed.
 */
export function decryptLegacyPem(
  headers: ReadonlyMap<string, string>,
  ciphertext: Uint8Array,
  passphrase: Passphrase,
): Uint8Array {
  for (const name of headers.keys()) {
    if (name !== 'Proc-Type' && name !== 'DEK-Info')
      throw new PrivateKeyDecryptionError(`unexpected PEM header ${name} on an encrypted key`);
  }
  if (headers.get('Proc-Type') !== '4,ENCRYPTED')
    throw new PrivateKeyDecryptionError('PEM header Proc-Type must be "4,ENCRYPTED"');
  const dek = /^([A-Za-z0-9-]+),([0-9A-Fa-f]*)$/.exec(headers.get('DEK-Info') ?? '');
  if (!dek) throw new PrivateKeyDecryptionError('PEM header DEK-Info must be "CIPHER,HEX-IV"');
  const keyLength = dekInfoCiphers[dek[1]!.toUpperCase()];
  if (keyLength === undefined)
    throw new UnsupportedAlgorithmError(
      `DEK-Info cipher ${dek[1]} is not supported (AES-128/192/256-CBC are)`,
    );
  if (dek[2]!.length !== 2 * AES_BLOCK)
    throw new PrivateKeyDecryptionError('DEK-Info IV must be 16 bytes in hex');
  checkCiphertextLength(ciphertext.length);
  const iv = fromHex(dek[2]!);
  const password = passwordBytes(passphrase);
  const key = evpBytesToKey(password, iv.subarray(0, 8), keyLength);
  if (password !== passphrase) password.fill(0);
  return decryptAesCbc(key, iv, ciphertext);
}

function checkCiphertextLength(length: number): void {
  if (length === 0 || length % AES_BLOCK !== 0)
    throw new PrivateKeyDecryptionError(`ciphertext of ${length} bytes is not a whole number of AES blocks`);
}

function passwordBytes(passphrase: Passphrase): Uint8Array {
  return typeof passphrase === 'string' ? new TextEncoder().encode(passphrase) : passphrase;
}

/** OpenSSL's EVP_BytesToKey with MD5 and one iteration: D_i = MD5(D_{i-1} || password || salt). */
function evpBytesToKey(password: Uint8Array, salt: Uint8Array, length: number): Uint8Array {
  const key = new Uint8Array(length);
  let block = new Uint8Array(0);
  for (let filled = 0; filled < length; filled += block.length) {
    const next = md5.create().update(block).update(password).update(salt).digest();
    block.fill(0);
    block = next;
    key.set(block.subarray(0, length - filled), filled);
  }
  block.fill(0);
  return key;
}

/**
 * AES-CBC decryption and PKCS#7 padding removal (RFC 8018 §6.1.1 step 4, RFC 5652 §6.3). The
 * padding is checked over the whole last block without branching on its bytes, and a bad one is
 * reported like a wrong passphrase. The key and the padded plaintext are wiped.
 */
function decryptAesCbc(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const padded = cbc(key, iv, { disablePadding: true }).decrypt(ciphertext);
  key.fill(0);
  const n = padded[padded.length - 1]!;
  // Bit 31 is set when n is 0 or over 16; then, for each of the last 16 bytes, when it lies in
  // the padding (i < n) and differs from n.
  let bad = (n - 1) | (AES_BLOCK - n);
  for (let i = 0; i < AES_BLOCK; i++) {
    const inPadding = (i - n) >> 31; // all ones when i < n
    bad |= ((padded[padded.length - 1 - i]! ^ n) << 24) & inPadding;
  }
  if (bad >> 24 !== 0) {
    padded.fill(0);
    throw new PrivateKeyDecryptionError('wrong passphrase (bad padding after decryption)');
  }
  const plaintext = padded.slice(0, padded.length - n);
  padded.fill(0);
  return plaintext;
}
