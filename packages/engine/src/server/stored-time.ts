// Creation times and lifetimes as the server's sealed state keeps them (TLS 1.3 tickets and TLS
// 1.2 sessions alike): milliseconds since the epoch in two u32 halves, a lifetime in seconds.

export interface StoredTime {
  readonly createdHigh: number;
  readonly createdLow: number;
}

export const createdAt = (t: StoredTime): number => t.createdHigh * 0x100000000 + t.createdLow;

export function splitTime(ms: number): StoredTime {
  return { createdHigh: Math.floor(ms / 0x100000000), createdLow: ms >>> 0 };
}

/** Past its lifetime at `now` (ms since the epoch). */
export const expired = (t: StoredTime & { readonly lifetimeSeconds: number }, now: number): boolean =>
  now - createdAt(t) > t.lifetimeSeconds * 1000;
