// What the memory case's parent and child processes exchange (JSON lines), and the constants they share.
import type { BenchPki, KeyKind } from './pki.js';
import type { Version } from './stack.js';

export interface MemoryJob {
  readonly stack: string;
  readonly role: 'server' | 'client';
  readonly count: number;
  readonly pki: BenchPki;
  readonly key: KeyKind;
  readonly version: Version;
  /** Client role: the parent's listener. */
  readonly port?: number;
}

export interface MemorySnapshot {
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rss: number;
}

export interface MemoryResult {
  readonly before: MemorySnapshot;
  readonly after: MemorySnapshot;
  readonly count: number;
  readonly protocol: string;
}

/**
 * Connections made (and kept) before the baseline, so lazily built state (contexts, caches, JIT
 * code, session caches filling up) is not counted as per-connection memory.
 */
export const WARM = 10;
