import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What one instance counts, served in Prometheus' text format at GET /metrics. Each part of the
 * service receives only the small interface it reports through (a cache gets a CacheCounter), so
 * nothing but this file knows prom-client, and a part built without metrics (a test, the bench)
 * reports to `noMetrics`.
 *
 * Labels hold only names of our own making (outcomes, ruleset ids, job names, statuses, reasons):
 * never a profile id or anything else a client sends, so that a scrape holds no personal data and
 * the number of series stays bounded.
 */

/** Lookups of one cache: a hit answered without the database. */
export interface CacheCounter {
  hit(): void;
  miss(): void;
}

export interface DecisionMetrics {
  /** A decision answered 200, with its outcome and the rulesets it evaluated. */
  decided(outcome: string, rulesets: readonly string[]): void;
}

export interface AdmissionMetrics {
  /** Reads the limiter's state at each scrape. */
  observeLimiter(state: () => { limit: number; inFlight: number; queued: number; queueCapacity: number }): void;
  admitted(waitedMs: number): void;
  shed(reason: string): void;
  /** Any answer to a decision request that went through admission, shed ones included: status and latency from arrival. */
  answered(status: number, ms: number): void;
}

export interface LogWriterMetrics {
  /** One group-commit insert: how many entries, how long each waited for it, how long it took. */
  batch(entries: number, waitsMs: readonly number[], insertMs: number): void;
}

export interface DatabaseErrorMetrics {
  /** `outage`: the database became unavailable; `log-insert`: a log batch failed; `request`: a request failed on a database error. */
  error(kind: 'outage' | 'log-insert' | 'request'): void;
}

export interface JobMetrics {
  finished(job: string, status: 'succeeded' | 'failed', seconds: number): void;
}

const MS = 1000;

