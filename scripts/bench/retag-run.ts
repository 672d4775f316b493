import { randomUUID } from 'node:crypto';
import { retag, type RetagDeps } from '../../src/jobs/definitions/retag-job.js';
import { median, nowMs } from './timing.js';

/** One retag run, timed per phase. */
export interface RetagRun {
  label: string;
  /** False when the time budget stopped it (at a batch boundary, as a shutdown would). */
  completed: boolean;
  processed: number;
  changed: number;
  batches: number;
  /** From the start to the end of the last finished batch. */
  seconds: number;
  /** processed ÷ seconds: for a stopped run, a lower bound of the whole run's rate. */
  profilesPerSecond: number;
  /** Before the first batch arrived: the checkpoint read, the count and the first read (on FerretDB, whole-collection scans). */
  secondsBeforeFirstBatch: number;
  /** After the first batch arrived: profiles finished per second. */
  steadyProfilesPerSecond: number;
  /** The whole collection's run: as measured when it completed, else projected from the two parts above. */
  fullRun: { seconds: number; profilesPerSecond: number; projected: boolean };
  /** Where the run's time went (seconds); `evaluate` is the rest (facts, rules, tags to write). */
  phaseSeconds: { count: number; read: number; evaluate: number; write: number; checkpoint: number };
  firstBatchReadSeconds: number;
  medianBatchReadSeconds: number;
  /** Seconds between consecutive batch ends (the first from the start): how the cost moves along the run. */
  batchSeconds: number[];
  cpuSeconds: Record<string, number | undefined>;
}

/**
 * Runs `retag()` with a JobContext of our own: its progress callback times each batch, and its abort
 * signal stops the run `budgetSeconds` after the first batch arrived (what comes before it is a fixed
 * cost, paid whatever the budget) or once `stopAfter` profiles are done. The store methods are wrapped
 * (on these instances only) to time the count, the reads, the writes and the checkpoints.
 */
export async function runRetagWithin(
  deps: RetagDeps,
  label: string,
  options: { budgetSeconds: number; totalProfiles: number; stopAfter?: number },
): Promise<Omit<RetagRun, 'cpuSeconds'>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let firstBatchAt: number | undefined;
  const phase = { count: 0, read: 0, write: 0, checkpoint: 0 };
  const reads: number[] = [];
  const restore = [
    // The profile reader has been a page query (batchAfter) and a cursor (batchesAfter): either is timed.
    ...['batchAfter', 'batchesAfter'].map((name) =>
      timeMethod(deps.profiles, name, (ms) => {
        phase.read += ms;
        reads.push(ms / 1000);
        if (firstBatchAt === undefined) {
          firstBatchAt = nowMs();
          timer = setTimeout(() => controller.abort(), options.budgetSeconds * 1000);
        }
      }),
    ),
    timeMethod(deps.profiles, 'count', (ms) => (phase.count += ms)),
    timeMethod(deps.profiles, 'bulkSetTags', (ms) => (phase.write += ms)),
    ...['setState', 'getState', 'clearState'].map((name) => timeMethod(deps.jobs, name, (ms) => (phase.checkpoint += ms))),
  ];
  const started = nowMs();
  let last = { at: started, processed: 0, changed: 0, batches: 0, phase: { ...phase } };
  let completed = false;
  const batchEnds: number[] = [];
  try {
    const counts = await retag(deps, {
      runId: `retag@bench-${randomUUID()}`,
      startedAt: new Date(),
      signal: controller.signal,
      progress: (next) => {
        last = {
          at: nowMs(),
          processed: Number(next.processed),
          changed: Number(next.changed),
          batches: Number(next.batchesThisRun),
          phase: { ...phase },
        };
        batchEnds.push(last.at);
        if (options.stopAfter !== undefined && last.processed >= options.stopAfter) controller.abort();
      },
    });
    completed = true;
    last = {
      at: nowMs(),
      processed: Number(counts.processed),
      changed: Number(counts.changed),
      batches: Number(counts.batchesThisRun),
      phase: { ...phase },
    };
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    for (const undo of restore) undo();
  }
  const seconds = (last.at - started) / 1000;
  const before = ((firstBatchAt ?? last.at) - started) / 1000;
  const steady = last.processed / Math.max(1e-9, seconds - before);
  const projectedSeconds = before + options.totalProfiles / steady;
  const [count, read, write, checkpoint] = [last.phase.count, last.phase.read, last.phase.write, last.phase.checkpoint].map(
    (ms) => ms / 1000,
  ) as [number, number, number, number];
  return {
    label,
    completed,
    processed: last.processed,
    changed: last.changed,
    batches: last.batches,
    seconds,
    profilesPerSecond: last.processed / seconds,
    secondsBeforeFirstBatch: before,
    steadyProfilesPerSecond: steady,
    fullRun: completed
      ? { seconds, profilesPerSecond: last.processed / seconds, projected: false }
      : { seconds: projectedSeconds, profilesPerSecond: options.totalProfiles / projectedSeconds, projected: true },
    phaseSeconds: { count, read, write, checkpoint, evaluate: Math.max(0, seconds - count - read - write - checkpoint) },
    firstBatchReadSeconds: reads[0] ?? Number.NaN,
    medianBatchReadSeconds: median(reads.slice(1)),
    batchSeconds: batchEnds.map((at, index) => Math.round((at - (index === 0 ? started : batchEnds[index - 1]!)) * 10) / 10000),
  };
}

/**
 * Replaces `target[name]` (when it is a method) by a wrapper that reports the time spent waiting for it:
 * once for a promise, per `next()` for an async generator. Answers how to put the original back.
 */
function timeMethod(target: object, name: string, record: (ms: number) => void): () => void {
  const original = (target as Record<string, unknown>)[name];
  if (typeof original !== 'function') return () => undefined;
  const wrapped = (...args: unknown[]): unknown => {
    const started = nowMs();
    const result = original.apply(target, args) as unknown;
    if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result)
      return timedGenerator(result as AsyncGenerator<unknown>, record);
    return Promise.resolve(result).finally(() => record(nowMs() - started));
  };
  Object.defineProperty(target, name, { value: wrapped, configurable: true, writable: true });
  return () => {
    delete (target as Record<string, unknown>)[name];
  };
}

async function* timedGenerator<T>(inner: AsyncGenerator<T>, record: (ms: number) => void): AsyncGenerator<T> {
  try {
    for (;;) {
      const started = nowMs();
      const step = await inner.next();
      record(nowMs() - started);
      if (step.done) return;
      yield step.value;
    }
  } finally {
    await inner.return(undefined);
  }
}
