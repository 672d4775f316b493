import type { BenchDatabase } from './bench-database.js';
import { median } from './timing.js';

/**
 * "Every decision logged before its response": after the run, the log entries of the run (found by the
 * X-Request-Id each request carried, which the log records as core.requestId) are matched with the
 * answers the load generator received.
 */
export interface LogAudit {
  /** Requests answered 200 during the run. */
  answered200: number;
  /** Log entries of the run. */
  logged: number;
  /** Answered 200 and logged: must equal answered200. */
  answered200AndLogged: number;
  /** Answered 200 without a log entry: must be 0. */
  answered200NotLogged: number;
  /** Logged, but the client got another status (e.g. a 503 when the budget ran out mid-write). */
  loggedAnsweredOther: number;
  /** Answered with another status and not logged when counted (dropped, or still being decided). */
  answeredOtherNotLogged: number;
  /** Logged, no answer received: in flight when the load generator stopped (at most one per connection). */
  loggedInFlightAtEnd: number;
  /** Entries of the run created after the load stopped: decisions still being made for requests already answered. */
  loggedAfterRunEnded: number;
  /** Decisions of the run made and logged while the load ran, per second, whatever the client was answered: the capacity. */
  loggedDuringRunPerSecond: number;
  /** The decide use case's own timings, from the log entries of the run (ms). */
  serverTimingsMs: { total: Percentiles; facts: Percentiles; evaluate: Percentiles };
}

export interface Percentiles {
  p50: number;
  p99: number;
}

interface LogEntry {
  core?: { requestId?: string; createdAt?: string; timings?: { totalMs?: number; factsMs?: number; evaluateMs?: number } };
}

/** One load run to audit: its request id prefix, the answers it received, when it ended, how long it ran. */
export interface AuditedRun {
  idPrefix: string;
  statusById: ReadonlyMap<string, number>;
  runEnded: Date;
  runSeconds: number;
}

/** Reads the log's entries once (their cores) and audits each run against them. */
export async function auditDecisionLog(db: BenchDatabase, dbName: string, runs: readonly AuditedRun[]): Promise<LogAudit[]> {
  const database = await db.connect(dbName);
  let entries: LogEntry[];
  try {
    // The log stores each entry's core as its canonical JSON text.
    const docs = await database.connection
      .db!.collection('decision_log')
      .find({}, { projection: { core: 1 } })
      .toArray();
    entries = docs.map((doc) => ({ core: typeof doc.core === 'string' ? JSON.parse(doc.core) : doc.core }) as LogEntry);
  } finally {
    await database.close();
  }
  return runs.map((run) => auditRun(entries, run));
}

function auditRun(entries: readonly LogEntry[], { idPrefix, statusById, runEnded, runSeconds }: AuditedRun): LogAudit {
  const ofRun = entries.filter((entry) => entry.core?.requestId?.startsWith(`${idPrefix}-`));
  const loggedBeforeEnd = ofRun.filter((entry) => Date.parse(entry.core!.createdAt ?? '') <= runEnded.getTime()).length;
  const loggedIds = new Set(ofRun.map((entry) => entry.core!.requestId!));
  let answered200 = 0;
  let answered200NotLogged = 0;
  let answeredOtherNotLogged = 0;
  for (const [id, status] of statusById) {
    if (status !== 200) {
      if (!loggedIds.has(id)) answeredOtherNotLogged += 1;
      continue;
    }
    answered200 += 1;
    if (!loggedIds.has(id)) answered200NotLogged += 1;
  }
  let loggedAnsweredOther = 0;
  let loggedInFlightAtEnd = 0;
  for (const id of loggedIds) {
    const status = statusById.get(id);
    if (status === undefined) loggedInFlightAtEnd += 1;
    else if (status !== 200) loggedAnsweredOther += 1;
  }
  const percentiles = (pick: (timings: NonNullable<NonNullable<LogEntry['core']>['timings']>) => number | undefined): Percentiles => {
    const values = ofRun
      .map((entry) => pick(entry.core!.timings ?? {}))
      .filter((value): value is number => typeof value === 'number')
      .sort((a, b) => a - b);
    return { p50: median(values), p99: values[Math.min(values.length - 1, Math.floor(values.length * 0.99))] ?? Number.NaN };
  };
  return {
    answered200,
    logged: loggedIds.size,
    answered200AndLogged: answered200 - answered200NotLogged,
    answered200NotLogged,
    loggedAnsweredOther,
    answeredOtherNotLogged,
    loggedInFlightAtEnd,
    loggedAfterRunEnded: ofRun.length - loggedBeforeEnd,
    loggedDuringRunPerSecond: loggedBeforeEnd / runSeconds,
    serverTimingsMs: {
      total: percentiles((timings) => timings.totalMs),
      facts: percentiles((timings) => timings.factsMs),
      evaluate: percentiles((timings) => timings.evaluateMs),
    },
  };
}
