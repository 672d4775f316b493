import fs from 'node:fs';
import { EvidenceKey } from '../../src/crypto/evidence-key.js';
import { AuditEventStore } from '../../src/features/audit/audit-event-store.js';
import { DecisionLogStore } from '../../src/features/decisions/decision-log-store.js';
import { type DecisionCore, type DecisionPersonal, sealableRecord } from '../../src/features/decisions/decision-record.js';
import { DecisionSealer } from '../../src/features/decisions/decision-sealer.js';
import { loggedDecision } from '../../src/features/decisions/decision-view.js';
import { LoggedExplanations } from '../../src/features/decisions/logged-explanations.js';
import { LogVerifier } from '../../src/features/decisions/log-verifier.js';
import { RetirementStore } from '../../src/features/decisions/retirement-store.js';
import { SealStore } from '../../src/features/decisions/seal-store.js';
import { ProfileStore } from '../../src/features/profiles/profile-store.js';
import type { BenchDatabase } from './bench-database.js';
import type { BenchOptions } from './bench-options.js';
import { fmt, type Table } from './table.js';
import { nowMs } from './timing.js';

export interface LogPhase {
  seconds: number;
  /** Projected to 100,000 entries (the phases are linear in the entries). */
  secondsPer100k: number;
  /** Peak resident memory while the phase ran, sampled every 100 ms (MB); the database's is unknown for an external server. */
  peakDatabaseMb: number | undefined;
  peakNodeMb: number;
}

export interface LogResults {
  entries: number;
  /** Size of one entry as the log stores it (core and personal texts, bytes). */
  entryBytes: number;
  insert: LogPhase;
  seal: LogPhase & { seals: number };
  verify: LogPhase & { ok: boolean; entriesChecked: number; problemCount: number };
  export: LogPhase & { lines: number; bytes: number };
}

const INSERT_CHUNK = 1000;
const SEAL_KEY = 'bench-seal-key-0123456789abcdef0123456789';

/**
 * The decision log at scale, in-process on the real stores with a seal key: BENCH_LOG_ENTRIES entries
 * (default 100,000) of one realistic size are inserted in chunks, sealed by the sealer, verified as
 * `GET /v1/audit/verify` does over the whole log, and read as `GET /v1/decisions/export` does (each
 * entry rendered to its NDJSON line, the lines counted instead of sent). The peak memory of the
 * database process and of this process during each phase shows whether a phase runs in constant memory.
 */
export async function benchLog(options: BenchOptions, db: BenchDatabase, log: (line: string) => void): Promise<LogResults> {
  const entries = options.logEntries;
  const database = await db.connect(db.freshName('log'));
  const { connection } = database;
  const key = new EvidenceKey(SEAL_KEY);
  const stores = {
    log: new DecisionLogStore(connection),
    events: new AuditEventStore(connection),
    seals: new SealStore(connection),
    retirements: new RetirementStore(connection),
    profiles: new ProfileStore(connection),
  };
  await Promise.all(Object.values(stores).map((store) => store.init()));
  try {
    const start = Date.now() - 3_600_000;
    let entryBytes = 0;
    const insert = await phase(db, entries, async () => {
      for (let from = 0; from < entries; from += INSERT_CHUNK) {
        const batch = [];
        for (let index = from; index < Math.min(entries, from + INSERT_CHUNK); index++) batch.push(entry(index, start, key));
        entryBytes = batch[0]!.texts.core.length + batch[0]!.texts.personal.length;
        const answer = await stores.log.insertMany(batch);
        if (answer.refused.size > 0 || answer.inDoubt.length > 0) throw new Error('bench log: an insert was not acknowledged');
      }
      log(`log: ${entries} entries inserted`);
    });
    let sealed = { seals: 0, entries: 0 };
    const seal = await phase(db, entries, async () => {
      sealed = await new DecisionSealer(stores.log, stores.events, stores.seals, key, 'bench', 0).sealDue();
      log(`log: ${sealed.entries} entries sealed in ${sealed.seals} seals`);
    });
    // The entries evaluated no ruleset: their (empty) explanations need no version.
    const explanations = new LoggedExplanations({ version: async () => undefined });
    const verifier = new LogVerifier({ ...stores, key, explanations, sealLagMs: 0 });
    let report = { ok: false, entriesChecked: 0, problemCount: 0 };
    const verify = await phase(db, entries, async () => {
      report = await verifier.verify({ from: new Date(0) });
      log(`log: verified ${report.entriesChecked} entries, ok ${report.ok}`);
    });
    let [lines, bytes] = [0, 0];
    const exported = await phase(db, entries, async () => {
      for await (const record of stores.log.stream({})) {
        bytes += Buffer.byteLength(`${JSON.stringify(loggedDecision(record, await explanations.of(record)))}\n`);
        lines += 1;
      }
      log(`log: exported ${lines} lines`);
    });
    return {
      entries,
      entryBytes,
      insert,
      seal: { ...seal, seals: sealed.seals },
      verify: { ...verify, ok: report.ok, entriesChecked: report.entriesChecked, problemCount: report.problemCount },
      export: { ...exported, lines, bytes },
    };
  } finally {
    await database.close();
  }
}

