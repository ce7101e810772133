import { type CertificateChainCallback, ClientCertificateStore } from '@tls-kit/certs';
import { type KeyKind, pki } from './pki.js';

/**
 * A ClientCertificateStore answering with the test PKI's leaf of `kind`. It records how many
 * certificate_authorities the server named (-1: never asked, 0: the default chain was asked for);
 * with `async`, the answer to a request that named some comes on a later turn of the event loop.
 */
export class PkiStore extends ClientCertificateStore {
  roots = -1;
  constructor(
    private readonly kind: KeyKind,
    private readonly options: { readonly async?: boolean } = {},
  ) {
    super();
  }
  getCertificateChainForRoots(roots: ReadonlySet<unknown>, callback: CertificateChainCallback): void {
    this.roots = roots.size;
    if (this.options.async) setTimeout(() => callback([pki().leaf(this.kind)]), 5);
    else callback([pki().leaf(this.kind)]);
  }
  getDefaultCertificateChain(callback: CertificateChainCallback): void {
    this.roots = 0;
    callback([pki().leaf(this.kind)]);
  }
}
