import path from 'node:path';
import cron from 'node-cron';
import { REPO_ROOT } from './repo-root.js';
import { ENGINE_KINDS, type EngineKind } from '../engine/engine-kind.js';
import { parseProtectedFact, PROTECTED_FACT_PATTERN, type ProtectedFact } from '../engine/protected-facts.js';

/** The service's settings, read from the environment once at start-up. */
export interface Config {
  port: number;
  host: string;
  /** Set: use that MongoDB server. Unset: start the embedded FerretDB. */
  mongodbUri: string | undefined;
  mongodbDb: string;
  /**
   * This instance is its database's only client: with the embedded database (it holds the DATA_DIR lock),
   * never with MONGODB_URI. Then what it caches of profiles and erasures is exact.
   */
  databaseExclusive: boolean;
  profileCache: ProfileCacheSettings;
  dataDir: string;
  /**
   * The embedded database's commit durability: `normal` survives a crash of the service or the
   * database process (what MongoDB's default write concern promises), `full` also a power loss.
   */
  embeddedDbSync: EmbeddedDbSync;
  /** Shipped rulesets, published as version 1 on first start. */
  rulesetsDir: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  bootstrapAdminKey: string | undefined;
  /** Publishing refuses a publisher who was the draft's last editor. */
  fourEyes: boolean;
  /** How often an instance polls the rulesets' heads for publishes and rollbacks. */
  rulesetPollMs: number;
  /** How often an instance writes its shadow-evaluation counts (and what it may lose if it dies). */
  shadowFlushMs: number;
  decisionTimeoutMs: number;
  /** Admission control in front of POST /v1/decisions (src/http/admission.ts). */
  admission: AdmissionSettings;
  /** GET /metrics without a key (for a scraper on a private network); otherwise it needs an admin key. */
  metricsPublic: boolean;
  /** Rule evaluator: `compiled` closures (default) or the `reference` json-rules-engine. */
  engine: EngineKind;
  simulations: SimulationSettings;
  /** Entries younger than this wait for the next seal (in-flight writes of other instances). */
  sealLagMs: number;
  /**
   * The secret that keys the evidence (entry, audit event and seal hashes: HMAC-SHA-256); kept outside
   * the database, so that whoever can write the database cannot recompute the chain. Unset: plain SHA-256.
   */
  decisionSealKey: string | undefined;
  outcome: { declineScore: number; reviewScore: number };
  /** The most principal reasons a decline or review carries. */
  reasonsMax: number;
  /** Facts and fact paths risk and product rules must not read without an acknowledgement; backtests group outcomes by them. */
  protectedFacts: ProtectedFact[];
  shutdownGraceMs: number;
  /**
   * Development and tests: every answer of a route is checked against the schema its spec declares for
   * the status, and a mismatch is answered as a 500 naming it (and logged). Costs a validation per answer.
   */
  responseValidation: boolean;
  jobs: {
    timezone: string;
    leaseMs: number;
    schedules: Record<JobName, string>;
    segmentExportTags: string[];
    decisionRetentionDays: number;
    jobRunRetentionDays: number;
  };
}

/** How many decisions may be in flight, and how long a decision may wait for a place. */
export interface AdmissionSettings {
  /** Off: every decision starts at once and overload shows only as budget overruns (503 after DECISION_TIMEOUT_MS). */
  enabled: boolean;
  /** The adaptive limit's bounds; equal bounds fix it. */
  minLimit: number;
  maxLimit: number;
  /** The longest a decision waits for a place; the queue holds only what the current rate starts within it. */
  queueMs: number;
  maxQueue: number;
  /** A decision slower than this (without its wait) lowers the limit; faster ones while the limit is in use raise it. */
  latencyTargetMs: number;
}

/** Backtests: which answer in the request, and how background runs are queued, leased and kept. */
export interface SimulationSettings {
  /** Simulations over more inputs than this run in the background. */
  inlineLimit: number;
  /** Background runs one instance executes at once; 0: this instance queues runs but leaves them to others. */
  concurrency: number;
  /** Unfinished (queued or running) background runs one API key may have. */
  queuePerKey: number;
  /** A running simulation's lease: when its instance stops renewing it for this long, another instance takes the run over. */
  leaseMs: number;
  /** Finished runs (succeeded, failed, cancelled) older than this are removed by `retention`. */
  retentionDays: number;
}

