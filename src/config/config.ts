import path from 'node:path';
import { REPO_ROOT } from './repo-root.js';

/** The service's settings, read from the environment once at start-up. */
export interface Config {
  port: number;
  host: string;
  /** Set: use that MongoDB server. Unset: start the embedded FerretDB. */
  mongodbUri: string | undefined;
  mongodbDb: string;
  dataDir: string;
  /** Shipped rulesets, published as version 1 on first start. */
  rulesetsDir: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  bootstrapAdminKey: string | undefined;
  /** Publishing refuses a publisher who was the draft's last editor. */
  fourEyes: boolean;
  /** How often an instance polls the rulesets' heads for publishes and rollbacks. */
  rulesetPollMs: number;
  decisionTimeoutMs: number;
  outcome: { declineScore: number; reviewScore: number };
  shutdownGraceMs: number;
}

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

  const declineScore = int('OUTCOME_DECLINE_SCORE', 70, 0, 1_000_000);
  const reviewScore = int('OUTCOME_REVIEW_SCORE', 40, 0, 1_000_000);
  if (reviewScore > declineScore) problems.push('OUTCOME_REVIEW_SCORE must not exceed OUTCOME_DECLINE_SCORE');

  const config: Config = {
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    mongodbUri,
    mongodbDb,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    rulesetsDir: path.resolve(env.RULESETS_DIR || path.join(REPO_ROOT, 'rulesets')),
    logLevel,
    bootstrapAdminKey,
    fourEyes: bool('FOUR_EYES', false),
    rulesetPollMs: int('RULESET_POLL_MS', 1000, 100, 5000),
    decisionTimeoutMs: int('DECISION_TIMEOUT_MS', 200, 10, 60_000),
    outcome: { declineScore, reviewScore },
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 10_000, 0, 120_000),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
