import type { ConditionExplanation } from './ruleset-evaluation.js';
import { STOCK_EVALUATORS } from './engine-operators.js';
import { pathReader } from './fact-path.js';
import { CUSTOM_OPERATORS } from './operators.js';
import type { Condition, Rule } from './rule-schema.js';
import { NO_LISTS, type ListLookup } from './list-lookup.js';

/**
 * Turns a rule's condition tree into plain closures that decide exactly as json-rules-engine 7 running
 * our operators does (reference-ruleset.ts, the reference), without promises, almanacs or clones:
 *
 * - all/any split their children into priority sets (a leaf's own `priority`, else 1; a group's
 *   `parseInt(priority) || 1`), run highest first, and stop between sets once the answer is known;
 *   within one set every child is evaluated (the engine runs a set with Promise.all). So without
 *   condition priorities every leaf is evaluated, and order does not matter: operators are pure.
 * - A group of one child is that child; a group of none holds (`any: []` is true in the engine).
 * - A leaf reads its fact (absent = undefined), applies `path` only to non-null objects (otherwise the
 *   raw value stays), and an undefined value makes it false before the operator runs.
 * - A leaf never reached has no fact value and `result: false`.
 */

/**
 * Whether a condition holds for the facts loaded into the ruleset's FactSlots. Each leaf reached writes
 * its explanation at its own index of `explained` (its place in the rule, as flattenLeaves orders them).
 */
export type ConditionTest = (eventTime: Date, explained: ConditionExplanation[]) => boolean;

type OperatorTest = (factValue: unknown, value: unknown, eventTime: Date) => boolean;

// The very evaluation functions the Engine registers (engine-operators.ts), so that semantics cannot drift.
const CUSTOM_EVALUATORS: ReadonlyMap<string, OperatorTest> = new Map(
  CUSTOM_OPERATORS.map((operator): [string, OperatorTest] => [
    operator.name,
    (factValue, value, eventTime) => {
      // The engine path throws the same way when no event time travels with the run.
      if (!eventTime) throw new Error(`Operator: ${operator.name} evaluated outside runAtEventTime()`);
      return operator.evaluate(factValue, value, eventTime);
    },
  ]),
);
/** Operators whose value names a list, looked up in the evaluation's lists as the engine path does. */
const LIST_READERS: ReadonlySet<string> = new Set(CUSTOM_OPERATORS.filter((operator) => operator.readsList).map((o) => o.name));
/** Operators whose value is prepared once, when the rule is compiled (`matches` compiles its pattern). */
const CUSTOM_PREPARERS: ReadonlyMap<string, (value: unknown) => unknown> = new Map(
  CUSTOM_OPERATORS.flatMap((operator) => (operator.prepare ? [[operator.name, operator.prepare] as const] : [])),
);

/** One leaf as written, with its JSON pointer: what its explanation holds besides the outcome. */
export interface LeafSource {
  fact: string;
  path: string | undefined;
  operator: string;
  value: unknown;
  at: string;
}

/**
 * The facts one ruleset's leaves read, loaded into slots once per evaluation: a computed facts record
 * has dozens of keys added one by one, which V8 keeps as a dictionary, slow to probe once per leaf.
 */
export class FactSlots {
  readonly values: unknown[] = [];
  /** The lists of the evaluation in progress (`inList` reads them), loaded and let go with the facts. */
  lists: ListLookup = NO_LISTS;
  private readonly slots = new Map<string, number>();
  private readonly names: string[] = [];

  /** The slot `fact` is loaded into. */
  slotOf(fact: string): number {
    let slot = this.slots.get(fact);
    if (slot === undefined) {
      slot = this.names.length;
      this.slots.set(fact, slot);
      this.names.push(fact);
      this.values.push(undefined);
    }
    return slot;
  }

  /** Reads every fact the leaves need; an absent fact reads undefined, as the engine's almanac has it. */
  load(facts: Readonly<Record<string, unknown>>, lists: ListLookup = NO_LISTS): void {
    this.lists = lists;
    const { names, values } = this;
    for (let slot = 0; slot < names.length; slot += 1) values[slot] = facts[names[slot]!];
  }

