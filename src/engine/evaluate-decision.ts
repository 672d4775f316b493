import { composeDecision, type ComposedDecision, type Thresholds } from './decision-outcome.js';
import type { RulesetEvaluation, RulesetEvaluator } from './ruleset-evaluation.js';
import type { ListLookup } from './list-lookup.js';
import { markSnoozed, type SnoozedRules } from './snoozed-rules.js';
import { principalReasons, type PrincipalReason } from './principal-reasons.js';

/** Every ruleset's evaluation, in the order given, and what their fired rules compose to. */
export interface DecisionEvaluation {
  evaluations: RulesetEvaluation[];
  composed: ComposedDecision;
  /** The principal reasons of a decline or review, ranked, before the service's cap (REASONS_MAX). */
  reasons: PrincipalReason[];
}

/**
 * The engine's one step from facts to a decision: evaluates each ruleset over the same computed facts
 * at the event time and composes the outcome. Live decisions, replays, re-tagging, draft tests and
 * simulations all take this step, so they cannot come to different answers on the same input.
 * `snoozed` names the rules snoozed for the profile: they are explained, marked, and yield nothing.
 */
export async function evaluateDecision(
  rulesets: readonly RulesetEvaluator[],
  facts: Record<string, unknown>,
  eventTime: Date,
  thresholds: Thresholds,
  snoozed?: SnoozedRules,
  lists?: ListLookup,
): Promise<DecisionEvaluation> {
  const evaluations = await Promise.all(rulesets.map((ruleset) => ruleset.evaluate(facts, eventTime, lists)));
  if (snoozed && snoozed.size > 0) markSnoozed(evaluations, snoozed);
  const composed = composeDecision(evaluations, thresholds);
  return { evaluations, composed, reasons: principalReasons(rulesets, evaluations, composed.outcome) };
}
