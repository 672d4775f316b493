import { expect } from 'chai';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { readShippedRulesets } from '../../src/features/rulesets/shipped-rulesets.js';
import { validateDraft } from '../../src/features/rulesets/draft-validator.js';
import { ReferenceRuleset } from '../../src/engine/reference-ruleset.js';
import { runRulesetTests } from '../../src/features/rulesets/draft-test-runner.js';
import { draftChecksum } from '../../src/features/rulesets/ruleset-service.js';

const THRESHOLDS = { declineScore: 70, reviewScore: 40 };
const shipped = readShippedRulesets(path.join(REPO_ROOT, 'rulesets'));

describe('shipped rulesets', () => {
  it('ships the four reference rulesets, one of each kind', () => {
    expect(shipped.map((ruleset) => [ruleset.id, ruleset.kind])).to.have.deep.members([
      ['credit-risk', 'risk'],
      ['customer-tags', 'tagging'],
      ['fraud-alerts', 'fraud'],
      ['product-matching', 'product'],
    ]);
  });

  for (const id of ['credit-risk', 'fraud-alerts']) {
    it(`when ${id} declines or refers in a test, then the test asserts its principal reasons, told in plain language`, () => {
      const ruleset = shipped.find((candidate) => candidate.id === id)!;
      const tests = ruleset.tests as { name: string; expect: { outcome?: string; reasons?: string[] } }[];
      const adverse = tests.filter((test) => test.expect.outcome === 'decline' || test.expect.outcome === 'review');
      expect(
        adverse.filter((test) => !test.expect.reasons?.length).map((test) => test.name),
        'adverse tests without reasons',
      ).to.deep.equal([]);
      const ruleNames = (ruleset.rules as { name: string }[]).map((rule) => rule.name);
      for (const [code, text] of Object.entries(ruleset.reasons ?? {})) {
        expect(text, code).to.match(/^[A-Z][^{}]*\.$/);
        expect(
          ruleNames.filter((name) => text.includes(name)),
          `${code} names a rule`,
        ).to.deep.equal([]);
      }
    });
  }

  for (const ruleset of shipped) {
    describe(ruleset.id, () => {
      it('is a valid draft', () => {
        expect(() => validateDraft({ rules: ruleset.rules, tests: ruleset.tests, reasons: ruleset.reasons })).not.to.throw();
      });

      it('has tests, and every rule fires in at least one of them', async () => {
        const draft = validateDraft({ rules: ruleset.rules, tests: ruleset.tests, reasons: ruleset.reasons });
        const compiled = new ReferenceRuleset(
          { id: ruleset.id, version: 0, kind: ruleset.kind, checksum: draftChecksum(draft) },
          draft.rules,
        );
        const report = await runRulesetTests(compiled, draft.tests, THRESHOLDS);
        const fired = new Set(report.results.flatMap((result) => result.actual.firedRules));
        expect(draft.tests.length).to.be.at.least(draft.rules.length > 0 ? 3 : 0);
        expect(
          draft.rules.map((rule) => rule.name).filter((name) => !fired.has(name)),
          'rules no test fires',
        ).to.deep.equal([]);
      });

      for (const test of ruleset.tests as { name: string }[]) {
        it(`passes its test "${test.name}"`, async () => {
          const draft = validateDraft({ rules: ruleset.rules, tests: [test], reasons: ruleset.reasons });
          const identity = { id: ruleset.id, version: 0, kind: ruleset.kind, checksum: 'x', reasons: draft.reasons };
          const compiled = new ReferenceRuleset(identity, draft.rules);
          const report = await runRulesetTests(compiled, draft.tests, THRESHOLDS);
          expect(report.results[0]!.failures).to.deep.equal([]);
        });
      }
    });
  }
});
