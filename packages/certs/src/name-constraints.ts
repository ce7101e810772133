// Name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b)-(c)) for dNSName, iPAddress and directoryName.
// Other constraint forms fail closed when the certificate carries a name of that form.

import type { Certificate } from './certificate.js';
import type { GeneralName, NameConstraints } from './extensions.js';
import { bytesEqual } from '@tls-kit/crypto/bytes';
import type { Name } from './name.js';

const EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

/** Returns why `cert` violates `constraints`, or undefined when it satisfies them. */
export function nameConstraintViolation(constraints: NameConstraints, cert: Certificate): string | undefined {
  const names: GeneralName[] = [...cert.subjectAltNames];
  if (cert.subject.rdns.length > 0) names.push({ type: 'directoryName', name: cert.subject });
  const constrainedTypes = new Set([...constraints.permitted, ...constraints.excluded].map((n) => n.type));
  for (const name of names) {
    if (!constrainedTypes.has(name.type)) continue;
    const permitted = constraints.permitted.filter((c) => c.type === name.type);
    const excluded = constraints.excluded.filter((c) => c.type === name.type);
    for (const c of excluded) {
      const hit = within(name, c);
      if (hit === undefined) return `${describe(name)}: name constraints of this form are not supported`;
      if (hit) return `${describe(name)} is in an excluded subtree (${describe(c)})`;
    }
    if (permitted.length > 0) {
      const results = permitted.map((c) => within(name, c));
      if (results.includes(undefined))
        return `${describe(name)}: name constraints of this form are not supported`;
      if (!results.includes(true)) return `${describe(name)} is not in any permitted subtree`;
    }
  }
  // An emailAddress attribute in the subject is an rfc822 name too (§4.2.1.10); fail closed.
  if (constrainedTypes.has('email') && cert.subject.get(EMAIL_ADDRESS).length > 0) {
    return 'rfc822Name constraints on a subject emailAddress are not supported';
  }
  return undefined;
}

/** Whether `name` lies in the subtree `base`; undefined when this form is not handled. */
function within(name: GeneralName, base: GeneralName): boolean | undefined {
  if (name.type === 'dns' && base.type === 'dns') return dnsWithin(name.value, base.value);
  if (name.type === 'ip' && base.type === 'ip') return ipWithin(name.bytes, base.bytes);
  if (name.type === 'directoryName' && base.type === 'directoryName')
    return directoryWithin(name.name, base.name);
  return undefined;
}

/** "example.com" covers itself and every subdomain; ".example.com" only subdomains; "" everything. */
function dnsWithin(name: string, constraint: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const c = constraint.toLowerCase();
  if (c === '') return true;
  if (c.startsWith('.')) return n.endsWith(c) && n.length > c.length;
  return n === c || n.endsWith(`.${c}`);
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
