// What each TLS SignatureScheme means (RFC 8446 §4.2.3): key type, hash, padding.
import { UnsupportedAlgorithmError } from './errors.js';
import type { HashAlgorithm, KeyType, PrivateKey, PublicKey, SignatureSchemeName } from './provider.js';

export type SignatureAlgorithmKind = 'pkcs1' | 'pss' | 'ecdsa' | 'eddsa';

export interface SignatureSchemeInfo {
  readonly kind: SignatureAlgorithmKind;
  /** The hash applied to the message; ed25519 hashes internally (undefined). */
  readonly hash?: HashAlgorithm;
  /** Key types that can carry this scheme. rsa_pss_rsae_* use rsaEncryption keys, rsa_pss_pss_*
   * id-RSASSA-PSS keys (RFC 8446 §4.2.3). */
  readonly keyTypes: readonly KeyType[];
  /** The curve TLS 1.3 binds ECDSA schemes to. The provider does not enforce it (X.509 chains
   * mix curves and hashes); the TLS 1.3 engine checks `key.curve === info.curve`. */
  readonly curve?: string;
  /** SHA-1 schemes are accepted for verification only (RFC 9155). */
  readonly verifyOnly: boolean;
}

const rsa: readonly KeyType[] = ['rsa'];
const rsaPss: readonly KeyType[] = ['rsa-pss'];
const ec: readonly KeyType[] = ['ec'];

const SCHEMES: Record<SignatureSchemeName, SignatureSchemeInfo> = {
  rsa_pkcs1_sha1: { kind: 'pkcs1', hash: 'sha1', keyTypes: rsa, verifyOnly: true },
  ecdsa_sha1: { kind: 'ecdsa', hash: 'sha1', keyTypes: ec, verifyOnly: true },
  rsa_pkcs1_sha256: { kind: 'pkcs1', hash: 'sha256', keyTypes: rsa, verifyOnly: false },
  rsa_pkcs1_sha384: { kind: 'pkcs1', hash: 'sha384', keyTypes: rsa, verifyOnly: false },
  rsa_pkcs1_sha512: { kind: 'pkcs1', hash: 'sha512', keyTypes: rsa, verifyOnly: false },
  rsa_pss_rsae_sha256: { kind: 'pss', hash: 'sha256', keyTypes: rsa, verifyOnly: false },
  rsa_pss_rsae_sha384: { kind: 'pss', hash: 'sha384', keyTypes: rsa, verifyOnly: false },
  rsa_pss_rsae_sha512: { kind: 'pss', hash: 'sha512', keyTypes: rsa, verifyOnly: false },
  rsa_pss_pss_sha256: { kind: 'pss', hash: 'sha256', keyTypes: rsaPss, verifyOnly: false },
  rsa_pss_pss_sha384: { kind: 'pss', hash: 'sha384', keyTypes: rsaPss, verifyOnly: false },
  rsa_pss_pss_sha512: { kind: 'pss', hash: 'sha512', keyTypes: rsaPss, verifyOnly: false },
  ecdsa_secp256r1_sha256: { kind: 'ecdsa', hash: 'sha256', keyTypes: ec, curve: 'P-256', verifyOnly: false },
  ecdsa_secp384r1_sha384: { kind: 'ecdsa', hash: 'sha384', keyTypes: ec, curve: 'P-384', verifyOnly: false },
  ecdsa_secp521r1_sha512: { kind: 'ecdsa', hash: 'sha512', keyTypes: ec, curve: 'P-521', verifyOnly: false },
  ed25519: { kind: 'eddsa', keyTypes: ['ed25519'], verifyOnly: false },
};

export const SIGNATURE_SCHEMES = Object.keys(SCHEMES) as SignatureSchemeName[];

export function signatureSchemeInfo(scheme: SignatureSchemeName): SignatureSchemeInfo {
  const info = Object.hasOwn(SCHEMES, scheme) ? SCHEMES[scheme] : undefined;
  if (!info) throw new UnsupportedAlgorithmError(`unknown signature scheme ${String(scheme)}`);
  return info;
}

/** Checks scheme/key compatibility (shared by both providers so they throw the same errors). */
export function checkSchemeKey(
  scheme: SignatureSchemeName,
  key: PublicKey | PrivateKey,
  signing: boolean,
): SignatureSchemeInfo {
  const info = signatureSchemeInfo(scheme);
  if (signing && info.verifyOnly) throw new UnsupportedAlgorithmError(`${scheme} is verify-only`);
  if (!info.keyTypes.includes(key.type)) {
    throw new UnsupportedAlgorithmError(`${scheme} cannot be used with a ${key.type} key`);
  }
  return info;
}

/** Output length in bytes of each hash. */
export const HASH_LENGTH: Record<HashAlgorithm, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };
