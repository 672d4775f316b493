import type { ErrorDetail } from '../errors/domain-error.js';
import { toDetails, validatorFor } from '../schema/validation.js';
import { CUSTOM_OPERATORS, STOCK_OPERATORS, type StockOperator } from './operators.js';
import type { FactType } from '../facts/fact-definition.js';
import { placeholderPaths } from './message-template.js';
import { parsePath } from './fact-path.js';
import { isReservedKey, RESERVED_KEY_MESSAGE } from '../json/object-keys.js';
import { eventParamsSchemas, leafSchema, RULESET_LIMITS, type Rule } from './rule-schema.js';
import { patternBudgetProblems, tooManyPatterns } from './pattern-budget.js';

const OPERATORS = new Map<string, StockOperator>([...STOCK_OPERATORS, ...CUSTOM_OPERATORS].map((operator) => [operator.name, operator]));
const GROUP_KEYS = ['all', 'any', 'not'] as const;
const PLACEHOLDER_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
/** Operators that compare the fact with the value (or the value's items) by ===: of another type, never equal. */
const EQUALITY_OPERATORS: ReadonlySet<string> = new Set(['equal', 'notEqual', 'in', 'notIn']);
/** `/pattern/flags`, as JavaScript writes a regular expression literal. */
const PATTERN_LITERAL = /^\/(.*)\/([a-z]*)$/s;
/** Names every JavaScript object answers (toString, constructor, __proto__...): no path may read them. */
const OBJECT_MEMBERS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
const STRUCTURED_TYPES = new Set(['object', 'array']);

/** The facts rules may read, by name, with the type of each (a path applies only to objects and arrays). */
export type FactCatalogue = ReadonlyMap<string, { readonly type: FactType }>;

/**
 * Checks rules that passed their schema (`rulesSchema`) completely, so that nothing invalid can reach
 * the engine: facts, operators and their value shapes, paths, event params, names and limits. A leaf
 * that could never hold is refused too: an operator that does not fit its fact's declared type, or an
 * equality with a value of another type. A leaf with a path reads a value of no declared type, so only
 * its value's shape is checked. Answers every problem with a JSON pointer from `/rules`; none when the
 * rules are sound.
 */
export function ruleProblems(rules: readonly Rule[], facts: FactCatalogue): ErrorDetail[] {
  const tooMany = tooManyPatterns(rules);
  if (tooMany) return [tooMany];
  const details: ErrorDetail[] = [];
  const firstByName = new Map<string, number>();
  rules.forEach((rule, index) => {
    const base = `/rules/${index}`;
    const earlier = firstByName.get(rule.name);
    if (earlier !== undefined) details.push({ path: `${base}/name`, message: `duplicate rule name (also /rules/${earlier}/name)` });
    else firstByName.set(rule.name, index);
    checkTopCondition(rule.conditions, `${base}/conditions`, facts, details);
    checkEvent(rule.event, `${base}/event`, facts, details);
  });
  details.push(...patternBudgetProblems(rules));
  return details;
}

function checkTopCondition(conditions: unknown, path: string, facts: FactCatalogue, details: ErrorDetail[]): void {
  const node = conditions as Record<string, unknown>;
  if (!GROUP_KEYS.some((key) => key in node)) {
    details.push({ path, message: 'the top level of conditions must be all, any or not' });
    return;
  }
  const leaves = { count: 0 };
  checkCondition(node, path, 1, leaves, facts, details);
  if (leaves.count > RULESET_LIMITS.leavesPerRule) {
    details.push({ path, message: `a rule may hold at most ${RULESET_LIMITS.leavesPerRule} leaf conditions (has ${leaves.count})` });
  }
}

function checkCondition(
  node: unknown,
  path: string,
  depth: number,
  leaves: { count: number },
  facts: FactCatalogue,
  details: ErrorDetail[],
): void {
  if (depth > RULESET_LIMITS.depth) {
    details.push({ path, message: `conditions may nest at most ${RULESET_LIMITS.depth} levels deep` });
    return;
  }
  if (!node || typeof node !== 'object' || Array.isArray(node)) {
    details.push({ path, message: 'must be a condition object' });
    return;
  }
  const record = node as Record<string, unknown>;
  if ('fact' in record) {
    leaves.count += 1;
    checkLeaf(record, path, facts, details);
    return;
  }
  const groups = GROUP_KEYS.filter((key) => key in record);
  const extra = Object.keys(record).filter(
    (key) => !(GROUP_KEYS as readonly string[]).includes(key) && key !== 'priority' && key !== 'name',
  );
  if (groups.length !== 1) {
    details.push({ path, message: 'must hold exactly one of all, any, not, or be a leaf with fact, operator and value' });
    return;
  }
  for (const key of extra) details.push({ path: `${path}/${key}`, message: 'is not an allowed property' });
  const priority = record.priority;
  if (priority !== undefined && !(Number.isInteger(priority) && (priority as number) >= 1 && (priority as number) <= 1000)) {
    details.push({ path: `${path}/priority`, message: 'must be an integer from 1 to 1000' });
  }
  if (record.name !== undefined && typeof record.name !== 'string') details.push({ path: `${path}/name`, message: 'must be a string' });
  const key = groups[0]!;
  const child = record[key];
  if (key === 'not') {
    checkCondition(child, `${path}/not`, depth + 1, leaves, facts, details);
    return;
  }
  if (!Array.isArray(child) || child.length === 0) {
    details.push({ path: `${path}/${key}`, message: 'must be a non-empty array of conditions' });
    return;
  }
  if (child.length > RULESET_LIMITS.conditionsPerGroup) {
    details.push({ path: `${path}/${key}`, message: `may hold at most ${RULESET_LIMITS.conditionsPerGroup} conditions` });
  }
  child.forEach((item, index) => void checkCondition(item, `${path}/${key}/${index}`, depth + 1, leaves, facts, details));
}

