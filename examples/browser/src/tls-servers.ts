// The TLS servers the page reaches through the relay, as child processes on 127.0.0.1: our
// `tls-kit s_server --www` and, as an option, `openssl s_server -www`. Both answer an HTTP GET with
// a status page naming the protocol and cipher, then close (close_notify).
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoPki } from '@tls-kit/cli/demo/pki';

export type ServerName = 'ours' | 'openssl';

export interface TlsServer {
  readonly name: ServerName;
  /** What runs, for people: "tls-kit s_server --www". */
  readonly title: string;
  readonly port: number;
  stop(): void;
}

/** How long a server may take to print its ACCEPT line. */
const START_TIMEOUT_MS = 30_000;

interface PkiFiles {
  /** Leaf then intermediate. */
  readonly chain: string;
  readonly leaf: string;
  readonly intermediate: string;
  readonly key: string;
}

/** The PKI as the files the servers read, in `dir`. */
function writePkiFiles(pki: DemoPki, dir: string): PkiFiles {
  const files = {
    chain: [join(dir, 'chain.pem'), pki.chainPem],
    leaf: [join(dir, 'leaf.pem'), pki.leaf.toPem()],
    intermediate: [join(dir, 'intermediate.pem'), pki.intermediate.toPem()],
    key: [join(dir, 'key.pem'), pki.keyPem],
  } as const;
  for (const [file, text] of Object.values(files)) writeFileSync(file, text, { mode: 0o600 });
  return {
    chain: files.chain[0],
    leaf: files.leaf[0],
    intermediate: files.intermediate[0],
    key: files.key[0],
  };
}

/** Starts `command`; resolves with the port of its "ACCEPT host:port" line (both servers print one). */
function startListening(command: string, args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // A server must not outlive this process, however it ends.
  const killOnExit = () => child.kill();
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args[0] === 's_server' ? 's_server ' : ''}${why}:\n${output}`));
    };
    const timer = setTimeout(
      () => fail(`printed no ACCEPT line in ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    const onData = (d: Buffer) => {
      // Only the start is kept: the ACCEPT line comes first, and a long-running server logs a lot.
      if (output.length < 64 * 1024) output += d.toString('latin1');
      const m = /ACCEPT .*:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({ child, port: Number(m[1]) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (e) => fail(`could not start: ${e.message}`));
    child.once('exit', (code) => fail(`exited (${code}) before listening`));
  });
}

/** Our `tls-kit s_server --www`, run from source like `pnpm tls-kit`. */
async function startOurs(files: PkiFiles): Promise<TlsServer> {
  const bin = fileURLToPath(new URL('bin.ts', import.meta.resolve('@tls-kit/cli')));
  const tsx = import.meta.resolve('tsx');
  const { child, port } = await startListening(process.execPath, [
    '--conditions=@tls-kit/source',
    '--import',
    tsx,
    bin,
    's_server',
    '--accept',
    '127.0.0.1:0',
    '--cert',
    files.chain,
    '--key',
    files.key,
    '--www',
    '--alpn',
    'http/1.1',
  ]);
  return { name: 'ours', title: 'tls-kit s_server --www', port, stop: () => child.kill() };
}

/** `openssl s_server -www`, sending leaf + intermediate. */
async function startOpenssl(files: PkiFiles): Promise<TlsServer> {
  const { child, port } = await startListening('openssl', [
    's_server',
    '-accept',
    '127.0.0.1:0',
    '-cert',
    files.leaf,
    '-cert_chain',
    files.intermediate,
    '-key',
    files.key,
    '-www',
    '-alpn',
    'http/1.1',
  ]);
  return { name: 'openssl', title: 'openssl s_server -www', port, stop: () => child.kill() };
}

/** Starts the servers named in `names` with the PKI's leaf; files go to `dir`. */
export async function startTlsServers(
  names: readonly ServerName[],
  pki: DemoPki,
  dir: string,
): Promise<TlsServer[]> {
  const files = writePkiFiles(pki, dir);
  const started = await Promise.allSettled(
    names.map((name) => (name === 'ours' ? startOurs(files) : startOpenssl(files))),
  );
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    for (const s of servers) s.stop();
    throw failed.reason;
  }
  return servers;
}
