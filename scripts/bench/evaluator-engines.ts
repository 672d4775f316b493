import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import { ReferenceRuleset } from '../../src/engine/reference-ruleset.js';
import { DefaultEngineRuleset } from '../../tests/helpers/default-engine-ruleset.js';
import { pickFacts, type BenchInput, type BenchRuleset } from './bench-inputs.js';
import { ZenRulesDecision } from './zen-decision.js';

/** The engines compared, by the names the tables and results.json use. */
export const ENGINE_NAMES = ['compiled', 'jre-default', 'jre-dot-path', 'zen'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export const ENGINE_DESCRIPTIONS: Record<EngineName, string> = {
  compiled: 'compiled: our evaluator (ClosureRuleset.evaluateSync, ENGINE=compiled)',
  'jre-default': 'jre-default: json-rules-engine, default options (JSONPath), our operators',
  'jre-dot-path': 'jre-dot-path: json-rules-engine, dot-path resolver, our operators (ReferenceRuleset, ENGINE=reference)',
  zen: 'zen: @gorules/zen-engine, generated JDM',
};

/** The rulesets the zen decision covers: fraud alerts and customer tags. */
export const ZEN_PACK = ['fraud-alerts', 'customer-tags'] as const;

/** Every engine under test, built once over the same shipped rules; the arrays hold one engine per ruleset. */
export interface Engines {
  rulesets: BenchRuleset[];
  compiled: ClosureRuleset[];
  jreDefault: DefaultEngineRuleset[];
  jreDotPath: ReferenceRuleset[];
  /** One decision over the rulesets of ZEN_PACK. */
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
    compiled: rulesets.map(({ identity, rules }) => new ClosureRuleset(identity, rules)),
    jreDefault: rulesets.map(({ rules }) => new DefaultEngineRuleset(rules)),
    jreDotPath: rulesets.map(({ identity, rules }) => new ReferenceRuleset(identity, rules)),
    zen: new ZenRulesDecision(zenPack.map((index) => rulesets[index]!)),
    zenPack,
  };
}

/**
 * What each engine is handed, prepared outside the timed loops: jre-default's runtime facts reduced to
 * the facts of each ruleset (it pays per fact it is given), and zen's input object.
 */
export interface PreparedInputs {
  /** [ruleset][input] */
  jreDefaultFacts: Record<string, unknown>[][];
  zenInputs: Record<string, unknown>[];
}

export function prepareInputs(engines: Engines, inputs: readonly BenchInput[]): PreparedInputs {
  const zenFactNames = new Set(engines.zenPack.flatMap((index) => [...engines.compiled[index]!.factNames]));
  return {
    jreDefaultFacts: engines.compiled.map((compiled) => inputs.map((input) => pickFacts(input.facts, compiled.factNames))),
    zenInputs: inputs.map((input) => ZenRulesDecision.input(pickFacts(input.facts, zenFactNames), input.eventTime)),
  };
}
