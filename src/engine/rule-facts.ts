import { placeholderPaths } from './message-template.js';
import type { Condition, Rule } from './rule-schema.js';

/** The facts a ruleset's conditions and message placeholders name: the only ones worth computing for it. */
export function collectFactNames(rules: readonly Rule[]): Set<string> {
  const names = new Set<string>();
  const visit = (node: Condition): void => {
    if ('fact' in node) names.add(node.fact);
    else if ('all' in node) node.all.forEach(visit);
    else if ('any' in node) node.any.forEach(visit);
    else visit(node.not);
  };
  for (const rule of rules) {
    visit(rule.conditions);
    const message = rule.event.params.message;
    if (typeof message === 'string') for (const placeholder of placeholderPaths(message)) names.add(placeholder.split('.')[0]!);
  }
  return names;
}
