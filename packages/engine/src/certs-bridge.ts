// The engine's use of @tls-kit/certs' design-document callbacks: asking ServerCertificates and
// ClientCertificateStore for a chain through once-only, validating callbacks.
import {
  type Certificate,
  type ChainDelivery,
  type ClientCertificateStore,
  Name,
  requestClientCertificateChain,
  requestServerCertificateChain,
  type ServerCertificates,
} from '@tls-kit/certs';
import type { PrivateKey } from '@tls-kit/crypto';

export interface LocalChain {
  /** Leaf first. */
  readonly certificates: readonly Certificate[];
  readonly privateKey: PrivateKey;
}

/** null: no chain; Error: the user's chain broke the design's rules (they got the exception too). */
export type ChainAnswer = LocalChain | null | Error;

function toAnswer(result: ChainDelivery): ChainAnswer {
  if ('error' in result) return result.error;
  const leaf = result.chain?.[0];
  if (!result.chain || !leaf?.privateKey) return null;
  return { certificates: result.chain, privateKey: leaf.privateKey };
}

export function askServerCertificates(
  certificates: ServerCertificates,
  serverName: string | undefined,
  answer: (chain: ChainAnswer) => void,
): void {
  requestServerCertificateChain(certificates, serverName ?? null, (r) => answer(toAnswer(r)));
}

/** `authorities`: DistinguishedName DER values from certificate_authorities (RFC 8446 §4.2.4). */
export function askClientCertificateStore(
  store: ClientCertificateStore,
  authorities: readonly Uint8Array[] | undefined,
  answer: (chain: ChainAnswer) => void,
): void {
  const roots = authorities?.flatMap((der) => {
    try {
      return [Name.fromDer(der)];
    } catch {
      return [];
    }
  });
  requestClientCertificateChain(store, roots ?? null, (r) => answer(toAnswer(r)));
}

/**
 * The client certificate chain a CertificateRequest asked for, possibly answered later (the
 * design document lets ClientCertificateStore call back asynchronously). A chain the design's rules refuse
 * raised its exception to the store already; we go on without a certificate and let the server
 * decide (RFC 8446 §4.4.2.4, RFC 5246 §7.4.6).
 */
export class ClientCertificateAnswer<Request> {
  private answered = false;
  private chain: LocalChain | null = null;
  private waiter: ((chain: LocalChain | null) => void) | undefined;

  constructor(
    readonly request: Request,
    store: ClientCertificateStore | undefined,
    authorities: readonly Uint8Array[] | undefined,
  ) {
    const callback = (answer: ChainAnswer) => {
      this.answered = true;
      this.chain = answer instanceof Error ? null : answer;
      this.waiter?.(this.chain);
    };
    if (!store) callback(null);
    else askClientCertificateStore(store, authorities, callback);
  }

  register(answer: (chain: LocalChain | null) => void): void {
    if (this.answered) answer(this.chain);
    else this.waiter = answer;
  }
}
