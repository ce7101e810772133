// Reads the byte strings of RFC 8448's traces: trace(section).get(step, label).
import { readFileSync } from 'node:fs';

const raw = readFileSync(new URL('../fixtures/rfc8448.txt', import.meta.url), 'utf8');
// Drop the page furniture (footer, form feed, header) that interrupts hex dumps.
const lines = raw
  .split('\n')
  .filter(
    (l) => !/^Thomson\s+Informational/.test(l) && !/^RFC 8448\s+TLS 1.3 Traces/.test(l) && !l.includes('\f'),
  );

export interface Trace {
  /** The bytes of field `label` in the first step whose heading contains `step`, after `after` occurrences. */
  get(step: string, label: string, occurrence?: number): Uint8Array;
}

export function trace(sectionTitle: string): Trace {
  const start = lines.findIndex((l) => l.startsWith(sectionTitle));
  if (start < 0) throw new Error(`no section ${sectionTitle}`);
  let end = lines.findIndex((l, i) => i > start && /^\d+\.\s{2}\S/.test(l));
  if (end < 0) end = lines.length;
  const section = lines.slice(start, end);
  return {
    get(step, label, occurrence = 0) {
      let seen = 0;
      for (let i = 0; i < section.length; i++) {
        const heading = section[i]!;
        if (!/^ {3}\{(client|server)\}/.test(heading) || !heading.includes(step)) continue;
        if (seen++ < occurrence) continue;
        for (let j = i + 1; j < section.length && !/^ {3}\{/.test(section[j]!); j++) {
          const m = section[j]!.match(/^ {6}(\S.*?)(?: \(\d+ octets\))?:\s+(.*)$/);
          if (!m || m[1] !== label) continue;
          let hex = m[2]!;
          const continuation = /^ {9}[0-9a-f]{2}( [0-9a-f]{2})*\s*$/;
          for (let k = j + 1; k < section.length; k++) {
            const line = section[k]!;
            if (continuation.test(line)) hex += ` ${line.trim()}`;
            // A page break leaves blank lines inside a dump.
            else if (line.trim() !== '') break;
          }
          if (hex.trim() === '(empty)') return new Uint8Array(0);
          return Uint8Array.from(hex.trim().split(/\s+/), (h) => Number.parseInt(h, 16));
        }
        throw new Error(`no ${label} in step "${step}"`);
      }
      throw new Error(`no step "${step}" (#${occurrence}) in ${sectionTitle}`);
    },
  };
}
