// Issuer matching and signature checks shared by path building and chain assembly.

import type { CryptoProvider, PublicKey } from '@tls-kit/crypto';
import { type SignatureAlgorithm, signatureSchemeFor } from './algorithms.js';
import type { Certificate } from './certificate.js';
import { UnsupportedAlgorithmError } from './errors.js';

/**
 * Whether `parent` can be the issuer of `child` by name: the issuer Name's DER equals the
 * subject's (never the printed strings), and the key identifiers agree when both are present
 * (RFC 5280 §4.2.1.1: AKI keyIdentifier = issuer's SKI).
 */
export function isIssuerCandidate(child: Certificate, parent: Certificate): boolean {
  if (!parent.subject.equals(child.issuer)) return false;
  const aki = child.authorityKeyIdentifier?.keyIdentifier;
  const ski = parent.subjectKeyIdentifier;
  return aki === undefined || ski === undefined || aki === ski;
}

export type SignatureCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'bad-signature' | 'unsupported-algorithm';
      readonly message: string;
    };

// Per provider, per child, per issuer: a chain verified again costs no signature operation.
const signatureCache = new WeakMap<CryptoProvider, WeakMap<object, WeakMap<object, SignatureCheck>>>();
const keyCache = new WeakMap<CryptoProvider, WeakMap<object, PublicKey>>();

function cached<K extends object, V>(map: WeakMap<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function importedKey(cert: Certificate, provider: CryptoProvider): PublicKey {
  return cached(
    cached(keyCache, provider, () => new WeakMap()),
    cert.parsed,
    () => {
      const spki = cert.subjectPublicKeyInfo;
      if (!spki.key) throw new UnsupportedAlgorithmError(`unsupported ${spki.unsupported}`);
      return provider.importPublicKey(spki.der);
    },
  );
}

/** Verifies `child`'s signature with `issuer`'s key through the provider (cached). */
export function checkSignature(
  child: Certificate,
  issuer: Certificate,
  provider: CryptoProvider,
): SignatureCheck {
  const byChild = cached(signatureCache, provider, () => new WeakMap());
  const byIssuer = cached(byChild, child.parsed, () => new WeakMap());
  return cached(byIssuer, issuer.parsed, () => computeSignatureCheck(child, issuer, provider));
}

function computeSignatureCheck(
  child: Certificate,
  issuer: Certificate,
  provider: CryptoProvider,
): SignatureCheck {
  return checkSignedData(
    { algorithm: child.signatureAlgorithm, data: child.parsed.tbs, signature: child.parsed.signature },
    `${child.subject}`,
    issuer,
    provider,
  );
}

/** Signed bytes: a certificate's TBSCertificate, an OCSP response's ResponseData. */
export interface SignedData {
  readonly algorithm: SignatureAlgorithm;
  readonly data: Uint8Array;
  readonly signature: Uint8Array;
}

/** Verifies `signed` (described as `what` in messages) with `signer`'s key through the provider. */
export function checkSignedData(
  signed: SignedData,
  what: string,
  signer: Certificate,
  provider: CryptoProvider,
): SignatureCheck {
  let scheme: ReturnType<typeof signatureSchemeFor>;
  let key: PublicKey;
  try {
    key = importedKey(signer, provider);
    scheme = signatureSchemeFor(signed.algorithm, key);
  } catch (e) {
    return { ok: false, reason: 'unsupported-algorithm', message: `${what}: ${(e as Error).message}` };
  }
  let valid: boolean;
  try {
    valid = provider.verify(scheme, key, signed.data, signed.signature);
  } catch (e) {
    // The provider throws only for unusable inputs (a key the scheme cannot use).
    return { ok: false, reason: 'unsupported-algorithm', message: `${what}: ${(e as Error).message}` };
  }
  return valid
    ? { ok: true }
    : {
        ok: false,
        reason: 'bad-signature',
        message: `the signature of ${what} does not verify with the key of ${signer.subject}`,
      };
}
