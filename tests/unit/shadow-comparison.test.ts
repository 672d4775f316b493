import { expect } from 'chai';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import { evaluateDecision } from '../../src/engine/evaluate-decision.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import type { RulesetEvaluator } from '../../src/engine/ruleset-evaluation.js';
import { buildFactContext, computeFacts } from '../../src/facts/fact-library.js';
import type { DecisionEvent } from '../../src/facts/decision-event.js';
import { compareWithShadow } from '../../src/features/shadow/shadow-comparison.js';
import type { ShadowObservation } from '../../src/features/shadow/shadow-evaluation.js';
import { MAX_EXAMPLES, ShadowTally, sumTallies } from '../../src/features/shadow/shadow-tally.js';

const THRESHOLDS = { declineScore: 70, reviewScore: 40 };
const identity = (version: number) => ({ id: 'fraud', version, kind: 'fraud' as const, checksum: `sha256:v${version}` });

const farRule = (km: number): Rule => ({
  name: 'far',
  conditions: { all: [{ fact: 'eventDistanceFromResidenceKm', operator: 'greaterThan', value: km }] },
  event: { type: 'alert', params: { code: 'LOCATION_MISMATCH', severity: 'high' } },
});

async function observed(rules: Rule[]): Promise<{ observation: ShadowObservation; active: ClosureRuleset }> {
  const active = new ClosureRuleset(identity(1), rules);
  const profile = { type: 'individual', basic: { residence: { city: 'Guangzhou', lat: 23.13, lon: 113.26 } } };
  const event = { type: 'loan_application', at: '2026-11-21T10:30:00+08:00', location: { lat: 39.9, lon: 116.4 } } as DecisionEvent;
  const context = buildFactContext(profile as never, event);
  const facts = computeFacts(context, active.factNames);
  const { evaluations, composed } = await evaluateDecision([active], facts, context.eventTime, THRESHOLDS);
  const observation = {
    decisionId: 'dec_1',
    requestId: 'req-1',
    context,
    facts,
    factNames: active.factNames,
    evaluations,
    composed,
    evaluatedAt: new Date(),
  };
  return { observation, active };
}

const failing = (factNames: string[]): RulesetEvaluator => ({
  identity: identity(2),
  rules: [],
  layout: [],
  factNames: new Set(factNames),
  evaluate: async () => {
    throw new Error('the shadow broke');
  },
});

describe('shadow comparison', () => {
  it('when the shadow yields no alert where the active version declines, then outcome and alerts are counted as changed, with each version’s hits', async () => {
    const { observation } = await observed([farRule(300)]);
    const tally = new ShadowTally();
    const failure = await compareWithShadow(
      observation,
      observation.evaluations[0]!,
      new ClosureRuleset(identity(2), [farRule(3000)]),
      tally,
      THRESHOLDS,
    );
    expect(failure).to.equal(undefined);
    const counts = tally.snapshot();
    expect(counts).to.include({ decisions: 1, errors: 0, unevaluated: 0 });
    expect(counts.changed).to.deep.equal({ outcome: 1, tags: 0, products: 0, alerts: 1 });
    expect(counts.rules).to.deep.equal([{ rule: 'far', hitsActive: 1, hitsShadow: 0 }]);
    expect(counts.examples.map((e) => [e.decisionId, e.changed])).to.deep.equal([['dec_1', ['outcome', 'alerts']]]);
  });

  it('when the shadow version throws, then the failure is counted and returned, never thrown', async () => {
    const { observation } = await observed([farRule(300)]);
    const tally = new ShadowTally();
    const failure = await compareWithShadow(observation, observation.evaluations[0]!, failing([]), tally, THRESHOLDS);
    expect(failure?.message).to.equal('the shadow broke');
    expect(tally.snapshot()).to.include({ decisions: 0, errors: 1 });
  });

  it('when the shadow reads a history the decision did not look up, then it is counted as unevaluated and not evaluated', async () => {
    const { observation } = await observed([farRule(300)]);
    const tally = new ShadowTally();
    const failure = await compareWithShadow(observation, observation.evaluations[0]!, failing(['applicationsLast24h']), tally, THRESHOLDS);
    expect(failure).to.equal(undefined);
    expect(tally.snapshot()).to.include({ decisions: 0, errors: 0, unevaluated: 1 });
  });

  it('when instances’ counts are summed, then rules are summed by name and only the most recent examples are kept', () => {
    const example = (n: number) => ({
      decisionId: `dec_${n}`,
      at: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
      changed: ['tags' as const],
    });
    const one = {
      decisions: 3,
      errors: 1,
      unevaluated: 0,
      changed: { outcome: 1, tags: 2, products: 0, alerts: 0 },
      rules: [{ rule: 'a', hitsActive: 1, hitsShadow: 2 }],
      examples: [1, 2, 3].map(example),
    };
    const two = {
      decisions: 30,
      errors: 0,
      unevaluated: 2,
      changed: { outcome: 0, tags: 25, products: 1, alerts: 0 },
      rules: [
        { rule: 'a', hitsActive: 10, hitsShadow: 0 },
        { rule: 'b', hitsActive: 0, hitsShadow: 7 },
      ],
      examples: Array.from({ length: 25 }, (_, n) => example(n + 4)),
    };
    const sum = sumTallies([one, two]);
    expect(sum).to.include({ decisions: 33, errors: 1, unevaluated: 2 });
    expect(sum.changed).to.deep.equal({ outcome: 1, tags: 27, products: 1, alerts: 0 });
    expect(sum.rules).to.deep.equal([
      { rule: 'a', hitsActive: 11, hitsShadow: 2 },
      { rule: 'b', hitsActive: 0, hitsShadow: 7 },
    ]);
    expect(sum.examples).to.have.length(MAX_EXAMPLES);
    expect(sum.examples[0]!.decisionId).to.equal('dec_28');
  });
});
