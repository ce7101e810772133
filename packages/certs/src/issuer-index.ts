// Certificates indexed by subject Name DER, for finding issuer candidates in a pool. An index
// built from DER alone (the platform's roots) finds each subject with a walk over the outer
// structure and parses a certificate fully only when a path search reaches it: a verification
// touches a handful of the ~150 bundled roots, and parsing them all up front cost most of a
// client's start-up.

import { bytesEqual, toHex } from '@tls-kit/crypto/bytes';
import { Certificate, subjectDerOf } from './certificate.js';
import { fingerprint } from './fingerprint.js';
import { isIssuerCandidate } from './issuer.js';

interface Entry {
  readonly der: Uint8Array;
  /** Hex of the subject Name DER. */
  readonly subject: string;
  /** Parsed on first use when given as DER; null once that parse failed. */
  cert: Certificate | null | undefined;
}

/**
 * The entry's certificate, parsed now if it was not. One that does not parse is left out of every
 * answer: it cannot anchor or complete a path, and one bad root must not fail every verification.
 */
function parsedOf(entry: Entry): Certificate | undefined {
  if (entry.cert === undefined) {
    try {
      entry.cert = Certificate.fromDer(entry.der);
    } catch {
      entry.cert = null;
    }
  }
  return entry.cert ?? undefined;
}

export class IssuerIndex {
  private readonly bySubject = new Map<string, Entry[]>();
  /** By fingerprint of the DER; equal fingerprints are told apart by the bytes. */
  private readonly byDer = new Map<number, Entry[]>();
  private readonly entries: Entry[] = [];

  constructor(certificates: Iterable<Certificate>) {
    for (const cert of certificates)
      this.add({ der: cert.parsed.der, subject: toHex(cert.subject.der), cert });
  }

  /** This index's certificates (parsed or not, shared) followed by more given as DER. */
  withDer(certificates: Iterable<Uint8Array>): IssuerIndex {
    const index = new IssuerIndex([]);
    for (const entry of this.entries) index.add(entry);
    for (const der of certificates) index.add({ der, subject: toHex(subjectDerOf(der)), cert: undefined });
    return index;
  }

  private add(entry: Entry): void {
    if (this.hasDer(entry.der)) return;
    const key = fingerprint(entry.der);
    const same = this.byDer.get(key);
    if (same) same.push(entry);
    else this.byDer.set(key, [entry]);
    this.entries.push(entry);
    const list = this.bySubject.get(entry.subject);
    if (list) list.push(entry);
    else this.bySubject.set(entry.subject, [entry]);
  }

  private hasDer(der: Uint8Array): boolean {
    return this.byDer.get(fingerprint(der))?.some((e) => bytesEqual(e.der, der)) ?? false;
  }

  /** Every certificate that parses, in the order given, duplicates removed (parses the rest now). */
  get certificates(): readonly Certificate[] {
    return this.entries.flatMap((e) => parsedOf(e) ?? []);
  }

  has(cert: Certificate): boolean {
    return this.hasDer(cert.parsed.der);
  }

  /** Certificates that may have issued `child` (by Name DER and key identifiers). */
  issuersOf(child: Certificate): Certificate[] {
    return (this.bySubject.get(toHex(child.issuer.der)) ?? [])
      .flatMap((e) => parsedOf(e) ?? [])
      .filter((c) => isIssuerCandidate(child, c));
  }
}
