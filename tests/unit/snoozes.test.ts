import { expect } from 'chai';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import { evaluateDecision } from '../../src/engine/evaluate-decision.js';
import { ReferenceRuleset } from '../../src/engine/reference-ruleset.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import { snoozesHolding, type ActiveSnooze } from '../../src/features/snoozes/snoozes.js';

const THRESHOLDS = { declineScore: 70, reviewScore: 40 };
const AT = new Date('2026-11-21T01:30:00Z');
const identity = { id: 'risk', version: 1, kind: 'risk', checksum: 'sha256:risk' } as const;

const rules: Rule[] = [
  {
    name: 'far',
    conditions: { all: [{ fact: 'distance', operator: 'greaterThan', value: 300 }] },
    event: { type: 'alert', params: { code: 'FAR', severity: 'high' } },
  },
  {
    name: 'young',
    conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] },
    event: { type: 'score', params: { points: 50 } },
  },
  {
    name: 'young tag',
    conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] },
    event: { type: 'tag', params: { tag: 'young' } },
  },
];

const snooze = (rule: string, until: string, ruleset = 'risk'): ActiveSnooze => ({ snoozeId: `snz_${rule}`, ruleset, rule, until });

describe('snoozes in evaluation', () => {
  it('when a profile has no snoozes, then nothing holds and no set is built', () => {
    const ruleset = new ClosureRuleset(identity, rules);
    expect(snoozesHolding(undefined, AT, [ruleset])).to.equal(undefined);
    expect(snoozesHolding([], AT, [ruleset])).to.equal(undefined);
  });

  it('when a snooze ends at or before the decision time, names another ruleset or a rule not evaluated, then it does not hold', () => {
    const ruleset = new ClosureRuleset(identity, rules);
    const held = snoozesHolding(
      [
        snooze('far', '2026-11-21T01:30:00Z'),
        snooze('far', '2026-11-21T01:29:59Z'),
        snooze('far', '2026-12-01T00:00:00Z', 'other'),
        snooze('gone', '2026-12-01T00:00:00Z'),
        snooze('young', '2026-11-21T01:30:00.001Z'),
      ],
      AT,
      [ruleset],
    );
    expect(held?.logged.map((item) => item.rule)).to.deep.equal(['young']);
  });

  for (const [engine, create] of [
    ['compiled', () => new ClosureRuleset(identity, rules)],
    ['reference', () => new ReferenceRuleset(identity, rules)],
  ] as const) {
    it(`when rules are snoozed (${engine}), then they are explained as fired and snoozed and yield no alert, points or tag`, async () => {
      const held = snoozesHolding([snooze('far', '2026-12-01T00:00:00Z'), snooze('young', '2026-12-01T00:00:00Z')], AT, [create()]);
      const { evaluations, composed } = await evaluateDecision([create()], { distance: 1000, age: 20 }, AT, THRESHOLDS, held?.rules);
      const explained = evaluations[0]!.rules.map(({ rule, fired, snoozed }) => ({ rule, fired, snoozed }));
      expect(explained).to.deep.equal([
        { rule: 'far', fired: true, snoozed: true },
        { rule: 'young', fired: true, snoozed: true },
        { rule: 'young tag', fired: true, snoozed: undefined },
      ]);
      expect(composed).to.deep.include({ alerts: [], score: 0, outcome: 'approve', tags: ['young'] });
      expect(composed.firedRules.map((rule) => rule.rule)).to.deep.equal(['young tag']);
    });
  }
});
