import { isValidInstant, parseInstant } from '../time/iso-time.js';
import { DAY_MS } from '../time/durations.js';
import type { FactType } from '../facts/fact-definition.js';
import { checkPattern, CompiledPattern, compilePattern, MATCH_INPUT_LIMIT } from './regex-matcher.js';

export { MATCH_INPUT_LIMIT } from './regex-matcher.js';

/**
 * The operators rule conditions may use: json-rules-engine's stock ones and ours. Each carries the check
 * of its `value` that validation runs when a draft is saved, so that a bad value is a 400 pointing at the
 * condition, not a condition that silently never fires. Evaluation is pure and total: a fact of the wrong
 * type (or absent) makes the condition false; nothing throws.
 */

/** What an operator's `value` is, so that an editor offers the right input: numbers stay numbers. */
export type ValueKind = 'number' | 'list' | 'scalar' | 'range' | 'pattern' | 'instant' | 'days';

export interface StockOperator {
  readonly name: string;
  readonly description: string;
  readonly valueKind: ValueKind;
  /** A message for the rule's author when `value` cannot work with this operator, else `undefined`. */
  checkValue(value: unknown): string | undefined;
  /**
   * The declared fact types on which the operator can hold: on any other, the condition could never be
   * true, so validation refuses it. A path reads a value of no declared type, which only `evaluate` sees.
   */
  readonly factTypes: readonly FactType[];
}

export interface CustomOperator extends StockOperator {
  /**
   * Turns a condition's `value` into what `evaluate` receives, once per ruleset version (`matches`: the
   * compiled pattern); without it, `evaluate` receives the value as written.
   */
  prepare?(value: unknown): unknown;
  /** Whether the condition holds; `eventTime` anchors relative operators such as `withinLastDays`. */
  evaluate(factValue: unknown, value: unknown, eventTime: Date): boolean;
}

/** The longest `withinLastDays` window: 100 years. */
export const MAX_WITHIN_DAYS = 36500;

const SCALAR_TYPES: readonly FactType[] = ['string', 'number', 'integer', 'boolean'];
const NUMBER_TYPES: readonly FactType[] = ['number', 'integer'];

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isScalar = (value: unknown) => value === null || typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);

/** `[lo, hi]` when `value` is two finite numbers with lo ≤ hi. */
function asRange(value: unknown): [number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [lo, hi] = value as unknown[];
  return isFiniteNumber(lo) && isFiniteNumber(hi) && lo <= hi ? [lo, hi] : undefined;
}

const asWindowDays = (value: unknown) => (isFiniteNumber(value) && value > 0 && value <= MAX_WITHIN_DAYS ? value : undefined);

function compareInstants(factValue: unknown, value: unknown, holds: (fact: number, bound: number) => boolean): boolean {
  const fact = parseInstant(factValue);
  const bound = parseInstant(value);
  return fact !== undefined && bound !== undefined && holds(fact.getTime(), bound.getTime());
}

const checkInstant = (name: string) => (value: unknown) =>
  parseInstant(value) === undefined
    ? `"${name}" needs an ISO-8601 date-time with an offset or Z, e.g. "2026-01-01T00:00:00+08:00"`
    : undefined;

