// Name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b)-(c)) for dNSName (wildcards included),
// rfc822Name, iPAddress and directoryName. Other constraint forms fail closed when the
// certificate carries a name of that form. The work per path is bounded, as Go and pyca do.

import { bytesEqual } from '@tls-kit/crypto/bytes';
import type { Certificate } from './certificate.js';
import type { GeneralName, NameConstraints } from './extensions.js';
import type { Name } from './name.js';

const EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

export type NameConstraintResult = { readonly violation: string } | { readonly tooComplex: true } | undefined;

/**
 * Checks the certificates of one path against the name constraints above them, refusing once
 * names × constraints over the whole path would pass `limit` comparisons (Go's bound): a CA
 * with thousands of subtrees over a leaf with thousands of names fails fast, not in seconds.
 */
export class NameConstraintBudget {
  static readonly limit = 250_000;
  private spent = 0;

  check(constraints: NameConstraints, cert: Certificate): NameConstraintResult {
    const names = namesOf(cert);
    this.spent += names.length * (constraints.permitted.length + constraints.excluded.length);
    if (this.spent > NameConstraintBudget.limit) return { tooComplex: true };
    const violation = nameConstraintViolation(constraints, names);
    return violation === undefined ? undefined : { violation };
  }
}

/** The names constraints apply to: SANs, the subject, and its emailAddress attributes (§4.2.1.10). */
function namesOf(cert: Certificate): GeneralName[] {
  const names: GeneralName[] = [...cert.subjectAltNames];
  if (cert.subject.rdns.length > 0) names.push({ type: 'directoryName', name: cert.subject });
  for (const value of cert.subject.get(EMAIL_ADDRESS)) names.push({ type: 'email', value });
  return names;
}

function nameConstraintViolation(
  constraints: NameConstraints,
  names: readonly GeneralName[],
): string | undefined {
  const invalid = [...constraints.permitted, ...constraints.excluded].find(
    (c) => c.type === 'dns' && !validDnsConstraint(c.value),
  );
  if (invalid) return `invalid constraint ${describe(invalid)}`;
  const constrainedTypes = new Set([...constraints.permitted, ...constraints.excluded].map((n) => n.type));
  for (const name of names) {
    if (!constrainedTypes.has(name.type)) continue;
    const permitted = constraints.permitted.filter((c) => c.type === name.type);
    const excluded = constraints.excluded.filter((c) => c.type === name.type);
    for (const c of excluded) {
      const hit = relation(name, c);
      if (hit === undefined) return `${describe(name)}: name constraints of this form are not supported`;
      if (hit !== 'outside') return `${describe(name)} is in an excluded subtree (${describe(c)})`;
    }
    if (permitted.length > 0) {
      const results = permitted.map((c) => relation(name, c));
      if (results.includes(undefined))
        return `${describe(name)}: name constraints of this form are not supported`;
      if (!results.includes('inside')) return `${describe(name)} is not wholly in any permitted subtree`;
    }
  }
  return undefined;
}

/**
 * Where `name` lies against the subtree `base`: wholly inside, partly (a wildcard some of whose
 * names are inside: excluded, never permitted, CVE-2025-61727), or outside; undefined when this
 * form is not handled.
 */
function relation(name: GeneralName, base: GeneralName): 'inside' | 'partly' | 'outside' | undefined {
  const inside = (b: boolean) => (b ? 'inside' : 'outside');
  if (name.type === 'dns' && base.type === 'dns') return dnsRelation(name.value, base.value);
  if (name.type === 'email' && base.type === 'email') return inside(emailWithin(name.value, base.value));
  if (name.type === 'ip' && base.type === 'ip') return inside(ipWithin(name.bytes, base.bytes));
  if (name.type === 'directoryName' && base.type === 'directoryName')
    return inside(directoryWithin(name.name, base.name));
  return undefined;
}

/** A dNSName constraint is a host name ("" matches all); a leading period is not in its syntax. */
function validDnsConstraint(value: string): boolean {
  return value === '' || /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(value);
}

/** "example.com" covers itself and every subdomain; "" everything. "*.R" stands for every "x.R". */
function dnsRelation(name: string, constraint: string): 'inside' | 'partly' | 'outside' {
  const n = name.toLowerCase().replace(/\.$/, '');
  const c = constraint.toLowerCase();
  if (!n.startsWith('*.')) return dnsWithin(n, c) ? 'inside' : 'outside';
  const rest = n.slice(2);
  // Every x.rest is inside when rest is; some (x = the constraint's first label) when the
  // constraint is one label under rest.
  if (dnsWithin(rest, c)) return 'inside';
  const dot = c.indexOf('.');
  return dot > 0 && c.slice(dot + 1) === rest ? 'partly' : 'outside';
}

function dnsWithin(n: string, c: string): boolean {
  return c === '' || n === c || n.endsWith(`.${c}`);
}

/**
 * rfc822Name (§4.2.1.10): "a@host" is that mailbox, "host" every mailbox at that host,
 * ".domain" every mailbox at a host under it. '*' is an ordinary character. The local part is
 * compared exactly, the host case-insensitively.
 */
function emailWithin(mailbox: string, constraint: string): boolean {
  const at = mailbox.lastIndexOf('@');
  if (at < 0) return false;
  const host = mailbox.slice(at + 1).toLowerCase();
  if (constraint.includes('@')) {
    const cAt = constraint.lastIndexOf('@');
    return (
      mailbox.slice(0, at) === constraint.slice(0, cAt) && host === constraint.slice(cAt + 1).toLowerCase()
    );
  }
  const c = constraint.toLowerCase();
  if (c.startsWith('.')) return host.endsWith(c) && host.length > c.length;
  return host === c;
}

/** The constraint is address || mask, twice the length of the address it applies to. */
function ipWithin(address: Uint8Array, constraint: Uint8Array): boolean {
  if (constraint.length !== 2 * address.length) return false;
  for (let i = 0; i < address.length; i++) {
    const mask = constraint[address.length + i]!;
    if ((address[i]! & mask) !== (constraint[i]! & mask)) return false;
  }
  return true;
}

/** The constraint's RDNs are a prefix of the name's, compared by DER. */
function directoryWithin(name: Name, constraint: Name): boolean {
  if (constraint.rdns.length > name.rdns.length) return false;
  return constraint.rdns.every((rdn, i) => bytesEqual(rdn.der, name.rdns[i]!.der));
}

function describe(n: GeneralName): string {
  switch (n.type) {
    case 'directoryName':
      return `directoryName "${n.name}"`;
    case 'other':
      return 'otherName';
    default:
      return `${n.type} "${n.value}"`;
  }
}
