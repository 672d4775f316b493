import fs from 'node:fs';
import type { Collection } from 'mongodb';
import os from 'node:os';
import path from 'node:path';
import { ProfileStore } from '../../src/features/profiles/profile-store.js';
import { newProfileDocument } from '../../src/features/profiles/profile-doc.js';
import { evaluatorFactory } from '../../src/engine/evaluator-factory.js';
import { RulesetRuntime } from '../../src/features/rulesets/ruleset-runtime.js';
import { RulesetStore } from '../../src/features/rulesets/ruleset-store.js';
import { JobStore } from '../../src/jobs/job-store.js';
import { createLogger } from '../../src/logging/logger.js';
import { generateProfile, mulberry32 } from '../../tests/helpers/generators.js';
import type { BenchDatabase } from './bench-database.js';
import type { BenchOptions } from './bench-options.js';
import { cpuMeter } from './child-process.js';
import { explainPushdown, type Pushdown } from './diagnostics/query-pushdown.js';
import { runRetagWithin, type RetagRun } from './retag-run.js';
import { startService } from './service-client.js';
import { fmt, times, type Table } from './table.js';
import { nowMs, since } from './timing.js';

export interface RetagResults {
  profiles: number;
  insert: { seconds: number; profilesPerSecond: number };
  /** The baseline: the raw driver reading the collection in one cursor (batches of 1,000), for up to the scan budget. */
  scan: { seconds: number; read: number; profilesPerSecond: number };
  runs: (RetagRun & { ratioToScan: number })[];
  /** Diagnostic: what the database does with the job's profile query (FerretDB reports whether filter and sort reach SQLite). */
  pageQuery: Pushdown;
}

const INSERT_CHUNK = 1000;
const RUN_LABELS = [
  'first run (every profile gets its tags)',
  'second run (nothing changes)',
  'third run (10 % of the profiles change)',
] as const;

/**
 * Every tenth of the first `upTo` profiles (in the job's _id order) loses its stored tags: the next run
 * finds their computed tags changed and writes them, as it would after their data changed. One update
 * by _id each (FerretDB scans for anything else).
 */
async function clearTagsOfEveryTenth(collection: Collection, upTo: number): Promise<number> {
  let cleared = 0;
  for (let index = 0; index < upTo; index += 10) {
    await collection.updateOne({ _id: retagProfileId(index) as never }, { $set: { tags: [] } });
    cleared += 1;
  }
  return cleared;
}

const retagProfileId = (index: number): string => `RETAG-${String(index).padStart(8, '0')}`;

/**
 * `retag()` from retag-job.ts, in-process on the real stores (as the scheduler runs it, minus HTTP, with
 * the service's ENGINE and outcome thresholds), over profiles inserted with the raw driver in
 * ProfileStore's shape. The service is started once first so
 * that the database is set up exactly as a first start leaves it (collections, indexes, rulesets).
 */
