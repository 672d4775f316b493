import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import {
  checkOperatorValue,
  checkRegexSafety,
  CUSTOM_OPERATORS,
  OPERATOR_NAMES,
  STOCK_OPERATORS,
  type CustomOperator,
} from '../../src/engine/operators.js';

interface OperatorFixtures {
  eventTime: string;
  evaluate: { operator: string; factValue: unknown; value: unknown; eventTime?: string; expect: boolean }[];
  checkValue: { operator: string; value: unknown; valid: boolean }[];
}
interface RegexFixtures {
  accepted: string[];
  rejected: { pattern: string; because: string }[];
}

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'facts');
const readFixture = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
const operators = readFixture<OperatorFixtures>('operators.json');
const regexes = readFixture<RegexFixtures>('regex-safety.json');

const customOperator = (name: string): CustomOperator => {
  const operator = CUSTOM_OPERATORS.find((candidate) => candidate.name === name);
  if (!operator) throw new Error(`no custom operator ${name}`);
  return operator;
};
const show = (value: unknown) => JSON.stringify(value);

for (const name of CUSTOM_OPERATORS.map((operator) => operator.name)) {
  describe(`operator ${name}`, () => {
    for (const testCase of operators.evaluate.filter((candidate) => candidate.operator === name)) {
      const eventTime = testCase.eventTime ?? operators.eventTime;
      it(`when the fact is ${show(testCase.factValue)} and the value ${show(testCase.value)} (event ${eventTime}), then it answers ${testCase.expect}`, () => {
        const operator = customOperator(name);

        const result = operator.evaluate(testCase.factValue, testCase.value, new Date(eventTime));

        expect(result).to.equal(testCase.expect);
      });
    }

    it('when the fact or value is of any odd type, then it answers false without throwing', () => {
      const operator = customOperator(name);
      const odd: unknown[] = [undefined, null, Number.NaN, Number.POSITIVE_INFINITY, {}, [], [Number.NaN, 1], () => 1, Symbol('x'), 10n];

      for (const factValue of odd) {
        for (const value of odd) {
          expect(operator.evaluate(factValue, value, new Date(operators.eventTime)), `${String(factValue)} / ${String(value)}`).to.equal(
            false,
          );
        }
      }
    });
  });
}

describe('operator matches on long facts', () => {
  it('when the fact is longer than 1,000 characters, then only its first 1,000 are tested', () => {
    const matches = customOperator('matches');
    const fact = `${'a'.repeat(1000)}LATE`;

    expect(matches.evaluate(fact, 'LATE', new Date())).to.equal(false);
    expect(matches.evaluate(fact, '^a{1000}$', new Date())).to.equal(true);
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
    expect(OPERATOR_NAMES).to.have.members([...stock, 'between', 'matches', 'before', 'after', 'withinLastDays']);
    expect(new Set(OPERATOR_NAMES).size).to.equal(OPERATOR_NAMES.length);
  });
});

describe('checkRegexSafety', () => {
  for (const pattern of regexes.accepted) {
    it(`when the pattern is ${show(pattern)}, then it is accepted`, () => {
      expect(checkRegexSafety(pattern)).to.equal(undefined);
    });
  }

  for (const { pattern, because } of regexes.rejected) {
    it(`when the pattern is ${show(pattern)}, then it is refused because of ${because}`, () => {
      const problem = checkRegexSafety(pattern);

      expect(problem)
        .to.be.a('string')
        .and.match(/^The pattern /)
        .and.contain(because);
    });
  }

  it('when the pattern is longer than 200 characters, then it is refused', () => {
    expect(checkRegexSafety('a'.repeat(200))).to.equal(undefined);
    expect(checkRegexSafety('a'.repeat(201))).to.contain('201 characters');
  });

  it('when an accepted pattern meets 1,000-character adversarial inputs, then each test stays fast', () => {
    const inputs = ['a', '1', ' ', 'x', ',', '.'].flatMap((char) => [char.repeat(1000), `${char.repeat(999)}!`]);
    inputs.push('ab'.repeat(500), `${'a1'.repeat(499)}!!`);

    for (const pattern of regexes.accepted) {
      const regex = new RegExp(pattern);
      for (const input of inputs) {
        const started = process.hrtime.bigint();
        regex.test(input);
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        // Refused patterns take 400 ms and more on such inputs; accepted ones a few ms.
        expect(elapsedMs, `${pattern} on ${input.slice(0, 8)}…`).to.be.below(250);
      }
    }
  });
});
