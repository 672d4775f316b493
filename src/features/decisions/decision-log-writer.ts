import type { DecisionLogStore } from './decision-log-store.js';
import type { LoggableRecord } from './decision-record.js';

interface Pending {
  record: LoggableRecord;
  signal?: AbortSignal;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The error a caller gets when the database refused its entry (the driver's code is kept: 11000 = taken id). */
export class LogWriteRefused extends Error {
  constructor(
    readonly code: number | undefined,
    message: string,
  ) {
    super(`DecisionLogWriter: entry refused: ${message}`);
    this.name = 'LogWriteRefused';
  }
}

/** Most entries one insert carries; more wait for the next. */
const MAX_BATCH = 200;

/**
 * Writes decision log entries as a group commit: the entries that arrive while an insert is under
 * way go together in the next one, so under load the log costs one insert per round trip rather than
 * one per decision. Each caller's promise settles only when the database has acknowledged (or
 * refused) its own entry, so a decision is never answered before it is logged.
 */
export class DecisionLogWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private writing = false;

  constructor(private readonly store: DecisionLogStore) {}

  /**
   * Settles when the database acknowledged or refused the entry. An entry whose `signal` aborts while it
   * waits is never inserted (it rejects with the signal's reason); once inside an insert, it may land.
   */
  write(record: LoggableRecord, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      this.queue.push({ record, signal, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.writing || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.writing = true;
    const batch = this.takeBatch();
    try {
      if (batch.length === 0) return;
      const refused = await this.store.insertMany(batch.map((pending) => pending.record));
      batch.forEach((pending, index) => {
        const problem = refused.get(index);
        if (problem) pending.reject(new LogWriteRefused(problem.code, problem.message));
        else pending.resolve();
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.writing = false;
      this.schedule();
    }
  }

  /** The next entries to insert, leaving out those whose decision ran out of budget while they waited. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    while (batch.length < MAX_BATCH && this.queue.length > 0) {
      const pending = this.queue.shift()!;
      if (pending.signal?.aborted) pending.reject(pending.signal.reason);
      else batch.push(pending);
    }
    return batch;
  }
}
