/**
 * Rule-by-rule comparison of two rulesets (draft or versions). Rules and tests are matched by name
 * and compared as canonical JSON with sorted keys, so a change of key order alone is no change.
 * Pure: the line diff of each changed item is drawn by the lazily loaded `line-diff.tsx`.
 */

export interface Comparable {
  rules: readonly { name: string }[];
  tests: readonly { name: string }[];
  /** The catalogue of principal reasons (absent on versions published before reasons). */
  reasons?: Readonly<Record<string, string>>;
}

/** One named item (rule or test) that differs, with its canonical JSON on each side ('' where absent). */
export interface ItemChange {
  name: string;
  change: 'added' | 'removed' | 'changed';
  before: string;
  after: string;
}

export interface ItemsDiff {
  changes: ItemChange[];
  unchanged: number;
}

export interface RulesetDiff {
  rules: ItemsDiff;
  tests: ItemsDiff;
  /** Reasons matched by code; each item is `{ name: code, text }`. */
  reasons: ItemsDiff;
}

const reasonItems = (reasons: Comparable['reasons']) => Object.entries(reasons ?? {}).map(([name, text]) => ({ name, text }));

/** JSON with every object's keys sorted and two-space indents, one value a line: what line diffs compare. */
export function canonicalText(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const sorted: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

/** Names made unique by occurrence ("a", "a #2"), since tests may share a name; first occurrences keep theirs. */
function byName<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  const named = new Map<string, T>();
  const seen = new Map<string, number>();
  for (const item of items) {
    const count = (seen.get(item.name) ?? 0) + 1;
    seen.set(item.name, count);
    named.set(count === 1 ? item.name : `${item.name} #${count}`, item);
  }
  return named;
}

/** Items of `to` in their order (added or changed), then those only in `from` (removed). */
export function diffItems(from: readonly { name: string }[], to: readonly { name: string }[]): ItemsDiff {
  const before = byName(from);
  const after = byName(to);
  const changes: ItemChange[] = [];
  let unchanged = 0;
  for (const [name, item] of after) {
    const old = before.get(name);
    const afterText = canonicalText(item);
    if (!old) changes.push({ name, change: 'added', before: '', after: afterText });
    else if (canonicalText(old) === afterText) unchanged += 1;
    else changes.push({ name, change: 'changed', before: canonicalText(old), after: afterText });
  }
  for (const [name, item] of before)
    if (!after.has(name)) changes.push({ name, change: 'removed', before: canonicalText(item), after: '' });
  return { changes, unchanged };
}

export function diffRulesets(from: Comparable, to: Comparable): RulesetDiff {
  return {
    rules: diffItems(from.rules, to.rules),
    tests: diffItems(from.tests, to.tests),
    reasons: diffItems(reasonItems(from.reasons), reasonItems(to.reasons)),
  };
}

/** "2 added, 1 changed, 0 removed, 12 unchanged" */
export function summarise(diff: ItemsDiff): string {
  const count = (change: ItemChange['change']) => diff.changes.filter((item) => item.change === change).length;
  return `${count('added')} added, ${count('changed')} changed, ${count('removed')} removed, ${diff.unchanged} unchanged`;
}
