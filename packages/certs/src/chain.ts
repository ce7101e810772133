// The design's rules for a certificate chain that will be sent to a peer: ONE leaf (a non-CA
// certificate) that has its private key, no key anywhere else, and nothing that is not part of
// the leaf's chain. Certificates are ordered leaf first, each followed by its issuer.
// A set with no non-CA certificate (a self-signed `openssl req -x509` certificate is CA:TRUE)
// has as its leaf the one CA certificate that carries the private key, if there is one.

import type { Certificate } from './certificate.js';
import {
  CertificateNotInChainError,
  ExtraneousPrivateKeyError,
  LeafCertificateHasNoPrivateKeyError,
  MoreThanOneLeafCertificateError,
  NoLeafCertificateError,
} from './errors.js';
import { isIssuerCandidate } from './issuer.js';

/** Validates a set holding exactly one chain and returns it in order, leaf first. */
export function assembleChain(certificates: Iterable<Certificate>): Certificate[] {
  const list = [...certificates];
  const leaves = leafCandidates(list);
  if (leaves.length === 0) {
    throw new NoLeafCertificateError(
      'the chain has no leaf (a non-CA certificate, or a CA certificate with its private key)',
    );
  }
  if (leaves.length > 1) {
    throw new MoreThanOneLeafCertificateError(
      `the chain has ${leaves.length} leaf certificates: ${leaves.map((c) => c.subject).join('; ')}`,
    );
  }
  const leaf = leaves[0]!;
  checkKeys([leaf], list);
  const { chain, unused } = chainFrom(
    leaf,
    list.filter((c) => c !== leaf),
  );
  if (unused.length > 0) {
    throw new CertificateNotInChainError(
      `not part of the chain of ${leaf.subject}: ${unused.map((c) => c.subject).join('; ')}`,
    );
  }
  return chain;
}

/**
 * Splits a set of certificates holding several chains (SNIServerCertificates) into one chain
 * per leaf. CA certificates may be shared between chains; each must serve at least one.
 */
export function assembleChains(certificates: Iterable<Certificate>): Certificate[][] {
  const list = [...certificates];
  const leaves = list.filter((c) => !c.isCA);
  checkKeys(leaves, list);
  const cas = list.filter((c) => c.isCA);
  const used = new Set<Certificate>();
  const chains = leaves.map((leaf) => {
    const { chain } = chainFrom(leaf, cas);
    for (const c of chain) used.add(c);
    return chain;
  });
  const unused = cas.filter((c) => !used.has(c));
  if (unused.length > 0) {
    throw new CertificateNotInChainError(`not part of any chain: ${unused.map((c) => c.subject).join('; ')}`);
  }
  return chains;
}

/** The non-CA certificates; when there is none, the CA certificates that carry their private key. */
function leafCandidates(list: readonly Certificate[]): Certificate[] {
  const nonCA = list.filter((c) => !c.isCA);
  return nonCA.length > 0 ? nonCA : list.filter((c) => c.privateKey);
}

function checkKeys(leaves: readonly Certificate[], all: readonly Certificate[]): void {
  for (const leaf of leaves) {
    if (!leaf.privateKey)
      throw new LeafCertificateHasNoPrivateKeyError(`the leaf ${leaf.subject} has no private key`);
  }
  const extraneous = all.find((c) => c.isCA && c.privateKey && !leaves.includes(c));
  if (extraneous) {
    throw new ExtraneousPrivateKeyError(`the CA certificate ${extraneous.subject} carries a private key`);
  }
}

/** Follows issuer links from `leaf` through `pool` (by Name DER and key identifiers). */
function chainFrom(
  leaf: Certificate,
  pool: readonly Certificate[],
): { chain: Certificate[]; unused: Certificate[] } {
  const chain = [leaf];
  const unused = [...pool];
  for (let current = leaf; !current.isSelfIssued; ) {
    const index = unused.findIndex((c) => isIssuerCandidate(current, c));
    if (index < 0) break;
    current = unused.splice(index, 1)[0]!;
    chain.push(current);
  }
  return { chain, unused };
}
