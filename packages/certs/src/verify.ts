// Certification path building and validation (RFC 5280 §6.1) with the server identity check
// of RFC 9525. Paths are built from an unordered pool of intermediates, trying every candidate
// issuer depth-first, with cycle detection, a depth limit and a work budget. Each complete path
// is checked certificate by certificate under a profile (certificate-profile.ts), then for
// revocation against the CRLs given (crl.ts).

import type { CryptoProvider } from '@tls-kit/crypto';
import { defaultProvider } from '@tls-kit/crypto/default';
import type { Certificate } from './certificate.js';
import { type Problem, type Profile, profileProblem, type Role } from './certificate-profile.js';
import { type CertificateRevocationList, type CrlCheck, revocationProblem } from './crl.js';
import { handledExtensions } from './extensions.js';
import { verifyHostname } from './hostname.js';
import { checkSignature } from './issuer.js';
import { IssuerIndex } from './issuer-index.js';
import { NameConstraintBudget } from './name-constraints.js';
import { Oid } from './oids.js';
import type { TrustStore } from './trust-store.js';
import type { Purpose, VerifyFailureReason } from './verify-failure.js';

export type { Profile } from './certificate-profile.js';
export { type Purpose, VerifyFailureReason } from './verify-failure.js';

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
  /**
   * 'webpki' (default): RFC 5280 plus the CA/Browser Forum Baseline Requirements (EKU required
   * in the leaf, key sizes, CN among the SANs, no wildcard over a public suffix, no CA as leaf).
   * 'rfc5280': RFC 5280 alone, for private PKIs.
   */
  readonly profile?: Profile;
  /**
   * Most intermediate certificates between leaf and trust anchor, as openssl's -verify_depth
   * (neither the leaf nor the anchor counts). Defaults to 8.
   */
  readonly maxChainDepth?: number;
  /** Accept SHA-1 certificate signatures (collisions are practical, RFC 9155). Defaults to false. */
  readonly allowSha1Signatures?: boolean;
  /** CRLs (RFC 5280 §5) to check the path's certificates against. */
  readonly crls?: Iterable<CertificateRevocationList>;
  /**
   * 'leaf' / 'chain': a CRL of the issuer is required for the leaf / every certificate but the
   * anchor (openssl -crl_check / -crl_check_all). Default: each certificate whose issuer has a
   * CRL among `crls` is checked against it, and a missing CRL is no failure.
   */
  readonly crlCheck?: CrlCheck;
}

export interface VerifyFailure {
  readonly ok: false;
  readonly reason: VerifyFailureReason;
  /** Names the certificate (position and subject), the rule and its RFC / BR section. */
  readonly message: string;
  /** The position in the path of the certificate at fault (0: the leaf), when one is. */
  readonly depth?: number;
  /** Where the rule is written, e.g. 'RFC 5280 §4.2.1.9'. */
  readonly section?: string;
}

export type VerifyResult =
  | { readonly ok: true /** Leaf first, trust anchor last. */; readonly chain: Certificate[] }
  | VerifyFailure;

const fail = (reason: VerifyFailureReason, message: string): VerifyFailure => ({
  ok: false,
  reason,
  message,
});

/** A failure located at `path[depth]`, with its rule. */
function failAt(path: readonly Certificate[], depth: number, problem: Problem): VerifyFailure {
  const where = `certificate ${depth} (${path[depth]!.subject})`;
  return {
    ok: false,
    reason: problem.reason,
    message: `${where}: ${problem.message}${problem.section ? ` [${problem.section}]` : ''}`,
    depth,
    ...(problem.section ? { section: problem.section } : {}),
  };
}

/** Signature checks and candidate visits allowed per verification, against pathological pools. */
const WORK_BUDGET = 200;

export const DEFAULT_MAX_CHAIN_DEPTH = 8;

