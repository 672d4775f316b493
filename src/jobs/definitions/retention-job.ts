import type { DecisionLogStore } from '../../features/decisions/decision-log-store.js';
import type { SealStore } from '../../features/decisions/seal-store.js';
import type { AuditTrail } from '../../features/audit/audit-trail.js';
import { SYSTEM_ACTOR } from '../../features/audit/audit-trail.js';
import type { JobStore } from '../job-store.js';
import type { SimulationStore } from '../../features/simulation/simulation-store.js';
import type { JobDefinition } from '../scheduler.js';
import { DAY_MS } from '../../time/durations.js';

export const RETENTION_STATE_KEY = 'retention';

export interface RetentionDeps {
  log: DecisionLogStore;
  seals: SealStore;
  jobs: JobStore;
  audit: AuditTrail;
  decisionRetentionDays: number;
  jobRunRetentionDays: number;
  simulations: Pick<SimulationStore, 'deleteFinishedBefore'>;
  simulationRetentionDays: number;
}

/** Since when the log is complete: entries before this were removed by retention, and verify expects that. */
export async function retainedSince(jobs: JobStore): Promise<Date | undefined> {
  const state = await jobs.getState<{ removedBefore: string }>(RETENTION_STATE_KEY);
  return state ? new Date(state.removedBefore) : undefined;
}

/**
 * Removes decision log entries older than the retention period, but only sealed ones (the seals keep
 * the evidence: ids and hashes), and job runs and finished simulations older than their own periods.
 * What it removed is recorded on its run and in the audit trail.
 */
export function retentionJob(deps: RetentionDeps, schedule: string): JobDefinition {
  return {
    name: 'retention',
    description:
      'Removes sealed decision log entries past DECISION_RETENTION_DAYS, job runs past JOB_RUN_RETENTION_DAYS and finished simulations past SIMULATION_RETENTION_DAYS',
    schedule,
    async run(context) {
      const now = context.startedAt.getTime();
      const latestSeal = await deps.seals.latest();
      const byAge = new Date(now - deps.decisionRetentionDays * DAY_MS);
      const cutoff = latestSeal && latestSeal.to < byAge ? latestSeal.to : latestSeal ? byAge : undefined;
      let decisionsRemoved = 0;
      if (cutoff) {
        // Record the horizon first: if we die mid-delete, verify already knows these may be gone.
        const previous = await retainedSince(deps.jobs);
        if (!previous || previous < cutoff) await deps.jobs.setState(RETENTION_STATE_KEY, { removedBefore: cutoff.toISOString() });
        decisionsRemoved = await deps.log.deleteBefore(cutoff);
      }
      const jobRunsRemoved = await deps.jobs.deleteRunsBefore(new Date(now - deps.jobRunRetentionDays * DAY_MS));
      const simulationsRemoved = await deps.simulations.deleteFinishedBefore(new Date(now - deps.simulationRetentionDays * DAY_MS));
      if (decisionsRemoved > 0 || jobRunsRemoved > 0 || simulationsRemoved > 0) {
        await deps.audit.record(
          'retention.removed',
          SYSTEM_ACTOR,
          { kind: 'decision-log', id: 'decision_log' },
          {
            decisionsRemoved,
            removedBefore: cutoff?.toISOString() ?? null,
            jobRunsRemoved,
            simulationsRemoved,
          },
        );
      }
      return { decisionsRemoved, removedBefore: cutoff?.toISOString() ?? '', jobRunsRemoved, simulationsRemoved };
    },
  };
}
