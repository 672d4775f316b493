import { expect } from 'chai';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { decisionEventSchema } from '../../src/facts/decision-event.js';
import { buildFactContext, computeFacts } from '../../src/facts/fact-library.js';
import { profileDocumentSchema } from '../../src/features/profiles/profile-schema.js';
import { canonicalJson } from '../../src/json/canonical-json.js';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import { ReferenceRuleset } from '../../src/engine/reference-ruleset.js';
import type { RulesetEvaluation, RulesetEvaluator, RulesetIdentity } from '../../src/engine/ruleset-evaluation.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import { validateDraft } from '../../src/features/rulesets/draft-validator.js';
import { readShippedRulesets } from '../../src/features/rulesets/shipped-rulesets.js';
import { validatorFor } from '../../src/schema/validation.js';
import {
  GENERATED_LISTS,
  generateDecisionInput,
  generateEvent,
  generateProfile,
  generateRuleset,
  integer,
  mulberry32,
} from '../helpers/generators.js';

/**
 * ClosureRuleset must answer exactly what ReferenceRuleset (json-rules-engine) answers. Both run on the
 * same generated inputs; their evaluations are compared as logged (canonical JSON after a JSON round
 * trip) and, stricter, as objects (same keys in the same order, undefined-valued keys included).
 */

const SHIPPED_INPUTS = 10_000;
const SHIPPED_SEED = 20261121;
const GENERATED_RULESETS = 300;
const INPUTS_PER_GENERATED_RULESET = 20;

const identityOf = (id: string): RulesetIdentity => ({ id, version: 3, kind: 'risk', checksum: `sha256:${id}` });
const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** The path of the first difference between two values (keys, key order and undefined count), or undefined. */
function firstDifference(a: unknown, b: unknown, at = '$'): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return at;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
      const difference = index < a.length && index < b.length ? firstDifference(a[index], b[index], `${at}[${index}]`) : `${at}[${index}]`;
      if (difference) return difference;
    }
    return undefined;
  }
  const [keysA, keysB] = [Object.keys(a), Object.keys(b)];
  for (let index = 0; index < Math.max(keysA.length, keysB.length); index += 1) {
    if (keysA[index] !== keysB[index]) return `${at} (keys: reference [${keysA.join(', ')}], closures [${keysB.join(', ')}])`;
    const key = keysA[index]!;
    const difference = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
    if (difference) return difference;
  }
  return undefined;
}