  /** Lets go of the facts of the evaluation that ended. */
  unload(): void {
    this.lists = NO_LISTS;
    const { values } = this;
    for (let slot = 0; slot < values.length; slot += 1) values[slot] = undefined;
  }
}

export interface CompiledConditions {
  test: ConditionTest;
  /** The rule's leaves in the order of its explanation. */
  leaves: readonly LeafSource[];
  /** Whether priority sets may leave some leaves unreached (holes that fillUnreached() fills). */
  mayShortCircuit: boolean;
}

/** Compiles a rule's conditions; its leaves read their facts from `slots`. */
export function compileConditions(rule: Rule, slots: FactSlots, factNames: ReadonlySet<string>): CompiledConditions {
  return new RuleCompiler(slots, factNames).compile(rule);
}

/**
 * A rule's leaves in the order of its explanation, by the very walk the compiler makes (without building
 * its closures): what a logged explanation is rebuilt along.
 */
export function ruleLeaves(rule: Rule): readonly LeafSource[] {
  return new RuleCompiler(new FactSlots(), new Set(), true).compile(rule).leaves;
}

/**
 * The value a leaf's explanation shows as `factValue` for a fact value as loaded: the almanac's read, in
 * which a path applies to non-null objects only and any other value stays as it is.
 */
export function leafFactValue(value: unknown, path: unknown): unknown {
  return path && value !== null && typeof value === 'object' ? pathReader(path as string)(value) : value;
}

/** Gives every leaf the evaluation skipped its explanation: no fact value, result false. */
export function fillUnreached(explained: ConditionExplanation[], leaves: readonly LeafSource[]): void {
  for (let index = 0; index < leaves.length; index += 1) {
    if (explained[index] !== undefined) continue;
    const { fact, path, operator, value, at } = leaves[index]!;
    explained[index] =
      path === undefined
        ? { fact, operator, value, factValue: undefined, result: false, at }
        : { fact, path, operator, value, factValue: undefined, result: false, at };
  }
}

const hasOwn = (node: object, key: string) => Object.hasOwn(node, key);
const ALWAYS: ConditionTest = () => true;

class RuleCompiler {
  private readonly leaves: LeafSource[] = [];
  private mayShortCircuit = false;

  constructor(
    private readonly slots: FactSlots,
    /** The facts the ruleset reads: the only ones a `{ fact }` value reference can see, as in the engine. */
    private readonly factNames: ReadonlySet<string>,
    /** Only walk: collect the leaves, build no closures (nor prepare patterns). */
    private readonly leavesOnly = false,
  ) {}

  /** The rule's top condition, dispatched as Rule.evaluate() does (any, then all, then not). */
  compile(rule: Rule): CompiledConditions {
    const top = rule.conditions as Record<string, unknown>;
    let test: ConditionTest;
    if (top.any) test = this.compileGroup('any', top.any as Condition[], '/conditions/any');
    else if (top.all) test = this.compileGroup('all', top.all as Condition[], '/conditions/all');
    else if (top.not) test = this.compileNot(top.not as Condition, '/conditions/not');
    else throw new Error(`ConditionCompiler: compile() rule "${rule.name}" needs all, any or not at the top of its conditions`);
    return { test, leaves: this.leaves, mayShortCircuit: this.mayShortCircuit };
  }

  // Walks as ReferenceRuleset's flattenLeaves() does, so that leaf indexes and pointers match its order.
  private compileNode(node: Condition, at: string): ConditionTest {
    const record = node as Record<string, unknown>;
    if (hasOwn(record, 'condition')) throw new Error('ConditionCompiler: compileNode() condition references are not supported');
    if (record.all) return this.compileGroup('all', record.all as Condition[], `${at}/all`);
    if (record.any) return this.compileGroup('any', record.any as Condition[], `${at}/any`);
    if (record.not) return this.compileNot(record.not as Condition, `${at}/not`);
    return this.compileLeaf(record, at);
  }

  /** A list operator's test, handed the named list's items as this evaluation sees them (a Map lookup per leaf). */
  private withList(operator: string, custom: OperatorTest | undefined): OperatorTest | undefined {
    if (!custom || !LIST_READERS.has(operator)) return custom;
    const { slots } = this;
    return (factValue, listId, eventTime) => custom(factValue, typeof listId === 'string' ? slots.lists.get(listId) : undefined, eventTime);
  }