function checkLeaf(leaf: Record<string, unknown>, path: string, facts: FactCatalogue, details: ErrorDetail[]): void {
  const validate = validatorFor(leafSchema);
  if (!validate(leaf)) {
    details.push(...toDetails(validate.errors, path));
    return;
  }
  const factName = leaf.fact as string;
  const fact = facts.get(factName);
  if (!fact) details.push({ path: `${path}/fact`, message: `unknown fact "${factName}" (GET /v1/facts lists them)` });
  const operator = OPERATORS.get(leaf.operator as string);
  if (leaf.value !== null && typeof leaf.value === 'object' && !Array.isArray(leaf.value)) {
    // json-rules-engine would read { "fact": ... } as a reference to another fact's value.
    details.push({ path: `${path}/value`, message: 'must be a JSON scalar or an array (objects are not compared)' });
  } else if (!operator) {
    details.push({ path: `${path}/operator`, message: `unknown operator "${String(leaf.operator)}"` });
  } else {
    // For `matches`, checkValue compiles the pattern with RE2 and checks its size.
    const problem = operator.checkValue(leaf.value) ?? patternLiteralProblem(operator.name, leaf.value);
    if (problem) details.push({ path: `${path}/value`, message: problem });
    else if (fact && leaf.path === undefined) checkTypeFit(operator, factName, fact.type, leaf.value, path, details);
  }
  if (leaf.path !== undefined && fact && fact.type !== 'object' && fact.type !== 'array') {
    details.push({ path: `${path}/path`, message: `fact "${factName}" is a ${fact.type} and has no path` });
  } else if (typeof leaf.path === 'string') {
    const segment = parsePath(leaf.path).find((candidate) => typeof candidate === 'string' && OBJECT_MEMBERS.has(candidate));
    if (segment !== undefined) {
      const message = isReservedKey(segment as string)
        ? `a path segment ${RESERVED_KEY_MESSAGE}`
        : `a path segment must not be "${segment}", which every JavaScript object has: paths read a fact's own fields only`;
      details.push({ path: `${path}/path`, message });
    }
  }
}

/** A leaf on a fact of declared `type`, read whole: the operator must fit the type, and an equality's values must be of it. */
function checkTypeFit(operator: StockOperator, factName: string, type: FactType, value: unknown, path: string, details: ErrorDetail[]) {
  const article = /^[aeiou]/.test(type) ? 'an' : 'a';
  if (!operator.factTypes.includes(type)) {
    const fits = [...new Set(operator.factTypes.map((fit) => (fit === 'integer' ? 'numbers' : `${fit}s`)))].join(' or ');
    const hint = type === 'object' || type === 'array' ? '; read one of its fields with a path' : '';
    details.push({
      path: `${path}/operator`,
      message: `"${operator.name}" never holds on fact "${factName}", ${article} ${type}: it applies to ${fits}${hint}`,
    });
    return;
  }
  if (!EQUALITY_OPERATORS.has(operator.name)) return;
  const [items, at] = Array.isArray(value) ? [value as unknown[], (index: number) => `/${index}`] : [[value], () => ''];
  items.forEach((item, index) => {
    if (!isOfType(item, type)) {
      details.push({
        path: `${path}/value${at(index)}`,
        message: `${JSON.stringify(item)} never equals fact "${factName}", ${article} ${type}${item === null ? ' (a fact that cannot be computed is absent, never null)' : ''}`,
      });
    }
  });
}

function isOfType(value: unknown, type: FactType): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === type;
}

/** Flags are not supported: a pattern written as `/^vip$/i` would search for the slashes. */
function patternLiteralProblem(operator: string, value: unknown): string | undefined {
  const literal = operator === 'matches' && typeof value === 'string' ? PATTERN_LITERAL.exec(value) : null;
  if (!literal) return undefined;
  const flags = literal[2] ? ` (flags such as "${literal[2]}" are not supported)` : '';
  return `"matches" takes the pattern alone, not a /pattern/ literal: write ${JSON.stringify(literal[1])}${flags}; a pattern for a leading slash starts with "\\/"`;
}

function checkEvent(event: Rule['event'], path: string, facts: FactCatalogue, details: ErrorDetail[]): void {
  const validate = validatorFor(eventParamsSchemas[event.type]);
  if (!validate(event.params)) {
    details.push(...toDetails(validate.errors, `${path}/params`));
    return;
  }
  const message = event.params.message;
  if (typeof message === 'string') {
    for (const placeholder of placeholderPaths(message)) {
      const fact = placeholder.split('.')[0]!;
      if (!PLACEHOLDER_PATH.test(placeholder)) {
        details.push({ path: `${path}/params/message`, message: `placeholder {{${placeholder}}} must be {{fact}} or {{fact.path}}` });
      } else if (placeholder.split('.').some(isReservedKey)) {
        details.push({ path: `${path}/params/message`, message: `placeholder {{${placeholder}}}: a path segment ${RESERVED_KEY_MESSAGE}` });
      } else if (!facts.has(fact)) {
        details.push({ path: `${path}/params/message`, message: `names unknown fact "${fact}"` });
      } else if (placeholder === fact && STRUCTURED_TYPES.has(facts.get(fact)!.type)) {
        // A message is short plain text: a whole object or list (`{{activity}}` held megabytes) is not.
        details.push({
          path: `${path}/params/message`,
          message: `placeholder {{${placeholder}}} names a fact of type ${facts.get(fact)!.type}; name one of its values, e.g. {{${fact}.${facts.get(fact)!.type === 'array' ? '0' : 'field'}}}`,
        });
      }
    }
  }
}
