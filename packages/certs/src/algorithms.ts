// AlgorithmIdentifier, SubjectPublicKeyInfo (RFC 5280 §4.1.1.2, §4.1.2.7; RFC 3279, 4055, 5480, 8410)
// and the mapping from certificate signature algorithms to TLS signature scheme names.

import type { HashAlgorithm, PublicKey, SignatureSchemeName } from '@tls-kit/crypto';
import {
  contextTag,
  type DerElement,
  DerReader,
  decodeNull,
  decodeOctetAlignedBitString,
  decodeOid,
  decodeSmallInteger,
  decodeUnsignedIntegerBytes,
  encodingOf,
  Tag,
} from '@tls-kit/crypto/der';
import { CertificateParseError, UnsupportedAlgorithmError } from './errors.js';
import { Oid } from './oids.js';

export interface AlgorithmIdentifier {
  readonly oid: string;
  /** The parameters element, if present. */
  readonly parameters: DerElement | undefined;
  /** DER of the whole AlgorithmIdentifier. */
  readonly der: Uint8Array;
  readonly offset: number;
}

export function readAlgorithmIdentifier(reader: DerReader, what: string): AlgorithmIdentifier {
  const el = reader.expect(Tag.SEQUENCE, what);
  const inner = DerReader.inside(el);
  const oid = inner.oid(`${what} algorithm`);
  const parameters = inner.done ? undefined : inner.read();
  inner.finish(what);
  return { oid, parameters, der: encodingOf(el), offset: el.offset };
}

/** What a certificate signature algorithm asks for, independent of the signer's key. */
export type SignatureAlgorithm =
  | { readonly kind: 'rsa-pkcs1'; readonly hash: HashAlgorithm }
  | { readonly kind: 'rsa-pss'; readonly hash: HashAlgorithm }
  | { readonly kind: 'ecdsa'; readonly hash: HashAlgorithm }
  | { readonly kind: 'ed25519' }
  | { readonly kind: 'unsupported'; readonly reason: string };

const pkcs1Hashes: Record<string, HashAlgorithm> = {
  [Oid.sha1WithRSAEncryption]: 'sha1',
  [Oid.sha256WithRSAEncryption]: 'sha256',
  [Oid.sha384WithRSAEncryption]: 'sha384',
  [Oid.sha512WithRSAEncryption]: 'sha512',
};
const ecdsaHashes: Record<string, HashAlgorithm> = {
  [Oid.ecdsaWithSha1]: 'sha1',
  [Oid.ecdsaWithSha256]: 'sha256',
  [Oid.ecdsaWithSha384]: 'sha384',
  [Oid.ecdsaWithSha512]: 'sha512',
};
const hashOids: Record<string, HashAlgorithm> = {
  [Oid.sha1]: 'sha1',
  [Oid.sha256]: 'sha256',
  [Oid.sha384]: 'sha384',
  [Oid.sha512]: 'sha512',
};
const hashLengths: Record<HashAlgorithm, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

export function interpretSignatureAlgorithm(alg: AlgorithmIdentifier): SignatureAlgorithm {
  const pkcs1 = pkcs1Hashes[alg.oid];
  if (pkcs1) {
    // RFC 4055 §5: parameters are NULL; some encoders omit them, which is harmless.
    if (alg.parameters) decodeNull(alg.parameters);
    return { kind: 'rsa-pkcs1', hash: pkcs1 };
  }
  const ecdsa = ecdsaHashes[alg.oid];
  if (ecdsa) {
    // RFC 5758 §3.2: parameters MUST be absent.
    if (alg.parameters)
      throw new CertificateParseError('ECDSA signature parameters must be absent', alg.parameters.offset);
    return { kind: 'ecdsa', hash: ecdsa };
  }
  if (alg.oid === Oid.ed25519) {
    if (alg.parameters)
      throw new CertificateParseError('Ed25519 parameters must be absent', alg.parameters.offset);
    return { kind: 'ed25519' };
  }
  if (alg.oid === Oid.rsassaPss) {
    if (!alg.parameters) throw new CertificateParseError('RSASSA-PSS signature lacks parameters', alg.offset);
    return interpretPssParameters(alg.parameters);
  }
  return { kind: 'unsupported', reason: `signature algorithm ${alg.oid}` };
}

