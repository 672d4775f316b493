import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import type { BenchDatabase } from './bench-database.js';
import type { BenchOptions } from './bench-options.js';
import { childPidsMatching, cpuMeter, cpuSeconds, type RunningChild, startNodeChild } from './child-process.js';
import { connectDatabase } from '../../src/db/database.js';
import { startEmbeddedMongo } from '../../src/db/embedded-mongo.js';
import { type AuditedRun, auditDecisionLog, type LogAudit } from './decision-log-audit.js';
import { runDecisionsWithoutHistory } from './diagnostics/decisions-without-history.js';
import { type ServiceProfile, serviceProfiling } from './diagnostics/service-profiling.js';
import { NAIVE_LOG, NAIVE_PROFILES, seedProfiles, type Workload, workload } from './http-workload.js';
import { type LoadSpec, type MeteredLoad, runLoad } from './load-run.js';
import { decideHotSetOnce } from './hot-set.js';
import { startService } from './service-client.js';
import { nowMs, since, sleep } from './timing.js';

export { httpTables } from './http-tables.js';

/** One load run of one server: which profiles, how many connections, what it measured. */
export interface ServerRun {
  server: 'ours' | 'naive' | 'hello-world';
  set: 'hot' | 'cold' | '-';
  connections: number;
  /** Whether each client waited Retry-After after a 503 (as the contract asks) or retried at once. */
  honorRetryAfter: boolean;
  load: MeteredLoad;
  /** Ours only: the run's answers matched with the log. */
  audit?: LogAudit;
}

export interface HttpResults {
  runs: ServerRun[];
  profiles: number;
  hotProfiles: number;
  events: number;
  seedSeconds: number;
  decisionTimeoutMs: number;
  /** Mean BSON size of a stored log entry (ours: the decision log; naive: its one document per decision). */
  logEntryBytes: { ours: number; naive: number };
  /** Diagnostic: the same bodies without fraud-alerts, the one ruleset whose applicationsLast24h fact needs a history read. */
  decisionsWithoutHistory?: MeteredLoad;
  /** Diagnostic (BENCH_CPU_PROFILE=1): the service's CPU profile and database commands. */
  serviceProfile?: ServiceProfile;
}

const DECISIONS = '/v1/decisions';
/** Log entries sampled for their size. */
const SIZE_SAMPLE = 300;

/**
 * Ours, the naive service and an Express hello-world, each in its own process, under the same
 * closed-loop load: `connections` and `overloadConnections`, on the hot set and on the cold one.
 */