  private compileNot(child: Condition, at: string): ConditionTest {
    const test = this.compileNode(child, at);
    return (eventTime, explained) => !test(eventTime, explained);
  }

  private compileGroup(operator: 'all' | 'any', children: readonly Condition[], at: string): ConditionTest {
    const tests = children.map((child, index) => this.compileNode(child, `${at}/${index}`));
    if (tests.length === 0) return ALWAYS;
    if (tests.length === 1) return tests[0]!;
    const sets = prioritySets(children).map((indexes) => indexes.map((index) => tests[index]!));
    if (sets.length === 1) return operator === 'all' ? allOf(tests) : anyOf(tests);
    this.mayShortCircuit = true;
    const setTests = sets.map((set) => (set.length === 1 ? set[0]! : operator === 'all' ? allOf(set) : anyOf(set)));
    return operator === 'all'
      ? (eventTime, explained) => {
          for (const test of setTests) if (!test(eventTime, explained)) return false;
          return true;
        }
      : (eventTime, explained) => {
          for (const test of setTests) if (test(eventTime, explained)) return true;
          return false;
        };
  }

  private compileLeaf(leaf: Record<string, unknown>, at: string): ConditionTest {
    for (const key of ['fact', 'operator', 'value']) {
      if (!hasOwn(leaf, key)) throw new Error(`Condition: constructor "${key}" property required`);
    }
    const position = this.leaves.length;
    const fact = leaf.fact as string;
    const path = leaf.path as string | undefined;
    const operator = leaf.operator as string;
    const value = leaf.value;
    this.leaves.push({ fact, path, operator, value, at });
    if (this.leavesOnly) return ALWAYS;

    const stock = hasOwn(STOCK_EVALUATORS, operator) ? STOCK_EVALUATORS[operator]! : undefined;
    const custom = this.withList(operator, CUSTOM_EVALUATORS.get(operator));
    if (!stock && !custom) {
      return () => {
        throw new Error(`Unknown operator: ${operator}`);
      };
    }
    const source = { fact, path, operator, value, at };
    const slot = this.slots.slotOf(fact);
    const reference = asFactReference(value);
    const prepare = CUSTOM_PREPARERS.get(operator);
    if (reference || (path !== undefined && (typeof path !== 'string' || path === ''))) {
      // Outside our rule format (validation refuses object values and empty paths), kept for parity with the engine.
      const referenceSlot = reference && this.factNames.has(reference.fact) ? this.slots.slotOf(reference.fact) : -1;
      const test: OperatorTest = stock
        ? (factValue, rightHandSide) => stock.accepts(factValue) && stock.evaluate(factValue, rightHandSide)
        : prepare
          ? (factValue, rightHandSide, eventTime) => custom!(factValue, prepare(rightHandSide), eventTime)
          : custom!;
      return unusualLeafTest(source, position, this.slots.values, slot, test, reference && { slot: referenceSlot, path: reference.path });
    }
    return leafTest(source, position, this.slots.values, slot, stock, custom, prepare ? prepare(value) : value);
  }
}

/** The almanac's read of a loaded fact (see leafFactValue). */
function readAt(loaded: readonly unknown[], slot: number, path: unknown): unknown {
  return leafFactValue(slot < 0 ? undefined : loaded[slot], path);
}

/** A leaf with a `{ fact }` value (the engine reads that fact) or an empty path: no need for speed. */
function unusualLeafTest(
  { fact, path, operator, value, at }: LeafSource,
  position: number,
  loaded: readonly unknown[],
  slot: number,
  test: OperatorTest,
  reference: { slot: number; path: string | undefined } | undefined,
): ConditionTest {
  return (eventTime, explained) => {
    const factValue = readAt(loaded, slot, path);
    const rightHandSide = reference ? readAt(loaded, reference.slot, reference.path) : value;
    const result = factValue !== undefined && test(factValue, rightHandSide, eventTime);
    explained[position] =
      path === undefined ? { fact, operator, value, factValue, result, at } : { fact, path, operator, value, factValue, result, at };
    return result;
  };
}

/**
 * The hot path: one closure per shape (stock or custom operator, path or not) that calls the operator's
 * own functions directly and builds its explanation inline.
 */
