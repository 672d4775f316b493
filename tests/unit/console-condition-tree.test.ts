import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { builderPathOf, fromBuilder, toBuilder, type BuilderGroup } from '../../src/console/rules/condition-tree.js';
import type { Condition } from '../../src/engine/rule-schema.js';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { generateRuleset, mulberry32 } from '../helpers/generators.js';

const shipped = fs
  .readdirSync(path.join(REPO_ROOT, 'rulesets'))
  .filter((file) => file.endsWith('.json'))
  .map(
    (file) =>
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'rulesets', file), 'utf8')) as {
        id: string;
        rules: { name: string; conditions: Condition }[];
      },
  );

/** What the builder does to a query it is given: ids on every node (it never removes our properties). */
function asBuilderWouldKeepIt(group: BuilderGroup): BuilderGroup {
  let next = 0;
  const visit = (node: any): any =>
    'rules' in node ? { ...node, id: `g${next++}`, rules: node.rules.map(visit) } : { ...node, id: `r${next++}` };
  return visit(group);
}

describe('console: conditions between the visual builder and JSON', () => {
  for (const ruleset of shipped) {
    it(`converts every rule of the shipped ${ruleset.id} there and back unchanged`, () => {
      for (const rule of ruleset.rules) {
        expect(fromBuilder(asBuilderWouldKeepIt(toBuilder(rule.conditions))), rule.name).to.deep.equal(rule.conditions);
      }
    });
  }

  it('converts 300 generated rulesets (all / any / not, paths, priorities, every operator) there and back unchanged', () => {
    const rng = mulberry32(20261130);
    for (let i = 0; i < 300; i++) {
      for (const rule of generateRuleset(rng, 6))
        expect(fromBuilder(toBuilder(rule.conditions as Condition))).to.deep.equal(rule.conditions);
    }
  });

  it('keeps not around a single condition, nested nots, and group names and priorities', () => {
    const cases: Condition[] = [
      { not: { fact: 'age', operator: 'lessThan', value: 18 } },
      {
        all: [
          { not: { fact: 'eventDeviceKnown', operator: 'equal', value: true } },
          { not: { any: [{ fact: 'age', operator: 'between', value: [18, 30] }] } },
        ],
      },
      { not: { not: { all: [{ fact: 'age', operator: 'greaterThan', value: 60 }] } } },
      {
        any: [
          {
            all: [{ fact: 'basic', path: '$.residence.city', operator: 'equal', value: 'Shenzhen', priority: 5 }],
            priority: 3,
            name: 'city',
          },
        ],
        name: 'top',
      },
      { not: { all: [{ fact: 'age', operator: 'equal', value: 1 }], priority: 2 } },
    ] as Condition[];
    for (const conditions of cases) expect(fromBuilder(toBuilder(conditions))).to.deep.equal(conditions);
  });

  it('keeps value types: numbers stay numbers, ranges stay pairs, booleans and strings as they were', () => {
    const conditions = {
      all: [
        { fact: 'age', operator: 'between', value: [18, 65] },
        { fact: 'eventDeviceKnown', operator: 'equal', value: false },
        { fact: 'timezone', operator: 'in', value: ['Asia/Shanghai', 'Asia/Hong_Kong'] },
        { fact: 'debtToIncome', operator: 'greaterThan', value: 0.5 },
      ],
    } as Condition;
    const group = toBuilder(conditions);
    expect(group.rules.map((rule) => (rule as { value: unknown }).value)).to.deep.equal([
      [18, 65],
      false,
      ['Asia/Shanghai', 'Asia/Hong_Kong'],
      0.5,
    ]);
    expect(fromBuilder(group)).to.deep.equal(conditions);
  });

  it('turns a new empty group and a negated group built in the builder into json-rules-engine groups', () => {
    const built: BuilderGroup = {
      combinator: 'and',
      rules: [
        { field: 'eventLocalHour', operator: 'between', value: [0, 5] },
        { combinator: 'or', not: true, rules: [{ field: 'eventDeviceKnown', operator: 'equal', value: true }] },
      ],
    };
    expect(fromBuilder(built)).to.deep.equal({
      all: [
        { fact: 'eventLocalHour', operator: 'between', value: [0, 5] },
        { not: { any: [{ fact: 'eventDeviceKnown', operator: 'equal', value: true }] } },
      ],
    });
  });

  it("maps the service's pointers to the builder node and part they name", () => {
    const conditions = {
      all: [
        { fact: 'age', operator: 'greaterThan', value: 'x' },
        { not: { any: [{ fact: 'x', operator: 'equal', value: 1 }, { not: { fact: 'age', operator: 'lessThan', value: 3 } }] } },
      ],
    } as Condition;
    expect(builderPathOf(conditions, '/all/0/value')).to.deep.equal({ path: [0], part: 'value' });
    expect(builderPathOf(conditions, '/all/1/not/any/0/fact')).to.deep.equal({ path: [1, 0], part: 'fact' });
    expect(builderPathOf(conditions, '/all/1/not/any/1/not/operator')).to.deep.equal({ path: [1, 1, 0], part: 'operator' });
    expect(builderPathOf(conditions, '/all/1/not/any')).to.deep.equal({ path: [1], part: 'any' });
    expect(builderPathOf({ not: { fact: 'age', operator: 'lessThan', value: 3 } } as Condition, '/not/value')).to.deep.equal({
      path: [0],
      part: 'value',
    });
  });
});
