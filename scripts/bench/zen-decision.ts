import { loadZenEngine, type ZenDecisionLike, type ZenEngineLike } from './zen-loader.js';
import { parsePath } from '../../src/engine/fact-path.js';
import type { Condition, LeafCondition, Rule } from '../../src/engine/rule-schema.js';
import type { BenchRuleset } from './bench-inputs.js';

/**
 * The `zen` engine: the same rules as a GoRules JSON Decision Model, generated from our rule JSON: one
 * decision table (hit policy `collect`) with one expression column, one row per rule, whose outputs
 * name the ruleset and the rule. all/any/not become `and`/`or`/`not`; each leaf guards the fact's
 * type first, so that an absent fact (zen reads it as null) makes the leaf false exactly as ours does,
 * instead of an error. `withinLastDays` reads the event time from the input's EVENT_TIME_FIELD.
 */
export const EVENT_TIME_FIELD = '_eventTimeSeconds';

export interface FiredRule {
  ruleset: string;
  rule: string;
}

export class ZenRulesDecision {
  private readonly engine: ZenEngineLike = new (loadZenEngine())();
  private readonly decision: ZenDecisionLike;
  readonly jdm: object;

  constructor(rulesets: readonly BenchRuleset[]) {
    this.jdm = buildJdm(rulesets);
    this.decision = this.engine.createDecision(this.jdm);
  }

  /** The input zen is given: the facts, plus the event time (ours receives it as an argument). */
  static input(facts: Record<string, unknown>, eventTime: Date): Record<string, unknown> {
    return { ...facts, [EVENT_TIME_FIELD]: Math.floor(eventTime.getTime() / 1000) };
  }

  /** One evaluation: the rules of every ruleset of the pack that fired. */
  async fired(input: Record<string, unknown>): Promise<FiredRule[]> {
    const response = await this.decision.evaluate(input);
    return response.result as FiredRule[];
  }

  dispose(): void {
    this.engine.dispose();
  }
}

export function buildJdm(rulesets: readonly BenchRuleset[]): object {
  const rows = rulesets.flatMap(({ identity, rules }) =>
    rules.map((rule: Rule, index) => ({
      _id: `${identity.id}-${index}`,
      _description: rule.name,
      condition: toExpression(rule.conditions as Condition),
      ruleset: literal(identity.id),
      rule: literal(rule.name),
    })),
  );
  const position = { x: 0, y: 0 };
  return {
    contentType: 'application/vnd.gorules.decision',
    nodes: [
      { id: 'request', type: 'inputNode', name: 'Request', position },
      {
        id: 'rules',
        type: 'decisionTableNode',
        name: rulesets.map(({ identity }) => identity.id).join(' + '),
        position,
        content: {
          hitPolicy: 'collect',
          inputs: [{ id: 'condition', name: 'Condition', type: 'expression', field: '' }],
          outputs: [
            { id: 'ruleset', name: 'Ruleset', type: 'expression', field: 'ruleset' },
            { id: 'rule', name: 'Rule', type: 'expression', field: 'rule' },
          ],
          rules: rows,
        },
      },
      { id: 'response', type: 'outputNode', name: 'Response', position },
    ],
    edges: [
      { id: 'request-rules', type: 'edge', sourceId: 'request', targetId: 'rules' },
      { id: 'rules-response', type: 'edge', sourceId: 'rules', targetId: 'response' },
    ],
  };
}

export function toExpression(node: Condition): string {
  if ('all' in node) return node.all.length === 0 ? 'true' : `(${node.all.map(toExpression).join(' and ')})`;
  if ('any' in node) return node.any.length === 0 ? 'false' : `(${node.any.map(toExpression).join(' or ')})`;
  if ('not' in node) return `not ${toExpression(node.not)}`;
  return leafExpression(node);
}

const DAY_SECONDS = 86_400;

function leafExpression(leaf: LeafCondition): string {
  const ref = reference(leaf);
  const value: unknown = leaf.value;
  const is = (type: string) => `type(${ref}) == "${type}"`;
  const guarded = (type: string, test: string) => `(${is(type)} and ${test})`;
  switch (leaf.operator) {
    case 'equal':
      return guarded(zenType(value, leaf), `${ref} == ${literal(value)}`);
    case 'notEqual':
      return `(${is('null')} == false and ${ref} != ${literal(value)})`;
    case 'lessThan':
      return guarded('number', `${ref} < ${literal(value)}`);
    case 'lessThanInclusive':
      return guarded('number', `${ref} <= ${literal(value)}`);
    case 'greaterThan':
      return guarded('number', `${ref} > ${literal(value)}`);
    case 'greaterThanInclusive':
      return guarded('number', `${ref} >= ${literal(value)}`);
    case 'between': {
      const [lo, hi] = value as [number, number];
      return guarded('number', `${ref} >= ${literal(lo)} and ${ref} <= ${literal(hi)}`);
    }
    case 'in':
      return `(${is('null')} == false and ${ref} in ${literal(value)})`;
    case 'contains':
      return guarded('array', `contains(${ref}, ${literal(value)})`);
    case 'doesNotContain':
      return guarded('array', `not contains(${ref}, ${literal(value)})`);
    case 'matches':
      return guarded('string', `matches(${ref}, ${literal(value)})`);
    case 'withinLastDays': {
      const windowSeconds = Math.round((value as number) * DAY_SECONDS);
      return guarded('string', `date(${ref}) >= ${EVENT_TIME_FIELD} - ${windowSeconds} and date(${ref}) <= ${EVENT_TIME_FIELD}`);
    }
    case 'before':
      return guarded('string', `date(${ref}) < date(${literal(value)})`);
    case 'after':
      return guarded('string', `date(${ref}) > date(${literal(value)})`);
    case 'inList':
    case 'notInList':
      // The engine comparison runs without lists (every engine's list conditions are false there).
      return 'false';
    default:
      throw new Error(`ZenRulesDecision: buildJdm() cannot translate operator "${leaf.operator}" (fact ${leaf.fact})`);
  }
}

/** `credit` + `$.limits[0].amount` → `credit.limits[0].amount`. */
function reference(leaf: LeafCondition): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(leaf.fact)) throw new Error(`ZenRulesDecision: buildJdm() cannot reference fact "${leaf.fact}"`);
  const segments = leaf.path === undefined ? [] : parsePath(leaf.path);
  return leaf.fact + segments.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('');
}

function zenType(value: unknown, leaf: LeafCondition): string {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  throw new Error(`ZenRulesDecision: buildJdm() cannot translate "equal" to ${JSON.stringify(value)} (fact ${leaf.fact})`);
}

/** A zen literal. Zen strings have no escapes: a quote of the other kind delimits them. */
function literal(value: unknown): string {
  if (typeof value === 'string') {
    if (!value.includes('"')) return `"${value}"`;
    if (!value.includes("'")) return `'${value}'`;
    throw new Error(`ZenRulesDecision: buildJdm() cannot write ${JSON.stringify(value)} as a zen string`);
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  throw new Error(`ZenRulesDecision: buildJdm() cannot write ${JSON.stringify(value)} as a zen literal`);
}
