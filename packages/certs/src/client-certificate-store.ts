// The design's ClientCertificateStore: the user's source of client certificates.

import { type CertificateChainCallback, type ChainDelivery, guardedCallback } from './callback.js';
import { Certificate } from './certificate.js';
import { assembleChain } from './chain.js';
import { NoCertificateChainError } from './errors.js';
import { isIssuerCandidate } from './issuer.js';
import type { Name } from './name.js';

/**
 * A root the server asked for: a keyless certificate (the design's form) or just its subject Name
 * (what TLS CertificateRequest's certificate_authorities carries, RFC 8446 §4.2.4).
 */
export type ClientCertificateRoot = Certificate | Name;

export abstract class ClientCertificateStore {
  /**
   * Implemented by the user, called by the TLS engine: invoke `callback` once with a chain (ONE
   * leaf with its private key) that chains to one of `roots`, or null. A chain that does not
   * reach any root makes the callback raise NoCertificateChainError.
   */
  abstract getCertificateChainForRoots(
    roots: ReadonlySet<ClientCertificateRoot>,
    callback: CertificateChainCallback,
  ): void;

  /** Implemented by the user: the chain to send when the server named no roots; once, or null. */
  abstract getDefaultCertificateChain(callback: CertificateChainCallback): void;
}

/** Whether the ordered chain ends at, or is issued by, one of the roots. */
function reachesRoot(chain: readonly Certificate[], roots: ReadonlySet<ClientCertificateRoot>): boolean {
  const top = chain[chain.length - 1]!;
  for (const root of roots) {
    if (root instanceof Certificate) {
      if (chain.some((c) => c.equals(root)) || isIssuerCandidate(top, root)) return true;
    } else if (chain.some((c) => c.subject.equals(root)) || top.issuer.equals(root)) {
      return true;
    }
  }
  return false;
}

/**
 * For the TLS engine: asks `store` for a client chain (for `roots` when the server sent any,
 * the default chain otherwise) through a callback enforcing the design's rules.
 */
export function requestClientCertificateChain(
  store: ClientCertificateStore,
  roots: Iterable<ClientCertificateRoot> | null,
  deliver: (result: ChainDelivery) => void,
): void {
  const rootSet = new Set(roots ?? []);
  if (rootSet.size === 0) {
    store.getDefaultCertificateChain(guardedCallback(assembleChain, deliver));
    return;
  }
  const validate = (chain: Iterable<Certificate>) => {
    const ordered = assembleChain(chain);
    if (!reachesRoot(ordered, rootSet)) {
      throw new NoCertificateChainError(
        `the chain of ${ordered[0]!.subject} does not lead to any of the requested roots`,
      );
    }
    return ordered;
  };
  store.getCertificateChainForRoots(rootSet, guardedCallback(validate, deliver));
}