/** The in-process cache of the profiles decisions read. */
export interface ProfileCacheSettings {
  /** Memory bound of the cached profiles, in MB; 0 turns the cache off. */
  maxMb: number;
  /**
   * On a database other instances share: how long a cached profile may be used after it was read (its
   * staleness bound); undefined leaves the cache off there. Unused on an exclusive database, where the
   * cache is exact.
   */
  maxAgeMs: number | undefined;
}

export const EMBEDDED_DB_SYNC_MODES = ['normal', 'full'] as const;
export type EmbeddedDbSync = (typeof EMBEDDED_DB_SYNC_MODES)[number];

export const JOB_NAMES = ['seal-decisions', 'retag', 'retention', 'daily-report', 'segment-export'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** Default schedules (cron syntax, in JOBS_TIMEZONE); each can be overridden by JOB_<NAME>_SCHEDULE. */
const DEFAULT_SCHEDULES: Record<JobName, string> = {
  'seal-decisions': '* * * * *',
  retag: '0 2 * * *',
  retention: '30 3 * * *',
  'daily-report': '10 0 * * *',
  'segment-export': '0 6 * * *',
};

export const scheduleVariable = (job: JobName): string => `JOB_${job.toUpperCase().replace(/-/g, '_')}_SCHEDULE`;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Config: invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/**
 * Reads and validates every setting at once, so that a misconfigured instance fails at start-up
 * with one readable message listing every problem instead of failing later on a request.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const mongodbUri = env.MONGODB_URI || undefined;
  if (mongodbUri !== undefined && !/^mongodb(\+srv)?:\/\//.test(mongodbUri)) {
    problems.push('MONGODB_URI must start with mongodb:// or mongodb+srv://');
  }
  const mongodbDb = env.MONGODB_DB || 'decisioning';
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(mongodbDb)) problems.push('MONGODB_DB must be 1-63 chars of [A-Za-z0-9_-]');

  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const bootstrapAdminKey = env.BOOTSTRAP_ADMIN_KEY || undefined;
  if (bootstrapAdminKey !== undefined && bootstrapAdminKey.length < 16) {
    problems.push('BOOTSTRAP_ADMIN_KEY must be at least 16 characters');
  }

  const decisionSealKey = env.DECISION_SEAL_KEY || undefined;
  if (decisionSealKey !== undefined && decisionSealKey.length < 32) problems.push('DECISION_SEAL_KEY must be at least 32 characters');

  const declineScore = int('OUTCOME_DECLINE_SCORE', 70, 0, 1_000_000);
  const reviewScore = int('OUTCOME_REVIEW_SCORE', 40, 0, 1_000_000);
  if (reviewScore > declineScore) problems.push('OUTCOME_REVIEW_SCORE must not exceed OUTCOME_DECLINE_SCORE');

  const embeddedDbSync = (env.EMBEDDED_DB_SYNC || 'normal') as EmbeddedDbSync;
  if (!EMBEDDED_DB_SYNC_MODES.includes(embeddedDbSync))
    problems.push(`EMBEDDED_DB_SYNC must be one of ${EMBEDDED_DB_SYNC_MODES.join(', ')}`);
  const engine = (env.ENGINE || 'compiled') as EngineKind;
  if (!ENGINE_KINDS.includes(engine)) problems.push(`ENGINE must be one of ${ENGINE_KINDS.join(', ')}`);

  const decisionTimeoutMs = int('DECISION_TIMEOUT_MS', 200, 10, 60_000);
  const admission: AdmissionSettings = {
    enabled: bool('ADMISSION_CONTROL', true),
    minLimit: int('ADMISSION_MIN_LIMIT', 2, 1, 10_000),
    maxLimit: int('ADMISSION_MAX_LIMIT', 256, 1, 10_000),
    queueMs: int('ADMISSION_QUEUE_MS', Math.floor(decisionTimeoutMs / 2), 0, 60_000),
    maxQueue: int('ADMISSION_MAX_QUEUE', 256, 0, 100_000),
    latencyTargetMs: int('ADMISSION_LATENCY_TARGET_MS', Math.floor(decisionTimeoutMs / 2), 1, 60_000),
  };
  if (admission.minLimit > admission.maxLimit) problems.push('ADMISSION_MIN_LIMIT must not exceed ADMISSION_MAX_LIMIT');

  const schedules = {} as Record<JobName, string>;
  for (const job of JOB_NAMES) {
    const schedule = env[scheduleVariable(job)] || DEFAULT_SCHEDULES[job];
    if (!cron.validate(schedule)) problems.push(`${scheduleVariable(job)} is not a valid cron schedule: "${schedule}"`);
    schedules[job] = schedule;
  }
  const jobsTimezone = env.JOBS_TIMEZONE || 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: jobsTimezone });
  } catch {
    problems.push(`JOBS_TIMEZONE is not an IANA time zone: "${jobsTimezone}"`);
  }
  const segmentExportTags = (env.SEGMENT_EXPORT_TAGS ?? 'high-value')
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
  for (const tag of segmentExportTags) {
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(tag)) problems.push(`SEGMENT_EXPORT_TAGS holds an invalid tag: "${tag}"`);
  }

  const maxAgeMs = int('PROFILE_CACHE_MAX_AGE_MS', 0, 0, 3_600_000);
  const protectedFacts = (env.PROTECTED_FACTS ?? 'basic.gender,age')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of protectedFacts) {
    if (!PROTECTED_FACT_PATTERN.test(entry))
      problems.push(`PROTECTED_FACTS holds an invalid fact or path: "${entry}" (write fact or fact.field)`);
  }

  const config: Config = {
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    mongodbUri,
    mongodbDb,
    databaseExclusive: mongodbUri === undefined,
    profileCache: { maxMb: int('PROFILE_CACHE_MB', 64, 0, 65_536), maxAgeMs: maxAgeMs > 0 ? maxAgeMs : undefined },
    dataDir: path.resolve(env.DATA_DIR || './data'),
    embeddedDbSync,
    rulesetsDir: path.resolve(env.RULESETS_DIR || path.join(REPO_ROOT, 'rulesets')),
    logLevel,
    bootstrapAdminKey,
    fourEyes: bool('FOUR_EYES', false),
    rulesetPollMs: int('RULESET_POLL_MS', 1000, 100, 5000),
    shadowFlushMs: int('SHADOW_FLUSH_MS', 5000, 100, 60_000),
    decisionTimeoutMs,
    admission,
    metricsPublic: bool('METRICS_PUBLIC', false),
    engine,
    simulations: {
      inlineLimit: int('SIMULATION_INLINE_LIMIT', 10_000, 1, 1_000_000),
      concurrency: int('SIMULATION_CONCURRENCY', 1, 0, 16),
      queuePerKey: int('SIMULATION_QUEUE_PER_KEY', 3, 1, 100),
      leaseMs: int('SIMULATION_LEASE_MS', 30_000, 3000, 3_600_000),
      retentionDays: int('SIMULATION_RETENTION_DAYS', 30, 1, 36_500),
    },
    sealLagMs: int('DECISION_SEAL_LAG_MS', 30_000, 0, 3_600_000),
    decisionSealKey,
    outcome: { declineScore, reviewScore },
    reasonsMax: int('REASONS_MAX', 4, 1, 20),
    protectedFacts: protectedFacts.map(parseProtectedFact),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 10_000, 0, 120_000),
    responseValidation: bool('RESPONSE_VALIDATION', false),
    jobs: {
      timezone: jobsTimezone,
      leaseMs: int('JOB_LEASE_MS', 60_000, 3000, 3_600_000),
      schedules,
      segmentExportTags,
      decisionRetentionDays: int('DECISION_RETENTION_DAYS', 1825, 0, 36_500),
      jobRunRetentionDays: int('JOB_RUN_RETENTION_DAYS', 90, 1, 36_500),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
