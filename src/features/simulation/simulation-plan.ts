import { conflict, validationFailed } from '../../errors/domain-error.js';
import type { DecisionEvent } from '../../facts/decision-event.js';
import type { Rule, RulesetKind } from '../../engine/rule-schema.js';
import type { EvaluatorFactory, RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import { parseInstant } from '../../time/iso-time.js';
import type { SimulateRequest } from './simulation-schema.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import type { RulesetService } from '../rulesets/ruleset-service.js';

/**
 * A request with everything that could change before or while it runs pinned down when it is
 * accepted: the draft's rules as they were, the active version's number, the template event's time.
 * A background run is stored with its plan, so that whichever instance runs it (again, after a
 * crash) compares exactly what was asked for.
 */
export interface SimulationPlan {
  rulesetId: string;
  candidate: { version: number } | { draft: { kind: RulesetKind; checksum: string; rules: Rule[] } };
  baseline: { version: number };
  against: { profiles: { limit: number; event: DecisionEvent } } | { decisions: { from: string; to: string } };
}

/** The compared sides, compiled. */
export interface Sides {
  candidate: RulesetEvaluator;
  baseline: RulesetEvaluator;
}

/** What a report says it compared, before its counts. */
export interface ReportHeader {
  ruleset: string;
  candidate: { version: number | 'draft'; checksum: string };
  baseline: { version: number; checksum: string };
  against: 'profiles' | 'decisions';
}

/** The logged decisions' time range, read by the one parser of instants; `from` must be before `to` (400). */
export function decisionRange(range: { from: string; to: string }): { from: Date; to: Date } {
  const from = parseInstant(range.from);
  const to = parseInstant(range.to);
  if (!from || !to || from >= to)
    throw validationFailed('from must be before to.', [{ path: '/against/decisions/from', message: 'must be before to' }]);
  return { from, to };
}

/** Turns requests into plans, and plans into the two compiled sides. */
export class SimulationPlanner {
  constructor(private readonly deps: { rulesets: RulesetService; runtime: RulesetRuntime; createEvaluator: EvaluatorFactory }) {}

  /** Validates a request against what exists now (404, 400 for an unknown version, 409 without an active one) and pins it. */
  async plan(
    rulesetId: string,
    request: SimulateRequest,
    now: Date,
  ): Promise<{ plan: SimulationPlan; sides: Sides; header: ReportHeader }> {
    const ruleset = await this.deps.rulesets.require(rulesetId);
    let candidate: SimulationPlan['candidate'];
    if (request.candidate === 'draft') {
      const { checksum, rules } = ruleset.draft;
      candidate = { draft: { kind: ruleset.kind, checksum, rules } };
    } else {
      candidate = { version: await this.existingVersion(rulesetId, request.candidate, '/candidate') };
    }
    let baseline: number;
    if (request.baseline === 'active') {
      const active = this.deps.runtime.activeVersionOf(rulesetId);
      if (!active) throw conflict(`Ruleset ${rulesetId} has no active version to compare with; name a baseline version.`);
      baseline = active.identity.version;
    } else {
      baseline = await this.existingVersion(rulesetId, request.baseline, '/baseline');
    }
    let against: SimulationPlan['against'];
    if ('profiles' in request.against) {
      const { limit, event } = request.against.profiles;
      against = { profiles: { limit, event: { type: 'loan_application', ...event, at: event?.at ?? now.toISOString() } as DecisionEvent } };
    } else {
      decisionRange(request.against.decisions);
      against = { decisions: { ...request.against.decisions } };
    }
    const plan: SimulationPlan = { rulesetId, candidate, baseline: { version: baseline }, against };
    const sides = await this.sides(plan);
    return { plan, sides, header: headerOf(plan, sides) };
  }

  /** The plan's sides, compiled (a published version once per instance, a draft per run). */
  async sides(plan: SimulationPlan): Promise<Sides> {
    const { rulesetId } = plan;
    const candidate =
      'draft' in plan.candidate
        ? this.deps.createEvaluator(
            { id: rulesetId, version: 0, kind: plan.candidate.draft.kind, checksum: plan.candidate.draft.checksum },
            plan.candidate.draft.rules,
          )
        : await this.compiledVersion(rulesetId, plan.candidate.version);
    return { candidate, baseline: await this.compiledVersion(rulesetId, plan.baseline.version) };
  }

  private async existingVersion(rulesetId: string, version: number, path: string): Promise<number> {
    if (!(await this.deps.runtime.version(rulesetId, version)))
      throw validationFailed(`Ruleset ${rulesetId} has no version ${version}.`, [{ path, message: 'no such version' }]);
    return version;
  }

  private async compiledVersion(rulesetId: string, version: number): Promise<RulesetEvaluator> {
    const evaluator = await this.deps.runtime.version(rulesetId, version);
    // Versions are insert-only: one that existed when the run was planned exists when it runs.
    if (!evaluator) throw new Error(`SimulationPlanner: sides() found no version ${version} of ${rulesetId}`);
    return evaluator;
  }
}

function headerOf(plan: SimulationPlan, sides: Sides): ReportHeader {
  return {
    ruleset: plan.rulesetId,
    candidate: {
      version: 'draft' in plan.candidate ? 'draft' : sides.candidate.identity.version,
      checksum: sides.candidate.identity.checksum,
    },
    baseline: { version: sides.baseline.identity.version, checksum: sides.baseline.identity.checksum },
    against: 'profiles' in plan.against ? 'profiles' : 'decisions',
  };
}
