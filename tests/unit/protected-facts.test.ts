import { expect } from 'chai';
import { parseProtectedFact, protectedFactReads } from '../../src/engine/protected-facts.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import { loadConfig } from '../../src/config/config.js';

const leafRule = (leaf: { fact: string; path?: string }): Rule => ({
  name: 'r',
  conditions: { all: [{ ...leaf, operator: 'equal', value: 1 }] },
  event: { type: 'score', params: { points: 1 } },
});

describe('protected facts', () => {
  const cases: { entry: string; leaf: { fact: string; path?: string }; warned: boolean }[] = [
    { entry: 'basic.gender', leaf: { fact: 'basic', path: '$.gender' }, warned: true },
    { entry: 'basic.gender', leaf: { fact: 'basic' }, warned: true },
    { entry: 'basic.gender', leaf: { fact: 'basic', path: '$.genderCode' }, warned: false },
    { entry: 'basic.gender', leaf: { fact: 'basic', path: '$.education' }, warned: false },
    { entry: 'basic.residence.city', leaf: { fact: 'basic', path: '$.residence' }, warned: true },
    { entry: 'age', leaf: { fact: 'age' }, warned: true },
    { entry: 'age', leaf: { fact: 'ageOfAccount' }, warned: false },
  ];
  for (const { entry, leaf, warned } of cases) {
    it(`when ${entry} is protected and a risk rule reads ${leaf.fact}${leaf.path ? ` ${leaf.path}` : ''}, then it is ${warned ? '' : 'not '}warned`, () => {
      const warnings = protectedFactReads('risk', [leafRule(leaf)], [parseProtectedFact(entry)]);
      expect(warnings.map((warning) => warning.path)).to.deep.equal(warned ? ['/rules/0/conditions/all/0/fact'] : []);
    });
  }

  it('when PROTECTED_FACTS is not set, then basic.gender and age are protected; an entry of another syntax is a start-up error', () => {
    expect(loadConfig({}).protectedFacts.map((fact) => fact.name)).to.deep.equal(['basic.gender', 'age']);
    expect(loadConfig({ PROTECTED_FACTS: ' age , basic.birthDate ' }).protectedFacts).to.deep.equal([
      { name: 'age', fact: 'age', path: [] },
      { name: 'basic.birthDate', fact: 'basic', path: ['birthDate'] },
    ]);
    expect(() => loadConfig({ PROTECTED_FACTS: 'basic.$.gender' })).to.throw(/PROTECTED_FACTS/);
    expect(() => loadConfig({ REASONS_MAX: '0' })).to.throw(/REASONS_MAX/);
    expect(loadConfig({}).reasonsMax).to.equal(4);
  });
});
