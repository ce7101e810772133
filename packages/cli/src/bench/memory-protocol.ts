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
 * Connections made (and kept) before the baseline, as many as are counted (at least 10), so
 * lazily built state (contexts, caches, session caches filling up) and V8 still compiling and
 * re-optimising the handshake code (which goes on for several hundred connections; node:tls'
 * handshake is compiled C) are not counted as per-connection memory.
 */
export const warmConnections = (count: number): number => Math.max(10, count);
