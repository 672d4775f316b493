import type { DecisionLogStore } from './decision-log-store.js';
import type { DecisionRecord } from './decision-record.js';

interface Pending {
  record: DecisionRecord;
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

/**
 * Writes decision log entries, grouping the ones that arrive in the same tick into a single insert.
 * Each caller's promise settles only when the database has acknowledged (or refused) its own entry,
 * so a decision is never answered before it is logged.
 */
export class DecisionLogWriter {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly store: DecisionLogStore) {}

  write(record: DecisionRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    try {
      const refused = await this.store.insertMany(batch.map((pending) => pending.record));
      batch.forEach((pending, index) => {
        const problem = refused.get(index);
        if (problem) pending.reject(new LogWriteRefused(problem.code, problem.message));
        else pending.resolve();
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