function leafTest(
  { fact, path, operator, value, at }: LeafSource,
  position: number,
  loaded: readonly unknown[],
  slot: number,
  stock: { evaluate(factValue: unknown, value: unknown): boolean; accepts(factValue: unknown): boolean } | undefined,
  custom: OperatorTest | undefined,
  /** What a custom operator receives: the value as written, or as its operator prepared it (a compiled pattern). */
  operand: unknown,
): ConditionTest {
  if (stock) {
    const { accepts, evaluate } = stock;
    if (path === undefined) {
      return (_eventTime, explained) => {
        const factValue = loaded[slot];
        const result = factValue !== undefined && accepts(factValue) && evaluate(factValue, value);
        explained[position] = { fact, operator, value, factValue, result, at };
        return result;
      };
    }
    const readPath = pathReader(path);
    return (_eventTime, explained) => {
      let factValue = loaded[slot];
      if (factValue !== null && typeof factValue === 'object') factValue = readPath(factValue);
      const result = factValue !== undefined && accepts(factValue) && evaluate(factValue, value);
      explained[position] = { fact, path, operator, value, factValue, result, at };
      return result;
    };
  }
  const evaluate = custom!;
  if (path === undefined) {
    return (eventTime, explained) => {
      const factValue = loaded[slot];
      const result = factValue !== undefined && evaluate(factValue, operand, eventTime);
      explained[position] = { fact, operator, value, factValue, result, at };
      return result;
    };
  }
  const readPath = pathReader(path);
  return (eventTime, explained) => {
    let factValue = loaded[slot];
    if (factValue !== null && typeof factValue === 'object') factValue = readPath(factValue);
    const result = factValue !== undefined && evaluate(factValue, operand, eventTime);
    explained[position] = { fact, path, operator, value, factValue, result, at };
    return result;
  };
}

function asFactReference(value: unknown): { fact: string; path: string | undefined } | undefined {
  if (value === null || typeof value !== 'object' || !hasOwn(value, 'fact')) return undefined;
  const { fact, path } = value as { fact: string; path?: string };
  return { fact, path };
}

/**
 * Child indexes grouped as Rule.prioritizeConditions() groups them, highest priority first: the same
 * steps on the same keys (object keys, the same comparator), so that even odd priorities order alike.
 */
function prioritySets(children: readonly Condition[]): number[][] {
  const sets: Record<string, number[]> = {};
  children.forEach((child, index) => {
    const priority = conditionPriority(child as Record<string, unknown>);
    if (!sets[priority]) sets[priority] = [];
    sets[priority]!.push(index);
  });
  return Object.keys(sets)
    .sort((a, b) => (Number(a) > Number(b) ? -1 : 1))
    .map((priority) => sets[priority]!);
}

/** A group always has one (`parseInt(priority, 10) || 1`); a leaf has its own, else its fact's: 1. */
function conditionPriority(node: Record<string, unknown>): string {
  const isGroup = hasOwn(node, 'any') || hasOwn(node, 'all') || hasOwn(node, 'not');
  const priority = isGroup ? Number.parseInt(node.priority as string, 10) || 1 : node.priority || 1;
  return String(priority);
}

/** Every child runs (one priority set), then all must hold. */
function allOf(tests: readonly ConditionTest[]): ConditionTest {
  if (tests.length === 2) {
    const [first, second] = tests as [ConditionTest, ConditionTest];
    return (eventTime, explained) => {
      const a = first(eventTime, explained);
      const b = second(eventTime, explained);
      return a && b;
    };
  }
  return (eventTime, explained) => {
    let holds = true;
    for (let index = 0; index < tests.length; index += 1) if (!tests[index]!(eventTime, explained)) holds = false;
    return holds;
  };
}

/** Every child runs (one priority set), then one must hold. */
function anyOf(tests: readonly ConditionTest[]): ConditionTest {
  if (tests.length === 2) {
    const [first, second] = tests as [ConditionTest, ConditionTest];
    return (eventTime, explained) => {
      const a = first(eventTime, explained);
      const b = second(eventTime, explained);
      return a || b;
    };
  }
  return (eventTime, explained) => {
    let holds = false;
    for (let index = 0; index < tests.length; index += 1) if (tests[index]!(eventTime, explained)) holds = true;
    return holds;
  };
}
