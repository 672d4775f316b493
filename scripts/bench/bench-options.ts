import { loadConfig, type EmbeddedDbSync } from '../../src/config/config.js';

/**
 * The benchmark's sizes, read once from the environment. The defaults keep a whole run under about
 * six minutes on a two-core machine; every size can be raised (or lowered for a quick look).
 */
export interface BenchOptions {
  /** Which sections run: any of `evaluators`, `http`, `retag`. */
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
  /** Profiles the HTTP run decides about, and distinct decision bodies it cycles through. */
  httpProfiles: number;
  httpBodies: number;
  retagProfiles: number;
  /** A retag run stops at the first batch boundary this many seconds after its first batch (the time before is fixed). */
  retagRunSeconds: number;
  /** The raw scan baseline reads for at most this long. */
  retagScanSeconds: number;
  /** After the decision run, how long to wait at most for the service to finish the decisions it still holds. */
  httpSettleSeconds: number;
  /** Also runs the decisions without fraud-alerts (the one ruleset that needs the decision-log history query). */
  httpWithoutHistory: boolean;
  /** Writes a CPU profile of the service (`node --cpu-prof`) during the HTTP and retag runs and summarises it. */
  cpuProfile: boolean;
  /** The service's DECISION_TIMEOUT_MS (it inherits our environment): reported, not changed. */
  serviceDecisionTimeoutMs: number;
  /** Use this MongoDB instead of starting the embedded FerretDB. */
  mongodbUri: string | undefined;
  /** The embedded database's commit durability, as the service's EMBEDDED_DB_SYNC (default normal). */
  embeddedDbSync: EmbeddedDbSync;
  seed: number;
}

export const SECTIONS = ['evaluators', 'http', 'retag'] as const;
export type Section = (typeof SECTIONS)[number];

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
  const sections = (env.BENCH_SECTIONS ?? SECTIONS.join(','))
    .split(',')
    .map((section) => section.trim())
    .filter(Boolean);
  for (const section of sections) {
    if (!(SECTIONS as readonly string[]).includes(section)) problems.push(`BENCH_SECTIONS: unknown section "${section}" (known: ${SECTIONS.join(', ')})`);
  }
  const options: BenchOptions = {
    sections: new Set(sections.filter((section): section is Section => (SECTIONS as readonly string[]).includes(section))),
    profiles: int('BENCH_PROFILES', 10_000, 100, 1_000_000),
    rounds: int('BENCH_ROUNDS', 5, 1, 100),
    slowRounds: int('BENCH_SLOW_ROUNDS', 3, 1, 100),
    httpSeconds: int('BENCH_HTTP_SECONDS', 10, 1, 600),
    httpWarmupSeconds: int('BENCH_HTTP_WARMUP_SECONDS', 2, 0, 60),
    httpConnections: int('BENCH_HTTP_CONNECTIONS', 32, 1, 1000),
    httpProfiles: int('BENCH_HTTP_PROFILES', 1000, 1, 1000),
    httpBodies: int('BENCH_HTTP_BODIES', 400, 1, 100_000),
    retagProfiles: int('BENCH_RETAG_PROFILES', 50_000, 100, 5_000_000),
    retagRunSeconds: int('BENCH_RETAG_RUN_SECONDS', 10, 1, 36_000),
    retagScanSeconds: int('BENCH_RETAG_SCAN_SECONDS', 5, 1, 36_000),
    httpWithoutHistory: env.BENCH_HTTP_WITHOUT_HISTORY === '1',
    httpSettleSeconds: int('BENCH_HTTP_SETTLE_SECONDS', 8, 0, 600),
    cpuProfile: env.BENCH_CPU_PROFILE === '1' || env.BENCH_CPU_PROFILE === 'true',
    serviceDecisionTimeoutMs: int('DECISION_TIMEOUT_MS', 200, 10, 60_000),
    mongodbUri: env.MONGODB_URI || undefined,
    embeddedDbSync: loadConfig({ EMBEDDED_DB_SYNC: env.EMBEDDED_DB_SYNC }).embeddedDbSync,
    seed: int('BENCH_SEED', 20261121, 0, 2 ** 31 - 1),
  };
  if (problems.length > 0) throw new Error(`bench: invalid settings:\n  - ${problems.join('\n  - ')}`);
  return options;
}
