import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../../src/config/config.js';
import { REPO_ROOT } from '../../src/config/repo-root.js';

/** The service settings the benchmark itself needs to know (the service it starts reads its own). */
export type BenchServiceSettings = Pick<
  Config,
  'mongodbUri' | 'embeddedDbSync' | 'engine' | 'decisionTimeoutMs' | 'outcome' | 'rulesetPollMs'
>;

/**
 * The benchmark's options, read once from the environment: its own sizes (BENCH_*), and the service
 * settings read by the service's own loadConfig, from the same environment the service it starts
 * inherits, so that both see the same values. The defaults keep a whole run under about six minutes on
 * a two-core machine; every size can be raised (or lowered for a quick look).
 */
export interface BenchOptions {
  /** Which sections run: any of `evaluators`, `http`, `retag`, `shadow` (the default), and `log` (opt-in). */
  sections: ReadonlySet<Section>;
  /** Generated inputs for the in-process comparison. */
  profiles: number;
  /** Timed rounds per engine (the median is reported). */
  rounds: number;
  /** Rounds for the engines that are ~100× slower (json-rules-engine), to bound the run time. */
  slowRounds: number;
  httpSeconds: number;
  httpWarmupSeconds: number;
  httpConnections: number;
  /** The overload runs' connections (the issue's 256). */
  httpOverloadConnections: number;
  /** Profiles seeded: the cold set, picked uniformly; the hot set is the first httpHotProfiles of them. */
  httpColdProfiles: number;
  httpHotProfiles: number;
  /** Distinct events the decision bodies cycle through (every other one a loan application). */
  httpEvents: number;
  retagProfiles: number;
  /** A retag run stops at the first batch boundary this many seconds after its first batch (the time before is fixed). */
  retagRunSeconds: number;
  /** The raw scan baseline reads for at most this long. */
  retagScanSeconds: number;
  /** Entries the log section inserts, seals, verifies and exports. */
  logEntries: number;
  /** After the decision run, how long to wait at most for the service to finish the decisions it still holds. */
  httpSettleSeconds: number;
  /** Diagnostic: also runs the decisions without fraud-alerts (the one ruleset that needs the decision-log history query). */
  httpWithoutHistory: boolean;
  /** Diagnostic: profiles the service of the HTTP section (`node --cpu-prof`, database commands) and summarises it. */
  cpuProfile: boolean;
  seed: number;
  /** Where results.json and results.md are written (default scripts/bench, beside the sources, to be committed). */
  resultsDir: string;
  /**
   * MONGODB_URI (that server instead of an embedded FerretDB), EMBEDDED_DB_SYNC, ENGINE (also for the
   * in-process retag), DECISION_TIMEOUT_MS (reported, not changed), the outcome thresholds.
   */
  service: BenchServiceSettings;
}

export const SECTIONS = ['evaluators', 'http', 'retag', 'shadow', 'log'] as const;
export type Section = (typeof SECTIONS)[number];
/** `log` takes minutes per 100,000 entries on the embedded database: it runs only when asked for. */
const DEFAULT_SECTIONS: Section[] = ['evaluators', 'http', 'retag', 'shadow'];

export function readBenchOptions(env: Record<string, string | undefined> = process.env): BenchOptions {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const sections = (env.BENCH_SECTIONS ?? DEFAULT_SECTIONS.join(','))
    .split(',')
    .map((section) => section.trim())
    .filter(Boolean);
  for (const section of sections) {
    if (!(SECTIONS as readonly string[]).includes(section))
      problems.push(`BENCH_SECTIONS: unknown section "${section}" (known: ${SECTIONS.join(', ')})`);
  }
  const options: BenchOptions = {
    sections: new Set(sections.filter((section): section is Section => (SECTIONS as readonly string[]).includes(section))),
    profiles: int('BENCH_PROFILES', 10_000, 100, 1_000_000),
    rounds: int('BENCH_ROUNDS', 5, 1, 100),
    slowRounds: int('BENCH_SLOW_ROUNDS', 3, 1, 100),
    httpSeconds: int('BENCH_HTTP_SECONDS', 10, 1, 600),
    httpWarmupSeconds: int('BENCH_HTTP_WARMUP_SECONDS', 2, 0, 60),
    httpConnections: int('BENCH_HTTP_CONNECTIONS', 32, 1, 1000),
    httpOverloadConnections: int('BENCH_HTTP_OVERLOAD_CONNECTIONS', 256, 1, 5000),
    httpColdProfiles: int('BENCH_HTTP_COLD_PROFILES', 100_000, 1, 10_000_000),
    httpHotProfiles: int('BENCH_HTTP_HOT_PROFILES', 2000, 1, 10_000_000),
    httpEvents: int('BENCH_HTTP_EVENTS', 400, 1, 100_000),
    retagProfiles: int('BENCH_RETAG_PROFILES', 50_000, 100, 5_000_000),
    retagRunSeconds: int('BENCH_RETAG_RUN_SECONDS', 10, 1, 36_000),
    retagScanSeconds: int('BENCH_RETAG_SCAN_SECONDS', 5, 1, 36_000),
    logEntries: int('BENCH_LOG_ENTRIES', 100_000, 100, 10_000_000),
    httpWithoutHistory: env.BENCH_HTTP_WITHOUT_HISTORY === '1',
    httpSettleSeconds: int('BENCH_HTTP_SETTLE_SECONDS', 8, 0, 600),
    cpuProfile: env.BENCH_CPU_PROFILE === '1' || env.BENCH_CPU_PROFILE === 'true',
    seed: int('BENCH_SEED', 20261121, 0, 2 ** 31 - 1),
    resultsDir: path.resolve(env.BENCH_RESULTS_DIR || path.join(REPO_ROOT, 'scripts', 'bench')),
    service: serviceSettings(env, problems),
  };
  if (problems.length > 0) throw new Error(`bench: invalid settings:\n  - ${problems.join('\n  - ')}`);
  return options;
}

/** The settings as the service reads them; a setting the service would refuse is one more problem listed. */
function serviceSettings(env: Record<string, string | undefined>, problems: string[]): BenchServiceSettings {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
    // Never used: readBenchOptions throws with every problem listed, the service's among them.
    config = loadConfig({});
  }
  const { mongodbUri, embeddedDbSync, engine, decisionTimeoutMs, outcome, rulesetPollMs } = config;
  return { mongodbUri, embeddedDbSync, engine, decisionTimeoutMs, outcome, rulesetPollMs };
}
