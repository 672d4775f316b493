import { expect } from 'chai';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import { runRulesetTests } from '../../src/features/rulesets/draft-test-runner.js';
import type { RulesetTest } from '../../src/features/rulesets/draft-schema.js';

describe('runRulesetTests', () => {
  it('when a draft has many tests, then the event loop gets a turn between them, so that waiting decisions are not held up', async () => {
    const ruleset = new ClosureRuleset({ id: 'draft', version: 0, kind: 'tagging', checksum: 'sha256:draft' }, [
      {
        name: 'individual',
        conditions: { all: [{ fact: 'type', operator: 'equal', value: 'individual' }] },
        event: { type: 'tag', params: { tag: 'person' } },
      },
    ]);
    const tests = Array.from(
      { length: 3 },
      (_, index): RulesetTest => ({
        name: `t${index}`,
        profile: { type: 'individual' },
        event: { type: 'login', at: '2026-11-21T10:00:00+08:00' },
        expect: { tags: ['person'] },
      }),
    );
    let turns = 0;
    let finished = false;
    const count = () => {
      if (finished) return;
      turns += 1;
      setImmediate(count);
    };
    setImmediate(count);

    const report = await runRulesetTests(ruleset, tests, { declineScore: 70, reviewScore: 40 });
    finished = true;

    expect(report.passed).to.equal(3);
    expect(turns, 'event-loop turns while the tests ran').to.be.at.least(2);
  });
});
