import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { generateEvent, generateStoredProfile, integer, mulberry32 } from '../../tests/helpers/generators.js';
import type { BenchDatabase } from './bench-database.js';
import type { BenchOptions } from './bench-options.js';
import { cpuMeter, cpuSeconds, startNodeChild } from './child-process.js';
import { auditDecisionLog, type LogAudit } from './decision-log-audit.js';
import { runDecisionsWithoutHistory } from './diagnostics/decisions-without-history.js';
import { serviceProfileTables, serviceProfiling, type ServiceProfile } from './diagnostics/service-profiling.js';
import { runLoad, type LoadResult, type LoadSpec, type MeteredLoad } from './load-run.js';
import { startService } from './service-client.js';
import { fmt, percent, times, type Table } from './table.js';
import { nowMs, since, sleep } from './timing.js';

export interface HttpResults {
  decisions: MeteredLoad;
  /** Diagnostic: the same bodies without fraud-alerts, the one ruleset whose applicationsLast24h fact needs a history read. */
  decisionsWithoutHistory?: MeteredLoad;
  helloWorld: MeteredLoad;
  /** decisions answered 200 per second ÷ hello-world answers 200 per second */
  ratioToHelloWorld: number;
  log: LogAudit;
  profiles: number;
  bodies: number;
  decisionTimeoutMs: number;
  /** Diagnostic (BENCH_CPU_PROFILE=1): the service's CPU profile and database commands. */
  serviceProfile?: ServiceProfile;
}

const DECISIONS = '/v1/decisions';
/** The bulk API takes up to 1,000 profiles and 1 MB a request. */
const BULK_ITEMS = 1000;
const BULK_BYTES = 900_000;

