import { Engine } from 'json-rules-engine';
import { engineOperators, runAtEventTime } from '../../src/engine/engine-operators.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import type { ListLookup } from '../../src/engine/list-lookup.js';
import { toEngineRule } from '../../src/engine/reference-ruleset.js';

/**
 * json-rules-engine with its default options (the benchmark's `jre-default` engine, the differential
 * test's second yardstick beside ReferenceRuleset) — its default JSONPath path resolver (jsonpath-plus,
 * which reads the rules' `$.a.b` paths too) — running our semantics (lender-rules/1): undefined facts
 * allowed and our operators registered in place of its stock ones (StockEngine, in stock-engine.ts, is
 * json-rules-engine's own semantics). No explanations are built and no messages rendered: this is the
 * bare engine run, the cheapest thing json-rules-engine can be asked to do for these rules.
 */
export class DefaultEngineRuleset {
  private readonly engine: Engine;

  constructor(rules: readonly Rule[]) {
    this.engine = new Engine(rules.map(toEngineRule), { allowUndefinedFacts: true });
    for (const operator of engineOperators()) this.engine.addOperator(operator);
  }

  /** The names of the rules that fired. Runs on one Engine must not overlap: callers await each. */
  async firedRules(facts: Record<string, unknown>, eventTime: Date, lists?: ListLookup): Promise<string[]> {
    const { results } = await runAtEventTime(eventTime, () => this.engine.run(facts), lists);
    return results.map((result) => String(result.name));
  }
}
