import { expect } from 'chai';
import { principalReasons } from '../../src/engine/principal-reasons.js';
import type { RuleExplanation, RulesetEvaluation } from '../../src/engine/ruleset-evaluation.js';

const rule = (
  ruleset: string,
  name: string,
  type: 'alert' | 'score' | 'tag',
  params: Record<string, unknown>,
  fired = true,
): RuleExplanation => ({
  ruleset,
  version: 1,
  rule: name,
  priority: 1,
  fired,
  event: { type, params },
  conditions: [],
});
const evaluation = (ruleset: string, rules: RuleExplanation[]): RulesetEvaluation => ({
  ruleset,
  version: 1,
  kind: 'risk',
  checksum: 'x',
  rules,
});
const identity = (id: string, reasons: Record<string, string>) => ({
  identity: { id, version: 1, kind: 'risk' as const, checksum: 'x', reasons },
});
const TEXTS = { A: 'a.', B: 'b.', C: 'c.', D: 'd.' };

describe('principalReasons', () => {
  it('when rulesets are listed in another order, then ties break by ruleset id, then rule name, the same way', () => {
    const one = evaluation('zeta', [rule('zeta', 'r', 'score', { points: 20, reason: 'A' })]);
    const two = evaluation('alpha', [
      rule('alpha', 'y', 'score', { points: 20, reason: 'B' }),
      rule('alpha', 'x', 'score', { points: 20, reason: 'C' }),
    ]);
    const rulesets = [identity('zeta', TEXTS), identity('alpha', TEXTS)];

    const forwards = principalReasons(rulesets, [one, two], 'review').map((reason) => `${reason.ruleset}/${reason.rule}`);
    const backwards = principalReasons(rulesets.reverse(), [two, one], 'review').map((reason) => `${reason.ruleset}/${reason.rule}`);

    expect(forwards).to.deep.equal(['alpha/x', 'alpha/y', 'zeta/r']);
    expect(backwards).to.deep.equal(forwards);
  });

  it('when a code is given by two rules, then it is listed once, at its best rank; unfired rules, tags and unknown codes give none', () => {
    const rules = [
      rule('risk', 'small', 'score', { points: 10, reason: 'A' }),
      rule('risk', 'big', 'score', { points: 50, reason: 'A' }),
      rule('risk', 'medium', 'score', { points: 30, reason: 'B' }),
      rule('risk', 'unfired', 'score', { points: 90, reason: 'C' }, false),
      rule('risk', 'tagged', 'tag', { tag: 't', reason: 'D' }),
      rule('risk', 'unknown', 'score', { points: 80, reason: 'NOT_IN_CATALOGUE' }),
    ];

    const reasons = principalReasons([identity('risk', TEXTS)], [evaluation('risk', rules)], 'decline');

    expect(reasons.map((reason) => [reason.code, reason.rule])).to.deep.equal([
      ['A', 'big'],
      ['B', 'medium'],
    ]);
  });

  it('when the outcome is approve, then there are no reasons', () => {
    const rules = [rule('risk', 'big', 'score', { points: 50, reason: 'A' })];
    expect(principalReasons([identity('risk', TEXTS)], [evaluation('risk', rules)], 'approve')).to.deep.equal([]);
  });
  it('when a fired rule is snoozed for the customer, then it gives no reason (it yields nothing)', () => {
    const snoozed = { ...rule('risk', 'snoozed', 'score', { points: 90, reason: 'C' }), snoozed: true as const };
    const rules = [snoozed, rule('risk', 'medium', 'score', { points: 30, reason: 'B' })];

    const reasons = principalReasons([identity('risk', TEXTS)], [evaluation('risk', rules)], 'review');

    expect(reasons.map((reason) => reason.code)).to.deep.equal(['B']);
  });
});
