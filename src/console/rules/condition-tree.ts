/**
 * The two views of a rule's conditions: json-rules-engine's tree (`all` / `any` / `not`, leaves with
 * `fact`, `operator`, `value`, `path`) and the visual builder's groups (react-querybuilder's
 * `combinator`, `not`, `rules`). The conversion is lossless both ways, so switching views never changes
 * a draft: `not` around a single condition, group and leaf `priority` / `name`, a leaf's `path` and
 * `params`, and typed values all survive (a test converts every shipped ruleset there and back).
 *
 * Pure: no React or DOM, so it is unit-tested in Node.
 */
import type { RuleGroupType, RuleType } from 'react-querybuilder';
import type { Condition, LeafCondition } from '../../engine/rule-schema.js';

/** What a leaf carries beyond fact, operator and value (react-querybuilder keeps `meta` as it is). */
export interface LeafMeta {
  path?: string;
  params?: Record<string, unknown>;
  priority?: number;
  name?: string;
}

/** What a group carries: its own priority and name, and `single` for a `not` around one condition. */
export interface GroupMeta {
  priority?: number;
  name?: string;
  /** `{ not: X }` where X is a leaf, another `not`, or has a priority or name of its own: shown as a negated group of one. */
  single?: boolean;
}

export type BuilderRule = RuleType<string, string, unknown, string, LeafMeta>;
export interface BuilderGroup extends RuleGroupType<BuilderRule> {
  meta?: GroupMeta;
  rules: (BuilderRule | BuilderGroup)[];
}

type GroupNode = { all: Condition[] } | { any: Condition[] } | { not: Condition };
type Extras = { priority?: number; name?: string };

export const isBuilderGroup = (node: BuilderRule | BuilderGroup): node is BuilderGroup => 'rules' in node && 'combinator' in node;
const isLeaf = (node: Condition): node is LeafCondition => 'fact' in node;

function extrasOf(node: object): Extras {
  const { priority, name } = node as Extras;
  return { ...(priority !== undefined && { priority }), ...(name !== undefined && { name }) };
}

const hasExtras = (extras: Extras): boolean => extras.priority !== undefined || extras.name !== undefined;

/** A rule's top condition (a group) as the builder's query. */
export function toBuilder(conditions: Condition): BuilderGroup {
  return toBuilderNode(conditions, true) as BuilderGroup;
}

function toBuilderNode(node: Condition, top = false): BuilderRule | BuilderGroup {
  if (isLeaf(node)) {
    const { fact, operator, value, path, params, priority, name } = node;
    const meta: LeafMeta = {
      ...(path !== undefined && { path }),
      ...(params !== undefined && { params: params as Record<string, unknown> }),
      ...extrasOf({ priority, name }),
    };
    const rule: BuilderRule = { field: fact, operator, value };
    if (Object.keys(meta).length > 0) rule.meta = meta;
    if (top) return { combinator: 'and', rules: [rule], meta: { single: true } };
    return rule;
  }
  const extras = extrasOf(node);
  if ('not' in node) {
    const inner = node.not;
    // `not` over a plain all/any group is that group negated; anything else keeps its own node.
    if (!isLeaf(inner) && !('not' in inner) && !hasExtras(extras)) {
      return { ...(toBuilderNode(inner) as BuilderGroup), not: true };
    }
    return withMeta({ combinator: 'and', not: true, rules: [toBuilderNode(inner)] }, { ...extras, single: true });
  }
  const [combinator, children] = 'all' in node ? ['and', node.all] : ['or', (node as { any: Condition[] }).any];
  return withMeta({ combinator, rules: children.map((child) => toBuilderNode(child)) }, extras);
}

function withMeta(group: BuilderGroup, meta: GroupMeta): BuilderGroup {
  return Object.keys(meta).length > 0 ? { ...group, meta } : group;
}

/** The builder's query as a rule's conditions (ids and other builder-only properties are dropped). */
export function fromBuilder(group: BuilderGroup): Condition {
  return fromBuilderNode(group);
}

function fromBuilderNode(node: BuilderRule | BuilderGroup): Condition {
  if (!isBuilderGroup(node)) {
    const meta = node.meta ?? {};
    return {
      fact: node.field,
      operator: node.operator,
      value: node.value as LeafCondition['value'],
      ...(meta.path !== undefined && { path: meta.path }),
      ...(meta.params !== undefined && { params: meta.params }),
      ...extrasOf(meta),
    } as LeafCondition;
  }
  const { single, ...extras } = node.meta ?? {};
  if (single && node.rules.length === 1) {
    const only = fromBuilderNode(node.rules[0]!);
    return node.not ? ({ not: only, ...extrasOf(extras) } as GroupNode) : only;
  }
  const children = node.rules.map(fromBuilderNode);
  const group = { [node.combinator === 'or' ? 'any' : 'all']: children, ...extrasOf(extras) } as GroupNode;
  return node.not ? { not: group } : group;
}

/**
 * Where a JSON pointer into a rule's conditions (e.g. `/all/0/not/any/1/value`, as the service's 400
 * `details[].path` gives it after `/rules/N/conditions`) lands in the builder: the index path of the
 * node (react-querybuilder's `path`) and, for a leaf, which part of it.
 */
export function builderPathOf(conditions: Condition, pointer: string): { path: number[]; part?: string } | undefined {
  const segments = pointer.split('/').slice(1);
  const path: number[] = [];
  let node: Condition = conditions;
  let builderNode = toBuilder(conditions) as BuilderRule | BuilderGroup;
  let index = 0;
  // The top leaf of a rule written without a group is shown inside a group of one.
  if (isLeaf(node)) {
    path.push(0);
    builderNode = (builderNode as BuilderGroup).rules[0]!;
  }
  while (index < segments.length) {
    const segment = segments[index]!;
    if (isLeaf(node)) return { path, part: segment };
    if (segment === 'not' && 'not' in node) {
      const inner: Condition = node.not;
      const merged = isBuilderGroup(builderNode) && !(builderNode.meta?.single ?? false);
      node = inner;
      index += 1;
      if (!merged) {
        path.push(0);
        builderNode = (builderNode as BuilderGroup).rules[0]!;
      }
      continue;
    }
    if ((segment === 'all' || segment === 'any') && segment in node) {
      const position = Number(segments[index + 1]);
      const children: Condition[] = (node as Record<string, Condition[]>)[segment]!;
      if (!Number.isInteger(position) || position < 0 || position >= children.length) return { path, part: segment };
      node = children[position]!;
      path.push(position);
      builderNode = (builderNode as BuilderGroup).rules[position]!;
      index += 2;
      continue;
    }
    return { path, part: segment };
  }
  return { path };
}
