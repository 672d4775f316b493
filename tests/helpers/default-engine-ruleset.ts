import { Engine, type RuleProperties } from 'json-rules-engine';
import { engineOperators, runAtEventTime } from '../../src/engine/engine-operators.js';
import type { Rule } from '../../src/engine/rule-schema.js';

/**
 * json-rules-engine as it comes (the benchmark's `jre-default` engine, the differential test's second
 * yardstick beside ReferenceRuleset) — its default JSONPath path resolver (jsonpath-plus, which
 * reads the rules' `$.a.b` paths too) — with only what the rules need to run at all: undefined facts
 * allowed and our operators registered. No explanations are built and no messages rendered: this is
 * the bare engine run, the cheapest thing json-rules-engine can be asked to do for these rules.
 */
export class DefaultEngineRuleset {
  private readonly engine: Engine;

  constructor(rules: readonly Rule[]) {
    this.engine = new Engine(
      rules.map(
        (rule): RuleProperties => ({
          name: rule.name,
          priority: rule.priority ?? 1,
          conditions: rule.conditions as RuleProperties['conditions'],
          event: { type: rule.event.type, params: rule.event.params },
        }),
      ),
      { allowUndefinedFacts: true },
    );
    for (const operator of engineOperators()) this.engine.addOperator(operator);
  }

  /** The names of the rules that fired. Runs on one Engine must not overlap: callers await each. */
  async firedRules(facts: Record<string, unknown>, eventTime: Date): Promise<string[]> {
    const { results } = await runAtEventTime(eventTime, () => this.engine.run(facts));
    return results.map((result) => String(result.name));
  }
}
