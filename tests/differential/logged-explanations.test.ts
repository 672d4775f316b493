import { expect } from 'chai';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import { decodeLeafResults, encodeLeafResults } from '../../src/engine/explanation-codec.js';
import { ReferenceRuleset } from '../../src/engine/reference-ruleset.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import type { RulesetEvaluation, RulesetEvaluator, RulesetIdentity } from '../../src/engine/ruleset-evaluation.js';
import { buildFactContext, computeFacts } from '../../src/facts/fact-library.js';
import { renderedMessages } from '../../src/features/decisions/decision-record.js';
import { decisionEntry } from '../../src/features/decisions/decision-entry.js';
import { decisionResponseJson } from '../../src/features/decisions/decision-json.js';
import { decisionResponse } from '../../src/features/decisions/decision-view.js';
import { composeDecision } from '../../src/engine/decision-outcome.js';
import { UNKEYED } from '../../src/crypto/evidence-key.js';
import { validateDraft } from '../../src/features/rulesets/draft-validator.js';
import { readShippedRulesets } from '../../src/features/rulesets/shipped-rulesets.js';
import { type DecisionInput, generateDecisionInput, generateRuleset, integer, mulberry32 } from '../helpers/generators.js';

/**
 * The log keeps of each ruleset's explanations only the leaf results (engine/explanation-codec.ts) and
 * rebuilds them on read from the logged facts and the version. What a compliance officer reads later must
 * be exactly what the caller received: the rebuilt explanations serialise to the very JSON text answered.
 */

const SHIPPED_INPUTS = 3000;
const GENERATED_RULESETS = 300;
const INPUTS_PER_GENERATED_RULESET = 20;

const identityOf = (id: string): RulesetIdentity => ({ id, version: 7, kind: 'risk', checksum: `sha256:${id}` });

/** Logs one evaluation as the decision path does (JSON text) and rebuilds its explanations from what was logged. */
function logAndRebuild(evaluator: RulesetEvaluator, evaluation: RulesetEvaluation, facts: Record<string, unknown>) {
  const code = encodeLeafResults(evaluation.rules, evaluator.layout, facts);
  const logged = JSON.parse(JSON.stringify({ facts, code, messages: renderedMessages([evaluation]) })) as {
    facts: Record<string, unknown>;
    code: string | undefined;
    messages: Record<string, string>;
  };
  if (logged.code === undefined) return { code: undefined, rebuilt: undefined };
  const { id, version } = evaluator.identity;
  const rebuilt = decodeLeafResults(
    logged.code,
    evaluator.layout,
    { id, version },
    logged.facts,
    (rule) => logged.messages[`${id}/${rule}`],
  );
  return { code: logged.code, rebuilt };
}

/** The answer's JSON as the decision path writes it, and as JSON.stringify writes the response object. */
function answerTexts(evaluator: RulesetEvaluator, evaluation: RulesetEvaluation, facts: Record<string, unknown>, input: DecisionInput) {
  const composed = composeDecision([evaluation], { declineScore: 70, reviewScore: 40 });
  const record = decisionEntry(
    {
      decisionId: 'dec_test',
      subject: 's'.repeat(64),
      request: { profileId: 'P-1', event: input.event },
      event: input.event,
      caller: { keyId: 'key', name: 'loan-system', roles: ['decide'] },
      requestId: 'req-1',
      idempotency: undefined,
      rulesets: [evaluator],
      engine: { name: 'test', version: '0', semantics: 'lender-rules/1' },
      facts,
      evaluations: [evaluation],
      composed,
      evaluatedAt: new Date('2026-11-21T00:00:00Z'),
      reasons: [],
      timings: { totalMs: 1, factsMs: 0.5, evaluateMs: 0.25 },
      next: undefined,
    },
    UNKEYED,
  );
  const explained = { explanations: evaluation.rules };
  return {
    written: decisionResponseJson({ record, explained, rulesets: [evaluator] }),
    stringified: JSON.stringify(decisionResponse(record, explained)),
  };
}

