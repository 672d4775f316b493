import { performance } from 'node:perf_hooks';

/** How long long-running work may hold the event loop before it lets decisions and probes in. */
export const SLICE_MS = 4;

/**
 * Cooperative time slicing for work that runs inside the service (simulations, draft tests): a loop
 * calls `pause()` between units of work, and every `budgetMs` it waits for one turn of the event loop
 * (setImmediate, after pending I/O), so that decisions arriving meanwhile are answered within their
 * budget. `await` on a resolved promise is not enough: microtasks never let I/O in. A single unit of
 * work longer than the budget still runs in one piece; the loop yields right after it.
 */
export class TimeSlice {
  private sliceStart = performance.now();

  constructor(
    private readonly budgetMs = SLICE_MS,
    private readonly signal?: AbortSignal,
  ) {}

  /** Yields to the event loop when this slice has used its budget; throws the signal's reason once aborted. */
  async pause(): Promise<void> {
    this.signal?.throwIfAborted();
    if (performance.now() - this.sliceStart < this.budgetMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
    this.signal?.throwIfAborted();
  }
}
