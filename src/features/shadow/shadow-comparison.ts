import { composeDecision, type Thresholds } from '../../engine/decision-outcome.js';
import type { RulesetEvaluation, RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import { markSnoozed } from '../../engine/snoozed-rules.js';
import { computeFacts, factsReadingHistory } from '../../facts/fact-library.js';
import type { ShadowObservation } from './shadow-evaluation.js';
import { differences, type ShadowTally } from './shadow-tally.js';

/**
 * Evaluates the shadow version on one logged decision's facts, composes the decision it would have given
 * (the other rulesets' evaluations unchanged) and counts the differences. Never throws: a failure is
 * counted and returned, for the caller to log; the decision was answered long before.
 */
export async function compareWithShadow(
  observation: ShadowObservation,
  active: RulesetEvaluation,
  shadow: RulesetEvaluator,
  tally: ShadowTally,
  thresholds: Thresholds,
): Promise<Error | undefined> {
  try {
    const facts = factsFor(shadow, observation);
    if (!facts) {
      tally.skipped();
      return undefined;
    }
    const evaluation = await shadow.evaluate(facts, observation.context.eventTime, observation.lists);
    if (observation.snoozed) markSnoozed([evaluation], observation.snoozed);
    const evaluations = observation.evaluations.map((each) => (each === active ? evaluation : each));
    const composed = composeDecision(evaluations, thresholds);
    tally.record(observation.decisionId, active, evaluation, differences(observation.composed, composed), observation.evaluatedAt);
    return undefined;
  } catch (error) {
    tally.failed();
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * The decision's facts plus those only the shadow reads, computed from the same context; undefined when
 * one of those reads a history the decision did not look up (that would take a database read).
 */
function factsFor(evaluator: RulesetEvaluator, observation: ShadowObservation): Record<string, unknown> | undefined {
  const missing = [...evaluator.factNames].filter((name) => !observation.factNames.has(name));
  if (missing.length === 0) return observation.facts;
  if (factsReadingHistory(missing, 'applications').length > 0 && observation.context.history.applicationsLast24h === undefined) {
    return undefined;
  }
  return { ...observation.facts, ...computeFacts(observation.context, missing) };
}
