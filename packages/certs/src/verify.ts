// Certification path building and validation (RFC 5280 §6.1) with the server identity check
// of RFC 9525. Paths are built from an unordered pool of intermediates, trying every candidate
// issuer depth-first, with cycle detection, a depth limit and a work budget.

import type { CryptoProvider } from '@tls-kit/crypto';
import { defaultProvider } from '@tls-kit/crypto/default';
import type { Certificate } from './certificate.js';
import { handledExtensions } from './extensions.js';
import { verifyHostname } from './hostname.js';
import { checkSignature } from './issuer.js';
import { IssuerIndex } from './issuer-index.js';
import { nameConstraintViolation } from './name-constraints.js';
import { Oid } from './oids.js';
import type { TrustStore } from './trust-store.js';

export const VerifyFailureReason = {
  /** The end-entity certificate is a CA certificate (basicConstraints cA). */
  LeafIsCA: 'leaf-is-ca',
  /** No issuer for some certificate, and no path to a trust anchor. */
  UnknownIssuer: 'unknown-issuer',
  BadSignature: 'bad-signature',
  UnsupportedAlgorithm: 'unsupported-algorithm',
  /** A SHA-1 signature on a certificate of the path (refused unless allowSha1Signatures). */
  WeakSignatureAlgorithm: 'weak-signature-algorithm',
  Expired: 'expired',
  NotYetValid: 'not-yet-valid',
  /** An issuing certificate is not a CA (the node-forge CVE-2026-33896 case). */
  NotCA: 'not-a-ca',
  PathLengthExceeded: 'path-length-exceeded',
  KeyUsage: 'key-usage',
  ExtendedKeyUsage: 'extended-key-usage',
  NameConstraints: 'name-constraints',
  UnknownCriticalExtension: 'unknown-critical-extension',
  HostnameMismatch: 'hostname-mismatch',
  /** Every path was longer than `maxDepth`, or path building ran out of its work budget. */
  DepthExceeded: 'depth-exceeded',
} as const;
export type VerifyFailureReason = (typeof VerifyFailureReason)[keyof typeof VerifyFailureReason];

export type Purpose = 'server' | 'client';

export interface VerifyOptions {
  readonly leaf: Certificate;
  /** Untrusted certificates that may complete the path, in any order. */
  readonly intermediates?: Iterable<Certificate>;
  readonly trustStore: TrustStore;
  /** Validation time; defaults to now. */
  readonly time?: Date;
  /** Required extended key usage of the leaf: serverAuth or clientAuth. Defaults to 'server'. */
  readonly purpose?: Purpose;
  /** Checked against the leaf's subjectAltName (RFC 9525). */
  readonly hostname?: string;
  readonly provider?: CryptoProvider;
  /** Longest path accepted, counting leaf and anchor. Defaults to 10. */
  readonly maxDepth?: number;
  /** Accept SHA-1 certificate signatures (collisions are practical, RFC 9155). Defaults to false. */
  readonly allowSha1Signatures?: boolean;
}

export type VerifyResult =
  | { readonly ok: true /** Leaf first, trust anchor last. */; readonly chain: Certificate[] }
  | { readonly ok: false; readonly reason: VerifyFailureReason; readonly message: string };

type Failure = { readonly ok: false; readonly reason: VerifyFailureReason; readonly message: string };

const fail = (reason: VerifyFailureReason, message: string): Failure => ({ ok: false, reason, message });

/** Signature checks and candidate visits allowed per verification, against pathological pools. */
const WORK_BUDGET = 200;

