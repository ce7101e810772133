// The design's TrustStore: a set of trusted CA certificates, none with a private key.

import { type Certificate, certificateDersFromPem } from './certificate.js';
import { CertificateError, ExtraneousPrivateKeyError } from './errors.js';
import { IssuerIndex } from './issuer-index.js';

export class TrustStore {
  /** @internal Anchors indexed by subject for path building. */
  readonly index: IssuerIndex;
  private static systemStore: TrustStore | undefined;
  /**
   * Whether the profile's rules apply to the anchors themselves. False for `system()`: a root
   * program vetted those roots as they are, and some predate rules they break (serial number
   * zero, a non-critical basicConstraints), as rustls' webpki, which never checks anchors.
   */
  readonly checkAnchors: boolean = true;

  constructor(certificates: Iterable<Certificate>) {
    const list = [...certificates];
    const keyed = list.find((c) => c.privateKey);
    if (keyed) throw new ExtraneousPrivateKeyError(`trusted certificate ${keyed.subject} has a private key`);
    this.index = new IssuerIndex(list);
  }

  /**
   * This store's certificates followed by more given as DER (e.g. PEM blocks read with
   * `certificateDersFromPem`), each parsed when a path search first reaches it. The outer
   * structure up to the subject is checked at once (DerError); the rest on use, and one that
   * does not parse is left out.
   * The new store keeps this one's `checkAnchors` and shares its parsed certificates.
   */
  withDer(certificates: Iterable<Uint8Array>): TrustStore {
    const store = new TrustStore([]);
    (store as { index: IssuerIndex }).index = this.index.withDer(certificates);
    (store as { checkAnchors: boolean }).checkAnchors = this.checkAnchors;
    return store;
  }

  get certificates(): readonly Certificate[] {
    return this.index.certificates;
  }

  /**
   * The platform's roots: Node's `tls.rootCertificates` (Mozilla's store as bundled with Node).
   * Reached through process.getBuiltinModule so that this module stays importable in browsers.
   */
  static system(): TrustStore {
    if (!TrustStore.systemStore) {
      const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
      const tls = proc?.getBuiltinModule?.('node:tls') as
        | { rootCertificates?: readonly string[] }
        | undefined;
      if (!tls?.rootCertificates)
        throw new CertificateError('this platform offers no root certificate store');
      // Parsed lazily: a client verifies against a few of these, and start-up paid for all.
      const store = new TrustStore([]);
      (store as { checkAnchors: boolean }).checkAnchors = false;
      TrustStore.systemStore = store.withDer(
        tls.rootCertificates.flatMap((pem) => certificateDersFromPem(pem)),
      );
    }
    return TrustStore.systemStore;
  }
}