/** RFC 4055 §3.1. TLS's rsa_pss_* schemes need MGF1 with the same hash and salt = hash length. */
function interpretPssParameters(params: DerElement): SignatureAlgorithm {
  const r = DerReader.inside(params);
  let hash: HashAlgorithm = 'sha1';
  let mgfHash: HashAlgorithm = 'sha1';
  let salt = 20;
  const hashEl = r.optional(contextTag(0, true));
  if (hashEl) {
    const inner = DerReader.inside(hashEl);
    const alg = readAlgorithmIdentifier(inner, 'PSS hash');
    inner.finish('PSS hash');
    const h = hashOids[alg.oid];
    if (!h) return { kind: 'unsupported', reason: `PSS hash ${alg.oid}` };
    hash = h;
  }
  const mgfEl = r.optional(contextTag(1, true));
  if (mgfEl) {
    const inner = DerReader.inside(mgfEl);
    const mgf = readAlgorithmIdentifier(inner, 'PSS mask generation');
    inner.finish('PSS mask generation');
    if (mgf.oid !== Oid.mgf1 || !mgf.parameters)
      return { kind: 'unsupported', reason: `PSS mask ${mgf.oid}` };
    const mr = DerReader.over(mgf.parameters);
    const mgfHashAlg = readAlgorithmIdentifier(mr, 'MGF1 hash');
    const h = hashOids[mgfHashAlg.oid];
    if (!h) return { kind: 'unsupported', reason: `MGF1 hash ${mgfHashAlg.oid}` };
    mgfHash = h;
  }
  const saltEl = r.optional(contextTag(2, true));
  if (saltEl) {
    const inner = DerReader.inside(saltEl);
    salt = decodeSmallInteger(inner.expect(Tag.INTEGER, 'PSS salt length'));
    inner.finish('PSS salt length');
  }
  const trailerEl = r.optional(contextTag(3, true));
  if (trailerEl) {
    const inner = DerReader.inside(trailerEl);
    if (decodeSmallInteger(inner.expect(Tag.INTEGER, 'PSS trailer')) !== 1) {
      return { kind: 'unsupported', reason: 'PSS trailer field other than 1' };
    }
  }
  r.finish('RSASSA-PSS parameters');
  if (mgfHash !== hash || salt !== hashLengths[hash]) {
    return {
      kind: 'unsupported',
      reason: 'PSS parameters other than MGF1 with the same hash and salt = hash length',
    };
  }
  return { kind: 'rsa-pss', hash };
}

export interface SubjectPublicKeyInfo {
  /** DER of the SubjectPublicKeyInfo. */
  readonly der: Uint8Array;
  readonly algorithm: AlgorithmIdentifier;
  /** The subjectPublicKey BIT STRING's bytes. */
  readonly keyBytes: Uint8Array;
  /** Undefined when the algorithm or curve is not one this package handles. */
  readonly key: PublicKey | undefined;
  /** Why `key` is undefined. */
  readonly unsupported?: string;
}

const curves: Record<string, { name: string; size: number }> = {
  [Oid.secp256r1]: { name: 'P-256', size: 32 },
  [Oid.secp384r1]: { name: 'P-384', size: 48 },
  [Oid.secp521r1]: { name: 'P-521', size: 66 },
};
export const curveOids: Record<string, string> = Object.fromEntries(
  Object.entries(curves).map(([oid, c]) => [c.name, oid]),
);

