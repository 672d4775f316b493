import { expect } from 'chai';
import { ruleProblems } from '../../src/engine/rule-validator.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import { FACTS_BY_NAME } from '../../src/facts/fact-library.js';
import { fixture } from '../helpers/fixtures.js';

interface LeafCases {
  refused: { name: string; leaf: Record<string, unknown>; at: string; message: string }[];
  accepted: { name: string; leaf: Record<string, unknown> }[];
}

const cases = fixture<LeafCases>('rules/leaf-validation.json');
const LEAF = '/rules/0/conditions/all/0';
const ruleOf = (leaf: Record<string, unknown>): Rule[] => [
  { name: 'r', conditions: { all: [leaf as never] }, event: { type: 'tag', params: { tag: 't' } } },
];

describe('rule validator: leaves that could never hold', () => {
  for (const { name, leaf, at, message } of cases.refused) {
    it(`when a leaf has ${name}, then it is refused at ${at} with a message saying why`, () => {
      const problems = ruleProblems(ruleOf(leaf), FACTS_BY_NAME);

      expect(problems.map((problem) => problem.path)).to.deep.equal([`${LEAF}${at}`]);
      expect(problems[0]!.message).to.contain(message);
    });
  }

  for (const { name, leaf } of cases.accepted) {
    it(`when a leaf has ${name}, then it is accepted`, () => {
      expect(ruleProblems(ruleOf(leaf), FACTS_BY_NAME)).to.deep.equal([]);
    });
  }

  it('when a refused leaf sits under not, any and all, then the pointer leads to it', () => {
    const rules: Rule[] = [
      {
        name: 'nested',
        conditions: { any: [{ all: [{ not: { fact: 'type', operator: 'greaterThan', value: 1 } }] }] } as Rule['conditions'],
        event: { type: 'tag', params: { tag: 't' } },
      },
    ];

    const problems = ruleProblems(rules, FACTS_BY_NAME);

    expect(problems.map((problem) => problem.path)).to.deep.equal(['/rules/0/conditions/any/0/all/0/not/operator']);
  });
});
