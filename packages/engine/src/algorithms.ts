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
  secp256r1: NamedGroup.secp256r1,
  secp384r1: NamedGroup.secp384r1,
  ffdhe2048: NamedGroup.ffdhe2048,
  ffdhe3072: NamedGroup.ffdhe3072,
  ffdhe4096: NamedGroup.ffdhe4096,
  x25519mlkem768: NamedGroup.X25519MLKEM768,
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
