import type { RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import { snoozedRuleKey, type SnoozedRules } from '../../engine/snoozed-rules.js';

import type { ActiveSnooze } from '../profiles/active-snooze.js';

export type { ActiveSnooze };

/** The snoozes that hold for a decision, and what its log entry records of them. */
export interface HoldingSnoozes {
  rules: SnoozedRules;
  logged: ActiveSnooze[];
}

/**
 * The profile's snoozes that hold at the decision's time (`until` after it) for a rule among those
 * evaluated. Expiry needs no job: a snooze past `until` simply does not hold. Undefined when none
 * holds, which is every decision of a profile without snoozes: they pay one property read.
 */
export function snoozesHolding(
  copy: readonly ActiveSnooze[] | undefined,
  at: Date,
  rulesets: readonly RulesetEvaluator[],
): HoldingSnoozes | undefined {
  if (!copy || copy.length === 0) return undefined;
  const time = at.getTime();
  const logged = copy.filter(
    (snooze) =>
      Date.parse(snooze.until) > time &&
      rulesets.some((ruleset) => ruleset.identity.id === snooze.ruleset && ruleset.rules.some((rule) => rule.name === snooze.rule)),
  );
  if (logged.length === 0) return undefined;
  return { rules: new Set(logged.map((snooze) => snoozedRuleKey(snooze.ruleset, snooze.rule))), logged };
}

/** The rules a logged decision had snoozed, for its replay. */
export function loggedSnoozedRules(logged: readonly ActiveSnooze[] | undefined): SnoozedRules | undefined {
  return logged && logged.length > 0 ? new Set(logged.map((snooze) => snoozedRuleKey(snooze.ruleset, snooze.rule))) : undefined;
}
