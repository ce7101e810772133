// PKCS#12 (RFC 7292) files as OpenSSL 3 writes them (`openssl pkcs12 -export`): the MAC checked
// (HMAC with the PKCS#12 key derivation of RFC 7292 §B.2), certificate bags in PBES2-encrypted
// or plain SafeContents, the key in a PBES2 shrouded key bag or a plain key bag. The legacy
// PKCS#12 PBE schemes (RC2, 3DES: `-legacy`) are refused by name.
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';
import { type DerElement, DerReader, encodingOf, readSingle, Tag } from '@tls-kit/crypto/der';
import { readAlgorithmIdentifier } from './algorithms.js';
import {
  decryptPbes2,
  decryptPrivateKeyInfo,
  MAX_PBKDF2_ITERATIONS,
  type Passphrase,
} from './encrypted-private-key.js';
import { certificateDerError, DerError, PrivateKeyDecryptionError } from './errors.js';

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
} as const;

const MAC_HASHES: Readonly<Record<string, CHash>> = {
  '1.3.14.3.2.26': sha1,
  '2.16.840.1.101.3.4.2.1': sha256,
  '2.16.840.1.101.3.4.2.2': sha384,
  '2.16.840.1.101.3.4.2.3': sha512,
};

/** What a PKCS#12 file holds: DER certificates in file order, and the PKCS#8 PrivateKeyInfo DER. */
export interface Pkcs12Contents {
  readonly certificates: Uint8Array[];
  readonly privateKeys: Uint8Array[];
}

/** ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY } (RFC 2315 §7). */
function readContentInfo(reader: DerReader): { type: string; content: DerElement } {
  const r = reader.enter(Tag.SEQUENCE, 'ContentInfo');
  const type = r.oid('contentType');
  const content = DerReader.inside(r.expect(0xa0, 'content')).read();
  r.finish('ContentInfo');
  return { type, content };
}

/** The password as PKCS#12's MAC key derivation takes it: a BMPString with two zero bytes (RFC 7292 §B.1). */
function bmpPassword(passphrase: Passphrase): Uint8Array {
  const text = typeof passphrase === 'string' ? passphrase : new TextDecoder().decode(passphrase);
  const out = new Uint8Array((text.length + 1) * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) >> 8;
    out[2 * i + 1] = text.charCodeAt(i) & 0xff;
  }
  return out;
}

/** RFC 7292 §B.2 with ID 3 (MAC key), `hash.outputLen` bytes. */
function macKey(hash: CHash, password: Uint8Array, salt: Uint8Array, iterations: number): Uint8Array {
  const v = hash.blockLen;
  const fill = (src: Uint8Array) => {
    const out = new Uint8Array(src.length === 0 ? 0 : v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const input = new Uint8Array([...new Uint8Array(v).fill(3), ...fill(salt), ...fill(password)]);
  let a = hash(input);
  for (let i = 1; i < iterations; i++) a = hash(a);
  return a;
}

/** Checks MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }. */
function checkMac(reader: DerReader, authSafe: Uint8Array, passphrase: Passphrase): void {
  const r = reader.enter(Tag.SEQUENCE, 'MacData');
  const digestInfo = r.enter(Tag.SEQUENCE, 'DigestInfo');
  const algorithm = readAlgorithmIdentifier(digestInfo, 'digestAlgorithm');
  const expected = digestInfo.octetString('digest');
  const salt = r.octetString('macSalt');
  const iterations = r.done ? 1 : r.smallInteger('iterations');
  if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS)
    throw new PrivateKeyDecryptionError(`PKCS#12 MAC iteration count ${iterations} is out of range`);
  const hash = MAC_HASHES[algorithm.oid];
  if (!hash) throw new PrivateKeyDecryptionError(`PKCS#12 MAC digest ${algorithm.oid} is not supported`);
  const mac = hmac(hash, macKey(hash, bmpPassword(passphrase), salt, iterations), authSafe);
  let diff = mac.length ^ expected.length;
  for (let i = 0; i < mac.length; i++) diff |= mac[i]! ^ (expected[i] ?? 0);
  if (diff !== 0)
    throw new PrivateKeyDecryptionError('PKCS#12 MAC mismatch: wrong passphrase or damaged file');
}

/** SafeContents ::= SEQUENCE OF SafeBag { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OPTIONAL }. */
function readSafeContents(der: Uint8Array, passphrase: Passphrase, out: Pkcs12Contents): void {
  const bags = DerReader.inside(readSingle(der, 'SafeContents', certificateDerError));
  while (!bags.done) {
    const bag = bags.enter(Tag.SEQUENCE, 'SafeBag');
    const id = bag.oid('bagId');
    const value = DerReader.inside(bag.expect(0xa0, 'bagValue')).read();
    if (id === OID.certBag) {
      const cert = DerReader.inside(value);
      if (cert.oid('certId') === OID.x509Certificate)
        out.certificates.push(
          DerReader.inside(cert.expect(0xa0, 'certValue')).octetString('certificate').slice(),
        );
    } else if (id === OID.shroudedKeyBag) {
      out.privateKeys.push(decryptPrivateKeyInfo(encodingOf(value), passphrase));
    } else if (id === OID.keyBag) {
      out.privateKeys.push(encodingOf(value).slice());
    }
  }
}

/**
 * Reads a PKCS#12 file: checks its MAC with `passphrase` and returns its certificates and keys.
 * Throws PrivateKeyDecryptionError (wrong passphrase, damaged file, unsupported scheme).
 */
export function readPkcs12(der: Uint8Array, passphrase: Passphrase = ''): Pkcs12Contents {
  try {
    const pfx = DerReader.inside(readSingle(der, 'PFX', certificateDerError));
    if (pfx.smallInteger('version') !== 3) throw new DerError('PFX version is not 3', 0);
    const authSafe = readContentInfo(pfx);
    if (authSafe.type !== OID.data) throw new PrivateKeyDecryptionError('PKCS#12 without password integrity');
    const authSafeBytes = DerReader.over(authSafe.content).octetString('authSafe');
    if (pfx.done) throw new PrivateKeyDecryptionError('PKCS#12 without a MAC is not accepted');
    checkMac(pfx, authSafeBytes, passphrase);
    const out: Pkcs12Contents = { certificates: [], privateKeys: [] };
    const safes = DerReader.inside(readSingle(authSafeBytes, 'AuthenticatedSafe', certificateDerError));
    while (!safes.done) {
      const info = readContentInfo(safes);
      if (info.type === OID.data) {
        readSafeContents(DerReader.over(info.content).octetString('SafeContents'), passphrase, out);
      } else if (info.type === OID.encryptedData) {
        // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo { contentType,
        // contentEncryptionAlgorithm, encryptedContent [0] IMPLICIT OCTET STRING } }
        const data = DerReader.inside(info.content);
        data.smallInteger('version');
        const content = data.enter(Tag.SEQUENCE, 'EncryptedContentInfo');
        content.oid('contentType');
        const algorithm = content.expect(Tag.SEQUENCE, 'contentEncryptionAlgorithm');
        const encrypted = content.expect(0x80, 'encryptedContent');
        const plain = decryptPbes2(
          algorithm,
          encrypted.bytes.subarray(encrypted.contentOffset, encrypted.contentOffset + encrypted.length),
          passphrase,
        );
        readSafeContents(plain, passphrase, out);
      }
    }
    return out;
  } catch (cause) {
    if (!(cause instanceof DerError)) throw cause;
    throw new PrivateKeyDecryptionError(`malformed PKCS#12: ${cause.message}`, { cause });
  }
}
