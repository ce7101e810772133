// Peer programs (openssl, gnutls-cli, curl, node) as child processes: a kill timer whatever
// happens, output collected from both streams, and waits for a pattern that fail fast once the
// program exited.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';

/** Whether `binary` is on PATH; interop tests log and skip only when it truly is absent. */
export function have(binary: string): boolean {
  try {
    execFileSync('which', [binary], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** stdout and stderr so far, interleaved as they arrived (latin1). */
  output(): string;
  /**
   * Resolves when `pattern` shows up in the output (from offset `from` on); rejects after `ms` or
   * as soon as the program exited without it.
   */
  waitFor(pattern: RegExp, ms?: number, from?: number): Promise<RegExpMatchArray>;
  /** Exit code (null when killed). */
  readonly exited: Promise<number | null>;
  kill(): void;
}

/** Spawns `command`, killed after `timeoutMs` whatever happens. */
export function spawnChild(command: string, args: readonly string[], timeoutMs = 20_000): Child {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
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
  const exited = new Promise<number | null>((resolve) =>
    // 'close' comes after the last stdout/stderr data, unlike 'exit'.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
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
    waitFor(pattern, ms = 10_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.slice(from).match(pattern);
          if (m) done(() => resolve(m));
          else if (child.exitCode !== null || child.signalCode !== null)
            done(() => reject(new Error(`${command} exited before ${pattern}:\n${out}`)));
        };
        const waitTimer = setTimeout(
          () => done(() => reject(new Error(`timeout waiting for ${pattern}:\n${out}`))),
          ms,
        );
        const done = (then: () => void) => {
          clearTimeout(waitTimer);
          listeners.delete(check);
          then();
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/**
 * The child's whole output once it exited: 'exit' can come before the last stdout/stderr data
 * events, so this also waits for both streams to close.
 */
export async function outputAtExit(child: Child): Promise<string> {
  await child.exited;
  const streams = [child.process.stdout, child.process.stderr];
  await Promise.all(streams.map((s) => (s.closed ? undefined : once(s, 'close'))));
  return child.output();
}
