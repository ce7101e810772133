// NSS key log files (SSLKEYLOGFILE): "<label> <client_random hex> <secret hex>" per line.
// Parsed here so the dissector can tell which connections a key log covers; decrypting with the
// secrets needs the engine's key schedule and is not implemented yet.
import { DecodeError } from '@tls-kit/wire';

export interface KeyLogEntry {
  label: string;
  clientRandom: string;
  secret: string;
}

const LINE = /^([A-Z0-9_]+) ([0-9a-fA-F]{64}) ([0-9a-fA-F]+)$/;

/** Parses a key log; comments and blank lines are skipped, any other malformed line is an error. */
export function parseKeyLog(text: string): KeyLogEntry[] {
  const out: KeyLogEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (m === null)
      throw new DecodeError(`line ${i + 1} is not "<label> <client_random> <secret>"`).prependPath('keylog');
    out.push({ label: m[1]!, clientRandom: m[2]!.toLowerCase(), secret: m[3]!.toLowerCase() });
  });
  return out;
}
