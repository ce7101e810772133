// Alternating rounds: every contender of a case runs once per round, in an order rotated each
// round (A B C, B C A, C A B, ...), so machine drift and load from other processes hit all of
// them alike; each contender's figure is the median of its rounds.

export const ROUNDS = 5;

/** One round's figure: per CPU second of this process, and per wall-clock second when it differs. */
export interface Sample {
  readonly value: number;
  readonly wall?: number;
}

export interface Series {
  /** One value per round that ran (per CPU second). */
  readonly samples: number[];
  /** The same rounds per wall-clock second, where measured. */
  readonly wall: number[];
  /** Why the contender stopped (its remaining rounds are skipped). */
  error?: string;
  /** What the connections negotiated (socket cases). */
  protocol?: string;
  cipher?: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** CPU time (user + system, all threads) of this process, in seconds, since `since`. */
export function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** An error as one line. */
export function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}

/**
 * Runs `measure(key, round)` for every key, `rounds` times, alternating. A failing key records
 * its error and sits out the remaining rounds; the others go on.
 */
export async function alternate<K>(
  keys: readonly K[],
  rounds: number,
  measure: (key: K, round: number) => Promise<Sample>,
): Promise<Map<K, Series>> {
  const series = new Map<K, Series>(keys.map((k) => [k, { samples: [], wall: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[(i + round) % keys.length]!;
      const s = series.get(key)!;
      if (s.error !== undefined) continue;
      try {
        const sample = await measure(key, round);
        s.samples.push(sample.value);
        if (sample.wall !== undefined) s.wall.push(sample.wall);
      } catch (error) {
        s.error = oneLine(error);
      }
    }
  }
  return series;
}
