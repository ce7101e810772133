// PEM armor (RFC 7468): strict base64 inside matching BEGIN/END lines; text between blocks is
// ignored as RFC 7468 §2 allows. RFC 1421 §4.6 headers ("Proc-Type: 4,ENCRYPTED", "DEK-Info")
// are read only on the legacy private key labels, where OpenSSL's encrypted keys carry them;
// anywhere else they are refused.

import { PemError } from './errors.js';

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
  /** 1-based line of the BEGIN line, for error messages. */
  readonly line: number;
  /** RFC 1421 headers (legacy encrypted private keys only), present only when the block has some. */
  readonly headers?: ReadonlyMap<string, string>;
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----\s*$/;
const END = /^-----END ([A-Z0-9 ]+)-----\s*$/;
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEADER_LINE = /^([A-Za-z0-9-]+):[ \t]*(.*)$/;

export function decodePem(text: string): PemBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: PemBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]!);
    if (!begin) {
      if (lines[i]!.startsWith('-----END')) throw new PemError(`line ${i + 1}: END without BEGIN`);
      continue;
    }
    const label = begin[1]!;
    const start = i + 1;
    const headers = lines[i + 1]?.includes(':') ? new Map<string, string>() : undefined;
    if (headers) i = readHeaders(lines, i + 1, label, headers);
    let body = '';
    for (i++; ; i++) {
      if (i >= lines.length) throw new PemError(`line ${start}: "${label}" block has no END line`);
      const line = lines[i]!.trim();
      const end = END.exec(line);
      if (end) {
        if (end[1] !== label)
          throw new PemError(`line ${i + 1}: END ${end[1]} does not match BEGIN ${label}`);
        break;
      }
      if (line.includes(':'))
        throw new PemError(`line ${i + 1}: encrypted or header-carrying PEM is not supported`);
      if (!BASE64_LINE.test(line)) throw new PemError(`line ${i + 1}: invalid base64`);
      if (body.includes('=') && line !== '') throw new PemError(`line ${i + 1}: data after base64 padding`);
      body += line;
    }
    const der = decodeBase64(body, start);
    blocks.push(headers ? { label, der, line: start, headers } : { label, der, line: start });
  }
  return blocks;
}

/** Reads `Name: value` lines from `first` up to the empty line that ends them; returns that line's index. */
function readHeaders(
  lines: readonly string[],
  first: number,
  label: string,
  into: Map<string, string>,
): number {
  if (!(label in privateKeyLabels))
    throw new PemError(`line ${first + 1}: encrypted or header-carrying PEM is not supported for "${label}"`);
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') return i;
    const header = HEADER_LINE.exec(line);
    if (!header)
      throw new PemError(`line ${i + 1}: PEM headers must be "Name: value" lines ended by an empty line`);
    if (into.has(header[1]!)) throw new PemError(`line ${i + 1}: PEM header ${header[1]} given twice`);
    into.set(header[1]!, header[2]!);
  }
  throw new PemError(`line ${first + 1}: "${label}" block has no END line`);
}

function decodeBase64(body: string, line: number): Uint8Array {
  if (body.length === 0 || body.length % 4 !== 0)
    throw new PemError(`line ${line}: base64 length is not a multiple of 4`);
  const binary = atob(body);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  // Refuse non-canonical base64 (RFC 4648 §3.5): the symbol before "==" carries 4 unused bits,
  // the one before "=" 2, and they must be zero. Checked on that symbol alone: re-encoding the
  // whole body to compare was most of the cost of reading Node's ~150 bundled roots.
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  if (padding > 0) {
    const last = BASE64_ALPHABET.indexOf(body[body.length - padding - 1]!);
    if ((last & (padding === 2 ? 0x0f : 0x03)) !== 0)
      throw new PemError(`line ${line}: non-canonical base64`);
  }
  return out;
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function encodePem(label: string, der: Uint8Array): string {
  const b64 = encodeBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Labels of private keys and the format each carries. */
export const privateKeyLabels = {
  'PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
} as const;

export function isPrivateKeyLabel(label: string): boolean {
  return label in privateKeyLabels || label === 'ENCRYPTED PRIVATE KEY';
}

/**
 * The blocks without "EC PARAMETERS", which `openssl ecparam -genkey` writes before an EC key:
 * the curve is named again inside the key itself (RFC 5915 parameters), so nothing is lost.
 */
export function withoutEcParameters(blocks: readonly PemBlock[]): PemBlock[] {
  return blocks.filter((b) => b.label !== 'EC PARAMETERS');
}
