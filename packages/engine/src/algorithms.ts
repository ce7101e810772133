// Name <-> code point tables for groups and signature schemes, and which signature schemes a
// key can make in TLS 1.3 (RFC 8446 §4.2.3: no PKCS#1 v1.5, ECDSA bound to its curve).
import {
  type NamedGroupName,
  type PrivateKey,
  type PublicKey,
  SIGNATURE_SCHEMES,
  type SignatureSchemeName,
  signatureSchemeInfo,
} from '@tls-kit/crypto';
import { NamedGroup, SignatureScheme } from '@tls-kit/messages';

export const GROUP_CODES: Record<NamedGroupName, number> = {
  x25519: NamedGroup.x25519,
  x448: NamedGroup.x448,
  secp256r1: NamedGroup.secp256r1,
  secp384r1: NamedGroup.secp384r1,
  secp521r1: NamedGroup.secp521r1,
  ffdhe2048: NamedGroup.ffdhe2048,
  ffdhe3072: NamedGroup.ffdhe3072,
  ffdhe4096: NamedGroup.ffdhe4096,
  x25519mlkem768: NamedGroup.X25519MLKEM768,
};

/** The groups TLS 1.2 ECDHE can use (RFC 8422 §5.1.1: the NIST curves, X25519, X448); the hybrids
 * are TLS 1.3 only. */
export const TLS12_ECDHE_GROUPS: ReadonlySet<NamedGroupName> = new Set([
  'x25519',
  'x448',
  'secp256r1',
  'secp384r1',
  'secp521r1',
]);

/** The named group of an EC key's curve (RFC 8422 §5.1.1: the groups name curves for ECDSA too). */
export const CURVE_GROUPS: Readonly<Record<string, NamedGroupName>> = {
  'P-256': 'secp256r1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
};

const groupNames = new Map<number, NamedGroupName>(
  Object.entries(GROUP_CODES).map(([name, code]) => [code, name as NamedGroupName]),
);

export function groupName(code: number): NamedGroupName | undefined {
  return groupNames.get(code);
}

export function schemeCode(name: SignatureSchemeName): number {
  return SignatureScheme[name];
}

const schemeNames = new Map<number, SignatureSchemeName>(
  SIGNATURE_SCHEMES.map((name) => [SignatureScheme[name], name]),
);

export function schemeName(code: number): SignatureSchemeName | undefined {
  return schemeNames.get(code);
}

/** Can `scheme` be used in a TLS 1.3 CertificateVerify with `key`? */
export function tls13SchemeFitsKey(scheme: SignatureSchemeName, key: PublicKey | PrivateKey): boolean {
  const info = signatureSchemeInfo(scheme);
  if (info.kind === 'pkcs1' || info.verifyOnly) return false;
  if (!info.keyTypes.includes(key.type)) return false;
  return info.curve === undefined || info.curve === key.curve;
}

/** TLS 1.3 schemes usable in CertificateVerify, our default preference order. */
export const TLS13_SIGNATURE_SCHEMES: readonly SignatureSchemeName[] = [
  'ecdsa_secp256r1_sha256',
  'ecdsa_secp384r1_sha384',
  'ecdsa_secp521r1_sha512',
  'ed25519',
  'rsa_pss_rsae_sha256',
  'rsa_pss_rsae_sha384',
  'rsa_pss_rsae_sha512',
  'rsa_pss_pss_sha256',
  'rsa_pss_pss_sha384',
  'rsa_pss_pss_sha512',
];
