// The design's ServerCertificates, ServerCertificateChain and SNIServerCertificates.

import { type CertificateChainCallback, type ChainDelivery, guardedCallback } from './callback.js';
import type { Certificate } from './certificate.js';
import { assembleChain, assembleChains } from './chain.js';
import { verifyHostname } from './hostname.js';

export abstract class ServerCertificates {
  /**
   * Implemented by the user, called by the TLS engine: must eventually invoke `callback`, once,
   * with a chain holding ONE leaf that has its private key, or with null (a TLS alert is sent).
   * `serverName` is the SNI host name, or null when the client sent none.
   */
  abstract getCertificateChainForServerName(
    serverName: string | null,
    callback: CertificateChainCallback,
  ): void;
}

/** One chain for every client. */
export class ServerCertificateChain extends ServerCertificates {
  /** Leaf first. */
  readonly chain: readonly Certificate[];

  /** Throws NoLeafCertificateError, MoreThanOneLeafCertificateError, LeafCertificateHasNoPrivateKeyError,
   * ExtraneousPrivateKeyError or CertificateNotInChainError. */
  constructor(chain: Iterable<Certificate>) {
    super();
    this.chain = assembleChain(chain);
  }

  override getCertificateChainForServerName(
    _serverName: string | null,
    callback: CertificateChainCallback,
  ): void {
    callback(this.chain);
  }
}

/** Chooses among several chains by the SNI name (RFC 9525 matching of the leaf's SANs). */
export class SNIServerCertificates extends ServerCertificates {
  readonly chains: readonly (readonly Certificate[])[];
  readonly defaultChain: readonly Certificate[] | null;

  /** `certificates` may hold several chains, every leaf with its key; `defaultChain` is one chain or empty. */
  constructor(certificates: Iterable<Certificate>, defaultChain: Iterable<Certificate> = []) {
    super();
    this.chains = assembleChains(certificates);
    const fallback = [...defaultChain];
    this.defaultChain = fallback.length > 0 ? assembleChain(fallback) : null;
  }

  override getCertificateChainForServerName(
    serverName: string | null,
    callback: CertificateChainCallback,
  ): void {
    const match =
      serverName === null ? undefined : this.chains.find((chain) => verifyHostname(chain[0]!, serverName));
    callback(match ?? this.defaultChain);
  }
}

/**
 * For the TLS engine: asks `certificates` for the chain to send, through a callback that
 * enforces the design's rules (once only, one leaf with its key), and delivers the outcome.
 */
export function requestServerCertificateChain(
  certificates: ServerCertificates,
  serverName: string | null,
  deliver: (result: ChainDelivery) => void,
): void {
  certificates.getCertificateChainForServerName(serverName, guardedCallback(assembleChain, deliver));
}
