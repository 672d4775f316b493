import type { DecisionLogStore } from './decision-log-store.js';
import type { LoggableRecord } from './decision-record.js';

interface Pending {
  record: LoggableRecord;
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

  write(record: LoggableRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
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
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
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
}