export function verifyChain(options: VerifyOptions): VerifyResult {
  const leaf = options.leaf;
  const provider = options.provider ?? defaultProvider;
  const profile = options.profile ?? 'webpki';
  const maxChainDepth = options.maxChainDepth ?? DEFAULT_MAX_CHAIN_DEPTH;
  // Leaf + intermediates + anchor.
  const maxPath = maxChainDepth + 2;
  if (options.hostname !== undefined && !verifyHostname(leaf, options.hostname)) {
    return failAt([leaf], 0, {
      reason: 'hostname-mismatch',
      message: `not valid for "${options.hostname}"`,
      section: 'RFC 9525 §6.3',
    });
  }
  const anchors = options.trustStore.index;
  const context: PathContext = {
    time: options.time ?? new Date(),
    purpose: options.purpose ?? 'server',
    profile,
    allowSha1: options.allowSha1Signatures === true,
    crls: [...(options.crls ?? [])],
    crlCheck: options.crlCheck,
    provider,
    checkAnchors: options.trustStore.checkAnchors,
  };
  if (anchors.has(leaf)) {
    // A certificate trusted as it is (a pinned self-signed certificate, even one marked CA by
    // `openssl req -x509`): the path is the leaf alone, as node:tls and openssl accept it.
    return checkPinned(leaf, context) ?? { ok: true, chain: [leaf] };
  }
  if (leaf.isCA && profile === 'webpki') {
    return failAt([leaf], 0, {
      reason: 'leaf-is-ca',
      message: 'a CA certificate cannot be the end-entity certificate',
      section: 'CA/B BR §7.1.2.7.8',
    });
  }
  const pool = new IssuerIndex(options.intermediates ?? []);
  let budget = WORK_BUDGET;
  // The most informative failure seen: a complete path that failed a check beats a bad
  // signature, which beats running out of depth, which beats a missing issuer.
  let best: { failure: VerifyFailure; rank: number } | undefined;
  const record = (failure: VerifyFailure, rank: number) => {
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
      const depth = path.length - 1;
      record(
        current.isSelfIssued
          ? failAt(path, depth, {
              reason: depth === 0 ? 'self-signed-leaf' : 'self-signed-in-chain',
              message: 'self-signed and not in the trust store',
            })
          : failAt(path, depth, {
              reason: 'unknown-issuer',
              message: `no trusted or supplied issuer (issuer ${current.issuer})`,
            }),
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
        record(
          failAt(path, path.length - 1, {
            reason: signature.reason,
            message: signature.message,
            section: 'RFC 5280 §6.1.3 (a)(1)',
          }),
          2,
        );
        continue;
      }
      const next = [...path, candidate];
      if (anchors.has(candidate)) {
        const problem = checkPath(next, context);
        if (!problem) return next;
        record(problem, 3);
      } else if (next.length >= maxPath) {
        record(
          failAt(next, next.length - 1, {
            reason: 'depth-exceeded',
            message: `no trust anchor above it within ${maxChainDepth} intermediate certificate(s) (maxChainDepth)`,
          }),
          1,
        );
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

interface PathContext {
  readonly time: Date;
  readonly purpose: Purpose;
  readonly profile: Profile;
  readonly allowSha1: boolean;
  readonly crls: readonly CertificateRevocationList[];
  readonly crlCheck: CrlCheck | undefined;
  readonly provider: CryptoProvider;
  readonly checkAnchors: boolean;
}

/** A certificate trusted directly: its validity and, when it has one, its EKU. */
function checkPinned(leaf: Certificate, context: PathContext): VerifyFailure | undefined {
  const problem = validityProblem(leaf, context.time) ?? ekuProblem(leaf, 'leaf', context.purpose);
  return problem && failAt([leaf], 0, problem);
}

function validityProblem(cert: Certificate, time: Date): Problem | undefined {
  if (time < cert.notBefore)
    return {
      reason: 'not-yet-valid',
      message: `not valid before ${cert.notBefore.toISOString()}`,
      section: 'RFC 5280 §6.1.3 (a)(2)',
    };
  if (time > cert.notAfter)
    return {
      reason: 'expired',
      message: `expired at ${cert.notAfter.toISOString()}`,
      section: 'RFC 5280 §6.1.3 (a)(2)',
    };
  return undefined;
}

/** The leaf must allow the purpose; an EKU in a CA constrains the leaves below it (as Go and OpenSSL apply it). */
function ekuProblem(cert: Certificate, role: Role, purpose: Purpose): Problem | undefined {
  const eku = cert.extendedKeyUsage;
  if (!eku) return undefined;
  const ekuOid = purpose === 'server' ? Oid.serverAuth : Oid.clientAuth;
  if (eku.includes(ekuOid)) return undefined;
  if (role !== 'leaf' && eku.includes(Oid.anyExtendedKeyUsage)) return undefined;
  return {
    reason: 'extended-key-usage',
    message: `extendedKeyUsage does not allow ${purpose}Auth`,
    section: 'RFC 5280 §4.2.1.12',
  };
}

/** The checks of RFC 5280 §6.1.3-6.1.5 and the profile on a complete path (leaf first, anchor last). */
function checkPath(path: readonly Certificate[], context: PathContext): VerifyFailure | undefined {
  const { time, purpose, profile, allowSha1 } = context;
  const nameConstraintBudget = new NameConstraintBudget();
  // The anchor's own constraints are applied as well, as OpenSSL does.
  for (let i = path.length - 1; i >= 0; i--) {
    const cert = path[i]!;
    const at = (problem: Problem) => failAt(path, i, problem);
    const role: Role = i === 0 ? 'leaf' : i === path.length - 1 ? 'anchor' : 'intermediate';
    const validity = validityProblem(cert, time);
    if (validity) return at(validity);
    // The anchor's self-signature is never checked, so its algorithm does not matter.
    const alg = cert.signatureAlgorithm;
    if (role !== 'anchor' && !allowSha1 && 'hash' in alg && alg.hash === 'sha1') {
      return at({ reason: 'weak-signature-algorithm', message: 'signed with SHA-1', section: 'RFC 9155' });
    }
    const unknown = cert.extensions.find((e) => e.critical && !handledExtensions.has(e.oid));
    if (unknown)
      return at({
        reason: 'unknown-critical-extension',
        message: `unhandled critical extension ${unknown.oid}`,
        section: 'RFC 5280 §4.2',
      });
    const shape =
      role === 'anchor' && !context.checkAnchors ? undefined : profileProblem(cert, role, profile, purpose);
    if (shape) return at(shape);
    const eku = ekuProblem(cert, role, purpose);
    if (eku) return at(eku);
    if (role === 'leaf') {
      if (cert.keyUsage && !cert.keyUsage.has('digitalSignature')) {
        return at({
          reason: 'key-usage',
          message: 'keyUsage lacks digitalSignature',
          section: 'RFC 5280 §4.2.1.3',
        });
      }
      continue;
    }
    if (!cert.isCA)
      return at({
        reason: 'not-a-ca',
        message: `issued ${path[i - 1]!.subject} but is not a CA certificate`,
        section: 'RFC 5280 §6.1.4 (k)',
      });
    if (cert.keyUsage && !cert.keyUsage.has('keyCertSign')) {
      return at({
        reason: 'key-usage',
        message: 'keyUsage lacks keyCertSign',
        section: 'RFC 5280 §6.1.4 (n)',
      });
    }
    // §4.2.1.9: pathLenConstraint counts the non-self-issued intermediates below this CA.
    const pathLen = cert.basicConstraints?.pathLenConstraint;
    if (pathLen !== undefined) {
      const below = path.slice(1, i).filter((c) => !c.isSelfIssued).length;
      if (below > pathLen) {
        return at({
          reason: 'path-length-exceeded',
          message: `allows ${pathLen} intermediate(s) below it, the path has ${below}`,
          section: 'RFC 5280 §4.2.1.9',
        });
      }
    }
    const constraints = cert.nameConstraints;
    if (constraints) {
      // §6.1.3 (b): self-issued intermediates are exempt; the leaf never is.
      for (let j = i - 1; j >= 0; j--) {
        const subject = path[j]!;
        if (j > 0 && subject.isSelfIssued) continue;
        const result = nameConstraintBudget.check(constraints, subject);
        if (result && 'tooComplex' in result) {
          return at({
            reason: 'name-constraints-too-complex',
            message: `too complex: checking its name constraints against certificate ${j} would exceed ${NameConstraintBudget.limit} comparisons`,
            section: 'RFC 5280 §4.2.1.10',
          });
        }
        if (result)
          return failAt(path, j, {
            reason: 'name-constraints',
            message: `violates the name constraints of certificate ${i} (${cert.subject}): ${result.violation}`,
            section: 'RFC 5280 §4.2.1.10',
          });
      }
    }
  }
  const revoked = revocationProblem(path, context.crls, context.crlCheck, time, context.provider);
  return revoked && failAt(path, revoked.depth, revoked);
}
