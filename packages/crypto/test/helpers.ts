// Shared test helpers: the providers under test, and readers for the RFC texts in vectors/rfc
// (vectors are parsed out of the RFCs, not retyped).
import { readFileSync } from 'node:fs';
import type { CryptoProvider } from '@tls-kit/crypto';
import { nobleProvider } from '@tls-kit/crypto';
import { fromHex, toHex, utf8 } from '@tls-kit/crypto/bytes';
import { nodeProvider } from '@tls-kit/crypto/node';

export const providers: readonly CryptoProvider[] = [nodeProvider, nobleProvider];

export const hex = toHex;
/** Hex as the RFCs print it: spaces, line breaks and colons between the digits. */
export const unhex = (text: string): Uint8Array => fromHex(text.replace(/[\s:]/g, ''));
export { utf8 };

const RFC_DIR = new URL('../../../vectors/rfc/', import.meta.url);

/** The RFC text without page footers/headers and form feeds. */
export function rfcText(file: string): string {
  return readFileSync(new URL(file, RFC_DIR), 'utf8')
    .split('\n')
    .filter((line) => !/\[Page \d+\]\s*$/.test(line) && !/^RFC \d+ {2,}/.test(line))
    .join('\n')
    .replaceAll('\f', '');
}

/** The text between the first line starting with `start` and the next line starting with `end`. */
export function between(text: string, start: string, end: string): string {
  const from = text.indexOf(`\n${start}`);
  if (from < 0) throw new Error(`section ${start} not found`);
  const to = text.indexOf(`\n${end}`, from + 1);
  return text.slice(from, to < 0 ? undefined : to);
}

const DUMP_LINE = /^\s*\d{3} {2}((?:[0-9a-f]{2} )*[0-9a-f]{2})/;
const COLON_LINE = /^\s*((?:[0-9a-f]{2}:)*[0-9a-f]{2}:?)\s*$/;
const PLAIN_LINE = /^\s*((?:[0-9a-f]{2})+)\s*$/;

/** The bytes printed after the line containing `label` (hex dumps "000  xx xx", colon-separated
 * or plain hex lines), up to the next non-hex line; blank lines (page breaks) are skipped. */
export function hexAfter(text: string, label: string): Uint8Array {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.includes(label));
  if (index < 0) throw new Error(`label ${label} not found`);
  let out = '';
  for (const line of lines.slice(index + 1)) {
    if (line.trim() === '') continue;
    const match = DUMP_LINE.exec(line) ?? COLON_LINE.exec(line) ?? PLAIN_LINE.exec(line);
    if (!match) break;
    out += match[1];
  }
  if (out === '' && !/\(length 0 bytes\)/.test(lines[index] ?? '')) throw new Error(`no hex after ${label}`);
  return unhex(out);
}
