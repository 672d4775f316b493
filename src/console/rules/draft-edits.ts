/**
 * The edits a person makes to a draft's list of rules and tests, as pure functions of the draft:
 * each returns a new draft and never touches the one it was given (the editor compares the working
 * draft with the saved one to say whether there are unsaved changes).
 *
 * Pure: no React or DOM, so it is unit-tested in Node.
 */
import type { Rule, RulesetKind } from '../../engine/rule-schema.js';
import type { RulesetTest } from '../../features/rulesets/draft-schema.js';

/** What `PUT /v1/rulesets/{id}/draft` takes: the rules, the tests and the catalogue of principal reasons. */
export interface DraftDocument {
  rules: Rule[];
  tests: RulesetTest[];
  /** Principal reasons, code → the text an applicant reads (absent: none). */
  reasons?: Record<string, string>;
}

export type EventType = Rule['event']['type'];

/** The event a new rule yields, by the ruleset's kind: a fraud ruleset raises alerts, a risk ruleset adds points. */
const EVENT_OF_KIND: Record<RulesetKind, EventType> = { tagging: 'tag', product: 'product', fraud: 'alert', risk: 'score' };

/** The params an event type needs, empty where a person must choose (saving them empty is refused with the reason). */
export function eventParamsFor(type: EventType, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const message = typeof previous.message === 'string' ? { message: previous.message } : {};
  switch (type) {
    case 'tag':
      return { tag: typeof previous.tag === 'string' ? previous.tag : '', ...message };
    case 'product':
      return {
        product: typeof previous.product === 'string' ? previous.product : '',
        rank: typeof previous.rank === 'number' ? previous.rank : 1,
        ...message,
      };
    case 'alert':
      return {
        code: typeof previous.code === 'string' ? previous.code : '',
        severity: typeof previous.severity === 'string' ? previous.severity : 'medium',
        ...message,
      };
    case 'score':
      return { points: typeof previous.points === 'number' ? previous.points : 0, ...message };
  }
}

/** `base`, or `base-2`, `base-3`… whichever no other item uses. */
export function uniqueName(base: string, taken: Iterable<string>, separator = '-'): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let index = 2; ; index += 1) {
    const candidate = `${base}${separator}${index}`;
    if (!names.has(candidate)) return candidate;
  }
}

/** A new rule at the end: no conditions yet (the builder adds them), the event the ruleset's kind yields. */
export function addRule(draft: DraftDocument, kind: RulesetKind): DraftDocument {
  const type = EVENT_OF_KIND[kind];
  const rule: Rule = {
    name: uniqueName(
      'new-rule',
      draft.rules.map((rule) => rule.name),
    ),
    conditions: { all: [] },
    event: { type, params: eventParamsFor(type) },
  };
  return { ...draft, rules: [...draft.rules, rule] };
}

/** A copy of the rule right after it, under a name no other rule has. */
export function duplicateRule(draft: DraftDocument, index: number): DraftDocument {
  const original = draft.rules[index]!;
  const copy = {
    ...structuredClone(original),
    name: uniqueName(
      `${original.name}-copy`,
      draft.rules.map((rule) => rule.name),
    ),
  };
  return { ...draft, rules: insertAt(draft.rules, index + 1, copy) };
}

export function removeRule(draft: DraftDocument, index: number): DraftDocument {
  return { ...draft, rules: draft.rules.filter((_, position) => position !== index) };
}

/** Moves a rule one place up (-1) or down (+1) in the list; at either end nothing changes. */
export function moveRule(draft: DraftDocument, index: number, by: -1 | 1): DraftDocument {
  const target = index + by;
  if (target < 0 || target >= draft.rules.length) return draft;
  const rules = [...draft.rules];
  [rules[index], rules[target]] = [rules[target]!, rules[index]!];
  return { ...draft, rules };
}

export function replaceRule(draft: DraftDocument, index: number, rule: Rule): DraftDocument {
  return { ...draft, rules: draft.rules.map((existing, position) => (position === index ? rule : existing)) };
}

const RULE_KEY_ORDER = ['name', 'description', 'priority', 'conditions', 'event'];

/** A rule with one top-level property set, or removed when `value` is undefined (e.g. an emptied priority); keys in the order rules are written. */
export function withRuleProperty<K extends 'name' | 'description' | 'priority'>(rule: Rule, key: K, value: Rule[K] | undefined): Rule {
  const next: Record<string, unknown> = { ...rule, [key]: value };
  const keys = [...RULE_KEY_ORDER, ...Object.keys(next).filter((name) => !RULE_KEY_ORDER.includes(name))];
  return Object.fromEntries(keys.filter((name) => next[name] !== undefined).map((name) => [name, next[name]])) as unknown as Rule;
}

/** A rule yielding another kind of event: the params it needs, the message kept. */
export function withEventType(rule: Rule, type: EventType): Rule {
  return { ...rule, event: { type, params: eventParamsFor(type, rule.event.params) } };
}

/** A rule with one event param set, or removed when `value` is undefined (an emptied message). */
export function withEventParam(rule: Rule, key: string, value: unknown): Rule {
  const params = { ...rule.event.params };
  if (value === undefined) delete params[key];
  else params[key] = value;
  return { ...rule, event: { ...rule.event, params } };
}

/** A new test at the end, named so no other test has its name. */
export function addTest(draft: DraftDocument): DraftDocument {
  const test: RulesetTest = {
    name: uniqueName(
      'new test',
      draft.tests.map((test) => test.name),
      ' ',
    ),
    profile: { type: 'individual', timezone: 'Asia/Shanghai' },
    event: { type: 'loan_application', at: '2026-11-21T10:00:00+08:00' },
    expect: {},
  };
  return { ...draft, tests: [...draft.tests, test] };
}

export function duplicateTest(draft: DraftDocument, index: number): DraftDocument {
  const original = draft.tests[index]!;
  const copy = {
    ...structuredClone(original),
    name: uniqueName(
      `${original.name} (copy)`,
      draft.tests.map((test) => test.name),
      ' ',
    ),
  };
  return { ...draft, tests: insertAt(draft.tests, index + 1, copy) };
}

export function removeTest(draft: DraftDocument, index: number): DraftDocument {
  return { ...draft, tests: draft.tests.filter((_, position) => position !== index) };
}

export function replaceTest(draft: DraftDocument, index: number, test: RulesetTest): DraftDocument {
  return { ...draft, tests: draft.tests.map((existing, position) => (position === index ? test : existing)) };
}

function insertAt<T>(list: readonly T[], index: number, item: T): T[] {
  return [...list.slice(0, index), item, ...list.slice(index)];
}

/** JSON with object keys sorted: two drafts are the same when these texts are (key order is no change). */
export function canonicalText(value: unknown): string {
  return JSON.stringify(value, (_, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.keys(item)
            .sort()
            .map((key) => [key, (item as Record<string, unknown>)[key]]),
        )
      : item,
  );
}

export const sameDraft = (a: DraftDocument, b: DraftDocument): boolean =>
  canonicalText({ rules: a.rules, tests: a.tests, reasons: a.reasons ?? {} }) ===
  canonicalText({ rules: b.rules, tests: b.tests, reasons: b.reasons ?? {} });

/** The draft with its reason `code` set to `text`, or removed when `text` is undefined (rules naming it keep the code: saving says so). */
export function withReason(draft: DraftDocument, code: string, text: string | undefined): DraftDocument {
  const reasons = { ...(draft.reasons ?? {}) };
  if (text === undefined) delete reasons[code];
  else reasons[code] = text;
  return { ...draft, reasons };
}
