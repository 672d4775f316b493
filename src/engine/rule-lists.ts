import { LIST_OPERATOR_NAMES } from './operators.js';
import type { Condition, Rule } from './rule-schema.js';

/** The lists a ruleset's `inList` / `notInList` conditions name, each with the pointer of its first use. */
export function collectListIds(rules: readonly Rule[]): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (node: Condition, at: string): void => {
    if ('fact' in node) {
      if (LIST_OPERATOR_NAMES.has(node.operator) && typeof node.value === 'string' && !found.has(node.value)) {
        found.set(node.value, `${at}/value`);
      }
    } else if ('all' in node) node.all.forEach((child, index) => void visit(child, `${at}/all/${index}`));
    else if ('any' in node) node.any.forEach((child, index) => void visit(child, `${at}/any/${index}`));
    else visit(node.not, `${at}/not`);
  };
  rules.forEach((rule, index) => void visit(rule.conditions, `/rules/${index}/conditions`));
  return found;
}
