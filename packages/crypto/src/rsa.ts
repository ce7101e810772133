// RSA in pure JS with bigint (RFC 8017): RSASSA-PKCS1-v1_5 (§8.2) and RSASSA-PSS (§8.1), key
// generation. Verification is what the portable provider needs most; signing and key generation
// work but are slow and, bigint arithmetic being variable-time, not side-channel hardened.
import { bigIntToBytes, bytesToBigInt, concat, constantTimeEqual, fromHex } from './bytes.js';
import { CryptoError } from './errors.js';
import type { RsaPrivateComponents, RsaPublicComponents } from './key-der.js';
import { isProbablePrime, modPow } from './primality.js';
import type { HashAlgorithm } from './provider.js';

/** The two RSA signature paddings TLS uses (RFC 8446 §4.2.3). */
export type RsaPadding = 'pkcs1' | 'pss';

export interface RsaHash {
  readonly algorithm: HashAlgorithm;
  readonly length: number;
  digest(data: Uint8Array): Uint8Array;
}

export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new CryptoError('value is not invertible');
  return ((oldS % m) + m) % m;
}

function byteLength(n: bigint): number {
  return Math.ceil(n.toString(2).length / 8);
}

/** DigestInfo DER prefixes (RFC 8017 §9.2, note 1). */
const DIGEST_INFO_PREFIX: Record<HashAlgorithm, Uint8Array> = {
  sha1: fromHex('3021300906052b0e03021a05000414'),
  sha256: fromHex('3031300d060960864801650304020105000420'),
  sha384: fromHex('3041300d060960864801650304020205000430'),
  sha512: fromHex('3051300d060960864801650304020305000440'),
};

/** EMSA-PKCS1-v1_5-ENCODE (RFC 8017 §9.2): 0x00 01 FF..FF 00 || DigestInfo. */
function emsaPkcs1v15(hash: RsaHash, message: Uint8Array, emLength: number): Uint8Array {
  const t = concat([DIGEST_INFO_PREFIX[hash.algorithm], hash.digest(message)]);
  if (emLength < t.length + 11) throw new CryptoError('RSA modulus too short for this hash');
  const em = new Uint8Array(emLength).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[emLength - t.length - 1] = 0;
  em.set(t, emLength - t.length);
  return em;
}

/** RSAVP1 (§5.2.2) with the length and range checks of §8.1.2 and §8.2.2, steps 1-2. */
function openSignature(key: RsaPublicComponents, signature: Uint8Array): Uint8Array | undefined {
  const k = byteLength(key.n);
  if (signature.length !== k) return undefined;
  const s = bytesToBigInt(signature);
  if (s >= key.n) return undefined;
  return bigIntToBytes(modPow(s, key.e, key.n), k);
}

function mgf1(hash: RsaHash, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const counter = new Uint8Array(4);
  for (let offset = 0, i = 0; offset < length; i++) {
    new DataView(counter.buffer).setUint32(0, i);
    const block = hash.digest(concat([seed, counter]));
    out.set(block.subarray(0, Math.min(block.length, length - offset)), offset);
    offset += block.length;
  }
  return out;
}

/** EMSA-PSS-VERIFY (§9.1.2) with sLen = hLen (RFC 8446 §4.2.3) and MGF1 over the same hash, on
 * the k-octet output of RSAVP1 for a modulus of `modBits` bits. */
function emsaPssVerify(hash: RsaHash, message: Uint8Array, opened: Uint8Array, modBits: number): boolean {
  const emBits = modBits - 1;
  const emLength = Math.ceil(emBits / 8);
  // When emBits is a multiple of 8 the encoded message is one byte shorter than k (§8.1.2 step 2c).
  if (opened.length > emLength && opened[0] !== 0) return false;
  const em = opened.subarray(opened.length - emLength);
  const hLen = hash.length;
  const sLen = hLen;
  if (emLength < hLen + sLen + 2 || em[emLength - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLength - hLen - 1);
  const h = em.subarray(emLength - hLen - 1, emLength - 1);
  const topMask = 0xff >> (8 * emLength - emBits);
  if (((maskedDb[0] as number) & ~topMask) !== 0) return false;
  const db = mgf1(hash, h, maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] as number) ^ (maskedDb[i] as number);
  db[0] = (db[0] as number) & topMask;
  const psLength = emLength - hLen - sLen - 2;
  for (let i = 0; i < psLength; i++) if (db[i] !== 0) return false;
  if (db[psLength] !== 1) return false;
  const salt = db.subarray(db.length - sLen);
  const mPrime = concat([new Uint8Array(8), hash.digest(message), salt]);
  return constantTimeEqual(hash.digest(mPrime), h);
}

