import type { ReasonCatalogue, Rule, RulesetKind } from './rule-schema.js';
import type { ListLookup } from './list-lookup.js';
import type { RuleLayout } from './explanation-layout.js';

/** One leaf condition as evaluated: what the fact was and whether the condition held. */
export interface ConditionExplanation {
  fact: string;
  path?: string;
  operator: string;
  value: unknown;
  factValue: unknown;
  result: boolean;
  /** JSON pointer of the leaf inside the rule, e.g. /conditions/any/1 */
  at: string;
}

/** One rule of one ruleset, fired or not, with every leaf condition. */
export interface RuleExplanation {
  ruleset: string;
  version: number;
  rule: string;
  priority: number;
  fired: boolean;
  event: { type: Rule['event']['type']; params: Record<string, unknown> };
  conditions: ConditionExplanation[];
  /** The rendered `params.message`, for fired rules that have one. */
  message?: string;
  /** Set when a snooze held for this rule and profile: evaluated and explained, but it yields nothing. */
  snoozed?: true;
}

export interface RulesetEvaluation {
  ruleset: string;
  version: number;
  kind: RulesetKind;
  checksum: string;
  /** Every rule, in evaluation order (priority high to low, then as written). */
  rules: RuleExplanation[];
}

export interface RulesetIdentity {
  id: string;
  version: number;
  kind: RulesetKind;
  checksum: string;
  /** The version's principal reasons (code → applicant text); absent when it has none. */
  reasons?: ReasonCatalogue;
}

/** What the decision path needs from a compiled ruleset version, whichever evaluator compiled it. */
export interface RulesetEvaluator {
  readonly identity: RulesetIdentity;
  readonly rules: readonly Rule[];
  /** The facts its rules and messages read: the only ones worth computing for it. */
  readonly factNames: ReadonlySet<string>;
  /** How its explanations are laid out (rules in evaluation order, their leaves): what logged explanations are rebuilt along. */
  readonly layout: readonly RuleLayout[];
  /** `lists`: what `inList` / `notInList` read (none given: every list condition is false). */
  evaluate(facts: Record<string, unknown>, eventTime: Date, lists?: ListLookup): Promise<RulesetEvaluation>;
}

/** Builds the evaluator of one ruleset version (or a draft) from its rules. */
export type EvaluatorFactory = (identity: RulesetIdentity, rules: readonly Rule[]) => RulesetEvaluator;
