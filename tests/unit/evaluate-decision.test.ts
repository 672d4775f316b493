import { expect } from 'chai';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import { evaluateDecision } from '../../src/engine/evaluate-decision.js';
import { ReferenceRuleset } from '../../src/engine/reference-ruleset.js';
import type { Rule, RulesetKind } from '../../src/engine/rule-schema.js';

const THRESHOLDS = { declineScore: 70, reviewScore: 40 };
const EVENT_TIME = new Date('2026-11-21T01:30:00+08:00');

const identity = (id: string, kind: RulesetKind) => ({ id, version: 1, kind, checksum: `sha256:${id}` });

const scoreRules: Rule[] = [
  {
    name: 'high debt',
    conditions: { all: [{ fact: 'debtToIncome', operator: 'greaterThan', value: 0.5 }] },
    event: { type: 'score', params: { points: 30 } },
  },
  {
    name: 'young',
    conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] },
    event: { type: 'score', params: { points: 20 } },
  },
];
const tagRules: Rule[] = [
  {
    name: 'young tag',
    conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] },
    event: { type: 'tag', params: { tag: 'young' } },
  },
];

describe('evaluateDecision()', () => {
  for (const [engine, create] of [
    ['compiled', (id: string, kind: RulesetKind, rules: Rule[]) => new ClosureRuleset(identity(id, kind), rules)],
    ['reference', (id: string, kind: RulesetKind, rules: Rule[]) => new ReferenceRuleset(identity(id, kind), rules)],
  ] as const) {
    it(`when several ${engine} rulesets are evaluated, then each evaluation is kept in the order given and the outcome composes them all`, async () => {
      const rulesets = [create('risk', 'risk', scoreRules), create('tags', 'tagging', tagRules)];

      const { evaluations, composed } = await evaluateDecision(rulesets, { debtToIncome: 0.8, age: 22 }, EVENT_TIME, THRESHOLDS);

      expect(evaluations.map((evaluation) => evaluation.ruleset)).to.deep.equal(['risk', 'tags']);
      expect(composed).to.include({ score: 50, outcome: 'review' });
      expect(composed.tags).to.deep.equal(['young']);
      expect(composed.firedRules.map((rule) => `${rule.ruleset}/${rule.rule}`)).to.deep.equal([
        'risk/high debt',
        'risk/young',
        'tags/young tag',
      ]);
    });
  }

  it('when no ruleset is given, then nothing fires and the outcome is approve', async () => {
    const { evaluations, composed } = await evaluateDecision([], { age: 22 }, EVENT_TIME, THRESHOLDS);

    expect(evaluations).to.deep.equal([]);
    expect(composed).to.include({ score: 0, outcome: 'approve' });
  });
});
