import type { ErrorDetail } from '../errors/domain-error.js';
import { toDetails, validatorFor } from '../schema/validation.js';
import { CUSTOM_OPERATORS, STOCK_OPERATORS } from './operators.js';
import { placeholderPaths } from './message-template.js';
import { parsePath } from './fact-path.js';
import { isReservedKey, RESERVED_KEY_MESSAGE } from '../json/object-keys.js';
import { eventParamsSchemas, leafSchema, RULESET_LIMITS, type Rule } from './rule-schema.js';
import { patternBudgetProblems, tooManyPatterns } from './pattern-budget.js';

const OPERATORS = new Map<string, { checkValue(value: unknown): string | undefined }>(
  [...STOCK_OPERATORS, ...CUSTOM_OPERATORS].map((operator) => [operator.name, operator]),
);
const GROUP_KEYS = ['all', 'any', 'not'] as const;
const PLACEHOLDER_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
const STRUCTURED_TYPES = new Set(['object', 'array']);

/** The facts rules may read, by name, with the type of each (a path applies only to objects and arrays). */
export type FactCatalogue = ReadonlyMap<string, { readonly type: string }>;

/**
 * Checks rules that passed their schema (`rulesSchema`) completely, so that nothing invalid can reach
 * the engine: facts, operators and their value shapes, paths, event params, names and limits. Answers
 * every problem with a JSON pointer from `/rules`; none when the rules are sound.
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
    const problem = operator.checkValue(leaf.value);
    if (problem) details.push({ path: `${path}/value`, message: problem });
  }
  if (leaf.path !== undefined && fact && fact.type !== 'object' && fact.type !== 'array') {
    details.push({ path: `${path}/path`, message: `fact "${factName}" is a ${fact.type} and has no path` });
  } else if (
    typeof leaf.path === 'string' &&
    parsePath(leaf.path).some((segment) => typeof segment === 'string' && isReservedKey(segment))
  ) {
    details.push({ path: `${path}/path`, message: `a path segment ${RESERVED_KEY_MESSAGE}` });
  }
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
