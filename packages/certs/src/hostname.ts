// Server identity checks per RFC 9525 §6: subjectAltName only (the CN is never consulted),
// DNS names compared label by label in ASCII case-insensitively (A-labels as A-labels),
// a wildcard only as the whole left-most label matching exactly one label, IP addresses only
// against iPAddress SANs, octet for octet.

import { bytesEqual } from '@tls-kit/crypto/bytes';
import type { Certificate } from './certificate.js';

export function verifyHostname(cert: Certificate, hostname: string): boolean {
  const ip = parseIpAddress(hostname);
  if (ip) {
    return cert.subjectAltNames.some((san) => san.type === 'ip' && bytesEqual(san.bytes, ip));
  }
  const reference = referenceDnsName(hostname);
  if (!reference) return false;
  return cert.subjectAltNames.some((san) => san.type === 'dns' && dnsNameMatches(san.value, reference));
}

/** The reference identifier as lowercase A-labels, or undefined when it is not a valid DNS name. */
function referenceDnsName(hostname: string): string[] | undefined {
  let name = hostname;
  // RFC 9525 §6.3: U-labels are converted to A-labels before comparing. WHATWG URL applies
  // UTS #46 processing and exists in Node and browsers alike.
  if (/[\u0080-\u{10ffff}]/u.test(name)) {
    try {
      name = new URL(`http://${name}/`).hostname;
    } catch {
      return undefined;
    }
  }
  const labels = splitDnsName(name);
  // A name of all-digit final label is an IP address in disguise (or invalid), never a host name.
  if (!labels || labels.some((l) => l === '*') || /^\d+$/.test(labels[labels.length - 1]!)) return undefined;
  return labels;
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Lowercased labels of a DNS name with at most one trailing dot, or undefined if malformed. */
function splitDnsName(name: string): string[] | undefined {
  const lower = name.toLowerCase();
  const trimmed = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  if (trimmed.length === 0 || trimmed.length > 253) return undefined;
  const labels = trimmed.split('.');
  return labels.every((l) => l === '*' || LABEL.test(l)) ? labels : undefined;
}

function dnsNameMatches(presented: string, reference: readonly string[]): boolean {
  const labels = splitDnsName(presented);
  if (!labels || labels.length !== reference.length) return false;
  const [first, ...rest] = labels;
  // §6.3 rules 1 and 2: one '*', the entire left-most label; more than a bare public suffix after it.
  if (rest.includes('*')) return false;
  if (first === '*' && rest.length < 2) return false;
  return (first === '*' || first === reference[0]) && rest.every((l, i) => l === reference[i + 1]);
}

/** IPv4 dotted-quad or IPv6 text (optionally in brackets) as 4 or 16 bytes. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  const v4 = parseIpv4(text);
  if (v4) return v4;
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return parseIpv6(inner);
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    // Leading zeros are refused: some parsers read them as octal.
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (!v4) return undefined;
        groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        groups.push(Number.parseInt(p, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}
