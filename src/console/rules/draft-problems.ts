/**
 * Where each problem the service found in a saved draft belongs in the editor. The service answers a
 * 400 with `details[].path`, JSON pointers into what was sent (`/rules/2/conditions/all/0/value`,
 * `/rules/2/event/params/code`, `/tests/0/expect/alerts`); the editor shows each one next to the rule,
 * condition, event field or test it names, and says where in words for the list of problems.
 *
 * Pure: no React or DOM, so it is unit-tested in Node.
 */
import type { Condition } from '../../engine/rule-schema.js';
import { builderPathOf } from './condition-tree.js';
import type { DraftDocument } from './draft-edits.js';
import { escapeSegment, unescapeSegment } from './json-text.js';

export interface Problem {
  path: string;
  message: string;
}

export type ProblemPlace =
  | { area: 'draft' }
  /** A rule's own property (`name`, `priority`, …) or, without `field`, the rule as a whole. */
  | { area: 'rule'; rule: number; field?: string }
  /** A condition or group in the builder: its index path and, for a leaf, the part (`fact`, `path`, `operator`, `value`). */
  | { area: 'condition'; rule: number; path: number[]; part?: string }
  /** The event: `type`, or a param (`code`, `severity`, `message`, …); without `field`, the event or its params as a whole. */
  | { area: 'event'; rule: number; field?: string }
  | { area: 'test'; test: number; field?: string };

/** Where in the editor a pointer into the draft lands. */
export function placeOf(pointer: string, draft: DraftDocument): ProblemPlace {
  const segments = pointer.split('/').slice(1).map(unescapeSegment);
  const [list, indexText, field, ...rest] = segments;
  const index = Number(indexText);
  if (list === 'tests' && Number.isInteger(index) && index >= 0)
    return { area: 'test', test: index, ...(field !== undefined && { field }) };
  if (list !== 'rules' || !Number.isInteger(index) || index < 0) return { area: 'draft' };
  if (field === undefined) return { area: 'rule', rule: index };
  if (field === 'event') {
    const [first, second] = rest;
    if (first === 'params' && second !== undefined) return { area: 'event', rule: index, field: second };
    return { area: 'event', rule: index, ...(first !== undefined && first !== 'params' && { field: first }) };
  }
  if (field === 'conditions') {
    const conditions = draft.rules[index]?.conditions as Condition | undefined;
    const located =
      conditions && conditionShapeProblem(conditions) === undefined
        ? builderPathOf(conditions, `/${rest.map(escapeSegment).join('/')}`.replace(/^\/$/, ''))
        : undefined;
    if (located) return { area: 'condition', rule: index, path: located.path, ...(located.part !== undefined && { part: located.part }) };
    return { area: 'rule', rule: index, field: 'conditions' };
  }
  return { area: 'rule', rule: index, field };
}

/** "condition 2.1" for the builder path [1, 0]; "the top group" for []; groups are "group 2". */
export function conditionLabel(path: readonly number[], isGroup = false): string {
  if (path.length === 0) return 'the top group';
  return `${isGroup ? 'group' : 'condition'} ${path.map((index) => index + 1).join('.')}`;
}

/** Where a problem is, for a person: `rule late-night, condition 1, value`. */
export function describePlace(place: ProblemPlace, draft: DraftDocument): string {
  const ruleName = (index: number) => `rule ${draft.rules[index]?.name || `#${index + 1}`}`;
  switch (place.area) {
    case 'draft':
      return 'the draft';
    case 'rule':
      return place.field ? `${ruleName(place.rule)}, ${place.field}` : ruleName(place.rule);
    case 'condition':
      return [
        ruleName(place.rule),
        conditionLabel(place.path, place.part === 'all' || place.part === 'any' || place.part === 'not'),
        place.part,
      ]
        .filter(Boolean)
        .join(', ');
    case 'event':
      return `${ruleName(place.rule)}, event${place.field ? ` ${place.field}` : ''}`;
    case 'test':
      return `test ${draft.tests[place.test]?.name ?? `#${place.test + 1}`}${place.field ? `, ${place.field}` : ''}`;
  }
}

/** The problems whose place passes `where`, e.g. those of one condition's value. */
export function problemsAt(problems: readonly Problem[], draft: DraftDocument, where: (place: ProblemPlace) => boolean): Problem[] {
  return problems.filter((problem) => where(placeOf(problem.path, draft)));
}

/**
 * Why the builder cannot show a condition tree (it can show anything the converter reads: leaves with
 * fact, operator and value; groups with exactly one of all / any as an array, or not as a condition),
 * or undefined when it can. JSON typed by hand can be anything; the builder must not break on it.
 */
export function conditionShapeProblem(node: unknown, pointer = ''): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return `${pointer || 'conditions'}: must be a condition object`;
  const record = node as Record<string, unknown>;
  if ('fact' in record) {
    if (typeof record.fact !== 'string' || typeof record.operator !== 'string' || !('value' in record)) {
      return `${pointer || 'conditions'}: a condition needs fact and operator (strings) and a value`;
    }
    return undefined;
  }
  const keys = ['all', 'any', 'not'].filter((key) => key in record);
  if (keys.length !== 1) return `${pointer || 'conditions'}: must hold exactly one of all, any, not`;
  const key = keys[0]!;
  if (key === 'not') return conditionShapeProblem(record.not, `${pointer}/not`);
  const children = record[key];
  if (!Array.isArray(children)) return `${pointer}/${key}: must be an array of conditions`;
  for (let index = 0; index < children.length; index += 1) {
    const problem = conditionShapeProblem(children[index], `${pointer}/${key}/${index}`);
    if (problem) return problem;
  }
  return undefined;
}
