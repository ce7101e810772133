// Certificates indexed by subject Name DER, for finding issuer candidates in a pool.

import type { Certificate } from './certificate.js';
import { isIssuerCandidate } from './issuer.js';
import { toHex } from './bytes.js';

export class IssuerIndex {
  private readonly bySubject = new Map<string, Certificate[]>();
  private readonly byDer = new Set<string>();
  readonly certificates: readonly Certificate[];

  constructor(certificates: Iterable<Certificate>) {
    const unique: Certificate[] = [];
    for (const cert of certificates) {
      if (this.byDer.has(cert.derHex)) continue;
      this.byDer.add(cert.derHex);
      unique.push(cert);
      const key = toHex(cert.subject.der);
      const list = this.bySubject.get(key);
      if (list) list.push(cert);
      else this.bySubject.set(key, [cert]);
    }
    this.certificates = unique;
  }

  has(cert: Certificate): boolean {
    return this.byDer.has(cert.derHex);
  }

  /** Certificates that may have issued `child` (by Name DER and key identifiers). */
  issuersOf(child: Certificate): Certificate[] {
    return (this.bySubject.get(toHex(child.issuer.der)) ?? []).filter((c) => isIssuerCandidate(child, c));
  }
}