/** Runs a phase, timing it and sampling the peak memory of the database process and of this one. */
async function phase(db: BenchDatabase, entries: number, run: () => Promise<void>): Promise<LogPhase> {
  let [peakDatabase, peakNode] = [residentMb(db.pid), process.memoryUsage().rss / 2 ** 20];
  const sampler = setInterval(() => {
    const database = residentMb(db.pid);
    if (database !== undefined) peakDatabase = Math.max(peakDatabase ?? 0, database);
    peakNode = Math.max(peakNode, process.memoryUsage().rss / 2 ** 20);
  }, 100);
  const started = nowMs();
  try {
    await run();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (nowMs() - started) / 1000;
  return { seconds, secondsPer100k: (seconds * 100_000) / entries, peakDatabaseMb: peakDatabase, peakNodeMb: peakNode };
}

function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** One logged decision of about the size a login over the four shipped rulesets logs. */
function entry(index: number, start: number, key: EvidenceKey) {
  const createdAt = new Date(start + index).toISOString();
  const core: DecisionCore = {
    decisionId: `dec_bench_${String(index).padStart(9, '0')}`,
    subject: (index % 5000).toString(16).padStart(64, '0'),
    createdAt,
    evaluatedAt: createdAt,
    requestId: `bench-${index}`,
    caller: { keyId: 'key_bench', name: 'bench' },
    rulesets: [{ id: 'fraud-alerts', version: 1, checksum: `sha256:${'0'.repeat(64)}` }],
    engine: { name: 'compiled', version: '1.0.0' },
    outcome: index % 7 === 0 ? 'decline' : 'approve',
    score: index % 100,
    tags: ['income-medium'],
    tagSources: [],
    firedRules: [{ ruleset: 'fraud-alerts', version: 1, rule: 'event-far-from-residence' }],
    products: [],
    alerts: index % 7 === 0 ? [{ code: 'LOCATION_MISMATCH', severity: 'high', ruleset: 'fraud-alerts', version: 1, rule: 'r' }] : [],
    timings: { totalMs: 5, factsMs: 1, evaluateMs: 1 },
  } as DecisionCore;
  const profileId = `P-${index % 5000}`;
  const personal: DecisionPersonal = {
    profileId,
    request: { profileId, event: { type: 'login', at: createdAt, location: { lat: 23.13, lon: 113.26 } } },
    facts: { eventDistanceFromResidenceKm: index % 2000, padding: 'x'.repeat(2000) },
    leafResults: [],
    messages: {},
  };
  return sealableRecord(core, personal, null, key);
}

export function logTables(results: LogResults): Table[] {
  const row = (name: string, phase: LogPhase, note: string) => [
    name,
    `${fmt(phase.seconds)} s`,
    `${fmt(phase.secondsPer100k)} s`,
    phase.peakDatabaseMb === undefined ? 'n/a' : `${fmt(phase.peakDatabaseMb, 0)} MB`,
    `${fmt(phase.peakNodeMb, 0)} MB`,
    note,
  ];
  return [
    {
      title: `Decision log at scale: ${results.entries.toLocaleString('en-US')} entries of ${fmt(results.entryBytes / 1024)} KB`,
      columns: ['phase', 'time', 'per 100,000', 'database peak', 'node peak', ''],
      rows: [
        row('insert', results.insert, `chunks of ${INSERT_CHUNK}`),
        row('seal', results.seal, `${results.seal.seals} seals`),
        row('verify', results.verify, `ok ${results.verify.ok}, ${results.verify.entriesChecked} checked`),
        row('export', results.export, `${results.export.lines} lines, ${fmt(results.export.bytes / 2 ** 20)} MB`),
      ],
      notes: [
        'verify: seals by number, entries in one unordered read per page of ~100,000 sealed entries (keyed hashes, copies, masks)',
        'export: one unordered cursor put in time order through a 1,000-entry window, each entry rendered as its NDJSON line',
      ],
    },
  ];
}
