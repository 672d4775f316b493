import { expect } from 'chai';
import sinon from 'sinon';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import * as regexMatcher from '../../src/engine/regex-matcher.js';
import { ReferenceRuleset } from '../../src/engine/reference-ruleset.js';
import { ruleProblems } from '../../src/engine/rule-validator.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import { FACTS_BY_NAME } from '../../src/facts/fact-library.js';
import { mulberry32 } from '../helpers/generators.js';
import { ADVERSARIAL_FAMILIES, timeWorstRuleset } from '../helpers/worst-ruleset.js';

/** The bound is 5 ms per evaluation; CI shares 2 cores with other work, so the test allows 3× that. */
const BOUND_MS = 5;
const MACHINE_SLACK = 3;
const EVENT_TIME = new Date('2026-11-21T00:00:00Z');
const identity = { id: 'patterns', version: 1, kind: 'tagging' as const, checksum: 'sha256:patterns' };

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('the cost of matches conditions', () => {
  for (const [name, family] of Object.entries(ADVERSARIAL_FAMILIES)) {
    it(`when the worst accepted ruleset (200 rules × 50 conditions, ${name}) meets adversarial 1,000-character inputs, then an evaluation takes at most 5 ms`, function () {
      this.timeout(60_000);
      const { ruleset, ms } = timeWorstRuleset(family, mulberry32(14), 21);

      expect(ruleProblems(ruleset.rules, FACTS_BY_NAME), 'the ruleset is accepted').to.deep.equal([]);
      expect(ruleset.patterns, 'matches conditions').to.be.above(0);
      expect(median(ms), `median of ${ms.map((value) => value.toFixed(1)).join(', ')} ms`).to.be.at.most(BOUND_MS * MACHINE_SLACK);
    });
  }

  describe('compiled patterns', () => {
    const rulesWithPatterns = (count: number): Rule[] =>
      Array.from({ length: count / 50 }, (_, rule) => ({
        name: `r${rule}`,
        conditions: {
          any: Array.from({ length: 50 }, (_, leaf) => ({
            fact: 'attributes',
            path: '$.note',
            operator: 'matches',
            value: `^n${rule * 50 + leaf}$`,
          })),
        },
        event: { type: 'tag', params: { tag: 't' } },
      }));
    let compilations: sinon.SinonSpy;
    beforeEach(() => {
      compilations = sinon.spy(regexMatcher, 'compilePattern');
    });
    afterEach(() => sinon.restore());

    it('when a version holds 10,000 distinct patterns, then each is compiled once, with the version, and never again on evaluation', () => {
      const ruleset = new ClosureRuleset(identity, rulesWithPatterns(10_000));
      expect(compilations.callCount, 'when compiled').to.equal(10_000);

      for (const note of ['n1', 'n9999', 'none']) {
        const evaluation = ruleset.evaluateSync({ attributes: { note } }, EVENT_TIME);
        expect(evaluation.rules.filter((rule) => rule.fired)).to.have.length(note === 'none' ? 0 : 1);
      }

      expect(compilations.callCount, 'after three evaluations').to.equal(10_000);
    });

    it('when the reference evaluator runs a version twice, then each of its patterns is compiled once, for that version only', async () => {
      const rules = rulesWithPatterns(100);
      const first = new ReferenceRuleset(identity, rules);
      await first.evaluate({ attributes: { note: 'n7' } }, EVENT_TIME);
      await first.evaluate({ attributes: { note: 'n8' } }, EVENT_TIME);
      expect(compilations.callCount).to.equal(100);

      await new ReferenceRuleset({ ...identity, version: 2 }, rules).evaluate({ attributes: { note: 'n7' } }, EVENT_TIME);
      expect(compilations.callCount).to.equal(200);
    });
  });
});