export async function benchHttp(options: BenchOptions, db: BenchDatabase, log: (line: string) => void): Promise<HttpResults> {
  const started = nowMs();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisioning-bench-http-'));
  const wl = workload(options.seed, options.httpColdProfiles, options.httpHotProfiles, options.httpEvents);
  const connectionCounts = [options.httpConnections, options.httpOverloadConnections];
  const runs: ServerRun[] = [];
  try {
    const profiling = options.cpuProfile ? serviceProfiling(workDir) : undefined;
    const dataDir = path.join(workDir, 'data');
    const naiveDb = db.freshName('naive');
    // Without MONGODB_URI ours runs as it does by default: on its own embedded database (its only client,
    // so its profile cache is on), seeded before it starts; with it, on that server, seeded while it runs.
    const embedded = db.pid === undefined ? undefined : { sync: options.service.embeddedDbSync, dbName: db.freshName('http') };
    const oursDb = embedded
      ? ownDatabase(db, path.join(dataDir, 'db'), options.service.embeddedDbSync)
      : { ...db, start: async () => undefined };
    let seedSeconds = embedded ? await seed(options, oursDb, embedded.dbName, db, naiveDb, log) : Number.NaN;
    if (embedded) await oursDb.stop();
    const service = await startService(db, 'http', {
      dataDir,
      nodeArgs: profiling?.nodeArgs ?? [],
      env: profiling?.env ?? {},
      ...(embedded && { embedded }),
    });
    let naive: RunningChild | undefined;
    let decisionsWithoutHistory: MeteredLoad | undefined;
    const audited: AuditedRun[] = [];
    try {
      naive = await startNodeChild(
        path.join(REPO_ROOT, 'build', 'scripts', 'bench', 'naive-service.js'),
        { MONGODB_URI: db.uri, MONGODB_DB: naiveDb },
        { readyPath: '/readyz' },
      );
      log(`http: our service on ${service.child.url}, the naive one on ${naive.url} (${since(started)})`);
      if (!embedded) seedSeconds = await seed(options, db, service.dbName, db, naiveDb, log);
      log(`http: ${wl.profiles.toLocaleString('en-US')} profiles seeded in ${seedSeconds.toFixed(1)} s (${since(started)})`);
      const decideKey = await service.issueKey('bench-loan-system', ['decide']);
      const pids = { service: service.child.pid, database: embedded ? childPidsMatching('embedded-mongo', service.child.pid)[0] : db.pid };

      for (const [index, [set, connections, honorRetryAfter]] of oursRuns(connectionCounts).entries()) {
        const idPrefix = `ours-${set}-c${connections}${honorRetryAfter ? '-polite' : ''}`;
        const spec = {
          ...loadSpec(service.child.url, `Bearer ${decideKey}`, wl, set, connections, options.httpSeconds, idPrefix),
          honorRetryAfter,
        };
        if (index === 0) await warmUp(spec, options, pids, wl.hot);
        const clients = honorRetryAfter ? 'clients waiting Retry-After after a 503' : 'clients retrying at once';
        log(`http: ours, ${set}, ${connections} connections, ${clients}, for ${options.httpSeconds} s (${since(started)})`);
        const load = await meteredRun(spec, pids, audited);
        runs.push({ server: 'ours', set, connections, honorRetryAfter, load });
        await settle(Object.values(pids), options.httpSettleSeconds);
      }
      if (options.httpWithoutHistory) {
        log(`http: diagnostic run without fraud-alerts (no applicationsLast24h) for ${options.httpSeconds} s (${since(started)})`);
        const spec = loadSpec(
          service.child.url,
          `Bearer ${decideKey}`,
          wl,
          'hot',
          options.httpConnections,
          options.httpSeconds,
          'nohistory',
        );
        decisionsWithoutHistory = await runDecisionsWithoutHistory(spec, pids);
        await settle(Object.values(pids), options.httpSettleSeconds);
      }

      const naivePids = { service: naive.pid, database: db.pid };
      for (const [index, [set, connections]] of sets(connectionCounts).entries()) {
        if (set === 'cold' && connections !== options.httpConnections) continue;
        const spec = loadSpec(naive.url, '', wl, set, connections, options.httpSeconds, `naive-${set}-c${connections}`);
        if (index === 0) await warmUp(spec, options, naivePids, wl.hot);
        log(`http: naive, ${set}, ${connections} connections for ${options.httpSeconds} s (${since(started)})`);
        runs.push({ server: 'naive', set, connections, honorRetryAfter: false, load: await meteredRun(spec, naivePids) });
        await settle(Object.values(naivePids), options.httpSettleSeconds);
      }
    } finally {
      await naive?.stop();
      // Its shutdown seals the log (a whole-log read on the embedded database): 10 s, then it is killed;
      // when profiled, it must exit by itself to write its profile.
      await service.child.stop(options.cpuProfile ? 180_000 : 10_000);
    }
    // Its embedded database is read again once it has stopped (it held the data directory's lock).
    if (embedded) await oursDb.start();
    const audits = await auditDecisionLog(oursDb, service.dbName, audited);
    for (const [index, run] of runs.filter((each) => each.server === 'ours').entries()) run.audit = audits[index];
    const logEntryBytes = {
      ours: await meanDocumentBytes(oursDb, service.dbName, 'decision_log'),
      naive: await meanDocumentBytes(db, naiveDb, NAIVE_LOG),
    };
    if (embedded) await oursDb.stop();
    log(`http: ${audits.reduce((sum, audit) => sum + audit.logged, 0)} log entries matched with the answers (${since(started)})`);

    const hello = await startNodeChild(path.join(REPO_ROOT, 'build', 'scripts', 'bench', 'hello-world.js'), {}, { readyPath: '/readyz' });
    try {
      for (const [index, connections] of connectionCounts.entries()) {
        const spec = loadSpec(hello.url, 'Bearer hello', wl, 'hot', connections, options.httpSeconds, `hello-c${connections}`);
        if (index === 0 && options.httpWarmupSeconds > 0) await runLoad({ ...spec, seconds: options.httpWarmupSeconds });
        log(`http: hello-world, ${connections} connections for ${options.httpSeconds} s (${since(started)})`);
        runs.push({
          server: 'hello-world',
          set: '-',
          connections,
          honorRetryAfter: false,
          load: await meteredRun(spec, { service: hello.pid }),
        });
      }
    } finally {
      await hello.stop();
    }
    const serviceProfile = profiling?.collect();
    return {
      runs,
      profiles: wl.profiles,
      hotProfiles: wl.hot,
      events: options.httpEvents,
      seedSeconds,
      decisionTimeoutMs: options.service.decisionTimeoutMs,
      logEntryBytes,
      ...(decisionsWithoutHistory && { decisionsWithoutHistory }),
      ...(serviceProfile && { serviceProfile }),
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Ours: hot then cold; at the overload count with clients that wait Retry-After after a 503 (what the
 * contract asks of a client, and what the overload target is measured with), and, on the hot set, again
 * with clients that retry at once (a diagnostic: a storm of refusals, each costing the service a little).
 */
const oursRuns = (connectionCounts: number[]): ['hot' | 'cold', number, boolean][] => {
  const [normal, overload] = connectionCounts as [number, number];
  return [
    ['hot', normal, false],
    ['hot', overload, true],
    ['hot', overload, false],
    ['cold', normal, false],
    ['cold', overload, true],
  ];
};

/** Hot then cold, each at every connection count. */
const sets = (connectionCounts: number[]): ['hot' | 'cold', number][] =>
  (['hot', 'cold'] as const).flatMap((set) => connectionCounts.map((connections) => [set, connections] as ['hot' | 'cold', number]));

function loadSpec(
  url: string,
  authorization: string,
  wl: Workload,
  set: 'hot' | 'cold',
  connections: number,
  seconds: number,
  idPrefix: string,
): LoadSpec {
  return {
    url,
    path: DECISIONS,
    headers: authorization ? { Authorization: authorization } : {},
    body: () => wl.body(set),
    seconds,
    connections,
    idPrefix,
  };
}

/** Before a server's first run (on the hot set): every hot profile decided once, then the warm-up load. */
async function warmUp(spec: LoadSpec, options: BenchOptions, pids: Record<string, number | undefined>, hot: number): Promise<void> {
  await decideHotSetOnce(spec.url, spec.headers?.Authorization ?? '', hot);
  if (options.httpWarmupSeconds === 0) return;
  await runLoad({ ...spec, seconds: options.httpWarmupSeconds, idPrefix: `warmup-${spec.idPrefix}` });
  // Requests the warm-up left behind (answered 503, still being decided) must not weigh on the run.
  await settle(Object.values(pids), options.httpSettleSeconds);
}

/** A run with the CPU each process used during it; `audited` collects what the log audit needs. */
async function meteredRun(spec: LoadSpec, pids: Record<string, number | undefined>, audited?: AuditedRun[]): Promise<MeteredLoad> {
  const meter = cpuMeter(pids);
  const run = await runLoad(spec);
  const load = { ...run.result, cpuSeconds: meter.stop() };
  audited?.push({ idPrefix: spec.idPrefix, statusById: run.statusById, runEnded: new Date(), runSeconds: spec.seconds });
  return load;
}

/** Our service's own embedded database, started by the bench while the service is not running. */
function ownDatabase(
  db: BenchDatabase,
  dir: string,
  sync: BenchOptions['service']['embeddedDbSync'],
): BenchDatabase & { start(): Promise<void> } {
  let running: Awaited<ReturnType<typeof startEmbeddedMongo>> | undefined;
  const quiet = { info: () => undefined };
  const own = {
    ...db,
    kind: 'our embedded database',
    pid: undefined,
    uri: '',
    async start() {
      running = await startEmbeddedMongo(dir, quiet, { sync });
      own.uri = running.uri;
    },
    connect: async (dbName: string) => {
      if (!running) await own.start();
      return connectDatabase(own.uri, dbName);
    },
    async stop() {
      await running?.stop();
      running = undefined;
    },
  };
  return own;
}

async function seed(
  options: BenchOptions,
  ourServer: BenchDatabase,
  ours: string,
  naiveServer: BenchDatabase,
  naive: string,
  log: (line: string) => void,
): Promise<number> {
  const [oursDb, naiveDb] = await Promise.all([ourServer.connect(ours), naiveServer.connect(naive)]);
  try {
    return await seedProfiles(
      options.seed,
      options.httpColdProfiles,
      oursDb.connection.db!.collection('profiles'),
      naiveDb.connection.db!.collection(NAIVE_PROFILES),
      log,
    );
  } finally {
    await Promise.all([oursDb.close(), naiveDb.close()]);
  }
}

/** The mean BSON size of up to SIZE_SAMPLE documents of a collection, in bytes. */
async function meanDocumentBytes(db: BenchDatabase, dbName: string, collection: string): Promise<number> {
  const database = await db.connect(dbName);
  try {
    const docs = await database.connection.db!.collection(collection).find({}).limit(SIZE_SAMPLE).toArray();
    if (docs.length === 0) return Number.NaN;
    return docs.reduce((sum, doc) => sum + mongoose.mongo.BSON.calculateObjectSize(doc), 0) / docs.length;
  } finally {
    await database.close();
  }
}

/**
 * Waits until the processes are idle (decisions answered 503 are still being made and logged after
 * the load stops), for at most `maxSeconds`. Without /proc, it waits two seconds.
 */
async function settle(pids: (number | undefined)[], maxSeconds: number): Promise<void> {
  const busy = (): number => pids.reduce<number>((sum, pid) => sum + (pid === undefined ? 0 : (cpuSeconds(pid) ?? Number.NaN)), 0);
  let before = busy();
  if (Number.isNaN(before)) return sleep(2000);
  for (let waited = 0; waited < maxSeconds; waited += 1) {
    await sleep(1000);
    const now = busy();
    if (now - before < 0.05) return;
    before = now;
  }
}