export function verifyChain(options: VerifyOptions): VerifyResult {
  const leaf = options.leaf;
  const provider = options.provider ?? defaultProvider;
  const time = options.time ?? new Date();
  const purpose = options.purpose ?? 'server';
  const maxDepth = options.maxDepth ?? 10;
  if (leaf.isCA) return fail('leaf-is-ca', `${leaf.subject} is a CA certificate and cannot be the leaf`);
  if (options.hostname !== undefined && !verifyHostname(leaf, options.hostname)) {
    return fail(
      'hostname-mismatch',
      `the certificate of ${leaf.subject} is not valid for "${options.hostname}"`,
    );
  }
  const anchors = options.trustStore.index;
  const allowSha1 = options.allowSha1Signatures === true;
  if (anchors.has(leaf)) {
    // A leaf trusted as it is (a pinned self-signed certificate): the path is the leaf alone.
    return checkPath([leaf], time, purpose, allowSha1) ?? { ok: true, chain: [leaf] };
  }
  const pool = new IssuerIndex(options.intermediates ?? []);
  let budget = WORK_BUDGET;
  // The most informative failure seen: a complete path that failed a check beats a bad
  // signature, which beats running out of depth, which beats a missing issuer.
  let best: { failure: Failure; rank: number } | undefined;
  const record = (failure: Failure, rank: number) => {
    if (!best || rank > best.rank) best = { failure, rank };
  };

  const extend = (path: Certificate[]): Certificate[] | undefined => {
    const current = path[path.length - 1]!;
    // Anchors first; a certificate already on the path would close a cycle.
    const candidates = [
      ...anchors.issuersOf(current),
      ...pool.issuersOf(current).filter((c) => !anchors.has(c)),
    ].filter((c) => !path.some((p) => p.equals(c)));
    if (candidates.length === 0) {
      record(
        fail(
          'unknown-issuer',
          current.isSelfIssued
            ? `${current.subject} is self-issued and not trusted`
            : `no trusted or supplied issuer for ${current.subject} (issuer ${current.issuer})`,
        ),
        0,
      );
    }
    for (const candidate of candidates) {
      if (--budget < 0) {
        record(fail('depth-exceeded', 'path building gave up: too many candidate issuers'), 1);
        return undefined;
      }
      const signature = checkSignature(current, candidate, provider);
      if (!signature.ok) {
        record(fail(signature.reason, signature.message), 2);
        continue;
      }
      const next = [...path, candidate];
      if (anchors.has(candidate)) {
        const problem = checkPath(next, time, purpose, allowSha1);
        if (!problem) return next;
        record(problem, 3);
      } else if (next.length >= maxDepth) {
        record(fail('depth-exceeded', `no path to a trust anchor within ${maxDepth} certificates`), 1);
      } else {
        const found = extend(next);
        if (found) return found;
      }
    }
    return undefined;
  };

  const chain = extend([leaf]);
  if (chain) return { ok: true, chain };
  return best?.failure ?? fail('unknown-issuer', `no path from ${leaf.subject} to a trust anchor`);
}

/** The checks of RFC 5280 §6.1.3-6.1.5 on a complete path (leaf first, anchor last). */
function checkPath(
  path: readonly Certificate[],
  time: Date,
  purpose: Purpose,
  allowSha1: boolean,
): Failure | undefined {
  const ekuOid = purpose === 'server' ? Oid.serverAuth : Oid.clientAuth;
  // The anchor's own constraints are applied as well, as OpenSSL does.
  for (let i = path.length - 1; i >= 0; i--) {
    const cert = path[i]!;
    const who = `${cert.subject}`;
    if (time < cert.notBefore)
      return fail('not-yet-valid', `${who} is not valid before ${cert.notBefore.toISOString()}`);
    if (time > cert.notAfter) return fail('expired', `${who} expired at ${cert.notAfter.toISOString()}`);
    // The anchor's self-signature is never checked, so its algorithm does not matter.
    const alg = cert.signatureAlgorithm;
    if (i < path.length - 1 && !allowSha1 && 'hash' in alg && alg.hash === 'sha1') {
      return fail('weak-signature-algorithm', `${who} is signed with SHA-1`);
    }
    const unknown = cert.extensions.find((e) => e.critical && !handledExtensions.has(e.oid));
    if (unknown)
      return fail('unknown-critical-extension', `${who} has an unhandled critical extension ${unknown.oid}`);
    const eku = cert.extendedKeyUsage;
    if (i === 0) {
      if (cert.keyUsage && !cert.keyUsage.has('digitalSignature')) {
        return fail('key-usage', `${who}: keyUsage lacks digitalSignature`);
      }
      if (eku && !eku.includes(ekuOid))
        return fail('extended-key-usage', `${who}: extendedKeyUsage lacks ${purpose}Auth`);
      continue;
    }
    if (!cert.isCA)
      return fail('not-a-ca', `${who} issued ${path[i - 1]!.subject} but is not a CA certificate`);
    if (cert.keyUsage && !cert.keyUsage.has('keyCertSign')) {
      return fail('key-usage', `${who}: keyUsage lacks keyCertSign`);
    }
    // EKU in CA certificates constrains the leaves below them (as Go and OpenSSL apply it).
    if (eku && !eku.includes(ekuOid) && !eku.includes(Oid.anyExtendedKeyUsage)) {
      return fail('extended-key-usage', `${who}: extendedKeyUsage does not allow ${purpose}Auth`);
    }
    // §4.2.1.9: pathLenConstraint counts the non-self-issued intermediates below this CA.
    const pathLen = cert.basicConstraints?.pathLenConstraint;
    if (pathLen !== undefined) {
      const below = path.slice(1, i).filter((c) => !c.isSelfIssued).length;
      if (below > pathLen) {
        return fail(
          'path-length-exceeded',
          `${who} allows ${pathLen} intermediate(s) below it, the path has ${below}`,
        );
      }
    }
    const constraints = cert.nameConstraints;
    if (constraints) {
      // §6.1.3 (b): self-issued intermediates are exempt; the leaf never is.
      for (let j = i - 1; j >= 0; j--) {
        const subject = path[j]!;
        if (j > 0 && subject.isSelfIssued) continue;
        const violation = nameConstraintViolation(constraints, subject);
        if (violation)
          return fail(
            'name-constraints',
            `${subject.subject} violates the name constraints of ${who}: ${violation}`,
          );
      }
    }
  }
  return undefined;
}
