import type { EvidenceKey } from '../../crypto/evidence-key.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import type { DecisionLogStore } from '../../features/decisions/decision-log-store.js';
import type { RetirementRecord, RetirementStore } from '../../features/decisions/retirement-store.js';
import { RETIREMENT_GENESIS_HASH, retirementHashOf } from '../../features/decisions/seal-hash.js';
import type { SealStore } from '../../features/decisions/seal-store.js';
import type { AuditTrail } from '../../features/audit/audit-trail.js';
import { SYSTEM_ACTOR } from '../../features/audit/audit-trail.js';
import type { RetagChangeStore } from '../retag-change-store.js';
import type { JobStore } from '../job-store.js';
import type { SimulationStore } from '../../features/simulation/simulation-store.js';
import type { SimulationEndingStore } from '../../features/simulation/simulation-ending-store.js';
import type { JobDefinition } from '../scheduler.js';
import { DAY_MS } from '../../time/durations.js';
import { VELOCITY_KEEP_MS } from '../../features/decisions/velocity-history.js';

export interface RetentionDeps {
  log: DecisionLogStore;
  seals: SealStore;
  retirements: RetirementStore;
  key: EvidenceKey;
  jobs: JobStore;
  audit: AuditTrail;
  decisionRetentionDays: number;
  jobRunRetentionDays: number;
  simulations: Pick<SimulationStore, 'deleteFinishedBefore'>;
  simulationEndings: Pick<SimulationEndingStore, 'deleteBefore'>;
  simulationRetentionDays: number;
  /** The tag changes of retag runs, removed with the runs. */
  retagChanges?: Pick<RetagChangeStore, 'deleteBefore'>;
  /** The velocity slot records, removed with the log entries holding their slots. */
  velocitySlots?: { deleteBefore(cutoff: Date): Promise<number> };
}

/**
 * Removes the decision log entries of whole seals that ended before the retention period, and job runs
 * and finished simulations older than their own periods. Before removing any entry it writes a retirement
 * record (chained and keyed like a seal) naming the last seal retired, which verify takes as the point
 * before which entries are gone on purpose; the seals themselves stay (their hashes and roots, without
 * their entry lists).
 */
export function retentionJob(deps: RetentionDeps, schedule: string): JobDefinition {
  return {
    name: 'retention',
    description:
      'Removes the entries of whole seals past DECISION_RETENTION_DAYS, job runs past JOB_RUN_RETENTION_DAYS and finished simulations past SIMULATION_RETENTION_DAYS',
    schedule,
    async run(context) {
      const now = context.startedAt.getTime();
      const retirement = await retire(deps, new Date(now - deps.decisionRetentionDays * DAY_MS));
      // Also after a run that died mid-delete: the latest retirement's entries are removed again.
      const decisionsRemoved = retirement ? await deps.log.deleteBefore(retirement.to) : 0;
      if (retirement) {
        // Slot records go with the entries holding their slots, and never while a head may still count their times.
        await deps.velocitySlots?.deleteBefore(new Date(Math.min(retirement.to.getTime(), now - VELOCITY_KEEP_MS)));
        const first = (await deps.retirements.get(retirement.n - 1))?.throughSeal ?? 0;
        for (let seq = first + 1; seq <= retirement.throughSeal; seq++) await deps.seals.dropEntryList(seq);
      }
      const jobRunsRemoved = await deps.jobs.deleteRunsBefore(new Date(now - deps.jobRunRetentionDays * DAY_MS));
      await deps.retagChanges?.deleteBefore(new Date(now - deps.jobRunRetentionDays * DAY_MS));
      const simulationsBefore = new Date(now - deps.simulationRetentionDays * DAY_MS);
      const simulationsRemoved = await deps.simulations.deleteFinishedBefore(simulationsBefore);
      await deps.simulationEndings.deleteBefore(simulationsBefore);
      const removedBefore = retirement?.to.toISOString() ?? null;
      if (decisionsRemoved > 0 || jobRunsRemoved > 0 || simulationsRemoved > 0) {
        await deps.audit.record(
          'retention.removed',
          SYSTEM_ACTOR,
          { kind: 'decision-log', id: 'decision_log' },
          { decisionsRemoved, removedBefore, throughSeal: retirement?.throughSeal ?? null, jobRunsRemoved, simulationsRemoved },
        );
      }
      return {
        decisionsRemoved,
        removedBefore: removedBefore ?? '',
        throughSeal: retirement?.throughSeal ?? 0,
        jobRunsRemoved,
        simulationsRemoved,
      };
    },
  };
}

/** The latest retirement, after writing a new one when more whole seals ended before `horizon`. */
async function retire(deps: RetentionDeps, horizon: Date): Promise<RetirementRecord | undefined> {
  const [latestSeal, previous] = await Promise.all([deps.seals.latest(), deps.retirements.latest()]);
  if (!latestSeal) return previous;
  const retiredThrough = previous?.throughSeal ?? 0;
  const through = (await deps.seals.firstEndingAfter(horizon, retiredThrough + 1, latestSeal.seq)) - 1;
  if (through <= retiredThrough) return previous;
  const seal = await deps.seals.header(through);
  if (!seal) throw new Error(`retention: seal ${through} is missing; nothing retired (verify names the gap)`);
  const record: RetirementRecord = {
    n: (previous?.n ?? 0) + 1,
    throughSeal: through,
    sealHash: seal.hash,
    to: seal.to,
    at: new Date(),
    prevHash: previous?.hash ?? RETIREMENT_GENESIS_HASH,
    keyed: deps.key.keyed,
    hash: '',
  };
  record.hash = retirementHashOf(record, deps.key);
  try {
    await deps.retirements.insert(record);
  } catch (error) {
    // Another instance retired first: its record is the one to follow.
    if (!isDuplicateKey(error)) throw error;
    return deps.retirements.latest();
  }
  return record;
}
