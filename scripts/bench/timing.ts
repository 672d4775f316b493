/** Wall-clock helpers: rounds of a loop, reported as their median. */

export const nowMs = (): number => performance.now();

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One timed pass: how long `count` iterations took, per iteration, in microseconds. */
export interface Rounds {
  /** Microseconds per iteration, one value per round. */
  roundsUs: number[];
  medianUs: number;
  /** Iterations per second at the median. */
  perSecond: number;
}

export function summarise(roundsUs: number[]): Rounds {
  const medianUs = median(roundsUs);
  return { roundsUs, medianUs, perSecond: 1e6 / medianUs };
}

/** Runs `pass` (which does `count` iterations) `rounds` times and reports µs per iteration. */
export async function timeRounds(rounds: number, count: number, pass: () => void | Promise<void>): Promise<Rounds> {
  const roundsUs: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = nowMs();
    await pass();
    roundsUs.push(((nowMs() - started) * 1000) / count);
  }
  return summarise(roundsUs);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds elapsed since `startedMs`, for progress lines. */
export const since = (startedMs: number): string => `${((nowMs() - startedMs) / 1000).toFixed(1)} s`;
