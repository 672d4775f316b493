import { expect } from 'chai';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import type { RulesetEvaluator } from '../../src/engine/ruleset-evaluation.js';
import type { RulesetTest } from '../../src/features/rulesets/draft-schema.js';
import { runRulesetTests } from '../../src/features/rulesets/draft-test-runner.js';
import { busyFor, longestEventLoopDelayMs } from '../helpers/event-loop-delay.js';

const THRESHOLDS = { declineScore: 70, reviewScore: 40 };

/** A tagging ruleset whose every evaluation costs `costMs` of CPU, as an expensive rule would. */
function slowRuleset(costMs: number): RulesetEvaluator {
  const compiled = new ClosureRuleset({ id: 'slow', version: 0, kind: 'tagging', checksum: 'sha256:slow' }, [
    {
      name: 'individual',
      conditions: { all: [{ fact: 'type', operator: 'equal', value: 'individual' }] },
      event: { type: 'tag', params: { tag: 'individual' } },
    },
  ]);
  return {
    identity: compiled.identity,
    rules: compiled.rules,
    factNames: compiled.factNames,
    layout: compiled.layout,
    evaluate: async (facts, eventTime) => {
      busyFor(costMs);
      return compiled.evaluate(facts, eventTime);
    },
  };
}

describe('draft tests (runRulesetTests)', () => {
  it('when 100 tests each cost 3 ms, then the event loop is never held for more than a few of them at once', async () => {
    const tests: RulesetTest[] = Array.from({ length: 100 }, (_, index) => ({
      name: `test ${index}`,
      profile: { type: 'individual' },
      event: { type: 'login', at: '2026-11-21T10:00:00+08:00' },
      expect: { tags: ['individual'] },
    }));

    const { result, maxDelayMs } = await longestEventLoopDelayMs(() => runRulesetTests(slowRuleset(3), tests, THRESHOLDS));

    expect(result.passed).to.equal(100);
    // 300 ms of work in all: without yielding, the loop is held for all of it (the bound leaves room for a shared machine).
    expect(maxDelayMs).to.be.below(100);
  });
});
