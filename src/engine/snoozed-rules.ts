import type { RulesetEvaluation } from './ruleset-evaluation.js';

/** Rules snoozed for one profile, by snoozedRuleKey(ruleset, rule). */
export type SnoozedRules = ReadonlySet<string>;

export const snoozedRuleKey = (ruleset: string, rule: string): string => `${ruleset}\u0000${rule}`;

/** Marks the explanations of snoozed rules, in place: composing the decision then skips them. */
export function markSnoozed(evaluations: readonly Pick<RulesetEvaluation, 'rules'>[], snoozed: SnoozedRules): void {
  for (const evaluation of evaluations) {
    for (const rule of evaluation.rules) if (snoozed.has(snoozedRuleKey(rule.ruleset, rule.rule))) rule.snoozed = true;
  }
}
