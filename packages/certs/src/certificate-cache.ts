// A bounded LRU from exact DER bytes to parsed certificates. A TLS client meets the same server
// chain again and again: returning the same Certificate objects for the same bytes lets the
// verification caches of ./issuer.ts (imported keys, signature checks, keyed by the parsed object)
// hit, so parsing, key import and issuer signature checks run once per distinct certificate.
// Only what is a pure function of the bytes is reused: validity dates, hostname and usage are
// checked by verifyChain on every call.

import { bytesEqual } from '@tls-kit/crypto/bytes';
import { Certificate } from './certificate.js';
import { CertificateError } from './errors.js';
import { fingerprint } from './fingerprint.js';

export class CertificateCache {
  /** Least recently used first (Map iteration order is insertion order). */
  private readonly entries = new Map<number, Certificate>();

  /**
   * @param capacity how many certificates are kept at most.
   * @param maxCertificateSize larger certificates are parsed but not kept, so what a peer can make
   *   the cache hold stays small (real certificates are a few KB).
   */
  constructor(
    readonly capacity = 64,
    readonly maxCertificateSize = 16384,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new CertificateError('CertificateCache capacity must be a positive integer');
    if (!Number.isInteger(maxCertificateSize) || maxCertificateSize < 1)
      throw new CertificateError('CertificateCache maxCertificateSize must be a positive integer');
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * `Certificate.fromDer(der)`, or the certificate parsed before from the very same bytes (the
   * bytes are compared, not just their fingerprint). Unparsable input throws and is not kept.
   */
  parse(der: Uint8Array): Certificate {
    const key = fingerprint(der);
    const cached = this.entries.get(key);
    if (cached && bytesEqual(cached.parsed.der, der)) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const cert = Certificate.fromDer(der);
    if (der.length > this.maxCertificateSize) return cert;
    // A fingerprint collision replaces the older certificate: at most one per key.
    this.entries.delete(key);
    this.entries.set(key, cert);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return cert;
  }
}
