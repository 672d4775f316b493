import { AsyncLocalStorage } from 'node:async_hooks';
import { Operator } from 'json-rules-engine';
import { CUSTOM_OPERATORS } from './operators.js';
import { NO_LISTS, type ListLookup } from './list-lookup.js';

/**
 * The event time of the evaluation in progress. Operators receive only (factValue, value), and
 * `withinLastDays` is relative to the event, never the wall clock: engines are shared between
 * requests, so the time travels with the asynchronous context of each run instead.
 */
const eventClock = new AsyncLocalStorage<Date>();
/** The lists of the evaluation in progress, for `inList` / `notInList`: they travel the same way. */
const evaluationLists = new AsyncLocalStorage<ListLookup>();

export function runAtEventTime<T>(eventTime: Date, fn: () => Promise<T>, lists: ListLookup = NO_LISTS): Promise<T> {
  return eventClock.run(eventTime, () => evaluationLists.run(lists, fn));
}

const MAX_PREPARED_VALUES = 10_000;

const isNumber = (value: unknown): value is number => typeof value === 'number' && !Number.isNaN(value);

/**
 * json-rules-engine's stock operator names with our semantics (semantics.ts): an absent fact makes every
 * one false (stock: `notEqual` / `notIn` hold), and numeric comparisons hold on numbers only (stock: on
 * whatever parseFloat reads, such as "10").
 */
// biome-ignore lint/suspicious/noExplicitAny: json-rules-engine's stock operators compare untyped values (a < b on whatever the fact holds).
export const STOCK_EVALUATORS: Record<string, { evaluate(factValue: any, value: any): boolean; accepts(factValue: unknown): boolean }> = {
  equal: { evaluate: (a, b) => a === b, accepts: () => true },
  notEqual: { evaluate: (a, b) => a !== b, accepts: () => true },
  in: { evaluate: (a, b) => Array.isArray(b) && b.indexOf(a) > -1, accepts: () => true },
  notIn: { evaluate: (a, b) => Array.isArray(b) && b.indexOf(a) === -1, accepts: () => true },
  contains: { evaluate: (a, b) => a.indexOf(b) > -1, accepts: Array.isArray },
  doesNotContain: { evaluate: (a, b) => a.indexOf(b) === -1, accepts: Array.isArray },
  lessThan: { evaluate: (a, b) => a < b, accepts: isNumber },
  lessThanInclusive: { evaluate: (a, b) => a <= b, accepts: isNumber },
  greaterThan: { evaluate: (a, b) => a > b, accepts: isNumber },
  greaterThanInclusive: { evaluate: (a, b) => a >= b, accepts: isNumber },
};

/**
 * Every operator rules may use, as json-rules-engine Operator objects. Called once per Engine (one
 * ruleset version): values an operator prepares (compiled patterns) are kept for that Engine only.
 */
export function engineOperators(): Operator[] {
  const present = (accepts: (value: unknown) => boolean) => (factValue: unknown) => factValue !== undefined && accepts(factValue);
  const stock = Object.entries(STOCK_EVALUATORS).map(([name, { evaluate, accepts }]) => new Operator(name, evaluate, present(accepts)));
  const custom = CUSTOM_OPERATORS.map((operator) => {
    const { prepare, readsList } = operator;
    const prepared = new Map<string, unknown>();
    const operand = (value: unknown) => {
      if (readsList) return typeof value === 'string' ? (evaluationLists.getStore() ?? NO_LISTS).get(value) : undefined;
      if (!prepare) return value;
      // A version holds at most 10,000 literal values; more can only come from fact references (outside
      // our rule format), which are prepared on each use rather than kept.
      if (typeof value !== 'string' || (!prepared.has(value) && prepared.size >= MAX_PREPARED_VALUES)) return prepare(value);
      if (!prepared.has(value)) prepared.set(value, prepare(value));
      return prepared.get(value);
    };
    return new Operator(
      operator.name,
      (factValue: unknown, value: unknown) => {
        const eventTime = eventClock.getStore();
        if (!eventTime) throw new Error(`Operator: ${operator.name} evaluated outside runAtEventTime()`);
        return operator.evaluate(factValue, operand(value), eventTime);
      },
      present(() => true),
    );
  });
  return [...stock, ...custom];
}
