import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { checkOperatorValue, CUSTOM_OPERATORS, OPERATOR_NAMES, STOCK_OPERATORS, type CustomOperator } from '../../src/engine/operators.js';

interface OperatorFixtures {
  eventTime: string;
  evaluate: { operator: string; factValue: unknown; value: unknown; eventTime?: string; expect: boolean }[];
  checkValue: { operator: string; value: unknown; valid: boolean }[];
}

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'facts');
const readFixture = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
const operators = readFixture<OperatorFixtures>('operators.json');

const customOperator = (name: string): CustomOperator => {
  const operator = CUSTOM_OPERATORS.find((candidate) => candidate.name === name);
  if (!operator) throw new Error(`no custom operator ${name}`);
  return operator;
};
const show = (value: unknown) => JSON.stringify(value);
/** A condition's value as its ruleset version hands it to the operator (`matches`: compiled once). */
const operand = (operator: CustomOperator, value: unknown) => (operator.prepare ? operator.prepare(value) : value);

for (const name of CUSTOM_OPERATORS.map((operator) => operator.name)) {
  describe(`operator ${name}`, () => {
    for (const testCase of operators.evaluate.filter((candidate) => candidate.operator === name)) {
      const eventTime = testCase.eventTime ?? operators.eventTime;
      it(`when the fact is ${show(testCase.factValue)} and the value ${show(testCase.value)} (event ${eventTime}), then it answers ${testCase.expect}`, () => {
        const operator = customOperator(name);

        const result = operator.evaluate(testCase.factValue, operand(operator, testCase.value), new Date(eventTime));

        expect(result).to.equal(testCase.expect);
      });
    }

    it('when the fact or value is of any odd type, then it answers false without throwing', () => {
      const operator = customOperator(name);
      const odd: unknown[] = [undefined, null, Number.NaN, Number.POSITIVE_INFINITY, {}, [], [Number.NaN, 1], () => 1, Symbol('x'), 10n];

      for (const factValue of odd) {
        for (const value of odd) {
          expect(
            operator.evaluate(factValue, operand(operator, value), new Date(operators.eventTime)),
            `${String(factValue)} / ${String(value)}`,
          ).to.equal(false);
        }
      }
    });
  });
}

describe('operator matches on long facts', () => {
  it('when the fact is longer than 1,000 characters, then only its first 1,000 are tested', () => {
    const matches = customOperator('matches');
    const fact = `${'a'.repeat(1000)}LATE`;

    expect(matches.evaluate(fact, operand(matches, 'LATE'), new Date())).to.equal(false);
    expect(matches.evaluate(fact, operand(matches, '^a{1000}$'), new Date())).to.equal(true);
  });
});

describe('operator value checks', () => {
  for (const { operator, value, valid } of operators.checkValue) {
    it(`when ${operator} is given ${show(value)}, then the value is ${valid ? 'accepted' : 'refused with a message'}`, () => {
      const problem = checkOperatorValue(operator, value);

      if (valid) expect(problem).to.equal(undefined);
      else expect(problem).to.be.a('string').with.length.above(10);
    });
  }

  it('when the operator is unknown, then the message names it and the known ones', () => {
    const problem = checkOperatorValue('approximately', 3);

    expect(problem).to.contain('approximately').and.contain('between');
  });

  it('when an equal value cannot be JSON (NaN, a function, deep nesting), then it is refused', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 40; level += 1) deep = [deep];

    for (const value of [Number.NaN, () => 1, undefined, deep]) {
      expect(checkOperatorValue('equal', value), String(value)).to.be.a('string');
    }
  });
});

describe('operator names', () => {
  it('when listed, then every json-rules-engine stock operator and every custom one is there, once', () => {
    const stock = [
      'equal',
      'notEqual',
      'lessThan',
      'lessThanInclusive',
      'greaterThan',
      'greaterThanInclusive',
      'in',
      'notIn',
      'contains',
      'doesNotContain',
    ];

    expect(STOCK_OPERATORS.map((operator) => operator.name)).to.have.members(stock);
    expect(OPERATOR_NAMES).to.have.members([...stock, 'between', 'matches', 'before', 'after', 'withinLastDays', 'inList', 'notInList']);
    expect(new Set(OPERATOR_NAMES).size).to.equal(OPERATOR_NAMES.length);
  });
});
