/**
 * A logged explanation holds only leaf conditions, each with `at`, its JSON pointer inside the rule
 * (`/conditions/all/1/any/0`). This rebuilds the all / any / not groups around them from the rule as
 * its ruleset version wrote it, so a person reads the rule's logic, not a flat list.
 *
 * Pure: no React or DOM, so it is unit-tested in Node.
 */
import type { Condition } from '../../../engine/rule-schema.js';

/** One leaf as the decision log explains it. */
export interface LeafExplanation {
  fact: string;
  path?: string;
  operator: string;
  value?: unknown;
  factValue?: unknown;
  result: boolean;
  at?: string;
}

export interface GroupNode {
  kind: 'group';
  operator: 'all' | 'any' | 'not';
  at: string;
  /** Recomputed from the children's logged results, as the evaluator combines them. */
  result: boolean;
  children: ExplanationNode[];
}

export interface LeafNode {
  kind: 'leaf';
  at: string;
  condition: LeafExplanation;
}

export type ExplanationNode = GroupNode | LeafNode;

class Mismatch extends Error {}

/**
 * The tree of a rule's conditions with each logged leaf in its place; undefined when the rule and the
 * logged leaves do not fit together (a leaf without a logged explanation, a logged leaf the rule does
 * not have, or a different fact or operator at a pointer): then the caller shows the pointers instead.
 */
export function explanationTree(conditions: Condition | undefined, leaves: readonly LeafExplanation[]): GroupNode | undefined {
  if (!conditions || leaves.some((leaf) => typeof leaf.at !== 'string')) return undefined;
  const byPointer = new Map(leaves.map((leaf) => [leaf.at!, leaf]));
  if (byPointer.size !== leaves.length) return undefined;
  const used = new Set<string>();
  try {
    const top = conditions as Record<string, unknown>;
    // The evaluator reads a rule's top condition as any, then all, then not.
    const root = top.any
      ? group('any', top.any, '/conditions/any', byPointer, used)
      : top.all
        ? group('all', top.all, '/conditions/all', byPointer, used)
        : top.not
          ? group('not', top.not, '/conditions/not', byPointer, used)
          : undefined;
    return root && used.size === leaves.length ? root : undefined;
  } catch (error) {
    if (error instanceof Mismatch) return undefined;
    throw error;
  }
}

function node(condition: unknown, at: string, byPointer: Map<string, LeafExplanation>, used: Set<string>): ExplanationNode {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) throw new Mismatch();
  const record = condition as Record<string, unknown>;
  // Nested groups are read as all, then any, then not (the evaluator's order below the top).
  if (record.all) return group('all', record.all, `${at}/all`, byPointer, used);
  if (record.any) return group('any', record.any, `${at}/any`, byPointer, used);
  if (record.not) return group('not', record.not, `${at}/not`, byPointer, used);
  const logged = byPointer.get(at);
  if (!logged || logged.fact !== record.fact || logged.operator !== record.operator) throw new Mismatch();
  used.add(at);
  return { kind: 'leaf', at, condition: logged };
}

function group(
  operator: GroupNode['operator'],
  children: unknown,
  at: string,
  byPointer: Map<string, LeafExplanation>,
  used: Set<string>,
): GroupNode {
  if (operator === 'not') {
    const child = node(children, at, byPointer, used);
    return { kind: 'group', operator, at, result: !resultOf(child), children: [child] };
  }
  if (!Array.isArray(children)) throw new Mismatch();
  const nodes = children.map((child, index) => node(child, `${at}/${index}`, byPointer, used));
  // An empty group holds, whichever it is, as in the evaluator.
  const result = nodes.length === 0 || (operator === 'all' ? nodes.every(resultOf) : nodes.some(resultOf));
  return { kind: 'group', operator, at, result, children: nodes };
}

const resultOf = (node: ExplanationNode): boolean => (node.kind === 'leaf' ? node.condition.result : node.result);

/** How a group reads in a sentence. */
export function groupLabel(operator: GroupNode['operator'], count: number): string {
  if (operator === 'not') return 'not';
  return operator === 'all' ? `all of ${count}` : `any of ${count}`;
}
