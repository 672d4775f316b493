import type { Logger } from '../../logging/logger.js';
import { snoozesOf, type ProfileStore } from '../../features/profiles/profile-store.js';
import { snoozesHolding } from '../../features/snoozes/snoozes.js';
import type { TagDetail } from '../../features/profiles/profile-schema.js';
import type { RulesetRuntime } from '../../features/rulesets/ruleset-runtime.js';
import { buildFactContext, computeFacts } from '../../facts/fact-library.js';
import type { Thresholds } from '../../engine/decision-outcome.js';
import { evaluateDecision } from '../../engine/evaluate-decision.js';
import { nextTags } from '../../features/decisions/profile-tagger.js';
import type { JobStore } from '../job-store.js';
import type { JobContext, JobCounts, JobDefinition } from '../scheduler.js';
import { tagChange, type RetagChangeStore, type TagChange } from '../retag-change-store.js';

const BATCH_SIZE = 500;
const PROGRESS_EVERY_MS = 10_000;
const STATE_KEY = 'retag';

/** Where an interrupted sweep stands, so the next run resumes after the last finished batch. */
interface RetagCheckpoint extends Record<string, unknown> {
  runId: string;
  at: string;
  lastProfileId: string | null;
  processed: number;
  changed: number;
}

export interface RetagDeps {
  profiles: ProfileStore;
  runtime: RulesetRuntime;
  jobs: JobStore;
  logger: Logger;
  thresholds: Thresholds;
  /** Where each run records who gained or lost which tag. */
  changes?: RetagChangeStore;
}

/**
 * Re-evaluates the active tagging rulesets over every profile, in id order and in batches (constant
 * memory), writes the tags that changed in one bulk write per batch, and checkpoints after each batch.
 * A run that finds an unfinished checkpoint resumes from it without redoing finished batches.
 */
export function retagJob(deps: RetagDeps, schedule: string): JobDefinition {
  return {
    name: 'retag',
    description: 'Re-evaluates the active tagging rulesets over every profile and updates changed tags',
    schedule,
    run: (context) => retag(deps, context),
  };
}

export async function retag(deps: RetagDeps, context: JobContext): Promise<JobCounts> {
  const rulesets = deps.runtime.activeRulesets().filter((ruleset) => ruleset.identity.kind === 'tagging');
  const evaluated = new Set(rulesets.map((ruleset) => ruleset.identity.id));
  const factNames = new Set(rulesets.flatMap((ruleset) => [...ruleset.factNames]));
  const resumed = await deps.jobs.getState<RetagCheckpoint>(STATE_KEY);
  const checkpoint: RetagCheckpoint = resumed ?? {
    runId: context.runId,
    at: context.startedAt.toISOString(),
    lastProfileId: null,
    processed: 0,
    changed: 0,
  };
  const at = new Date(checkpoint.at);
  const total = await deps.profiles.count();
  const started = Date.now();
  const processedBefore = checkpoint.processed;
  let lastLog = started;
  let batches = 0;
  let changeBatches = 0;
  if (resumed) deps.logger.info('retag resuming', { fromRun: resumed.runId, processed: resumed.processed });

  for await (const profiles of deps.profiles.batchesAfter(checkpoint.lastProfileId ?? undefined, BATCH_SIZE)) {
    if (context.signal.aborted) throw new Error('retag: stopped by shutdown; the next run resumes from the checkpoint');
    const updates: { profileId: string; tags: TagDetail[] }[] = [];
    const changes: TagChange[] = [];
    for (const profile of profiles) {
      const event = { type: 'retag', at: checkpoint.at };
      const facts = computeFacts(buildFactContext(profile, event, {}), factNames);
      // A tag rule snoozed for the profile yields no tag here either.
      const snoozed = snoozesHolding(snoozesOf(profile), at, rulesets)?.rules;
      const { composed } = await evaluateDecision(rulesets, facts, at, deps.thresholds, snoozed);
      const tags = nextTags(profile.tagDetails, composed.tagSources, evaluated, at);
      if (!tags) continue;
      updates.push({ profileId: profile.profileId, tags });
      const change = tagChange(profile.profileId, profile.tagDetails, tags);
      if (change) changes.push(change);
    }
    await deps.profiles.bulkSetTags(updates);
    // One insert per batch that changed a tag, after the tags it reports are written.
    if (deps.changes && changes.length > 0) await deps.changes.insertBatch(context.runId, context.startedAt, changeBatches++, changes);
    checkpoint.lastProfileId = profiles[profiles.length - 1]!.profileId;
    checkpoint.processed += profiles.length;
    checkpoint.changed += updates.length;
    await deps.jobs.setState(STATE_KEY, checkpoint);
    batches += 1;
    context.progress(counts(checkpoint, batches, total));
    if (Date.now() - lastLog >= PROGRESS_EVERY_MS) {
      lastLog = Date.now();
      const rate = (checkpoint.processed - processedBefore) / ((lastLog - started) / 1000);
      deps.logger.info('retag progress', {
        processed: checkpoint.processed,
        total,
        perSecond: Math.round(rate),
        etaSeconds: rate > 0 ? Math.round(Math.max(0, total - checkpoint.processed) / rate) : null,
      });
    }
  }
  await deps.jobs.clearState(STATE_KEY);
  return {
    ...counts(checkpoint, batches, total),
    resumedFrom: resumed ? resumed.runId : '',
    rulesets: rulesets.map((r) => `${r.identity.id}@${r.identity.version}`).join(','),
  };
}

/** `total` beside `processed` lets a person (and the console's progress bar) see how far a run is. */
function counts(checkpoint: RetagCheckpoint, batches: number, total: number): JobCounts {
  return { processed: checkpoint.processed, total, changed: checkpoint.changed, batchesThisRun: batches };
}
