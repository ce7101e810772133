// Certificates indexed by subject Name DER, for finding issuer candidates in a pool.

import { toHex } from '@tls-kit/crypto/bytes';
import type { Certificate } from './certificate.js';
import { fingerprint } from './fingerprint.js';
import { isIssuerCandidate } from './issuer.js';

export class IssuerIndex {
  private readonly bySubject = new Map<string, Certificate[]>();
  /** By fingerprint of the DER; equal fingerprints are told apart by the bytes. */
  private readonly byDer = new Map<number, Certificate[]>();
  readonly certificates: readonly Certificate[];

  constructor(certificates: Iterable<Certificate>) {
    const unique: Certificate[] = [];
    for (const cert of certificates) {
      if (this.has(cert)) continue;
      const key = fingerprint(cert.parsed.der);
      const same = this.byDer.get(key);
      if (same) same.push(cert);
      else this.byDer.set(key, [cert]);
      unique.push(cert);
      const subject = toHex(cert.subject.der);
      const list = this.bySubject.get(subject);
      if (list) list.push(cert);
      else this.bySubject.set(subject, [cert]);
    }
    this.certificates = unique;
  }

  has(cert: Certificate): boolean {
    return this.byDer.get(fingerprint(cert.parsed.der))?.some((c) => c.equals(cert)) ?? false;
  }

  /** Certificates that may have issued `child` (by Name DER and key identifiers). */
  issuersOf(child: Certificate): Certificate[] {
    return (this.bySubject.get(toHex(child.issuer.der)) ?? []).filter((c) => isIssuerCandidate(child, c));
  }
}
