import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { checkPattern, compilePattern, MAX_PATTERN_SIZE, patternSize } from '../../src/engine/regex-matcher.js';

interface RegexFixtures {
  accepted: string[];
  rejected: { pattern: string; because: string }[];
}

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'facts');
const regexes = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'regex-patterns.json'), 'utf8')) as RegexFixtures;
const show = (value: unknown) => JSON.stringify(value);
const problemOf = (pattern: string) => {
  const checked = checkPattern(pattern);
  return 'problem' in checked ? checked.problem : undefined;
};

describe('checkPattern', () => {
  for (const pattern of regexes.accepted) {
    it(`when the pattern is ${show(pattern)}, then it is accepted`, () => {
      expect(problemOf(pattern)).to.equal(undefined);
    });
  }

  for (const { pattern, because } of regexes.rejected) {
    it(`when the pattern is ${show(pattern)}, then it is refused because of ${because}`, () => {
      const problem = problemOf(pattern);

      expect(problem)
        .to.be.a('string')
        .and.match(/^The pattern /)
        .and.contain(because);
    });
  }

  it('when the pattern is longer than 200 characters, then it is refused', () => {
    // \x{61} is one character to match written with six: 200 characters of pattern, a small program.
    const longest = `${'\\x{61}'.repeat(33)}ab`;

    expect(longest).to.have.length(200);
    expect(problemOf(longest)).to.equal(undefined);
    expect(problemOf(`${longest}c`)).to.contain('201 characters');
  });

  it('when patterns are sized, then the size follows their RE2 program, classes weighted by their ranges', () => {
    expect(patternSize('^\\d{6}$')).to.equal(10);
    expect(patternSize('^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$')).to.equal(77);
    expect(patternSize('\\pL')).to.be.above(patternSize('[a-z]'));
    expect(patternSize('(?i)vip')).to.be.above(patternSize('vip'));
    expect(patternSize('(?:.{0,20}a){1,20}xy')).to.be.above(MAX_PATTERN_SIZE);
  });

  it('when an accepted pattern meets 1,000-character adversarial inputs, then each test stays fast', () => {
    const inputs = ['a', '1', ' ', 'x', ',', '.'].flatMap((char) => [char.repeat(1000), `${char.repeat(999)}!`]);
    inputs.push('ab'.repeat(500), `${'a1'.repeat(499)}!!`);

    for (const pattern of regexes.accepted) {
      const compiled = compilePattern(pattern)!;
      for (const input of inputs) {
        const started = process.hrtime.bigint();
        compiled.test(input);
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        // Backtracking took 400 ms and more on such inputs; RE2 takes microseconds (250 ms: a loaded machine's slack).
        expect(elapsedMs, `${pattern} on ${input.slice(0, 8)}…`).to.be.below(250);
      }
    }
  });

  it('when a pattern RE2 refuses reaches evaluation (a rule that skipped validation), then it compiles to nothing', () => {
    expect(compilePattern('(a)\\1')).to.equal(undefined);
    expect(compilePattern('^vip$')!.test('vip')).to.equal(true);
  });
});
