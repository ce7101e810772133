// Key log lines (NSS key log format) as node:tls hands them out: a 'keylog' event with the line
// as a Buffer, and with node's `--tls-keylog=FILE` flag the same lines appended to FILE.
import { appendFileSync } from 'node:fs';

const FLAG = '--tls-keylog=';

/** The file of node's --tls-keylog flag (or NODE_OPTIONS), or undefined: read once, as node does at start-up. */
let keylogFlag: { file: string | undefined } | undefined;
function keylogFile(): string | undefined {
  if (!keylogFlag) {
    const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
    const flag = args.find((a) => a.startsWith(FLAG));
    keylogFlag = { file: flag ? flag.slice(FLAG.length) : undefined };
  }
  return keylogFlag.file;
}

/** One key log line as node:tls hands it out: to `emit` as a Buffer, and to --tls-keylog's file. */
export function logKeyLine(line: string, emit: (line: Buffer) => void): void {
  const bytes = Buffer.from(`${line}\n`);
  const file = keylogFile();
  if (file) appendFileSync(file, bytes);
  emit(bytes);
}

/** The engine's keyLog option: `emit` gets each line as node's 'keylog' Buffer; --tls-keylog gets it too. */
export function keyLogSink(emit: (line: Buffer) => void): (line: string) => void {
  return (line) => logKeyLine(line, emit);
}

/** The engine's keyLog option when no socket listens: --tls-keylog's file only, if the flag is set. */
export function fileKeyLog(): ((line: string) => void) | undefined {
  return keylogFile() ? keyLogSink(() => {}) : undefined;
}