export async function benchHttp(options: BenchOptions, db: BenchDatabase, log: (line: string) => void): Promise<HttpResults> {
  const started = nowMs();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisioning-bench-http-'));
  const inputs = generateHttpInputs(options);
  try {
    const profiling = options.cpuProfile ? serviceProfiling(workDir) : undefined;
    const service = await startService(db, 'http', {
      dataDir: path.join(workDir, 'data'),
      nodeArgs: profiling?.nodeArgs ?? [],
      env: profiling?.env ?? {},
    });
    let decisions: MeteredLoad;
    let decisionsWithoutHistory: MeteredLoad | undefined;
    let audit: LogAudit;
    try {
      log(`http: service ready on ${service.child.url} (${since(started)})`);
      const decideKey = await service.issueKey('bench-loan-system', ['decide']);
      for (const chunk of bulkChunks(inputs.profiles)) {
        const answer = await service.call<{ errors: unknown[] }>('POST', '/v1/profiles/bulk', { profiles: chunk });
        if (answer.errors.length > 0)
          throw new Error(`bench: the bulk upload refused profiles: ${JSON.stringify(answer.errors.slice(0, 3))}`);
      }
      const spec = (idPrefix: string, seconds: number): LoadSpec => ({
        url: service.child.url,
        path: DECISIONS,
        headers: { Authorization: `Bearer ${decideKey}` },
        bodies: inputs.bodies,
        seconds,
        connections: options.httpConnections,
        idPrefix,
      });
      if (options.httpWarmupSeconds > 0) {
        await runLoad(spec('bench-warmup', options.httpWarmupSeconds));
        // Requests the warm-up left behind (answered 503, still being decided) must not weigh on the run.
        await settle([service.child.pid, db.pid], options.httpSettleSeconds);
      }
      log(
        `http: ${options.httpProfiles} profiles seeded, warmed up; decisions under load for ${options.httpSeconds} s (${since(started)})`,
      );
      const meter = cpuMeter({ service: service.child.pid, database: db.pid });
      const run = await runLoad(spec('bench-run', options.httpSeconds));
      decisions = { ...run.result, cpuSeconds: meter.stop() };
      const runEnded = new Date();
      // Decisions answered 503 (or cut off) go on to be made and logged: count once that is done, or nearly.
      await settle([service.child.pid, db.pid], options.httpSettleSeconds);
      audit = await auditDecisionLog(db, service.dbName, 'bench-run', run.statusById, runEnded, options.httpSeconds);
      log(`http: ${audit.logged} log entries of the run matched with ${run.statusById.size} answers (${since(started)})`);
      if (options.httpWithoutHistory) {
        log(`http: diagnostic run without fraud-alerts (no applicationsLast24h) for ${options.httpSeconds} s (${since(started)})`);
        const pids = { service: service.child.pid, database: db.pid };
        decisionsWithoutHistory = await runDecisionsWithoutHistory(spec('bench-nohistory', options.httpSeconds), pids);
      }
    } finally {
      // Its shutdown seals the log (a whole-log read on the embedded database): 10 s, then it is killed;
      // when profiled, it must exit by itself to write its profile.
      await service.child.stop(options.cpuProfile ? 180_000 : 10_000);
    }
    const serviceProfile = profiling?.collect();

    const hello = await startNodeChild(path.join(REPO_ROOT, 'build', 'scripts', 'bench', 'hello-world.js'), {}, { readyPath: '/readyz' });
    let helloWorld: MeteredLoad;
    try {
      const spec: LoadSpec = {
        url: hello.url,
        path: DECISIONS,
        headers: { Authorization: 'Bearer hello' },
        bodies: inputs.bodies,
        seconds: options.httpSeconds,
        connections: options.httpConnections,
        idPrefix: 'hello',
      };
      if (options.httpWarmupSeconds > 0) await runLoad({ ...spec, seconds: options.httpWarmupSeconds });
      log(`http: hello-world under load for ${options.httpSeconds} s (${since(started)})`);
      const meter = cpuMeter({ service: hello.pid });
      const run = await runLoad(spec);
      helloWorld = { ...run.result, cpuSeconds: meter.stop() };
    } finally {
      await hello.stop();
    }
    return {
      decisions,
      ...(decisionsWithoutHistory && { decisionsWithoutHistory }),
      helloWorld,
      ratioToHelloWorld: decisions.okPerSecond / helloWorld.okPerSecond,
      log: audit,
      profiles: options.httpProfiles,
      bodies: options.httpBodies,
      decisionTimeoutMs: options.service.decisionTimeoutMs,
      ...(serviceProfile && { serviceProfile }),
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Waits until the service and the database are idle (decisions answered 503 are still being made and
 * logged after the load stops), for at most `maxSeconds`. Without /proc, it waits two seconds.
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

/** Profiles for the bulk API (as a data feed sends them) and varied decision bodies about them. */
function generateHttpInputs(options: BenchOptions): { profiles: Record<string, unknown>[]; bodies: string[] } {
  const rng = mulberry32(options.seed + 1);
  const profiles = Array.from({ length: options.httpProfiles }, (_, index) => {
    const { createdAt: _createdAt, ...document } = generateStoredProfile(rng);
    return { profileId: `BENCH-${String(index).padStart(6, '0')}`, ...document };
  });
  const bodies = Array.from({ length: options.httpBodies }, () =>
    JSON.stringify({ profileId: profiles[integer(rng, 0, profiles.length - 1)]!.profileId, event: generateEvent(rng) }),
  );
  return { profiles, bodies };
}

function bulkChunks(profiles: readonly Record<string, unknown>[]): Record<string, unknown>[][] {
  const chunks: Record<string, unknown>[][] = [[]];
  let bytes = 0;
  for (const profile of profiles) {
    const size = JSON.stringify(profile).length + 1;
    if (chunks.at(-1)!.length >= BULK_ITEMS || bytes + size > BULK_BYTES) {
      chunks.push([]);
      bytes = 0;
    }
    chunks.at(-1)!.push(profile);
    bytes += size;
  }
  return chunks.filter((chunk) => chunk.length > 0);
}

export function httpTables(results: HttpResults): Table[] {
  const row = (name: string, load: LoadResult, ratio: string) => [
    name,
    fmt(load.okPerSecond),
    fmt(load.requestsPerSecond),
    fmt(load.latencyMs.p50, 1),
    fmt(load.latencyMs.p99, 1),
    fmt(load.latencyMs.max, 0),
    String(load.errors),
    Object.entries(load.statusCodes)
      .map(([code, count]) => `${code}×${count}`)
      .join(' '),
    ratio,
  ];
  const { log } = results;
  const cpu = (load: HttpResults['decisions']) =>
    Object.entries(load.cpuSeconds)
      .map(([name, seconds]) => `${name} ${seconds === undefined ? 'n/a' : `${fmt(seconds / load.seconds, 2)} cores`}`)
      .join(', ');
  return [
    {
      title: `HTTP: autocannon, ${results.decisions.connections} connections, ${results.decisions.seconds} s, POST ${DECISIONS} (${results.bodies} varied bodies over ${results.profiles} profiles)`,
      columns: ['server', '200/s', 'answers/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'status codes', '200/s vs hello-world'],
      rows: [
        row('decision service (all 4 rulesets, logged)', results.decisions, percent(results.ratioToHelloWorld)),
        ...(results.decisionsWithoutHistory
          ? [
              row(
                '  diagnostic: without fraud-alerts (no applicationsLast24h)',
                results.decisionsWithoutHistory,
                percent(results.decisionsWithoutHistory.okPerSecond / results.helloWorld.okPerSecond),
              ),
            ]
          : []),
        row('Express hello-world (own process)', results.helloWorld, times(1)),
      ],
      notes: [
        `decision log: ${log.answered200} answered 200, ${log.answered200AndLogged} of them logged, ${log.answered200NotLogged} answered without a log entry; ${log.logged} entries for the run in all (${log.loggedInFlightAtEnd} in flight when the load stopped, ${log.loggedAnsweredOther} answered with another status, ${log.loggedAfterRunEnded} written after the load stopped); ${log.answeredOtherNotLogged} answered 503 not logged (yet) when counted`,
        `decisions made and logged while the load ran: ${fmt(log.loggedDuringRunPerSecond)}/s = ${percent(log.loggedDuringRunPerSecond / results.helloWorld.okPerSecond)} of hello-world (the capacity; those finished after the budget were answered 503)`,
        `the decide use case's own time (from the log): total p50 ${fmt(log.serverTimingsMs.total.p50, 2)} / p99 ${fmt(log.serverTimingsMs.total.p99, 2)} ms, facts p50 ${fmt(log.serverTimingsMs.facts.p50, 2)} ms, evaluation p50 ${fmt(log.serverTimingsMs.evaluate.p50, 3)} ms (before the log write)`,
        `CPU during the decision run: ${cpu(results.decisions)}`,
        `CPU during the hello-world run: ${cpu(results.helloWorld)}`,
        'latencies are of every answer, 503s included; "answers/s" counts every status, "200/s" only decisions made',
        `errors = connection errors + non-2xx answers (503 when a decision misses the ${results.decisionTimeoutMs} ms budget); timeouts (10 s) are connection errors`,
      ],
    },
    ...(results.serviceProfile ? serviceProfileTables('the service (start-up, warm-up and runs)', results.serviceProfile) : []),
  ];
}
