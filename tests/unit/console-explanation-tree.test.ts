import { expect } from 'chai';
import { explanationTree, type ExplanationNode, type LeafExplanation } from '../../src/console/screens/decisions/explanation-tree.js';
import { buildFactContext, computeFacts } from '../../src/facts/fact-library.js';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import type { Condition, Rule } from '../../src/engine/rule-schema.js';
import { generateEvent, generateHistory, generateProfile, generateRuleset, mulberry32 } from '../helpers/generators.js';

const leaf = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });
const logged = (at: string, fact: string, operator: string, result: boolean, factValue?: unknown): LeafExplanation => ({
  fact,
  operator,
  value: 0,
  factValue,
  result,
  at,
});

/** The tree as text, e.g. `all:false(age:true, not:false(income:true))`, to compare shapes at a glance. */
function shape(node: ExplanationNode): string {
  if (node.kind === 'leaf') return `${node.condition.fact}:${node.condition.result}`;
  return `${node.operator}:${node.result}(${node.children.map(shape).join(', ')})`;
}

function leavesOf(node: ExplanationNode): string[] {
  return node.kind === 'leaf' ? [node.at] : node.children.flatMap(leavesOf);
}

describe('console: explanation tree', () => {
  it('when a rule nests any and not inside all, then the logged leaves are put back in their groups and each group result is recomputed', () => {
    const conditions: Condition = {
      all: [leaf('age', 'greaterThan', 18), { any: [leaf('income', 'greaterThan', 1000), { not: leaf('city', 'equal', 'X') }] }],
    };
    const tree = explanationTree(conditions, [
      logged('/conditions/all/0', 'age', 'greaterThan', true, 30),
      logged('/conditions/all/1/any/0', 'income', 'greaterThan', false, 500),
      logged('/conditions/all/1/any/1/not', 'city', 'equal', false, 'Y'),
    ]);
    expect(tree && shape(tree)).to.equal('all:true(age:true, any:true(income:false, not:true(city:false)))');
    const city = (tree!.children[1] as { children: ExplanationNode[] }).children[1]!;
    expect(city).to.include({ kind: 'group', operator: 'not', at: '/conditions/all/1/any/1/not' });
  });

  it('when a group is empty, then it holds, as in the evaluator; a top-level not negates its child', () => {
    expect(shape(explanationTree({ any: [] }, [])!)).to.equal('any:true()');
    expect(
      shape(explanationTree({ not: leaf('age', 'lessThan', 18) }, [logged('/conditions/not', 'age', 'lessThan', true, 12)])!),
    ).to.equal('not:false(age:true)');
  });

  it('when the logged leaves do not fit the rule, then there is no tree (the screen shows the pointers instead)', () => {
    const conditions: Condition = { all: [leaf('age', 'greaterThan', 18), leaf('income', 'greaterThan', 1000)] };
    const both = [logged('/conditions/all/0', 'age', 'greaterThan', true), logged('/conditions/all/1', 'income', 'greaterThan', true)];
    expect(explanationTree(conditions, both), 'both fit').to.not.equal(undefined);
    expect(explanationTree(conditions, both.slice(0, 1)), 'a leaf not logged').to.equal(undefined);
    expect(
      explanationTree(conditions, [...both, logged('/conditions/all/2', 'x', 'equal', true)]),
      'a logged leaf the rule lacks',
    ).to.equal(undefined);
    expect(explanationTree(conditions, [both[0]!, { ...both[1]!, operator: 'lessThan' }]), 'another operator').to.equal(undefined);
    expect(
      explanationTree(
        conditions,
        both.map(({ at: _at, ...rest }) => rest),
      ),
      'no pointers',
    ).to.equal(undefined);
    expect(explanationTree(undefined, both), 'no rule').to.equal(undefined);
  });

  it('when 100 generated rulesets are evaluated on generated inputs, then every rule has a tree holding all its leaves, whose result is whether the rule fired', async () => {
    const rng = mulberry32(20261130);
    for (let index = 0; index < 100; index += 1) {
      const rules: Rule[] = generateRuleset(rng, 5);
      const ruleset = new ClosureRuleset({ id: `generated-${index}`, version: 1, kind: 'risk', checksum: 'x' }, rules);
      const context = buildFactContext(generateProfile(rng), generateEvent(rng), generateHistory(rng));
      const evaluation = await ruleset.evaluate(computeFacts(context, ruleset.factNames), context.eventTime);
      for (const explained of evaluation.rules) {
        const rule = rules.find((candidate) => candidate.name === explained.rule)!;
        const tree = explanationTree(rule.conditions, explained.conditions);
        expect(tree, `${index}/${rule.name}: ${JSON.stringify(rule.conditions)}`).to.not.equal(undefined);
        expect(leavesOf(tree!).sort()).to.deep.equal(explained.conditions.map((condition) => condition.at).sort());
        expect(tree!.result, `${index}/${rule.name}`).to.equal(explained.fired);
      }
    }
  });
});
