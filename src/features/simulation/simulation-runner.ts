import { buildFactContext, computeFacts, eventTimeOf, factsReadingHistory } from '../../facts/fact-library.js';
import type { DecisionEvent } from '../../facts/decision-event.js';
import type { Thresholds } from '../../engine/decision-outcome.js';
import { TimeSlice } from '../../time/time-slice.js';
import type { ListLookup } from '../../engine/list-lookup.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { DecisionLogStore } from '../decisions/decision-log-store.js';
import { Simulator, type SimulationInput, type SimulationResult } from './simulator.js';
import { decisionRange, type SimulationPlan, type Sides } from './simulation-plan.js';
import type { ReviewLabel } from '../reviews/review-store.js';

/** Analysts' latest labels of the decisions created in a range. */
export interface LabelSource {
  labelsBetween(from: Date, to: Date): Promise<Map<string, ReviewLabel>>;
}
import type { ProtectedFact } from '../../engine/protected-facts.js';
import { FairnessTally } from './fairness.js';

/**
 * Documents read per round trip. Small enough that a page of large profiles (up to 5,000 activity
 * entries, ~0.5 MB each) is not held in memory all at once.
 */
const PAGE = 100;

/** Progress as a run reports it: every input read counts, including logged decisions skipped because erased. */
export type ProgressListener = (done: number) => void;

/** One input, or a logged decision skipped because its facts were erased. */
type Read = { input: SimulationInput } | { skipped: true };

/**
 * Runs a plan: reads its inputs, computes their facts, and compares both sides on each. The work
 * runs inside the service's process, next to decisions: it yields to the event loop every few
 * milliseconds (TimeSlice), so that one input is the longest it holds it, and it stops at its next
 * yield once `signal` is aborted (a cancel, a shutdown).
 */
export class SimulationRunner {
  constructor(
    private readonly deps: {
      profiles: ProfileStore;
      log: DecisionLogStore;
      thresholds: Thresholds;
      /** What list conditions read: the lists as they are when a simulation starts. */
      lists?: { view(): ListLookup };
      reviews?: LabelSource;
      /** Outcomes are grouped by each (PROTECTED_FACTS). */
      protectedFacts?: readonly ProtectedFact[];
    },
  ) {}

  /** How many inputs the plan reads (as of now: profiles and decisions may come and go while it runs). */
  async countInputs(plan: SimulationPlan): Promise<number> {
    if ('profiles' in plan.against) return Math.min(plan.against.profiles.limit, await this.deps.profiles.count());
    const { from, to } = decisionRange(plan.against.decisions);
    return this.deps.log.countBetween(from, to);
  }

  /**
   * The result with the profile ids of examples whose profile was erased while the run went on set to
   * null: a report stored after an erasure must not bring the id back (erasure scrubs reports stored before).
   */
  async withoutErased(result: SimulationResult): Promise<SimulationResult> {
    const examples = [];
    for (const example of result.examples) {
      const { profileId } = example.input;
      const gone = typeof profileId === 'string' && !(await this.deps.profiles.get(profileId));
      examples.push(gone ? { ...example, input: { ...example.input, profileId: null } } : example);
    }
    return { ...result, examples };
  }

  async run(
    plan: SimulationPlan,
    sides: Sides,
    options: { signal?: AbortSignal; onProgress?: ProgressListener } = {},
  ): Promise<{ result: SimulationResult; notes: string[] }> {
    const simulator = new Simulator(sides.candidate, sides.baseline, this.deps.thresholds, this.deps.lists?.view());
    const fairness = new FairnessTally(this.deps.protectedFacts ?? []);
    const factNames = simulator.factNames();
    const notes: string[] = [];
    const slice = new TimeSlice(undefined, options.signal);
    const reads =
      'profiles' in plan.against
        ? this.profileInputs(plan.against.profiles, new Set([...factNames, ...fairness.factNames()]), notes, slice)
        : this.decisionInputs(plan.against.decisions, factNames, notes, simulator);
    let done = 0;
    for await (const read of reads) {
      if ('input' in read) {
        const { before, after } = await simulator.add(read.input);
        fairness.add(read.input.facts, before.outcome, after.outcome);
      }
      done += 1;
      options.onProgress?.(done);
      await slice.pause();
    }
    const { report, missing } = fairness.finish();
    if (missing.length > 0) {
      notes.push(`No input carries ${missing.join(', ')}: no outcome rates by ${missing.length === 1 ? 'that group' : 'those groups'}.`);
    }
    return { result: { ...simulator.finish(), fairness: report }, notes };
  }

  private async *profileInputs(
    options: { limit: number; event: DecisionEvent },
    factNames: Set<string>,
    notes: string[],
    slice: TimeSlice,
  ): AsyncGenerator<Read> {
    const unknowable = factsReadingHistory(factNames);
    if (unknowable.length > 0) {
      notes.push(
        `${unknowable.join(', ')} ${unknowable.length === 1 ? 'is' : 'are'} absent for profile inputs (no decision history is consulted).`,
      );
    }
    let read = 0;
    for await (const profile of this.deps.profiles.streamAfter(undefined, Math.min(PAGE, options.limit))) {
      // Reading a large profile costs about as much as evaluating it: a chance to yield in between.
      await slice.pause();
      const context = buildFactContext(profile, options.event, {});
      // One fact at a time: over 5,000 activity entries, a single fact can take several milliseconds.
      const facts: Record<string, unknown> = {};
      for (const name of factNames) {
        Object.assign(facts, computeFacts(context, [name]));
        await slice.pause();
      }
      yield { input: { ref: { profileId: profile.profileId }, facts, eventTime: context.eventTime } };
      read += 1;
      if (read >= options.limit) return;
    }
  }

  /** Logged decisions reuse their logged facts, so the comparison is exact for the facts that were logged. */
  private async *decisionInputs(
    range: { from: string; to: string },
    factNames: Set<string>,
    notes: string[],
    simulator: Simulator,
  ): AsyncGenerator<Read> {
    let masked = 0;
    const { from, to } = decisionRange(range);
    // Read once up front: labels are made by people, far fewer than decisions.
    const labels = this.deps.reviews ? await this.deps.reviews.labelsBetween(from, to) : new Map<string, ReviewLabel>();
    if (this.deps.reviews) simulator.countLabels();
    const seen = new Set<string>();
    for await (const record of this.deps.log.stream(decisionRange(range))) {
      if (!record.personal) {
        masked += 1;
        yield { skipped: true };
        continue;
      }
      for (const name of Object.keys(record.personal.facts)) seen.add(name);
      yield {
        input: {
          ref: { decisionId: record.core.decisionId, profileId: record.personal.profileId },
          facts: record.personal.facts,
          eventTime: eventTimeOf(record.personal.request.event as DecisionEvent),
          label: labels.get(record.core.decisionId),
        },
      };
    }
    if (masked > 0) notes.push(`${masked} erased decision(s) skipped: their facts are masked.`);
    const neverLogged = [...factNames].filter((name) => !seen.has(name));
    if (neverLogged.length > 0) notes.push(`Facts never present in the logged inputs (treated as absent): ${neverLogged.join(', ')}.`);
  }
}
