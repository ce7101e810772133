// Spawns openssl s_server / s_client for interop tests, with timeouts and cleanup.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToPem } from '@tls-kit/certs';
import { type KeyKind, pki } from './pki.js';

export function have(binary: string): boolean {
  try {
    execFileSync('which', [binary], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const haveOpenssl = () => have('openssl');

let dir: string | undefined;

/** PEM files for a leaf of `kind` and for the root, in a temp directory. */
export function pemFiles(kind: KeyKind): { cert: string; key: string; root: string } {
  dir ??= mkdtempSync(join(tmpdir(), 'tls-kit-engine-'));
  const p = pki();
  const leaf = p.leaf(kind);
  const cert = join(dir, `${kind}.crt`);
  const key = join(dir, `${kind}.key`);
  const root = join(dir, 'root.crt');
  writeFileSync(cert, leaf.toPem());
  writeFileSync(key, privateKeyToPem(leaf.privateKey!));
  writeFileSync(root, p.root.toPem());
  return { cert, key, root };
}

export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves when `pattern` shows up in stdout+stderr (from offset `from` on). */
  waitFor(pattern: RegExp, ms?: number, from?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  kill(): void;
}

export function openssl(args: string[], timeoutMs = 20000): Child {
  return spawnChild('openssl', args, timeoutMs);
}

/** Spawns `binary` with a kill timer; the Child helpers watch its output. */
export function spawnChild(binary: string, args: string[], timeoutMs = 20000): Child {
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString('latin1');
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.stdin.on('error', () => {});
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<number | null>((res) =>
    // 'close' comes after the last stdout/stderr data, unlike 'exit'.
    child.on('close', (code) => {
      clearTimeout(timer);
      res(code);
      for (const l of listeners) l();
    }),
  );
  return {
    process: child,
    output: () => out,
    exited,
    kill: () => {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
    waitFor(pattern, ms = 10000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.slice(from).match(pattern);
          if (m) {
            cleanup();
            resolve(m);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`openssl exited before ${pattern}:\n${out}`));
          }
        };
        const t = setTimeout(() => {
          cleanup();
          reject(new Error(`timeout waiting for ${pattern}:\n${out}`));
        }, ms);
        const cleanup = () => {
          clearTimeout(t);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** What s_client prints when it runs one of its one-letter stdin commands. */
const S_CLIENT_COMMANDS: Readonly<Record<string, RegExp>> = {
  K: /KEYUPDATE/,
  k: /KEYUPDATE/,
  R: /RENEGOTIATING/,
};

/**
 * Types lines into `openssl s_client` towards a peer that echoes data. s_client reads stdin only
 * after its handshake and takes a command letter only when it is a whole read, so each line waits
 * for the effect of the one before (its echo, or the command's message), never for a timer that
 * load can outrun. The last line is not awaited (it usually ends the connection); nor is anything
 * once s_client has exited (a failed handshake: the caller reads the output).
 */
export async function typeLines(child: Child, lines: readonly string[]): Promise<void> {
  try {
    await child.waitFor(/Verify return code/);
    for (const [i, line] of lines.entries()) {
      const from = child.output().length;
      child.process.stdin.write(`${line}\n`);
      if (i === lines.length - 1) break;
      const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await child.waitFor(S_CLIENT_COMMANDS[line] ?? new RegExp(`^${escaped}$`, 'm'), 10000, from);
    }
  } catch {
    // s_client exited: nothing more to type.
  }
}

/** Starts `openssl s_server` on a free port; resolves with the child and the port. */
export async function sServer(args: string[]): Promise<{ child: Child; port: number }> {
  const child = openssl(['s_server', '-accept', '127.0.0.1:0', '-tls1_3', ...args]);
  const m = await child.waitFor(/ACCEPT .*:(\d+)/);
  return { child, port: Number(m[1]) };
}
