import type { ErrorDetail } from '../errors/domain-error.js';
import { checkPattern, MAX_RULESET_PATTERN_SIZE } from './regex-matcher.js';
import type { Rule } from './rule-schema.js';

/**
 * The ruleset-wide bound on `matches`: every pattern runs on every decision, so what bounds a decision's
 * matching is the total size of the ruleset's patterns, each of which RE2 matches in time proportional
 * to its size (regex-matcher.ts). Conditions are counted first, so that checking a huge ruleset's
 * patterns cannot itself take long.
 */

/** The most `matches` conditions a ruleset may hold (the smallest pattern has size 3, the total at most 1,000). */
export const MAX_MATCHES_CONDITIONS = 300;

interface MatchesLeaf {
  value: unknown;
  at: string;
}

function matchesLeaves(rules: readonly Rule[]): MatchesLeaf[] {
  const found: MatchesLeaf[] = [];
  const visit = (node: unknown, at: string, depth: number): void => {
    if (node === null || typeof node !== 'object' || depth > 64) return;
    const record = node as Record<string, unknown>;
    if (record.operator === 'matches' && 'fact' in record) found.push({ value: record.value, at: `${at}/value` });
    for (const key of ['all', 'any'] as const) {
      const children = record[key];
      if (Array.isArray(children)) children.forEach((child, index) => void visit(child, `${at}/${key}/${index}`, depth + 1));
    }
    if ('not' in record) visit(record.not, `${at}/not`, depth + 1);
  };
  rules.forEach((rule, index) => void visit(rule.conditions, `/rules/${index}/conditions`, 0));
  return found;
}

/** A ruleset with more `matches` conditions than can fit the size budget: refused before any pattern is compiled. */
export function tooManyPatterns(rules: readonly Rule[]): ErrorDetail | undefined {
  const count = matchesLeaves(rules).length;
  return count > MAX_MATCHES_CONDITIONS
    ? { path: '/rules', message: `a ruleset may hold at most ${MAX_MATCHES_CONDITIONS} "matches" conditions (has ${count})` }
    : undefined;
}

/** The condition at which the ruleset's patterns together pass the size budget, if they do. */
export function patternBudgetProblems(rules: readonly Rule[]): ErrorDetail[] {
  let total = 0;
  for (const { value, at } of matchesLeaves(rules)) {
    if (typeof value !== 'string') continue;
    const checked = checkPattern(value);
    if (!('size' in checked)) continue;
    total += checked.size;
    if (total > MAX_RULESET_PATTERN_SIZE) {
      return [
        {
          path: at,
          message:
            `the ruleset's "matches" patterns reach a total size of ${total} here; at most ${MAX_RULESET_PATTERN_SIZE} are allowed ` +
            `(this pattern: ${checked.size}), which bounds the time every decision spends matching`,
        },
      ];
    }
  }
  return [];
}