/** Evaluates with both evaluators and checks that each one's logged explanations rebuild to its answered JSON, byte for byte. */
async function checkRebuilds(
  evaluators: readonly RulesetEvaluator[],
  input: DecisionInput,
  where: () => string,
): Promise<{ leaves: number; codeLength: number }> {
  const context = buildFactContext(input.profile, input.event, input.history);
  let [leaves, codeLength] = [0, 0];
  for (const evaluator of evaluators) {
    const facts = computeFacts(context, evaluator.factNames);
    const evaluation = await evaluator.evaluate(facts, context.eventTime);
    const { code, rebuilt } = logAndRebuild(evaluator, evaluation, facts);
    expect(code, `${where()}: ${evaluator.constructor.name} explanations cannot be encoded`).to.be.a('string');
    expect(JSON.stringify(rebuilt), `${where()}: ${evaluator.constructor.name}`).to.equal(JSON.stringify(evaluation.rules));
    const { written, stringified } = answerTexts(evaluator, evaluation, facts, input);
    expect(written, `${where()}: ${evaluator.constructor.name}, the answer's text`).to.equal(stringified);
    leaves += evaluation.rules.reduce((sum, rule) => sum + rule.conditions.length, 0);
    codeLength += code!.length;
  }
  return { leaves, codeLength };
}

const both = (identity: RulesetIdentity, rules: readonly Rule[]): RulesetEvaluator[] => [
  new ClosureRuleset(identity, rules),
  new ReferenceRuleset(identity, rules),
];

describe('logged explanations: leaf results rebuilt from the logged facts and the version', function () {
  this.timeout(300_000);

  it(`when ${SHIPPED_INPUTS.toLocaleString('en-US')} generated decisions over the shipped rulesets are answered, logged and read back, then the answer's text is the response serialised, and every rebuilt explanation is the JSON answered`, async () => {
    const evaluators = readShippedRulesets(path.join(REPO_ROOT, 'rulesets')).flatMap((ruleset) => {
      const rules = validateDraft({ rules: ruleset.rules, reasons: ruleset.reasons }).rules;
      return both({ ...identityOf(ruleset.id), kind: ruleset.kind }, rules);
    });
    const rng = mulberry32(20261130);
    let total = { leaves: 0, codeLength: 0 };
    for (let index = 0; index < SHIPPED_INPUTS; index += 1) {
      const counted = await checkRebuilds(evaluators, generateDecisionInput(rng), () => `input ${index}`);
      total = { leaves: total.leaves + counted.leaves, codeLength: total.codeLength + counted.codeLength };
    }
    // One character a leaf and a rule (plus separators): a few hundred bytes for the four rulesets.
    expect(total.codeLength / SHIPPED_INPUTS / 2).to.be.lessThan(400);
  });

  it(`when ${GENERATED_RULESETS} generated rulesets (priorities, short-circuits, paths, absent facts) each answer and log ${INPUTS_PER_GENERATED_RULESET} decisions, then the answer's text is the response serialised, and every rebuilt explanation is the JSON answered`, async () => {
    for (let seed = 1; seed <= GENERATED_RULESETS; seed += 1) {
      const rng = mulberry32(seed);
      const rules = validateDraft({ rules: generateRuleset(rng, integer(rng, 1, 30)) }).rules;
      const evaluators = both(identityOf(`generated-${seed}`), rules);
      for (let index = 0; index < INPUTS_PER_GENERATED_RULESET; index += 1) {
        await checkRebuilds(evaluators, generateDecisionInput(rng), () => `seed ${seed}, input ${index}`);
      }
    }
  });

  it('when an explanation shows a fact value its fact does not give, then it is not encoded (the log keeps it whole)', () => {
    const rules: Rule[] = [
      {
        name: 'adult',
        conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 17 }] },
        event: { type: 'tag', params: { tag: 'a' } },
      },
    ];
    const evaluator = new ClosureRuleset(identityOf('odd'), rules);
    const evaluation = evaluator.evaluateSync({ age: 30 }, new Date());
    expect(encodeLeafResults(evaluation.rules, evaluator.layout, { age: 30 })).to.equal('11');
    expect(encodeLeafResults(evaluation.rules, evaluator.layout, { age: 31 })).to.equal(undefined);
  });

  it('when leaf results do not fit the version they are decoded with, then decoding refuses', () => {
    const rules: Rule[] = [
      {
        name: 'adult',
        conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 17 }] },
        event: { type: 'tag', params: { tag: 'a' } },
      },
    ];
    const { layout } = new ClosureRuleset(identityOf('fit'), rules);
    const decode = (code: string) => () => decodeLeafResults(code, layout, { id: 'fit', version: 1 }, { age: 30 }, () => undefined);
    expect(decode('11')).not.to.throw();
    expect(decode('111')).to.throw(/does not fit/);
    expect(decode('11,10')).to.throw(/2 rules logged/);
    expect(decode('1x')).to.throw(/does not fit/);
  });
});
