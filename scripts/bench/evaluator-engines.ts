import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import { ReferenceRuleset } from '../../src/engine/reference-ruleset.js';
import { pickFacts, type BenchInput, type BenchRuleset } from './bench-inputs.js';
import { DefaultEngineRuleset } from './default-engine-ruleset.js';
import { ZenRulesDecision } from './zen-decision.js';

/** The rulesets the zen decision covers: fraud alerts and customer tags. */
export const ZEN_PACK = ['fraud-alerts', 'customer-tags'] as const;

/** Every engine under test, built once over the same shipped rules. */
export interface Engines {
  rulesets: BenchRuleset[];
  /** (a) our evaluator. */
  closures: ClosureRuleset[];
  /** (b) json-rules-engine with default options. */
  defaults: DefaultEngineRuleset[];
  /** (c) json-rules-engine with the dot-path resolver, as ENGINE=reference runs it. */
  references: ReferenceRuleset[];
  /** (d) zen, over ZEN_PACK only. */
  zen: ZenRulesDecision;
  /** Indexes into the arrays above of the rulesets in ZEN_PACK. */
  zenPack: number[];
}

export function buildEngines(rulesets: BenchRuleset[]): Engines {
  const zenPack = ZEN_PACK.map((id) => {
    const index = rulesets.findIndex((ruleset) => ruleset.identity.id === id);
    if (index < 0) throw new Error(`bench: the shipped rulesets have no ${id}`);
    return index;
  });
  return {
    rulesets,
    closures: rulesets.map(({ identity, rules }) => new ClosureRuleset(identity, rules)),
    defaults: rulesets.map((ruleset) => new DefaultEngineRuleset(ruleset)),
    references: rulesets.map(({ identity, rules }) => new ReferenceRuleset(identity, rules)),
    zen: new ZenRulesDecision(zenPack.map((index) => rulesets[index]!)),
    zenPack,
  };
}

/**
 * What each engine is handed, prepared outside the timed loops: json-rules-engine's runtime facts
 * reduced to the facts of each ruleset (it pays per fact it is given), and zen's input object.
 */
export interface PreparedInputs {
  /** [ruleset][input] */
  defaultFacts: Record<string, unknown>[][];
  zenInputs: Record<string, unknown>[];
}

export function prepareInputs(engines: Engines, inputs: readonly BenchInput[]): PreparedInputs {
  const zenFactNames = new Set(engines.zenPack.flatMap((index) => [...engines.closures[index]!.factNames]));
  return {
    defaultFacts: engines.closures.map((closure) => inputs.map((input) => pickFacts(input.facts, closure.factNames))),
    zenInputs: inputs.map((input) => ZenRulesDecision.input(pickFacts(input.facts, zenFactNames), input.eventTime)),
  };
}
