import { leafFactValue } from './condition-compiler.js';
import type { RuleLayout } from './explanation-layout.js';
import type { ConditionExplanation, RuleExplanation } from './ruleset-evaluation.js';

/**
 * An explanation holds little that the facts and the ruleset version do not already fix: the rules, their
 * order, priorities, events and leaves come from the version, and a leaf's fact value is the fact read at
 * its path. What is left is, per rule in evaluation order, whether it fired, and per leaf whether it held
 * and whether it shows a fact value (a leaf not reached, or on an absent fact, shows none). So one ruleset's
 * explanations are logged as a few characters a rule:
 *
 *     "1" or "0" (fired or not), then for each leaf "1" (held), "0" (did not hold) or "-" (shows no value),
 *     rules separated by ",": 56 rules of the shipped rulesets take about 200 characters.
 *
 * Rebuilt from the logged facts with the same version, they are the explanations the caller received.
 */

/**
 * One ruleset's explanations as leaf results, or undefined when they cannot be rebuilt from the layout and
 * the facts (they do not follow the layout, or a leaf shows another value than its fact read at its path):
 * the caller then keeps them whole. `facts` are the facts as logged.
 */
export function encodeLeafResults(
  rules: readonly RuleExplanation[],
  layout: readonly RuleLayout[],
  facts: Readonly<Record<string, unknown>>,
): string | undefined {
  if (rules.length !== layout.length) return undefined;
  const segments: string[] = [];
  for (let index = 0; index < rules.length; index += 1) {
    const rule = rules[index]!;
    const { name, leaves } = layout[index]!;
    if (rule.rule !== name || rule.conditions.length !== leaves.length) return undefined;
    let segment = rule.fired ? '1' : '0';
    for (let position = 0; position < leaves.length; position += 1) {
      const condition = rule.conditions[position]!;
      const leaf = leaves[position]!;
      if (condition.at !== leaf.at) return undefined;
      if (condition.factValue === undefined) {
        if (condition.result) return undefined;
        segment += '-';
        continue;
      }
      const read = leafFactValue(facts[leaf.fact], leaf.path);
      if (read !== condition.factValue && JSON.stringify(read) !== JSON.stringify(condition.factValue)) return undefined;
      segment += condition.result ? '1' : '0';
    }
    segments.push(segment);
  }
  return segments.join(',');
}

/**
 * The explanations `code` encodes, rebuilt from the version's layout and the logged facts; `message`
 * answers a fired rule's rendered message. Throws when the code does not fit the layout (another version).
 */
export function decodeLeafResults(
  code: string,
  layout: readonly RuleLayout[],
  ruleset: { id: string; version: number },
  facts: Readonly<Record<string, unknown>>,
  message: (rule: string) => string | undefined,
): RuleExplanation[] {
  const segments = code.split(',');
  if (segments.length !== layout.length) {
    throw new Error(`ExplanationCodec: decode() ${segments.length} rules logged, the version of ${ruleset.id} has ${layout.length}`);
  }
  return layout.map(({ name, priority, event, leaves }, index) => {
    const segment = segments[index]!;
    if (segment.length !== leaves.length + 1 || !/^[01][01-]*$/.test(segment)) {
      throw new Error(`ExplanationCodec: decode() rule ${name} of ${ruleset.id} does not fit its logged leaf results`);
    }
    const fired = segment[0] === '1';
    const conditions = leaves.map(({ fact, path, operator, value, at }, position): ConditionExplanation => {
      const mark = segment[position + 1];
      const factValue = mark === '-' ? undefined : leafFactValue(facts[fact], path);
      const result = mark === '1';
      // Keys in the order the evaluators write them, so that the rebuilt JSON is the one answered.
      return path === undefined ? { fact, operator, value, factValue, result, at } : { fact, path, operator, value, factValue, result, at };
    });
    const explanation: RuleExplanation = { ruleset: ruleset.id, version: ruleset.version, rule: name, priority, fired, event, conditions };
    const rendered = fired ? message(name) : undefined;
    if (rendered !== undefined) explanation.message = rendered;
    return explanation;
  });
}
