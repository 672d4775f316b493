import { ruleLeaves, type LeafSource } from './condition-compiler.js';
import type { Rule } from './rule-schema.js';

/**
 * One rule as its explanation lays it out, in evaluation order: everything an explanation holds that the
 * ruleset version fixes. Only which rules fired and what each leaf found depend on the facts.
 */
export interface RuleLayout {
  name: string;
  priority: number;
  event: Rule['event'];
  /** The rule's leaves in the order of its explanation's conditions. */
  leaves: readonly LeafSource[];
}

/** Items in evaluation order: priority high to low, then as written (json-rules-engine's order). */
export function inEvaluationOrder<T>(items: readonly T[], priorityOf: (item: T) => number): T[] {
  const position = new Map(items.map((item, index) => [item, index]));
  return [...items].sort((a, b) => priorityOf(b) - priorityOf(a) || position.get(a)! - position.get(b)!);
}

/** The layout of a ruleset version's explanations, whichever evaluator produced them. */
export function explanationLayout(rules: readonly Rule[]): RuleLayout[] {
  const layouts = rules.map((rule) => ({ name: rule.name, priority: rule.priority ?? 1, event: rule.event, leaves: ruleLeaves(rule) }));
  return inEvaluationOrder(layouts, (layout) => layout.priority);
}