/** EMSA-PSS-ENCODE (§9.1.1) with sLen = hLen. */
function emsaPss(hash: RsaHash, message: Uint8Array, emBits: number, salt: Uint8Array): Uint8Array {
  const hLen = hash.length;
  const emLength = Math.ceil(emBits / 8);
  if (emLength < hLen + salt.length + 2)
    throw new CryptoError('RSA modulus too short for PSS with this hash');
  const h = hash.digest(concat([new Uint8Array(8), hash.digest(message), salt]));
  const db = new Uint8Array(emLength - hLen - 1);
  db[db.length - salt.length - 1] = 1;
  db.set(salt, db.length - salt.length);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] as number) ^ (mask[i] as number);
  db[0] = (db[0] as number) & (0xff >> (8 * emLength - emBits));
  return concat([db, h, Uint8Array.of(0xbc)]);
}

/** RSASP1 (§5.2.1) with CRT, base blinding, and a check of the result against the public key
 * (a faulty CRT result would leak a factor of n). */
function privateOperation(
  key: RsaPrivateComponents,
  message: bigint,
  randomBytes: (length: number) => Uint8Array,
): bigint {
  const k = byteLength(key.n);
  let r: bigint;
  do r = bytesToBigInt(randomBytes(k)) % key.n;
  while (r < 2n);
  const blinded = (message * modPow(r, key.e, key.n)) % key.n;
  const m1 = modPow(blinded, key.dp, key.p);
  const m2 = modPow(blinded, key.dq, key.q);
  const h = (key.qinv * (((m1 - m2) % key.p) + key.p)) % key.p;
  const s = ((m2 + h * key.q) * modInverse(r, key.n)) % key.n;
  if (modPow(s, key.e, key.n) !== message) throw new CryptoError('RSA signature self-check failed');
  return s;
}

/** RSASSA-PSS-SIGN (§8.1.1, sLen = hLen) or RSASSA-PKCS1-V1_5-SIGN (§8.2.1): encode, then RSASP1. */
export function rsaSign(
  padding: RsaPadding,
  key: RsaPrivateComponents,
  hash: RsaHash,
  message: Uint8Array,
  randomBytes: (length: number) => Uint8Array,
): Uint8Array {
  const k = byteLength(key.n);
  const em =
    padding === 'pss'
      ? emsaPss(hash, message, key.n.toString(2).length - 1, randomBytes(hash.length))
      : emsaPkcs1v15(hash, message, k);
  return bigIntToBytes(privateOperation(key, bytesToBigInt(em), randomBytes), k);
}

/** RSASSA-PSS-VERIFY (§8.1.2) or RSASSA-PKCS1-V1_5-VERIFY (§8.2.2). PKCS#1 v1.5 re-encodes and
 * compares the whole block, never parsing it, so garbage after the digest or inside the
 * DigestInfo (the e=3 Bleichenbacher forgeries, CVE-2026-33894) cannot match. */
export function rsaVerify(
  padding: RsaPadding,
  key: RsaPublicComponents,
  hash: RsaHash,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const opened = openSignature(key, signature);
  if (!opened) return false;
  return padding === 'pss'
    ? emsaPssVerify(hash, message, opened, key.n.toString(2).length)
    : constantTimeEqual(opened, emsaPkcs1v15(hash, message, opened.length));
}

function randomPrime(bits: number, e: bigint, randomBytes: (length: number) => Uint8Array): bigint {
  const bytes = Math.ceil(bits / 8);
  const excess = BigInt(bytes * 8 - bits);
  for (;;) {
    // Top two bits set so that p*q has exactly 2*bits bits; odd.
    let candidate = bytesToBigInt(randomBytes(bytes)) >> excess;
    candidate |= (3n << BigInt(bits - 2)) | 1n;
    if ((candidate - 1n) % e !== 0n && isProbablePrime(candidate, randomBytes)) return candidate;
  }
}

export function generateRsaKey(
  bits: number,
  randomBytes: (length: number) => Uint8Array,
): RsaPrivateComponents {
  const e = 65537n;
  for (;;) {
    const p = randomPrime(Math.ceil(bits / 2), e, randomBytes);
    const q = randomPrime(Math.floor(bits / 2), e, randomBytes);
    if (p === q) continue;
    const n = p * q;
    if (n.toString(2).length !== bits) continue;
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const d = modInverse(e, lambda);
    const [big, small] = p > q ? [p, q] : [q, p];
    return {
      n,
      e,
      d,
      p: big,
      q: small,
      dp: d % (big - 1n),
      dq: d % (small - 1n),
      qinv: modInverse(small, big),
    };
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
