/**
 * `npm run bench`: in one run on one machine, (1) the evaluators in-process (`compiled`, ours, against
 * `jre-default`, `jre-dot-path` and `zen`), (2) POST /v1/decisions over HTTP, ours beside a naive
 * Express + mongoose + json-rules-engine service and an Express hello-world, hot and cold profiles, 32
 * and 256 connections, (3) the retag job against a raw scan, each against its baseline measured in the
 * same run; then issue 15's targets, met or missed. Prints a table per section and writes every figure, with the machine and date, to
 * scripts/bench/results.json (and the tables to results.md). Diagnostics that explain the figures
 * (CPU profile, database commands, query plans, a run without the history read) are in bench/diagnostics.
 *
 * (4) the CPU a shadow evaluation adds per decision (runs with and without a shadow of customer-tags).
 * Opt-in, (5) the decision log at scale: insert, seal, verify and export BENCH_LOG_ENTRIES (100,000).
 *
 * Settings (environment; read by bench/bench-options.ts): BENCH_SECTIONS=evaluators,http,retag,shadow (add `log`);
 * BENCH_PROFILES (10000), BENCH_ROUNDS (5), BENCH_SLOW_ROUNDS (3); BENCH_HTTP_SECONDS (10),
 * BENCH_HTTP_CONNECTIONS (32), BENCH_HTTP_WARMUP_SECONDS (2), BENCH_HTTP_SETTLE_SECONDS (8),
 * BENCH_HTTP_OVERLOAD_CONNECTIONS (256), BENCH_HTTP_HOT_PROFILES (2000), BENCH_HTTP_COLD_PROFILES (100000),
 * BENCH_HTTP_EVENTS (400); BENCH_RETAG_PROFILES (50000),
 * BENCH_RETAG_RUN_SECONDS (10: a run stops that long after its first batch; the whole run is then
 * projected), BENCH_RETAG_SCAN_SECONDS (5); BENCH_LOG_ENTRIES (100000); BENCH_SEED; BENCH_RESULTS_DIR (scripts/bench). Diagnostics:
 * BENCH_CPU_PROFILE=1 profiles the service (CPU and database commands), BENCH_HTTP_WITHOUT_HISTORY=1
 * adds a run without fraud-alerts. The service's own settings (MONGODB_URI uses that server instead of
 * starting the embedded FerretDB, EMBEDDED_DB_SYNC, ENGINE, DECISION_TIMEOUT_MS, ...) are read as the
 * service reads them.
 */
import path from 'node:path';
import { REPO_ROOT } from '../src/config/repo-root.js';
import { startBenchDatabase, type BenchDatabase } from './bench/bench-database.js';
import { readBenchOptions } from './bench/bench-options.js';
import { benchEvaluators, evaluatorTables, type EvaluatorResults } from './bench/evaluator-bench.js';
import { benchHttp, httpTables, type HttpResults } from './bench/http-bench.js';
import { stopAllChildren } from './bench/child-process.js';
import { describeMachine } from './bench/machine.js';
import { writeResults } from './bench/results-file.js';
import { benchRetag, retagTables, type RetagResults } from './bench/retag-bench.js';
import { benchLog, logTables, type LogResults } from './bench/log-bench.js';
import { benchShadow, shadowTables, type ShadowResults } from './bench/shadow-bench.js';
import { formatTable, type Table } from './bench/table.js';
import { checkTargets, targetsTable } from './bench/targets.js';
import { nowMs, since } from './bench/timing.js';

async function main(): Promise<void> {
  const options = readBenchOptions();
  const machine = describeMachine();
  const started = nowMs();
  const log = (line: string) => console.log(`[bench ${since(started)}] ${line}`);
  log(
    `${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadAverage1m}; sections: ${[...options.sections].join(', ')}`,
  );

  const tables: Table[] = [];
  const show = (sectionTables: Table[]) => {
    for (const table of sectionTables) console.log(formatTable(table));
    tables.push(...sectionTables);
  };
  const results: { evaluators?: EvaluatorResults; http?: HttpResults; retag?: RetagResults; shadow?: ShadowResults; log?: LogResults } = {};

  if (options.sections.has('evaluators')) {
    results.evaluators = await benchEvaluators(options, log);
    show(evaluatorTables(results.evaluators));
  }
  if ((['http', 'retag', 'shadow', 'log'] as const).some((section) => options.sections.has(section))) {
    const db: BenchDatabase = await startBenchDatabase(options.service.mongodbUri, options.service.embeddedDbSync, log);
    log(`database: ${db.kind}`);
    try {
      if (options.sections.has('http')) {
        results.http = await benchHttp(options, db, log);
        show(httpTables(results.http));
      }
      if (options.sections.has('retag')) {
        results.retag = await benchRetag(options, db, log);
        show(retagTables(results.retag));
      }
      if (options.sections.has('shadow')) {
        results.shadow = await benchShadow(options, db, log);
        show(shadowTables(results.shadow));
      }
      if (options.sections.has('log')) {
        results.log = await benchLog(options, db, log);
        show(logTables(results.log));
      }
    } finally {
      await db.stop();
    }
  }

  const targets = checkTargets(results);
  show([targetsTable(targets)]);
  // MONGODB_URI may hold credentials: the results say only whether it was set.
  const service = { ...options.service, mongodbUri: options.service.mongodbUri === undefined ? undefined : '(set)' };
  const settings = { ...options, sections: [...options.sections], resultsDir: path.relative(REPO_ROOT, options.resultsDir), service };
  const figures = { options: settings, ...results, targets, seconds: (nowMs() - started) / 1000 };
  const written = writeResults(options.resultsDir, machine, figures, tables);
  log(`done in ${since(started)}; figures in ${written.json}, tables in ${written.markdown}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n[bench] ${signal}: stopping the processes it started`);
    void stopAllChildren().finally(() => process.exit(130));
  });
}

main().catch(async (error) => {
  console.error(error);
  await stopAllChildren();
  process.exit(1);
});