function valueAtPath(value: unknown, at: string): unknown {
  const steps = at.replace(/ \(keys.*$/, '').match(/\.([^.[]+)|\[(\d+)\]/g) ?? [];
  return steps.reduce<unknown>(
    (current, step) => (current as Record<string, unknown> | undefined)?.[step.replace(/^\.|^\[|\]$/g, '')],
    value,
  );
}

/** Fails with the ruleset, the differing rule, the input and the first differing path. */
function assertSame(
  expected: RulesetEvaluation,
  actual: RulesetEvaluation,
  rules: readonly Rule[],
  show: () => Record<string, unknown>,
): void {
  const [expectedText, actualText] = [JSON.stringify(expected), JSON.stringify(actual)];
  const strict = firstDifference(expected, actual);
  // Equal JSON texts parse to equal values, whose canonical JSON is then equal too: the costly canonical
  // comparison is needed only when the texts differ.
  if (
    strict === undefined &&
    (expectedText === actualText || canonicalJson(JSON.parse(expectedText)) === canonicalJson(JSON.parse(actualText)))
  )
    return;
  const at = strict ?? firstDifference(roundTrip(expected), roundTrip(actual))!;
  const ruleIndex = /^\$\.rules\[(\d+)\]/.exec(at)?.[1];
  const ruleName = ruleIndex === undefined ? undefined : expected.rules[Number(ruleIndex)]?.rule;
  const rule = rules.find((candidate) => candidate.name === ruleName);
  expect.fail(
    [
      `ClosureRuleset differs from ReferenceRuleset at ${at}`,
      `reference: ${JSON.stringify(valueAtPath(expected, at)) ?? 'undefined'}`,
      `closures:  ${JSON.stringify(valueAtPath(actual, at)) ?? 'undefined'}`,
      ...Object.entries({ ...show(), ...(rule && { rule }) }).map(([key, value]) => `${key}: ${JSON.stringify(value)}`),
    ].join('\n'),
  );
}

async function evaluateBoth(rules: readonly Rule[], facts: Record<string, unknown>, eventTime: Date, id = 'case') {
  const reference = new ReferenceRuleset(identityOf(id), rules);
  const closures = new ClosureRuleset(identityOf(id), rules);
  const expected = await reference.evaluate(facts, eventTime, GENERATED_LISTS);
  const actual = await closures.evaluate(facts, eventTime, GENERATED_LISTS);
  assertSame(expected, actual, rules, () => ({ facts, eventTime }));
  return actual;
}

const at = new Date('2026-11-21T02:00:00Z');
const leaf = (fact: string, operator: string, value: unknown, extra: Record<string, unknown> = {}) => ({ fact, operator, value, ...extra });
const rule = (name: string, conditions: unknown, priority?: number): Rule => ({
  name,
  ...(priority !== undefined && { priority }),
  conditions: conditions as Rule['conditions'],
  event: { type: 'tag', params: { tag: name, message: `seen {{credit.score}} / {{age}}` } },
});
const leaves = (evaluation: RulesetEvaluation, ruleIndex = 0) =>
  evaluation.rules[ruleIndex]!.conditions.map(({ factValue, result }) => ({ factValue, result }));

interface TrickyCase {
  name: string;
  rules: Rule[];
  facts: Record<string, unknown>;
  eventTime?: Date;
  check: (evaluation: RulesetEvaluation) => void;
}

const TRICKY_CASES: TrickyCase[] = [
  {
    name: 'an absent fact under not: the leaf is false, so the rule fires',
    rules: [rule('not-absent', { not: leaf('credit', 'lessThan', 600, { path: '$.score' }) })],
    facts: {},
    check: (evaluation) => {
      expect(evaluation.rules[0]!.fired).to.equal(true);
      expect(leaves(evaluation)).to.deep.equal([{ factValue: undefined, result: false }]);
    },
  },
  {
    name: 'a false leaf of higher priority in all: the lower set is never evaluated',
    rules: [rule('all-short', { all: [leaf('age', 'equal', 30), leaf('age', 'greaterThan', 50, { priority: 9 })] })],
    facts: { age: 40 },
    check: (evaluation) =>
      expect(leaves(evaluation)).to.deep.equal([
        { factValue: undefined, result: false },
        { factValue: 40, result: false },
      ]),
  },
  {
    name: 'a true group of higher priority in any: the rest is never evaluated',
    rules: [rule('any-short', { any: [leaf('age', 'equal', 40), { priority: 3, not: leaf('age', 'equal', 1) }] })],
    facts: { age: 40 },
    check: (evaluation) => {
      expect(evaluation.rules[0]!.fired).to.equal(true);
      expect(leaves(evaluation)).to.deep.equal([
        { factValue: undefined, result: false },
        { factValue: 40, result: false },
      ]);
    },
  },
  {
    name: 'equal priorities: every condition of the set is evaluated, even after a false one',
    rules: [rule('no-short', { all: [leaf('age', 'equal', 1), leaf('age', 'equal', 40)] })],
    facts: { age: 40 },
    check: (evaluation) =>
      expect(leaves(evaluation)).to.deep.equal([
        { factValue: 40, result: false },
        { factValue: 40, result: true },
      ]),
  },
  {
    name: 'group priorities that are not integers are parseInt()ed ("7" above 5, 2.9 as 2, "x" as 1)',
    rules: [
      rule('odd-priorities', {
        any: [
          { priority: 'x', all: [leaf('age', 'equal', 40)] },
          { priority: 2.9, all: [leaf('age', 'equal', 40)] },
          { priority: '7', all: [leaf('age', 'equal', 1)] },
          leaf('age', 'equal', 40, { priority: 5 }),
        ],
      }),
    ],
    facts: { age: 40 },
    check: (evaluation) => expect(leaves(evaluation).map((entry) => entry.factValue)).to.deep.equal([undefined, undefined, 40, 40]),
  },
  {
    name: 'a path on a missing section or field reads undefined',
    rules: [
      rule('missing', {
        any: [leaf('credit', 'greaterThan', 1, { path: '$.score' }), leaf('basic', 'equal', null, { path: '$.residence.city' })],
      }),
    ],
    facts: { basic: { residence: {} } },
    check: (evaluation) =>
      expect(leaves(evaluation)).to.deep.equal([
        { factValue: undefined, result: false },
        { factValue: undefined, result: false },
      ]),
  },
  {
    name: 'a path on a value that is not an object leaves the raw value (null included)',
    rules: [
      rule('raw', {
        all: [
          leaf('age', 'equal', 30, { path: '$.years' }),
          leaf('credit', 'equal', null, { path: '$.score' }),
          leaf('attributes', 'equal', null, { path: '$.x' }),
          leaf('attributes', 'equal', null, { path: '$.x.y' }),
        ],
      }),
    ],
    facts: { age: 30, credit: null, attributes: { x: null } },
    check: (evaluation) =>
      expect(leaves(evaluation)).to.deep.equal([
        { factValue: 30, result: true },
        { factValue: null, result: true },
        { factValue: null, result: true },
        { factValue: undefined, result: false },
      ]),
  },
  {
    name: 'wrong-typed facts and values are false, never an error',
    rules: [
      rule('types', {
        any: [
          leaf('credit', 'greaterThan', 600, { path: '$.score' }),
          leaf('interests', 'contains', 'travel'),
          leaf('age', 'matches', '^3'),
          leaf('age', 'between', [1, 'x']),
          leaf('type', 'lessThan', 'z'),
        ],
      }),
    ],
    facts: { credit: { score: '700' }, interests: 'travel', age: 30, type: 'sme' },
    check: (evaluation) => expect(leaves(evaluation).map((entry) => entry.result)).to.deep.equal([false, false, false, false, false]),
  },
  {
    name: 'withinLastDays is relative to the event time, not the clock',
    rules: [rule('recent', { all: [leaf('attributes', 'withinLastDays', 30, { path: '$.customerSince' })] })],
    facts: { attributes: { customerSince: '2026-11-01T00:00:00+08:00' } },
    eventTime: new Date('2026-11-21T00:00:00Z'),
    check: (evaluation) => expect(evaluation.rules[0]!.fired).to.equal(true),
  },
  {
    name: 'withinLastDays at a later event time is false',
    rules: [rule('recent', { all: [leaf('attributes', 'withinLastDays', 30, { path: '$.customerSince' })] })],
    facts: { attributes: { customerSince: '2026-11-01T00:00:00+08:00' } },
    eventTime: new Date('2027-03-01T00:00:00Z'),
    check: (evaluation) => expect(evaluation.rules[0]!.fired).to.equal(false),
  },
  {
    name: 'rules run by priority, then as written; only fired rules carry a message',
    rules: [
      rule('a', { all: [leaf('age', 'equal', 40)] }),
      rule('b', { all: [leaf('age', 'equal', 41)] }, 5),
      rule('c', { all: [leaf('age', 'equal', 40)] }, 1),
      rule('d', { all: [leaf('age', 'equal', 40)] }, 5),
    ],
    facts: { age: 40, credit: { score: 1888.4 } },
    check: (evaluation) => {
      expect(evaluation.rules.map((entry) => entry.rule)).to.deep.equal(['b', 'd', 'a', 'c']);
      expect(evaluation.rules.map((entry) => entry.message)).to.deep.equal([
        undefined,
        'seen 1,888 / 40',
        'seen 1,888 / 40',
        'seen 1,888 / 40',
      ]);
      expect(Object.keys(evaluation.rules[0]!)).not.to.include('message');
    },
  },
  {
    name: 'an unknown operator that is never reached is no error',
    rules: [rule('unreached', { all: [leaf('age', 'equal', 1, { priority: 2 }), leaf('age', 'noSuchOperator', 1)] })],
    facts: { age: 40 },
    check: (evaluation) => expect(evaluation.rules[0]!.fired).to.equal(false),
  },
  {
    name: 'a value { fact } reads another fact, as json-rules-engine does (validation refuses it)',
    rules: [rule('reference', { all: [leaf('age', 'lessThan', { fact: 'credit', path: '$.score' })] })],
    facts: { age: 40, credit: { score: 700 } },
    check: (evaluation) => expect(evaluation.rules[0]!.fired).to.equal(true),
  },
  {
    name: 'an empty path reads the whole fact and is kept in the explanation (validation refuses it)',
    rules: [rule('empty-path', { all: [leaf('age', 'equal', 40, { path: '' })] })],
    facts: { age: 40 },
    check: (evaluation) => expect(evaluation.rules[0]!.conditions[0]).to.include({ path: '', factValue: 40, result: true }),
  },
  {
    name: 'empty groups hold, as in the engine (validation refuses them)',
    rules: [rule('empty', { any: [] }), rule('empty-nested', { all: [{ any: [] }, leaf('age', 'equal', 40)] })],
    facts: { age: 40 },
    check: (evaluation) => expect(evaluation.rules.map((entry) => entry.fired)).to.deep.equal([true, true]),
  },
];

describe('ClosureRuleset against ReferenceRuleset (json-rules-engine)', function () {
  this.timeout(120_000);

  describe('tricky cases', () => {
    for (const testCase of TRICKY_CASES) {
      it(`when ${testCase.name}, then both evaluators agree`, async () => {
        const evaluation = await evaluateBoth(testCase.rules, testCase.facts, testCase.eventTime ?? at);

        testCase.check(evaluation);
      });
    }

    it('when an unknown operator is reached, then both evaluators reject with the same error', async () => {
      const rules = [rule('reached', { all: [leaf('age', 'noSuchOperator', 1)] })];
      const evaluators: RulesetEvaluator[] = [new ReferenceRuleset(identityOf('x'), rules), new ClosureRuleset(identityOf('x'), rules)];

      const outcomes = await Promise.all(
        evaluators.map((evaluator) =>
          evaluator.evaluate({ age: 40 }, at).then(
            () => 'resolved',
            (error: Error) => error.message,
          ),
        ),
      );

      expect(outcomes).to.deep.equal(['Unknown operator: noSuchOperator', 'Unknown operator: noSuchOperator']);
    });
  });

  describe('generators', () => {
    it('when 500 profiles and events are generated, then every one is valid', () => {
      const rng = mulberry32(7);
      const [validProfile, validEvent] = [validatorFor(profileDocumentSchema), validatorFor(decisionEventSchema)];
      for (let index = 0; index < 500; index += 1) {
        const [profile, event] = [generateProfile(rng), generateEvent(rng)];

        expect(validProfile(profile), JSON.stringify(validProfile.errors)).to.equal(true);
        expect(validEvent(event), JSON.stringify(validEvent.errors)).to.equal(true);
      }
    });
  });

  describe('on the shipped rulesets', () => {
    const shipped = readShippedRulesets(path.join(REPO_ROOT, 'rulesets'));

    it(`when ${SHIPPED_INPUTS.toLocaleString('en-US')} generated profiles and events are evaluated, then both agree on every ruleset`, async () => {
      const evaluators = shipped.map((ruleset) => {
        const rules = validateDraft({ rules: ruleset.rules, reasons: ruleset.reasons }).rules;
        const identity = { ...identityOf(ruleset.id), kind: ruleset.kind };
        return { id: ruleset.id, rules, reference: new ReferenceRuleset(identity, rules), closures: new ClosureRuleset(identity, rules) };
      });
      const firedRules = new Set<string>();
      const rng = mulberry32(SHIPPED_SEED);
      for (let index = 0; index < SHIPPED_INPUTS; index += 1) {
        const input = generateDecisionInput(rng);
        const context = buildFactContext(input.profile, input.event, input.history);
        for (const { id, rules, reference, closures } of evaluators) {
          const facts = computeFacts(context, reference.factNames);

          const expected = await reference.evaluate(facts, context.eventTime, GENERATED_LISTS);
          const actual = closures.evaluateSync(facts, context.eventTime, GENERATED_LISTS);

          assertSame(expected, actual, rules, () => ({ ruleset: id, seed: SHIPPED_SEED, input: index, ...input }));
          for (const explanation of actual.rules) if (explanation.fired) firedRules.add(`${id}/${explanation.rule}`);
        }
      }
      // The inputs reach every rule, so that agreement is not only on rules that never fire.
      const allRules = shipped.flatMap((ruleset) => (ruleset.rules as Rule[]).map((entry) => `${ruleset.id}/${entry.name}`));
      expect(
        allRules.filter((name) => !firedRules.has(name)),
        'rules no generated input fires',
      ).to.deep.equal([]);
    });
  });

  describe('on generated rulesets', () => {
    it(`when ${GENERATED_RULESETS} valid generated rulesets each see ${INPUTS_PER_GENERATED_RULESET} inputs, then both agree`, async () => {
      const operatorsSeen = new Set<string>();
      let [fired, unreachedLeaves] = [0, 0];
      for (let seed = 1; seed <= GENERATED_RULESETS; seed += 1) {
        const rng = mulberry32(seed);
        const rules = validateDraft({ rules: generateRuleset(rng, integer(rng, 1, 30)) }).rules;
        const id = `generated-${seed}`;
        const [reference, closures] = [new ReferenceRuleset(identityOf(id), rules), new ClosureRuleset(identityOf(id), rules)];
        expect([...closures.factNames]).to.have.members([...reference.factNames]);
        for (let index = 0; index < INPUTS_PER_GENERATED_RULESET; index += 1) {
          const input = generateDecisionInput(rng);
          const context = buildFactContext(input.profile, input.event, input.history);
          const facts = computeFacts(context, reference.factNames);

          const expected = await reference.evaluate(facts, context.eventTime, GENERATED_LISTS);
          const actual = closures.evaluateSync(facts, context.eventTime, GENERATED_LISTS);

          assertSame(expected, actual, rules, () => ({ ruleset: id, seed, input: index, ...input }));
          for (const explanation of actual.rules) {
            fired += explanation.fired ? 1 : 0;
            for (const condition of explanation.conditions) {
              operatorsSeen.add(condition.operator);
              if (condition.factValue === undefined && facts[condition.fact] !== undefined && condition.path === undefined)
                unreachedLeaves += 1;
            }
          }
        }
      }
      expect(operatorsSeen.size, [...operatorsSeen].join(', ')).to.equal(17);
      expect(fired, 'fired rules').to.be.greaterThan(1000);
      expect(unreachedLeaves, 'leaves skipped by short-circuiting').to.be.greaterThan(100);
    });
  });
});
