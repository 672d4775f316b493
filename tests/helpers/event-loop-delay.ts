import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The longest the event loop was held (ms) while `work` ran, as perf_hooks measures it (1 ms resolution). */
export async function longestEventLoopDelayMs<T>(work: () => Promise<T>): Promise<{ result: T; maxDelayMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // The monitor records a delay when its timer fires: let it tick before the work starts and after it ends.
  const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
  await tick();
  try {
    const result = await work();
    await tick();
    return { result, maxDelayMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

/** Keeps the CPU busy for `ms`: stands for one expensive evaluation. */
export function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}
