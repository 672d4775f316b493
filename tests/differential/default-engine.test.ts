import { expect } from 'chai';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { buildFactContext, computeFacts } from '../../src/facts/fact-library.js';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import { validateDraft } from '../../src/features/rulesets/draft-validator.js';
import { readShippedRulesets } from '../../src/features/rulesets/shipped-rulesets.js';
import { DefaultEngineRuleset } from '../helpers/default-engine-ruleset.js';
import { GENERATED_LISTS, generateDecisionInput, generateRuleset, integer, mulberry32, type Rng } from '../helpers/generators.js';

/**
 * json-rules-engine with its default options (its JSONPath resolver) running our operators must fire the
 * same rules as our evaluator: the benchmark's `jre-default` engine is only a fair yardstick if it answers
 * what `compiled` answers. (How our semantics differ from stock json-rules-engine: stock-engine.test.ts.) Whole explanations are compared with ReferenceRuleset in
 * evaluator-differential.test.ts; json-rules-engine's bare run has none, so here the fired rules are.
 */

const SHIPPED_INPUTS = 1000;
const SHIPPED_SEED = 20261122;
const GENERATED_RULESETS = 100;
const INPUTS_PER_GENERATED_RULESET = 10;

const identityOf = (id: string) => ({ id, version: 1, kind: 'risk' as const, checksum: `sha256:${id}` });

interface Disagreement {
  input: number;
  compiled: string[];
  jreDefault: string[];
  facts: Record<string, unknown>;
}

/** Runs both engines over generated inputs; answers the rules `compiled` fired and every input on which they disagree. */
async function compare(rules: readonly Rule[], inputs: number, rng: Rng): Promise<{ fired: string[]; disagreements: Disagreement[] }> {
  const compiled = new ClosureRuleset(identityOf('case'), rules);
  const jreDefault = new DefaultEngineRuleset(rules);
  const fired: string[] = [];
  const disagreements: Disagreement[] = [];
  for (let input = 0; input < inputs; input += 1) {
    const { profile, event, history } = generateDecisionInput(rng);
    const context = buildFactContext(profile, event, history);
    const facts = computeFacts(context, compiled.factNames);
    const ours = compiled
      .evaluateSync(facts, context.eventTime, GENERATED_LISTS)
      .rules.filter((rule) => rule.fired)
      .map((rule) => rule.rule)
      .sort();
    const theirs = (await jreDefault.firedRules(facts, context.eventTime, GENERATED_LISTS)).sort();
    fired.push(...ours);
    if (ours.join('\n') !== theirs.join('\n')) disagreements.push({ input, compiled: ours, jreDefault: theirs, facts });
  }
  return { fired, disagreements };
}

describe('compiled evaluator against json-rules-engine with its default options and our operators', function () {
  this.timeout(120_000);

  const shippedTitle = `when ${SHIPPED_INPUTS.toLocaleString('en-US')} generated profiles and events go through the shipped rulesets`;
  it(`${shippedTitle}, then the same rules fire`, async () => {
    const shipped = readShippedRulesets(path.join(REPO_ROOT, 'rulesets'));
    const rng = mulberry32(SHIPPED_SEED);
    const firedSomewhere = new Set<string>();
    for (const ruleset of shipped) {
      const rules = validateDraft({ rules: ruleset.rules, reasons: ruleset.reasons }).rules;

      const { fired, disagreements } = await compare(rules, SHIPPED_INPUTS, rng);

      expect(disagreements.slice(0, 3), `${ruleset.id} (seed ${SHIPPED_SEED}): ${disagreements.length} disagreements`).to.deep.equal([]);
      for (const name of fired) firedSomewhere.add(`${ruleset.id}/${name}`);
    }
    // The inputs reach every rule, so that agreement is not only on rules that never fire.
    const allRules = shipped.flatMap((ruleset) => (ruleset.rules as Rule[]).map((rule) => `${ruleset.id}/${rule.name}`));
    expect(
      allRules.filter((name) => !firedSomewhere.has(name)),
      'rules no generated input fires',
    ).to.deep.equal([]);
  });

  const generatedTitle = `when ${GENERATED_RULESETS} valid generated rulesets each see ${INPUTS_PER_GENERATED_RULESET} inputs`;
  it(`${generatedTitle}, then the same rules fire`, async () => {
    let firedCount = 0;
    for (let seed = 1; seed <= GENERATED_RULESETS; seed += 1) {
      const rng = mulberry32(seed);
      const rules = validateDraft({ rules: generateRuleset(rng, integer(rng, 1, 30)) }).rules;

      const { fired, disagreements } = await compare(rules, INPUTS_PER_GENERATED_RULESET, rng);

      const firstDisagreement = disagreements.slice(0, 1).map((disagreement) => ({ ...disagreement, rules }));
      expect(firstDisagreement, `generated ruleset of seed ${seed}`).to.deep.equal([]);
      firedCount += fired.length;
    }
    expect(firedCount, 'fired rules').to.be.greaterThan(300);
  });
});
