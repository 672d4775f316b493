import type { ConditionExplanation, RuleExplanation, RulesetEvaluation, RulesetEvaluator, RulesetIdentity } from './ruleset-evaluation.js';
import { compileConditions, FactSlots, fillUnreached, type ConditionTest, type LeafSource } from './condition-compiler.js';
import { compileTemplate, type MessageRenderer } from './message-template.js';
import type { Rule } from './rule-schema.js';
import type { ListLookup } from './list-lookup.js';
import { collectFactNames } from './rule-facts.js';
import { inEvaluationOrder, type RuleLayout } from './explanation-layout.js';

/** One rule, ready to run: its test, its leaves as written, and its message. */
interface ClosureRule {
  rule: Rule;
  priority: number;
  test: ConditionTest;
  leaves: readonly LeafSource[];
  mayShortCircuit: boolean;
  /** Renders `params.message` for a fired rule; undefined when the rule has none. */
  message: MessageRenderer | undefined;
}

/**
 * A ruleset version compiled once into plain closures over its parsed conditions (no code is generated
 * from rule text), answering exactly what ReferenceRuleset's json-rules-engine run answers: the same
 * rules in the same order, the same leaves with the same fact values, results and pointers, the same
 * messages. The differential test (tests/unit/evaluator-differential.test.ts) holds it to that.
 *
 * Evaluation is synchronous and allocates only the evaluation it returns; nothing is kept between runs
 * (the fact slots are emptied when each ends), so it is safe to share between concurrent requests.
 */
export class ClosureRuleset implements RulesetEvaluator {
  readonly factNames: ReadonlySet<string>;
  readonly layout: readonly RuleLayout[];
  /** In evaluation order: priority high to low, then as written. */
  private readonly ordered: readonly ClosureRule[];
  private readonly slots = new FactSlots();

  constructor(
    readonly identity: RulesetIdentity,
    readonly rules: readonly Rule[],
  ) {
    this.factNames = collectFactNames(rules);
    const compiled = rules.map(
      (rule): ClosureRule => ({
        rule,
        priority: rule.priority ?? 1,
        ...compileConditions(rule, this.slots, this.factNames),
        message: compileMessage(rule.event.params.message),
      }),
    );
    // ReferenceRuleset sorts its explanations the same way after every run; here once.
    this.ordered = inEvaluationOrder(compiled, (rule) => rule.priority);
    this.layout = this.ordered.map(({ rule, priority, leaves }) => ({ name: rule.name, priority, event: rule.event, leaves }));
  }

  /** Evaluates every rule against already computed facts (absent facts are not keys of `facts`). */
  async evaluate(facts: Record<string, unknown>, eventTime: Date, lists?: ListLookup): Promise<RulesetEvaluation> {
    return this.evaluateSync(facts, eventTime, lists);
  }

  /** The same as `evaluate`, without the promise: the evaluation itself. */
  evaluateSync(facts: Record<string, unknown>, eventTime: Date, lists?: ListLookup): RulesetEvaluation {
    const { id, version, kind, checksum } = this.identity;
    const explanations: RuleExplanation[] = [];
    this.slots.load(facts, lists);
    try {
      for (const compiled of this.ordered) {
        const conditions: ConditionExplanation[] = [];
        const fired = compiled.test(eventTime, conditions) === true;
        if (compiled.mayShortCircuit) fillUnreached(conditions, compiled.leaves);
        const { rule } = compiled;
        const explanation: RuleExplanation = {
          ruleset: id,
          version,
          rule: rule.name,
          priority: compiled.priority,
          fired,
          event: rule.event,
          conditions,
        };
        if (fired && compiled.message !== undefined) explanation.message = compiled.message(facts);
        explanations.push(explanation);
      }
    } finally {
      this.slots.unload();
    }
    return { ruleset: id, version, kind, checksum, rules: explanations };
  }
}

/** `params.message` as a renderer, compiled once; undefined when the rule has no message. */
function compileMessage(template: unknown): MessageRenderer | undefined {
  return typeof template === 'string' ? compileTemplate(template) : undefined;
}