export async function benchRetag(options: BenchOptions, db: BenchDatabase, log: (line: string) => void): Promise<RetagResults> {
  const started = nowMs();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisioning-bench-retag-'));
  let dbName: string;
  try {
    const service = await startService(db, 'retag', { dataDir: path.join(workDir, 'data') });
    dbName = service.dbName;
    await service.child.stop();
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const database = await db.connect(dbName);
  const logger = createLogger('warn');
  const evaluators = evaluatorFactory(options.service.engine);
  const runtime = new RulesetRuntime(new RulesetStore(database.connection), logger, options.service.rulesetPollMs, evaluators);
  try {
    const collection = database.connection.db!.collection('profiles');
    const insert = await insertProfiles(options, (docs) => collection.insertMany(docs as never[], { ordered: false }));
    log(`retag: ${options.retagProfiles.toLocaleString('en-US')} profiles inserted (${since(started)})`);
    const scan = await timeScan(options, () => collection.find({}, { batchSize: 1000 }));
    const pageQuery = await explainPushdown(database, { find: 'profiles', filter: {}, sort: { _id: 1 } });
    log(
      `retag: raw scan ${fmt(scan.profilesPerSecond)} profiles/s; each retag run stops ${options.retagRunSeconds} s after its first batch (${since(started)})`,
    );

    await runtime.start();
    const deps = {
      profiles: new ProfileStore(database.connection),
      runtime,
      jobs: new JobStore(database.connection),
      logger,
      thresholds: options.service.outcome,
    };
    const runs: RetagResults['runs'] = [];
    for (const label of RUN_LABELS) {
      const first = runs[0];
      // A first run stopped by the budget leaves its checkpoint: the later ones start over, and stop where the
      // first stopped, so that they see only profiles that already carry their tags.
      if (first && !first.completed) await deps.jobs.clearState('retag');
      if (label === RUN_LABELS[2]) {
        const cleared = await clearTagsOfEveryTenth(collection, first!.processed);
        log(`retag: the stored tags of ${cleared} profiles cleared, so that their run writes them again (${since(started)})`);
      }
      const meter = cpuMeter({ database: db.pid }, 'retag (this process)');
      const run = await runRetagWithin(deps, label, {
        budgetSeconds: options.retagRunSeconds,
        totalProfiles: options.retagProfiles,
        ...(first && !first.completed && { stopAfter: first.processed }),
      });
      runs.push({ ...run, cpuSeconds: meter.stop(), ratioToScan: run.fullRun.profilesPerSecond / scan.profilesPerSecond });
      const how = run.completed ? 'whole run' : `stopped after ${run.processed} profiles; whole run projected`;
      log(`retag: ${label}: ${fmt(run.fullRun.profilesPerSecond)} profiles/s (${how}) (${since(started)})`);
    }
    return { profiles: options.retagProfiles, insert, scan, runs, pageQuery };
  } finally {
    runtime.stop();
    await database.close();
  }
}

/** Generated profiles in the shape ProfileStore stores them (`_id` = profileId, sections, tags, times). */
async function insertProfiles(options: BenchOptions, insertMany: (docs: object[]) => Promise<unknown>): Promise<RetagResults['insert']> {
  const rng = mulberry32(options.seed + 2);
  const started = nowMs();
  for (let from = 0; from < options.retagProfiles; from += INSERT_CHUNK) {
    const now = new Date();
    const docs = Array.from({ length: Math.min(INSERT_CHUNK, options.retagProfiles - from) }, (_, index) =>
      newProfileDocument(retagProfileId(from + index), generateProfile(rng), now),
    );
    await insertMany(docs);
  }
  const seconds = (nowMs() - started) / 1000;
  return { seconds, profilesPerSecond: options.retagProfiles / seconds };
}

/** Reads the collection through one cursor until it ends or the scan budget is spent. */
async function timeScan(
  options: BenchOptions,
  open: () => AsyncIterable<unknown> & { close(): Promise<void> },
): Promise<RetagResults['scan']> {
  const started = nowMs();
  const cursor = open();
  let read = 0;
  try {
    for await (const _doc of cursor) {
      read += 1;
      if (read % 1000 === 0 && nowMs() - started > options.retagScanSeconds * 1000) break;
    }
  } finally {
    await cursor.close();
  }
  const seconds = (nowMs() - started) / 1000;
  return { seconds, read, profilesPerSecond: read / seconds };
}

export function retagTables(results: RetagResults): Table[] {
  const { scan } = results;
  const seconds = (value: number) => fmt(value, 1);
  return [
    {
      title: `retag over ${results.profiles.toLocaleString('en-US')} profiles (customer-tags; retag() from retag-job.ts on the real stores)`,
      columns: ['what', 'profiles done', 'seconds', 'profiles/s', 'whole run: s', 'whole run: profiles/s', 'changed', 'vs raw scan'],
      rows: [
        [
          'raw driver scan, one cursor, batches of 1,000 (baseline)',
          String(scan.read),
          seconds(scan.seconds),
          fmt(scan.profilesPerSecond),
          '-',
          '-',
          '-',
          times(1),
        ],
        ...results.runs.map((run) => [
          `retag ${run.label}`,
          String(run.processed),
          seconds(run.seconds),
          fmt(run.profilesPerSecond),
          `${run.fullRun.projected ? '~' : ''}${seconds(run.fullRun.seconds)}`,
          `${run.fullRun.projected ? '~' : ''}${fmt(run.fullRun.profilesPerSecond)}`,
          String(run.changed),
          times(run.ratioToScan),
        ]),
      ],
      notes: [
        `profiles inserted with the raw driver (insertMany, 1,000 a call): ${seconds(results.insert.seconds)} s, ${fmt(results.insert.profilesPerSecond)} profiles/s`,
        `a run stops at the first batch boundary ${results.runs[0]?.completed === false ? 'after the time budget (BENCH_RETAG_RUN_SECONDS, counted from its first batch)' : 'only when the budget runs out'}; "~" = projected for the whole collection: the time before the first batch + all profiles at the rate after it`,
        'the later runs stop where the first stopped, so that they see only profiles that already carry their tags (the third: but every tenth, whose stored tags were cleared)',
        `the job's profile query (find {}, sort _id): ${results.pageQuery.summary}`,
      ],
    },
    {
      title: 'retag: where the time goes (seconds of each run)',
      columns: [
        'run',
        'before 1st batch',
        'count()',
        '1st batch read',
        'later reads',
        'evaluate',
        'write tags',
        'checkpoints',
        'CPU cores',
      ],
      rows: results.runs.map((run) => [
        run.label,
        seconds(run.secondsBeforeFirstBatch),
        seconds(run.phaseSeconds.count),
        seconds(run.firstBatchReadSeconds),
        `${seconds(run.phaseSeconds.read - run.firstBatchReadSeconds)} (median ${fmt(run.medianBatchReadSeconds * 1000, 0)} ms a batch)`,
        seconds(run.phaseSeconds.evaluate),
        seconds(run.phaseSeconds.write),
        seconds(run.phaseSeconds.checkpoint),
        Object.entries(run.cpuSeconds)
          .map(([name, used]) => `${name} ${used === undefined ? 'n/a' : fmt(used / run.seconds, 2)}`)
          .join(', '),
      ]),
      notes: [
        '"evaluate" is what is left: facts, rules and the tags to write, computed in this process (its CPU is "retag (this process)")',
      ],
    },
  ];
}
