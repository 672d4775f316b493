import { Engine, type RuleProperties } from 'json-rules-engine';
import { engineOperators, runAtEventTime } from './engine-operators.js';
import { readPath } from './fact-path.js';
import { renderMessage } from './message-template.js';
import type { Rule } from './rule-schema.js';
import type { ListLookup } from './list-lookup.js';
import { collectFactNames } from './rule-facts.js';
import { explanationLayout, type RuleLayout } from './explanation-layout.js';
import type { ConditionExplanation, RuleExplanation, RulesetEvaluation, RulesetEvaluator, RulesetIdentity } from './ruleset-evaluation.js';

/**
 * A ruleset version turned into a json-rules-engine Engine once, and reused: each evaluation gets
 * a fresh almanac (json-rules-engine's per-run state), no listeners are attached, and nothing is
 * kept between runs, so concurrent requests cannot see each other's facts.
 */
export class ReferenceRuleset implements RulesetEvaluator {
  /** The facts its rules and messages read: the only ones worth computing for it. */
  readonly factNames: ReadonlySet<string>;
  readonly layout: readonly RuleLayout[];
  private readonly engine: Engine;
  private readonly order: Map<string, number>;
  /** The previous evaluation: runs on one Engine must not overlap (see evaluate()). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly identity: RulesetIdentity,
    readonly rules: readonly Rule[],
  ) {
    this.engine = new Engine(rules.map(toEngineRule), {
      allowUndefinedFacts: true,
      pathResolver: (value: object, path: string) => readPath(value, path),
    });
    for (const operator of engineOperators()) this.engine.addOperator(operator);
    this.order = new Map(rules.map((rule, index) => [rule.name, index]));
    this.factNames = collectFactNames(rules);
    this.layout = explanationLayout(rules);
  }

  /**
   * Evaluates every rule against already computed facts. Facts that are absent are simply not
   * keys of `facts`: conditions on them are false.
   */
  async evaluate(facts: Record<string, unknown>, eventTime: Date, lists?: ListLookup): Promise<RulesetEvaluation> {
    const runtimeFacts: Record<string, unknown> = {};
    for (const name of this.factNames) if (facts[name] !== undefined) runtimeFacts[name] = facts[name];
    // json-rules-engine keeps one running/finished status per Engine: when one run finishes while
    // another is between priority groups, the other silently skips its remaining rules. So runs on
    // this engine take turns.
    const run = this.queue.then(() => runAtEventTime(eventTime, () => this.engine.run(runtimeFacts), lists));
    this.queue = run.catch(() => undefined);
    const { results, failureResults } = await run;
    const { id, version, kind, checksum } = this.identity;
    const explanations = [...results, ...failureResults].map((result) => {
      const rule = this.rules[this.order.get(result.name as string)!]!;
      const fired = result.result === true;
      const explanation: RuleExplanation = {
        ruleset: id,
        version,
        rule: rule.name,
        priority: rule.priority ?? 1,
        fired,
        event: rule.event,
        conditions: flattenLeaves(result.conditions as unknown as EvaluatedNode, '/conditions'),
      };
      const template = rule.event.params.message;
      if (fired && typeof template === 'string') explanation.message = renderMessage(template, facts);
      return explanation;
    });
    explanations.sort((a, b) => b.priority - a.priority || this.order.get(a.rule)! - this.order.get(b.rule)!);
    return { ruleset: id, version, kind, checksum, rules: explanations };
  }
}

/** A rule as json-rules-engine takes it. */
export function toEngineRule(rule: Rule): RuleProperties {
  return {
    name: rule.name,
    priority: rule.priority ?? 1,
    conditions: rule.conditions as RuleProperties['conditions'],
    event: { type: rule.event.type, params: rule.event.params },
  };
}

/** json-rules-engine's evaluated condition tree, as its RuleResult holds it. */
interface EvaluatedNode {
  all?: EvaluatedNode[];
  any?: EvaluatedNode[];
  not?: EvaluatedNode;
  fact?: string;
  path?: string;
  operator?: string;
  value?: unknown;
  factResult?: unknown;
  result?: boolean;
}

function flattenLeaves(node: EvaluatedNode, at: string, into: ConditionExplanation[] = []): ConditionExplanation[] {
  if (node.all) node.all.forEach((child, index) => void flattenLeaves(child, `${at}/all/${index}`, into));
  else if (node.any) node.any.forEach((child, index) => void flattenLeaves(child, `${at}/any/${index}`, into));
  else if (node.not) flattenLeaves(node.not, `${at}/not`, into);
  else {
    into.push({
      fact: node.fact!,
      ...(node.path !== undefined && { path: node.path }),
      operator: node.operator!,
      value: node.value,
      factValue: node.factResult,
      result: node.result === true,
      at,
    });
  }
  return into;
}
