import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import { MAX_MATCHES_CONDITIONS } from '../../src/engine/pattern-budget.js';
import { MATCH_INPUT_LIMIT, MAX_PATTERN_SIZE, MAX_RULESET_PATTERN_SIZE, patternSize } from '../../src/engine/regex-matcher.js';
import { RULESET_LIMITS, type Condition, type Rule } from '../../src/engine/rule-schema.js';
import { pick, type Rng } from './generators.js';

/**
 * The most expensive rulesets the validator accepts, for the test that bounds their evaluation and for
 * `npm run bench`: 200 rules of 50 conditions each, as many `matches` conditions as the limits let in,
 * all from one family of adversarial patterns (the costliest per unit of size found when the limits were
 * set), matched against 1,000-character inputs drawn from the characters that keep RE2 busiest.
 */
export interface PatternFamily {
  /** The i-th pattern of the family: distinct, so that nothing is shared between conditions. */
  pattern: (index: number) => string;
  /** The characters adversarial inputs are drawn from. */
  alphabet: string;
}

export const ADVERSARIAL_FAMILIES: Readonly<Record<string, PatternFamily>> = {
  'counted repeats of any character': { pattern: (index) => `(?:.{0,4}a){1,4}x${index}y`, alphabet: 'abx北' },
  'counted repeats of word characters': { pattern: (index) => `(?:\\w{0,4}a){1,4}x${index}y`, alphabet: 'abx' },
  'a class shifted 12 places': { pattern: (index) => `[ab]*a[ab]{12}x${index}`, alphabet: 'abx' },
  'the issue’s digits': { pattern: (index) => `^\\d*\\d*\\d{0,8}x${index}`, alphabet: '1' },
  'Unicode letters': { pattern: (index) => `\\pL*a\\pL{4}x${index}`, alphabet: 'a北é' },
  'many small patterns': { pattern: (index) => `a.b${index}`, alphabet: 'ab北' },
};

export interface WorstRuleset {
  rules: Rule[];
  patterns: number;
  size: number;
}

/** 200 × 50 leaves: the family's patterns while the limits allow, then string comparisons. */
export function worstRuleset(family: PatternFamily): WorstRuleset {
  let size = 0;
  let patterns = 0;
  const leaf = (): Condition => {
    const pattern = family.pattern(patterns);
    const cost = patternSize(pattern);
    if (patterns < MAX_MATCHES_CONDITIONS && cost <= MAX_PATTERN_SIZE && size + cost <= MAX_RULESET_PATTERN_SIZE) {
      size += cost;
      patterns += 1;
      return { fact: 'attributes', path: '$.note', operator: 'matches', value: pattern };
    }
    return { fact: 'attributes', path: '$.note', operator: 'equal', value: 'x' };
  };
  const rules = Array.from(
    { length: RULESET_LIMITS.rules },
    (_, index): Rule => ({
      name: `worst ${index}`,
      conditions: { all: Array.from({ length: RULESET_LIMITS.leavesPerRule }, leaf) },
      event: { type: 'tag', params: { tag: 'worst' } },
    }),
  );
  return { rules, patterns, size };
}

export function adversarialText(rng: Rng, alphabet: string): string {
  const characters = [...alphabet];
  return Array.from({ length: MATCH_INPUT_LIMIT }, () => pick(rng, characters)).join('');
}

/**
 * Milliseconds per evaluation of the family's worst ruleset, each on a fresh input (so that RE2's
 * caches of states seen before help as little as they can), after one untimed evaluation.
 */
export function timeWorstRuleset(family: PatternFamily, rng: Rng, evaluations: number): { ruleset: WorstRuleset; ms: number[] } {
  const ruleset = worstRuleset(family);
  const evaluator = new ClosureRuleset({ id: 'worst', version: 1, kind: 'tagging', checksum: 'sha256:worst' }, ruleset.rules);
  const eventTime = new Date('2026-11-21T00:00:00Z');
  const evaluate = () => evaluator.evaluateSync({ attributes: { note: adversarialText(rng, family.alphabet) } }, eventTime);
  evaluate();
  const ms: number[] = [];
  for (let run = 0; run < evaluations; run += 1) {
    const facts = { attributes: { note: adversarialText(rng, family.alphabet) } };
    const started = performance.now();
    evaluator.evaluateSync(facts, eventTime);
    ms.push(performance.now() - started);
  }
  return { ruleset, ms };
}
