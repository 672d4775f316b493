import { keyedByClient } from '../../json/object-keys.js';
import { yieldedNames, type Thresholds, type YieldedNames } from '../../engine/decision-outcome.js';
import { evaluateDecision } from '../../engine/evaluate-decision.js';
import type { ListLookup } from '../../engine/list-lookup.js';
import type { RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import { OUTCOMES, type Outcome } from '../../engine/rule-schema.js';
import { LabelCounter, type LabelReport } from './label-counts.js';
import type { ReviewLabel } from '../reviews/review-store.js';
import type { FairnessReport } from './fairness.js';

/** One input to compare both sides on: facts already computed (or taken from the log) and the event time. */
export interface SimulationInput {
  ref: { profileId?: string | null; decisionId?: string };
  facts: Record<string, unknown>;
  eventTime: Date;
  /** A logged decision's latest review label, when an analyst labelled it. */
  label?: ReviewLabel;
}

type Side = YieldedNames;

export interface SimulationResult {
  inputs: number;
  changed: { any: number; outcome: number; tags: number; products: number; alerts: number };
  /** The outcome spread: how many inputs end in each outcome under baseline and candidate. */
  outcomes: { baseline: Record<Outcome, number>; candidate: Record<Outcome, number> };
  /** Per rule (of either side): in how many inputs it fired under baseline and candidate. */
  rules: { rule: string; baseline: number; candidate: number }[];
  /** Per tag / alert code / product: inputs yielding it under candidate minus under baseline. */
  deltas: { tags: Record<string, number>; alerts: Record<string, number>; products: Record<string, number> };
  examples: { input: SimulationInput['ref']; before: Side; after: Side }[];
  /** Against logged decisions: per alert rule, the reviewed decisions it hits with each label. */
  labels?: LabelReport;
  /** Outcome rates by group of each protected attribute (set by the runner; absent on reports stored before). */
  fairness?: FairnessReport;
}

const MAX_EXAMPLES = 20;

const noOutcomes = (): Record<Outcome, number> => Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((item) => b.includes(item));

/**
 * Evaluates candidate and baseline on the same inputs and counts what changes. Pure: it reads
 * inputs and writes nothing anywhere.
 */
export class Simulator {
  private readonly result: SimulationResult = {
    inputs: 0,
    changed: { any: 0, outcome: 0, tags: 0, products: 0, alerts: 0 },
    outcomes: { baseline: noOutcomes(), candidate: noOutcomes() },
    rules: [],
    // Keyed by the tag, code and product names rule authors chose.
    deltas: { tags: keyedByClient(), alerts: keyedByClient(), products: keyedByClient() },
    examples: [],
  };
  private readonly hits = new Map<string, { baseline: number; candidate: number }>();
  private labels: LabelCounter | undefined;

  constructor(
    private readonly candidate: RulesetEvaluator,
    private readonly baseline: RulesetEvaluator,
    private readonly thresholds: Thresholds,
    /** The lists as they are when the simulation starts: both sides read the same. */
    private readonly lists?: ListLookup,
  ) {
    for (const rule of [...baseline.rules, ...candidate.rules]) this.hits.set(rule.name, { baseline: 0, candidate: 0 });
  }

  get count(): number {
    return this.result.inputs;
  }

  /** The facts either side reads: what inputs must provide. */
  factNames(): Set<string> {
    return new Set([...this.candidate.factNames, ...this.baseline.factNames]);
  }

  /** Counts reviewed inputs' labels per alert rule (simulations over logged decisions). */
  countLabels(): void {
    this.labels = new LabelCounter([...this.baseline.rules, ...this.candidate.rules]);
  }

  /** Compares both sides on one input; answers what each yielded. */
  async add(input: SimulationInput): Promise<{ before: Side; after: Side }> {
    const before = await this.side(this.baseline, input, 'baseline');
    const after = await this.side(this.candidate, input, 'candidate');
    if (input.label) this.labels?.reviewed();
    const changed = {
      outcome: before.outcome !== after.outcome,
      tags: !sameSet(before.tags, after.tags),
      products: !sameSet(before.products, after.products),
      alerts: !sameSet(before.alerts, after.alerts),
    };
    this.result.inputs += 1;
    this.result.outcomes.baseline[before.outcome] += 1;
    this.result.outcomes.candidate[after.outcome] += 1;
    for (const key of ['outcome', 'tags', 'products', 'alerts'] as const) if (changed[key]) this.result.changed[key] += 1;
    const any = Object.values(changed).some(Boolean);
    if (any) {
      this.result.changed.any += 1;
      if (this.result.examples.length < MAX_EXAMPLES) this.result.examples.push({ input: input.ref, before, after });
    }
    for (const key of ['tags', 'alerts', 'products'] as const) {
      const deltas = this.result.deltas[key];
      for (const name of before[key]) deltas[name] = (deltas[name] ?? 0) - 1;
      for (const name of after[key]) deltas[name] = (deltas[name] ?? 0) + 1;
    }
    return { before, after };
  }

  finish(): SimulationResult {
    this.result.rules = [...this.hits].map(([rule, counts]) => ({ rule, ...counts }));
    if (this.labels) this.result.labels = this.labels.report();
    for (const key of ['tags', 'alerts', 'products'] as const) {
      const deltas = this.result.deltas[key];
      for (const name of Object.keys(deltas)) if (deltas[name] === 0) delete deltas[name];
    }
    return this.result;
  }

  private async side(evaluator: RulesetEvaluator, input: SimulationInput, which: 'baseline' | 'candidate'): Promise<Side> {
    const { evaluations, composed } = await evaluateDecision(
      [evaluator],
      input.facts,
      input.eventTime,
      this.thresholds,
      undefined,
      this.lists,
    );
    for (const rule of evaluations[0]!.rules) {
      if (!rule.fired) continue;
      this.hits.get(rule.rule)![which] += 1;
      if (input.label) this.labels?.hit(rule.rule, which, input.label);
    }
    return yieldedNames(composed);
  }
}
