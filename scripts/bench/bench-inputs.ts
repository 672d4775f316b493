import path from 'node:path';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { buildFactContext, computeFacts } from '../../src/facts/fact-library.js';
import type { Rule, RulesetKind } from '../../src/engine/rule-schema.js';
import type { RulesetIdentity } from '../../src/engine/ruleset-evaluation.js';
import { readShippedRulesets } from '../../src/features/rulesets/shipped-rulesets.js';
import { generateDecisionInput, type DecisionInput, type Rng } from '../../tests/helpers/generators.js';

/** One shipped ruleset as every engine under test receives it. */
export interface BenchRuleset {
  identity: RulesetIdentity;
  rules: Rule[];
}

/** One decision to make: what the service would have after loading the profile and the history. */
export interface BenchInput extends DecisionInput {
  eventTime: Date;
  /** Computed once, outside every timed loop: the union of the facts the pack reads. */
  facts: Record<string, unknown>;
}

export function loadShippedRulesets(): BenchRuleset[] {
  return readShippedRulesets(path.join(REPO_ROOT, 'rulesets')).map((shipped) => ({
    identity: { id: shipped.id, version: 1, kind: shipped.kind as RulesetKind, checksum: `sha256:bench-${shipped.id}` },
    rules: shipped.rules as Rule[],
  }));
}

/** The facts any rule of the pack reads, conditions and message placeholders alike. */
export function packFactNames(factNamesOfRulesets: Iterable<ReadonlySet<string>>): Set<string> {
  const names = new Set<string>();
  for (const factNames of factNamesOfRulesets) for (const name of factNames) names.add(name);
  return names;
}

export function generateInputs(rng: Rng, count: number, factNames: ReadonlySet<string>): BenchInput[] {
  return Array.from({ length: count }, () => {
    const { profile, event, history } = generateDecisionInput(rng);
    const context = buildFactContext(profile, event, history);
    return { profile, event, history, eventTime: context.eventTime, facts: computeFacts(context, factNames) };
  });
}

/** The cost the evaluators do not pay in the timed loops: building the context and computing the facts. */
export function computeAllFacts(inputs: readonly BenchInput[], factNames: ReadonlySet<string>): number {
  let kept = 0;
  for (const input of inputs) {
    const facts = computeFacts(buildFactContext(input.profile, input.event, input.history), factNames);
    kept += Object.keys(facts).length;
  }
  return kept;
}

/** `facts` reduced to `names` (what json-rules-engine is given as its runtime facts). */
export function pickFacts(facts: Record<string, unknown>, names: ReadonlySet<string>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) if (facts[name] !== undefined) picked[name] = facts[name];
  return picked;
}