export function readSubjectPublicKeyInfo(reader: DerReader): SubjectPublicKeyInfo {
  const el = reader.expect(Tag.SEQUENCE, 'SubjectPublicKeyInfo');
  const inner = DerReader.inside(el);
  const algorithm = readAlgorithmIdentifier(inner, 'public key algorithm');
  const bitsEl = inner.expect(Tag.BIT_STRING, 'subjectPublicKey');
  inner.finish('SubjectPublicKeyInfo');
  const der = encodingOf(el);
  const keyBytes = decodeOctetAlignedBitString(bitsEl, 'subjectPublicKey');
  // A literal per outcome, not a spread of shared fields: see CONTRIBUTING.md, "Hot paths".
  const info = (key: PublicKey | undefined, unsupported?: string): SubjectPublicKeyInfo =>
    unsupported === undefined
      ? { der, algorithm, keyBytes, key }
      : { der, algorithm, keyBytes, key, unsupported };
  const params = algorithm.parameters;
  switch (algorithm.oid) {
    case Oid.rsaEncryption:
    case Oid.rsassaPss: {
      if (algorithm.oid === Oid.rsaEncryption) {
        if (!params) throw new CertificateParseError('rsaEncryption key lacks NULL parameters', el.offset);
        decodeNull(params);
      }
      const bits = rsaModulusBits(bitsEl);
      return info({ type: algorithm.oid === Oid.rsaEncryption ? 'rsa' : 'rsa-pss', bits, spki: der });
    }
    case Oid.ecPublicKey: {
      if (!params || params.tag !== Tag.OID) {
        return info(undefined, 'EC key without a named curve');
      }
      const curve = curves[decodeOid(params)];
      if (!curve) return info(undefined, `EC curve ${decodeOid(params)}`);
      const uncompressed = keyBytes.length === 1 + 2 * curve.size && keyBytes[0] === 4;
      const compressed = keyBytes.length === 1 + curve.size && (keyBytes[0] === 2 || keyBytes[0] === 3);
      if (!uncompressed && !compressed) {
        throw new CertificateParseError(`malformed ${curve.name} point`, bitsEl.contentOffset + 1);
      }
      return info({ type: 'ec', curve: curve.name, spki: der });
    }
    case Oid.ed25519:
      // RFC 8410 §3: parameters MUST be absent.
      if (params) throw new CertificateParseError('Ed25519 key parameters must be absent', params.offset);
      if (keyBytes.length !== 32)
        throw new CertificateParseError('Ed25519 key must be 32 bytes', bitsEl.offset);
      return info({ type: 'ed25519', spki: der });
    default:
      return info(undefined, `public key algorithm ${algorithm.oid}`);
  }
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 §A.1.1). */
function rsaModulusBits(bitsEl: DerElement): number {
  const outer = DerReader.encapsulated(bitsEl);
  const r = outer.enter(Tag.SEQUENCE, 'RSAPublicKey');
  outer.finish('RSAPublicKey');
  const nEl = r.expect(Tag.INTEGER, 'RSA modulus');
  const eEl = r.expect(Tag.INTEGER, 'RSA public exponent');
  r.finish('RSAPublicKey');
  const n = decodeUnsignedIntegerBytes(nEl);
  const e = decodeUnsignedIntegerBytes(eEl);
  if (n.length < 64 || (n[n.length - 1]! & 1) === 0) {
    throw new CertificateParseError('RSA modulus is too small or even', nEl.offset);
  }
  if ((e[e.length - 1]! & 1) === 0 || (e.length === 1 && e[0]! < 3)) {
    throw new CertificateParseError('RSA public exponent is invalid', eEl.offset);
  }
  return (n.length - 1) * 8 + (32 - Math.clz32(n[0]!));
}

/**
 * The TLS signature scheme that verifies a certificate signature of `alg` made with `issuerKey`.
 */
export function signatureSchemeFor(alg: SignatureAlgorithm, issuerKey: PublicKey): SignatureSchemeName {
  const fail = (why: string): never => {
    throw new UnsupportedAlgorithmError(why);
  };
  switch (alg.kind) {
    case 'unsupported':
      return fail(`unsupported ${alg.reason}`);
    case 'ed25519':
      return issuerKey.type === 'ed25519'
        ? 'ed25519'
        : fail(`Ed25519 signature with a ${issuerKey.type} key`);
    case 'rsa-pkcs1':
      if (issuerKey.type !== 'rsa') return fail(`RSA PKCS#1 signature with a ${issuerKey.type} key`);
      return alg.hash === 'sha1' ? 'rsa_pkcs1_sha1' : (`rsa_pkcs1_${alg.hash}` as SignatureSchemeName);
    case 'rsa-pss':
      if (alg.hash === 'sha1') return fail('RSA-PSS with SHA-1');
      if (issuerKey.type === 'rsa') return `rsa_pss_rsae_${alg.hash}`;
      if (issuerKey.type === 'rsa-pss') return `rsa_pss_pss_${alg.hash}`;
      return fail(`RSA-PSS signature with a ${issuerKey.type} key`);
    case 'ecdsa':
      // X.509 pairs any hash with any curve (OpenSSL signs with SHA-256 on P-384 by default).
      // The provider does not bind ECDSA schemes to their TLS 1.3 curve, so the scheme of
      // the same hash verifies these; the curve comes from the key.
      if (issuerKey.type !== 'ec') return fail(`ECDSA signature with a ${issuerKey.type} key`);
      return (
        {
          sha1: 'ecdsa_sha1',
          sha256: 'ecdsa_secp256r1_sha256',
          sha384: 'ecdsa_secp384r1_sha384',
          sha512: 'ecdsa_secp521r1_sha512',
        } as const
      )[alg.hash];
  }
}
