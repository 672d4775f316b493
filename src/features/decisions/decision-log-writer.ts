import type { DecisionLogStore } from './decision-log-store.js';
import type { LoggableRecord } from './decision-record.js';
import { unavailable } from '../../errors/domain-error.js';
import type { FedEntry } from './seal-feed.js';
import { type DatabaseErrorMetrics, type LogWriterMetrics, noMetrics } from '../../metrics/service-metrics.js';

interface Pending {
  record: LoggableRecord;
  /** When write() was called (performance.now()), for the wait metric. */
  queuedAt: number;
  signal?: AbortSignal;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Log {
  warn(message: string, meta?: object): unknown;
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

export interface DecisionLogWriterOptions {
  logger?: Log;
  /** Why the database is known to be down, if it is: a batch is then failed at once instead of waiting for it. */
  unavailableReason?: () => string | undefined;
  /** Batch sizes, waits and insert times; failed inserts. */
  metrics?: LogWriterMetrics;
  databaseErrors?: DatabaseErrorMetrics;
  /** Told of each entry the database acknowledged, and of entries that may have landed unseen (the sealer's feed). */
  feed?: { logged(entries: FedEntry[]): void; inDoubt(): void };
}

/** Most entries one insert carries; more wait for the next. */
const MAX_BATCH = 200;
/** How long reading back an entry whose write is in doubt may take before it counts as not logged. */
const READ_BACK_TIMEOUT_MS = 2000;

const fedEntry = ({ core, hash }: LoggableRecord): FedEntry => ({ id: core.decisionId, hash, createdAt: new Date(core.createdAt) });

const notLogged = () =>
  unavailable('The decision could not be confirmed in the log, so none was returned; retry with the same Idempotency-Key.');

/**
 * Writes decision log entries as a group commit: the entries that arrive while an insert is under
 * way go together in the next one, so under load the log costs one insert per round trip rather than
 * one per decision. Each caller's promise settles only when the database has acknowledged (or
 * refused) its own entry, so a decision is never answered before it is logged.
 *
 * An entry the database neither acknowledged nor refused (the connection broke mid-batch, a failover)
 * is read back by id, off the group commit's path: found with its own hash, it is written; absent,
 * or when the read fails, its caller gets a 503 and no decision; found with another hash, its id was
 * taken by a concurrent retry, which the caller resolves as for any refusal with code 11000.
 */
export class DecisionLogWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private writing = false;

  constructor(
    private readonly store: DecisionLogStore,
    private readonly options: DecisionLogWriterOptions = {},
  ) {}

  /**
   * Settles when the database acknowledged or refused the entry. An entry whose `signal` aborts while it
   * waits is never inserted (it rejects with the signal's reason); once inside an insert, it may land.
   */
  write(record: LoggableRecord, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      this.queue.push({ record, queuedAt: performance.now(), signal, resolve, reject });
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
    let attempted = false;
    try {
      if (batch.length === 0) return;
      const down = this.options.unavailableReason?.();
      if (down !== undefined) throw unavailable(`The database is unavailable: ${down}. No decision was logged.`);
      attempted = true;
      const insertStarted = performance.now();
      const acknowledgement = await this.store.insertMany(batch.map((pending) => pending.record));
      this.measure(batch, insertStarted);
      const inDoubt = new Set(acknowledgement.inDoubt);
      if (inDoubt.size > 0) {
        this.options.logger?.warn('decision log entries in doubt; reading them back', {
          count: inDoubt.size,
          cause: acknowledgement.cause,
        });
      }
      const landed: LoggableRecord[] = [];
      batch.forEach((pending, index) => {
        const refusal = acknowledgement.refused.get(index);
        if (refusal) pending.reject(new LogWriteRefused(refusal.code, refusal.message));
        else if (!inDoubt.has(index)) {
          landed.push(pending.record);
          pending.resolve();
        } else if (!acknowledgement.readBackConfirms) {
          this.options.feed?.inDoubt();
          pending.reject(notLogged());
        } else void this.settleByReadBack(pending);
      });
      this.options.feed?.logged(landed.map(fedEntry));
    } catch (error) {
      if (batch.length > 0) (this.options.databaseErrors ?? noMetrics.database).error('log-insert');
      // An insert that failed whole may still have landed some entries.
      if (attempted) this.options.feed?.inDoubt();
      for (const pending of batch) pending.reject(error);
    } finally {
      this.writing = false;
      this.schedule();
    }
  }

  private measure(batch: readonly Pending[], insertStarted: number): void {
    const metrics = this.options.metrics ?? noMetrics.logWriter;
    metrics.batch(
      batch.length,
      batch.map((pending) => insertStarted - pending.queuedAt),
      performance.now() - insertStarted,
    );
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

  private async settleByReadBack(pending: Pending): Promise<void> {
    const { decisionId } = pending.record.core;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('read-back timed out')), READ_BACK_TIMEOUT_MS);
      });
      const storedHash = await Promise.race([this.store.storedHash(decisionId), timeout]);
      if (storedHash === pending.record.hash) {
        this.options.feed?.logged([fedEntry(pending.record)]);
        pending.resolve();
      } else if (storedHash === undefined) pending.reject(notLogged());
      else pending.reject(new LogWriteRefused(11000, 'the decision id is taken by another entry'));
    } catch {
      this.options.feed?.inDoubt();
      pending.reject(notLogged());
    } finally {
      clearTimeout(timer);
    }
  }
}
