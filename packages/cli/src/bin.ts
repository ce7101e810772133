#!/usr/bin/env node
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.js';

// A reader that went away (`tls-kit demo | head -3`) is the end of the output, not an error.
const quietOnEpipe = (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  lastGuard(error);
};
process.stdout.on('error', quietOnEpipe);
process.stderr.on('error', quietOnEpipe);

// Commands report their own failures; this is the last guard against a stack trace.
function lastGuard(error: unknown): void {
  try {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  } finally {
    process.exit(1);
  }
}
process.on('uncaughtException', lastGuard);
process.on('unhandledRejection', lastGuard);

// `pnpm tls-kit` in the repository runs this file from the workspace root; relative paths the
// user typed are meant from where they ran it, which pnpm and npm pass as INIT_CWD. Only when
// the package manager's script starts this very file (an installed bin keeps its working directory).
function userDirectory(): string | undefined {
  const { INIT_CWD, npm_lifecycle_script } = process.env;
  if (!INIT_CWD || !npm_lifecycle_script) return undefined;
  const self = relative(process.cwd(), fileURLToPath(import.meta.url));
  return npm_lifecycle_script.split(/\s+/).includes(self) ? INIT_CWD : undefined;
}

const cwd = userDirectory();
if (cwd !== undefined) process.chdir(cwd);

main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
}, lastGuard);
