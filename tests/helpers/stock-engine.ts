import { Engine, Operator } from 'json-rules-engine';
import { CUSTOM_OPERATORS } from '../../src/engine/operators.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import { toEngineRule } from '../../src/engine/reference-ruleset.js';

/**
 * json-rules-engine exactly as it comes, the yardstick our semantics (lender-rules/1) are compared with:
 * default options (JSONPath paths; an undefined fact is an error, so every fact the rules read is handed
 * over, an absent one as `undefined`) and its own ten operators, untouched. The operators it does not
 * have (between, matches, before, after, withinLastDays) are added under their own names, evaluated by
 * the same functions as ours, without the presence check our evaluators put before every operator.
 */
export class StockEngine {
  private readonly engine: Engine;
  private eventTime = new Date(Number.NaN);

  constructor(
    rules: readonly Rule[],
    /** Every fact the rules read: handed to each run, absent ones as undefined. */
    private readonly factNames: ReadonlySet<string>,
  ) {
    this.engine = new Engine(rules.map(toEngineRule));
    for (const operator of CUSTOM_OPERATORS) {
      // An operator that prepares its value (matches compiles its pattern) gets it prepared, as in a version.
      const prepared = new Map<unknown, unknown>();
      const prepare = (value: unknown) => {
        if (!operator.prepare) return value;
        if (!prepared.has(value)) prepared.set(value, operator.prepare(value));
        return prepared.get(value);
      };
      this.engine.addOperator(
        new Operator(operator.name, (factValue, value) => operator.evaluate(factValue, prepare(value), this.eventTime)),
      );
    }
  }

  /** The names of the rules that fired. Runs on one Engine must not overlap: callers await each. */
  async firedRules(facts: Readonly<Record<string, unknown>>, eventTime: Date): Promise<string[]> {
    this.eventTime = eventTime;
    const runtimeFacts: Record<string, unknown> = {};
    for (const name of this.factNames) runtimeFacts[name] = facts[name];
    const { results } = await this.engine.run(runtimeFacts);
    return results.map((result) => String(result.name));
  }
}
