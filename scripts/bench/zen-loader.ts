import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/repo-root.js';

/** The part of @gorules/zen-engine the benchmark uses. */
export interface ZenDecisionLike {
  evaluate(input: Record<string, unknown>): Promise<{ result: unknown }>;
}
export interface ZenEngineLike {
  createDecision(content: object): ZenDecisionLike;
  dispose(): void;
}

const ZEN_PACKAGE = '@gorules/zen-engine@0.54.0';

/**
 * Loads zen, installing it (without saving) on first use. It is not a dependency: the registry this
 * project installs from serves only some of its platform binaries, so a lock file that lists it can
 * never satisfy `npm ci`, and only the benchmark needs it.
 */
export function loadZenEngine(): new () => ZenEngineLike {
  const load = () => createRequire(path.join(REPO_ROOT, 'package.json'))('@gorules/zen-engine') as { ZenEngine: new () => ZenEngineLike };
  try {
    return load().ZenEngine;
  } catch {
    console.log(`[bench] installing ${ZEN_PACKAGE} for this run (npm install --no-save)`);
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', ZEN_PACKAGE], { cwd: REPO_ROOT, stdio: 'inherit' });
    return load().ZenEngine;
  }
}
