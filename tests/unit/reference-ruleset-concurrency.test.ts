import { expect } from 'chai';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { readShippedRulesets } from '../../src/features/rulesets/shipped-rulesets.js';
import { ReferenceRuleset } from '../../src/engine/reference-ruleset.js';
import { validateDraft } from '../../src/features/rulesets/draft-validator.js';
import { buildFactContext, computeFacts } from '../../src/facts/fact-library.js';
import { fixture } from '../helpers/fixtures.js';

describe('ReferenceRuleset (json-rules-engine reference) under concurrency', () => {
  it('when many evaluations of one version overlap, then each explains every rule', async () => {
    const shipped = readShippedRulesets(path.join(REPO_ROOT, 'rulesets')).find((ruleset) => ruleset.id === 'fraud-alerts')!;
    const draft = validateDraft({ rules: shipped.rules, tests: [], reasons: shipped.reasons });
    const ruleset = new ReferenceRuleset({ id: shipped.id, version: 1, kind: shipped.kind, checksum: 'x' }, draft.rules);
    const event = { type: 'loan_application', at: '2026-11-21T01:30:00+08:00', location: { lat: 39.9, lon: 116.4 } };
    const context = buildFactContext(fixture('profiles/fraud-late-night-traveller.json'), event, {});
    const facts = computeFacts(context, ruleset.factNames);
    // Start runs a few microtasks apart, the pattern that used to make later runs skip rules.
    const runs = [];
    for (let i = 0; i < 40; i++) {
      runs.push(ruleset.evaluate(facts, context.eventTime));
      for (let tick = 0; tick < i % 7; tick++) await Promise.resolve();
    }
    const evaluations = await Promise.all(runs);
    for (const evaluation of evaluations) expect(evaluation.rules).to.have.length(draft.rules.length);
    const fired = new Set(evaluations.map((evaluation) => JSON.stringify(evaluation.rules.map((rule) => rule.fired))));
    expect(fired.size, 'every run fires the same rules').to.equal(1);
  });
});