/**
 * The process's own metrics (CPU, memory, event loop delay, garbage collection), collected once per
 * process: each collection keeps a timer and an observer running for good, so one per instance would
 * pile up where several instances share a process (the tests).
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The metrics of one service instance, in a registry of its own (several instances may share a process in tests). */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly decisions: DecisionMetrics;
  readonly admission: AdmissionMetrics;
  readonly logWriter: LogWriterMetrics;
  readonly database: DatabaseErrorMetrics;
  readonly jobs: JobMetrics;
  /** For the decision path's profile cache: `metrics.profileCache.hit()` / `.miss()`. */
  readonly profileCache: CacheCounter;

  constructor() {
    const registers = [this.registry];

    const decisions = new Counter({
      name: 'decisioning_decisions_total',
      help: 'Decisions answered 200, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    const byRuleset = new Counter({
      name: 'decisioning_decisions_by_ruleset_total',
      help: 'Decisions answered 200, once per ruleset they evaluated, by ruleset and outcome',
      labelNames: ['ruleset', 'outcome'],
      registers,
    });
    this.decisions = {
      decided(outcome, rulesets) {
        decisions.inc({ outcome });
        for (const ruleset of rulesets) byRuleset.inc({ ruleset, outcome });
      },
    };

    this.admission = this.admissionMetrics(registers);
    this.logWriter = this.logWriterMetrics(registers);

    const databaseErrors = new Counter({
      name: 'decisioning_database_errors_total',
      help: 'Database failures: outages begun, decision log inserts failed, requests failed on a database error',
      labelNames: ['kind'],
      registers,
    });
    this.database = { error: (kind) => databaseErrors.inc({ kind }) };

    const cacheLookups = new Counter({
      name: 'decisioning_cache_lookups_total',
      help: 'Cache lookups by cache and result (hit: answered without the database)',
      labelNames: ['cache', 'result'],
      registers,
    });
    const cacheCounter = (cache: string): CacheCounter => {
      const hits = cacheLookups.labels({ cache, result: 'hit' });
      const misses = cacheLookups.labels({ cache, result: 'miss' });
      return { hit: () => hits.inc(), miss: () => misses.inc() };
    };
    this.profileCache = cacheCounter('profile');

    const jobRuns = new Counter({
      name: 'decisioning_job_runs_total',
      help: 'Job runs finished',
      labelNames: ['job', 'status'],
      registers,
    });
    const jobSeconds = new Histogram({
      name: 'decisioning_job_run_duration_seconds',
      help: 'Duration of job runs',
      labelNames: ['job', 'status'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    });
    this.jobs = {
      finished(job, status, seconds) {
        jobRuns.inc({ job, status });
        jobSeconds.observe({ job, status }, seconds);
      },
    };
  }

  /** The exposition a scrape receives (this instance's metrics and the process's), and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    const all = Registry.merge([processMetrics(), this.registry]);
    return { contentType: all.contentType, text: await all.metrics() };
  }

  private admissionMetrics(registers: Registry[]): AdmissionMetrics {
    let state: (() => { limit: number; inFlight: number; queued: number; queueCapacity: number }) | undefined;
    const gauge = (name: string, help: string, read: (s: NonNullable<ReturnType<NonNullable<typeof state>>>) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          if (state) this.set(read(state()));
        },
      });
    gauge('decisioning_admission_limit', 'Decisions allowed in flight now (the adaptive limit)', (s) => s.limit);
    gauge('decisioning_admission_in_flight', 'Decisions in flight', (s) => s.inFlight);
    gauge('decisioning_admission_queued', 'Decisions waiting for a place', (s) => s.queued);
    gauge(
      'decisioning_admission_queue_capacity',
      'Decisions that may wait now (what the current rate starts in time)',
      (s) => s.queueCapacity,
    );
    const admitted = new Counter({ name: 'decisioning_admission_admitted_total', help: 'Decisions admitted', registers });
    const shed = new Counter({
      name: 'decisioning_admission_shed_total',
      help: 'Decisions refused with 503 and Retry-After before any work (queue-full: at arrival; queue-timeout: after waiting)',
      labelNames: ['reason'],
      registers,
    });
    const queueWait = new Histogram({
      name: 'decisioning_admission_queue_wait_seconds',
      help: 'Time admitted decisions waited for a place',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
    const latency = new Histogram({
      name: 'decisioning_decision_request_duration_seconds',
      help: 'POST /v1/decisions from arrival (after authentication) to answer, by status; 503s shed at admission included',
      labelNames: ['status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5],
      registers,
    });
    return {
      observeLimiter: (read) => {
        state = read;
      },
      admitted(waitedMs) {
        admitted.inc();
        if (waitedMs > 0) queueWait.observe(waitedMs / MS);
      },
      shed: (reason) => shed.inc({ reason }),
      answered: (status, ms) => latency.observe({ status: String(status) }, ms / MS),
    };
  }

  private logWriterMetrics(registers: Registry[]): LogWriterMetrics {
    const entries = new Histogram({
      name: 'decisioning_decision_log_batch_entries',
      help: 'Entries per decision log insert (group commit)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 200],
      registers,
    });
    const wait = new Histogram({
      name: 'decisioning_decision_log_wait_seconds',
      help: 'Time each entry waited for its insert to start',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2],
      registers,
    });
    const insert = new Histogram({
      name: 'decisioning_decision_log_insert_seconds',
      help: 'Duration of each decision log insert',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5],
      registers,
    });
    return {
      batch(count, waitsMs, insertMs) {
        entries.observe(count);
        for (const waited of waitsMs) wait.observe(waited / MS);
        insert.observe(insertMs / MS);
      },
    };
  }
}

/** For parts built without an instance's metrics (unit tests, the bench's in-process runs). */
export const noMetrics = {
  cache: { hit: () => undefined, miss: () => undefined } satisfies CacheCounter,
  logWriter: { batch: () => undefined } satisfies LogWriterMetrics,
  jobs: { finished: () => undefined } satisfies JobMetrics,
  database: { error: () => undefined } satisfies DatabaseErrorMetrics,
};
