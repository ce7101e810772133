// The design's certificate_chain_callback: callable once only (else InvalidatedError), validating
// what it is given with the chain rules before handing it on.

import type { Certificate } from './certificate.js';
import { InvalidatedError } from './errors.js';

/** Receives a chain (any iterable; order does not matter) or null for "no certificate". */
export type CertificateChainCallback = (chain: Iterable<Certificate> | null) => void;

/** What the TLS engine receives from a guarded callback. */
export type ChainDelivery = { readonly chain: Certificate[] | null } | { readonly error: Error };

/**
 * Makes the callback handed to user code. A chain that breaks the rules is refused with the
 * design's exception thrown to the caller and reported to `deliver` as well, so that the handshake
 * waiting for it can fail instead of hanging. Either way the callback is spent.
 */
export function guardedCallback(
  validate: (chain: Iterable<Certificate>) => Certificate[],
  deliver: (result: ChainDelivery) => void,
): CertificateChainCallback {
  let spent = false;
  return (chain) => {
    if (spent) throw new InvalidatedError('the certificate chain callback may be invoked only once');
    spent = true;
    if (chain === null || chain === undefined) {
      deliver({ chain: null });
      return;
    }
    let ordered: Certificate[];
    try {
      ordered = validate(chain);
    } catch (e) {
      deliver({ error: e as Error });
      throw e;
    }
    deliver({ chain: ordered });
  };
}