export const CUSTOM_OPERATORS: readonly CustomOperator[] = [
  {
    name: 'between',
    valueKind: 'range',
    factTypes: NUMBER_TYPES,
    description: 'The fact is a number within [lo, hi], both ends included; value: [lo, hi]',
    checkValue: (value) => (asRange(value) ? undefined : '"between" needs [lo, hi]: two numbers with lo ≤ hi'),
    evaluate: (factValue, value) => {
      const range = asRange(value);
      return range !== undefined && isFiniteNumber(factValue) && factValue >= range[0] && factValue <= range[1];
    },
  },
  {
    name: 'matches',
    valueKind: 'pattern',
    factTypes: ['string'],
    description: `The fact is a string matching the RE2 regular expression (its first ${MATCH_INPUT_LIMIT} characters are tested); value: the pattern`,
    checkValue: (value) => {
      if (typeof value !== 'string') return '"matches" needs a regular expression written as a string';
      const checked = checkPattern(value);
      return 'problem' in checked ? checked.problem : undefined;
    },
    // Compiled once per ruleset version; a pattern RE2 refuses (in a rule that skipped validation) never matches.
    prepare: (value) => (typeof value === 'string' ? compilePattern(value) : undefined),
    evaluate: (factValue, pattern) => typeof factValue === 'string' && pattern instanceof CompiledPattern && pattern.test(factValue),
  },
  {
    name: 'before',
    valueKind: 'instant',
    factTypes: ['string'],
    description: 'The fact, an ISO time, is an instant before the value, an ISO time with offset',
    checkValue: checkInstant('before'),
    evaluate: (factValue, value) => compareInstants(factValue, value, (fact, bound) => fact < bound),
  },
  {
    name: 'after',
    valueKind: 'instant',
    factTypes: ['string'],
    description: 'The fact, an ISO time, is an instant after the value, an ISO time with offset',
    checkValue: checkInstant('after'),
    evaluate: (factValue, value) => compareInstants(factValue, value, (fact, bound) => fact > bound),
  },
  {
    name: 'withinLastDays',
    valueKind: 'days',
    factTypes: ['string'],
    description: 'The fact, an ISO time, is within the given number of days before the event time (both ends included)',
    checkValue: (value) =>
      asWindowDays(value) === undefined ? `"withinLastDays" needs a number of days above 0 and at most ${MAX_WITHIN_DAYS}` : undefined,
    evaluate: (factValue, value, eventTime) => {
      const days = asWindowDays(value);
      const fact = parseInstant(factValue);
      if (days === undefined || fact === undefined || !isValidInstant(eventTime)) return false;
      const endMs = eventTime.getTime();
      return fact.getTime() >= endMs - days * DAY_MS && fact.getTime() <= endMs;
    },
  },
];

// Fact values are compared with ===, so an array or object value could never equal one: refused.
const aNumber = (name: string) => (value: unknown) => (isFiniteNumber(value) ? undefined : `"${name}" needs a number`);
const anArrayOfScalars = (name: string) => (value: unknown) =>
  Array.isArray(value) && value.every(isScalar)
    ? undefined
    : `"${name}" needs an array of single values (strings, numbers, booleans or null; no arrays or objects)`;
const aScalar = (name: string) => (value: unknown) =>
  isScalar(value) ? undefined : `"${name}" needs a single value (string, number, boolean or null; use "in" for a list)`;

/** json-rules-engine 7's built-in operators, with the semantics named in semantics.ts (engine-operators.ts). */
export const STOCK_OPERATORS: readonly StockOperator[] = [
  { name: 'equal', description: 'The fact equals the value', valueKind: 'scalar', checkValue: aScalar('equal'), factTypes: SCALAR_TYPES },
  {
    name: 'notEqual',
    description: 'The fact differs from the value',
    valueKind: 'scalar',
    checkValue: aScalar('notEqual'),
    factTypes: SCALAR_TYPES,
  },
  ...(
    [
      ['lessThan', 'The fact is a number below the value'],
      ['lessThanInclusive', 'The fact is a number at most the value'],
      ['greaterThan', 'The fact is a number above the value'],
      ['greaterThanInclusive', 'The fact is a number at least the value'],
    ] as const
  ).map(([name, description]) => ({ name, description, valueKind: 'number' as const, checkValue: aNumber(name), factTypes: NUMBER_TYPES })),
  ...(
    [
      ['in', 'The fact is one of the listed values'],
      ['notIn', 'The fact is none of the listed values'],
    ] as const
  ).map(([name, description]) => ({
    name,
    description,
    valueKind: 'list' as const,
    checkValue: anArrayOfScalars(name),
    factTypes: SCALAR_TYPES,
  })),
  ...(
    [
      ['contains', 'The fact, an array, holds the value'],
      ['doesNotContain', 'The fact, an array, does not hold the value'],
    ] as const
  ).map(([name, description]) => ({
    name,
    description,
    valueKind: 'scalar' as const,
    checkValue: aScalar(name),
    factTypes: ['array'] as const,
  })),
];

/** Every operator name a rule may use. */
export const OPERATOR_NAMES: readonly string[] = [...STOCK_OPERATORS, ...CUSTOM_OPERATORS].map((operator) => operator.name);

const OPERATORS_BY_NAME: ReadonlyMap<string, StockOperator> = new Map(
  [...STOCK_OPERATORS, ...CUSTOM_OPERATORS].map((operator) => [operator.name, operator]),
);

/** Validation's one call: a message when `operator` is unknown or `value` does not suit it. */
export function checkOperatorValue(operator: string, value: unknown): string | undefined {
  const known = OPERATORS_BY_NAME.get(operator);
  return known ? known.checkValue(value) : `Unknown operator "${operator}"; known operators: ${OPERATOR_NAMES.join(', ')}`;
}
