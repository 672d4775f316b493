import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logging/logger.js';
import { conflict, notFound, validationFailed } from '../../errors/domain-error.js';
import { buildFactContext, computeFacts, eventTimeOf, factsReadingHistory } from '../../facts/fact-library.js';
import type { DecisionEvent } from '../../facts/decision-event.js';
import type { Thresholds } from '../../engine/decision-outcome.js';
import type { EvaluatorFactory, RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { DecisionLogStore } from '../decisions/decision-log-store.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import type { RulesetService } from '../rulesets/ruleset-service.js';
import { parseInstant } from '../../time/iso-time.js';
import { Simulator, type SimulationInput, type SimulationResult } from './simulator.js';
import type { SimulationStore } from './simulation-store.js';
import { discloseReport, type FullReport } from './simulation-disclosure.js';
import type { Caller } from '../../auth/roles.js';

const PAGE = 500;

/** Profiles as inputs: the first `limit` in id order, each with the same event (default: a loan application now). */
interface ProfileInputs {
  limit: number;
  event?: Omit<DecisionEvent, 'at'> & { at?: string };
}

export interface SimulateRequest {
  candidate: 'draft' | number;
  baseline: 'active' | number;
  against: { profiles: ProfileInputs } | { decisions: { from: string; to: string } };
}

/** The logged decisions' time range, read by the one parser of instants; `from` must be before `to` (400). */
function decisionRange(range: { from: string; to: string }): { from: Date; to: Date } {
  const from = parseInstant(range.from);
  const to = parseInstant(range.to);
  if (!from || !to || from >= to)
    throw validationFailed('from must be before to.', [{ path: '/against/decisions/from', message: 'must be before to' }]);
  return { from, to };
}

interface Sides {
  candidate: RulesetEvaluator;
  baseline: RulesetEvaluator;
  described: { candidate: { version: number | 'draft'; checksum: string }; baseline: { version: number; checksum: string } };
}

/**
 * "What would this draft change?": evaluates a candidate (the draft or a version) and a baseline
 * (the active or a version) on the same inputs, profiles or logged decisions, and compares.
 * Read-only: nothing a customer would see is written (background runs keep only their own report).
 */
export class SimulationService {
  constructor(
    private readonly deps: {
      rulesets: RulesetService;
      runtime: RulesetRuntime;
      profiles: ProfileStore;
      log: DecisionLogStore;
      store: SimulationStore;
      createEvaluator: EvaluatorFactory;
      thresholds: Thresholds;
      logger: Logger;
      /** Above this many inputs a simulation runs in the background and its result is fetched later. */
      inlineLimit: number;
    },
  ) {}

  /**
   * Answers the report inline, or { simulationId, status: 'running' } when the run is too large.
   * The report shows the caller what simulation-disclosure allows; a stored one keeps everything.
   */
  async simulate(
    rulesetId: string,
    request: SimulateRequest,
    caller: Caller,
    now = new Date(),
  ): Promise<{ inline: boolean; body: object }> {
    const sides = await this.sides(rulesetId, request);
    const total = await this.countInputs(request);
    const header = { ruleset: rulesetId, ...sides.described, against: 'profiles' in request.against ? 'profiles' : 'decisions' };
    if (total <= this.deps.inlineLimit) {
      const { result, notes } = await this.run(sides, request, now);
      return { inline: true, body: discloseReport({ ...header, ...result, notes }, caller) };
    }
    const simulationId = `sim_${randomUUID()}`;
    await this.deps.store.create({
      id: simulationId,
      rulesetId,
      status: 'running',
      progress: { done: 0, total },
      header,
      result: null,
      error: null,
      createdAt: now,
    });
    void this.run(sides, request, now, async (done) => this.deps.store.progress(simulationId, { done, total })).then(
      // Every input was run: done is the count of inputs, which is also the total (inputs may have come or gone since they were counted).
      async ({ result, notes }) =>
        this.deps.store.finish(
          simulationId,
          { ...header, ...(await this.withoutErased(result)), notes },
          { done: result.inputs, total: result.inputs },
        ),
      (error: Error) => {
        this.deps.logger.error('simulation failed', { simulationId, message: error.message });
        return this.deps.store.fail(simulationId, error.message);
      },
    );
    return { inline: false, body: { simulationId, status: 'running', progress: { done: 0, total } } };
  }

  async get(rulesetId: string, simulationId: string, caller: Caller): Promise<object> {
    const simulation = await this.deps.store.get(simulationId);
    if (!simulation || simulation.rulesetId !== rulesetId) throw notFound(`No simulation ${simulationId} of ruleset ${rulesetId}.`);
    return simulation.status === 'succeeded'
      ? {
          simulationId,
          status: simulation.status,
          progress: simulation.progress,
          ...discloseReport(simulation.result as FullReport, caller),
        }
      : { simulationId, status: simulation.status, progress: simulation.progress, error: simulation.error };
  }

  private async sides(rulesetId: string, request: SimulateRequest): Promise<Sides> {
    const ruleset = await this.deps.rulesets.require(rulesetId);
    const version = async (number: number, path: string) => {
      const evaluator = await this.deps.runtime.version(rulesetId, number);
      if (!evaluator) throw validationFailed(`Ruleset ${rulesetId} has no version ${number}.`, [{ path, message: 'no such version' }]);
      return evaluator;
    };
    const candidate =
      request.candidate === 'draft'
        ? this.deps.createEvaluator(
            { id: rulesetId, version: 0, kind: ruleset.kind, checksum: ruleset.draft.checksum },
            ruleset.draft.rules,
          )
        : await version(request.candidate, '/candidate');
    let baseline: RulesetEvaluator;
    if (request.baseline === 'active') {
      const active = this.deps.runtime.activeVersionOf(rulesetId);
      if (!active) throw conflict(`Ruleset ${rulesetId} has no active version to compare with; name a baseline version.`);
      baseline = active;
    } else {
      baseline = await version(request.baseline, '/baseline');
    }
    return {
      candidate,
      baseline,
      described: {
        candidate: { version: request.candidate === 'draft' ? 'draft' : candidate.identity.version, checksum: candidate.identity.checksum },
        baseline: { version: baseline.identity.version, checksum: baseline.identity.checksum },
      },
    };
  }

  /**
   * A report kept in the database names profiles only while they exist: a profile erased while the
   * simulation ran (whose erasure could not reach a report not yet stored) loses its id here.
   */
  private async withoutErased(result: SimulationResult): Promise<SimulationResult> {
    const examples = [];
    for (const example of result.examples) {
      const { profileId } = example.input;
      const gone = typeof profileId === 'string' && !(await this.deps.profiles.get(profileId));
      examples.push(gone ? { ...example, input: { ...example.input, profileId: null } } : example);
    }
    return { ...result, examples };
  }

  private async countInputs(request: SimulateRequest): Promise<number> {
    if ('profiles' in request.against) return Math.min(request.against.profiles.limit, await this.deps.profiles.count());
    const { from, to } = decisionRange(request.against.decisions);
    return this.deps.log.countBetween(from, to);
  }

  private async run(
    sides: Sides,
    request: SimulateRequest,
    now: Date,
    onProgress?: (done: number) => Promise<void>,
  ): Promise<{ result: SimulationResult; notes: string[] }> {
    const simulator = new Simulator(sides.candidate, sides.baseline, this.deps.thresholds);
    const factNames = simulator.factNames();
    const notes: string[] = [];
    const inputs =
      'profiles' in request.against
        ? this.profileInputs(request.against.profiles, factNames, now, notes)
        : this.decisionInputs(request.against.decisions, factNames, notes);
    for await (const input of inputs) {
      await simulator.add(input);
      if (onProgress && simulator.count % PAGE === 0) await onProgress(simulator.count);
    }
    return { result: simulator.finish(), notes };
  }

  private async *profileInputs(
    options: ProfileInputs,
    factNames: Set<string>,
    now: Date,
    notes: string[],
  ): AsyncGenerator<SimulationInput> {
    const event = { type: 'loan_application', ...options.event, at: options.event?.at ?? now.toISOString() } as DecisionEvent;
    const unknowable = factsReadingHistory(factNames);
    if (unknowable.length > 0) {
      notes.push(
        `${unknowable.join(', ')} ${unknowable.length === 1 ? 'is' : 'are'} absent for profile inputs (no decision history is consulted).`,
      );
    }
    let remaining = options.limit;
    for await (const profiles of this.deps.profiles.batchesAfter(undefined, PAGE)) {
      for (const profile of profiles.slice(0, remaining)) {
        const context = buildFactContext(profile, event, {});
        yield { ref: { profileId: profile.profileId }, facts: computeFacts(context, factNames), eventTime: context.eventTime };
      }
      remaining -= profiles.length;
      if (remaining <= 0) return;
    }
  }

  /** Logged decisions reuse their logged facts, so the comparison is exact for the facts that were logged. */
  private async *decisionInputs(
    range: { from: string; to: string },
    factNames: Set<string>,
    notes: string[],
  ): AsyncGenerator<SimulationInput> {
    let masked = 0;
    const seen = new Set<string>();
    for await (const record of this.deps.log.stream(decisionRange(range))) {
      if (!record.personal) {
        masked += 1;
        continue;
      }
      for (const name of Object.keys(record.personal.facts)) seen.add(name);
      yield {
        ref: { decisionId: record.core.decisionId, profileId: record.personal.profileId },
        facts: record.personal.facts,
        eventTime: eventTimeOf(record.personal.request.event as DecisionEvent),
      };
    }
    if (masked > 0) notes.push(`${masked} erased decision(s) skipped: their facts are masked.`);
    const neverLogged = [...factNames].filter((name) => !seen.has(name));
    if (neverLogged.length > 0) notes.push(`Facts never present in the logged inputs (treated as absent): ${neverLogged.join(', ')}.`);
  }
}
