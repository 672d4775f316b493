import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { convertItem, defaultValue, joinInstant, splitInstant, valueForKind, valueInputFor } from '../../src/console/rules/value-kinds.js';
import { formatJson, lineColumn, parseJson, spanOfPointer } from '../../src/console/rules/json-text.js';
import {
  addRule,
  addTest,
  duplicateRule,
  moveRule,
  removeRule,
  sameDraft,
  withEventType,
  withRuleProperty,
  type DraftDocument,
} from '../../src/console/rules/draft-edits.js';
import { conditionShapeProblem, describePlace, placeOf } from '../../src/console/rules/draft-problems.js';
import { REPO_ROOT } from '../../src/config/repo-root.js';

const fraud = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'rulesets', 'fraud-alerts.json'), 'utf8')) as DraftDocument;

describe('console: value inputs of the visual builder', () => {
  const cases: [string, string | undefined, string | undefined, unknown, unknown][] = [
    ['a number operator', 'number', 'integer', 5, { kind: 'number' }],
    ['a number operator left empty', 'number', 'integer', null, { kind: 'number' }],
    ['between', 'range', 'integer', [0, 5], { kind: 'range' }],
    ['between with one end empty', 'range', 'integer', [0, null], { kind: 'range' }],
    ['before', 'instant', 'object', '2026-01-01T00:00:00+08:00', { kind: 'instant' }],
    ['withinLastDays', 'days', 'object', 30, { kind: 'days' }],
    ['matches', 'pattern', 'string', '^A', { kind: 'pattern' }],
    ['equal on a boolean fact', 'any', 'boolean', false, { kind: 'item', itemType: 'boolean', choosable: false }],
    ['equal on a string fact', 'any', 'string', 'Asia/Shanghai', { kind: 'item', itemType: 'text', choosable: false }],
    ['equal on an object fact read with a path', 'any', 'object', 'loan_application', { kind: 'item', itemType: 'text', choosable: true }],
    ['equal with a number on a string fact (kept as a number)', 'any', 'string', 7, { kind: 'item', itemType: 'number', choosable: true }],
    ['in on a number fact', 'list', 'number', [1, 2], { kind: 'list', itemType: 'number', choosable: false }],
    ['in on a string fact', 'list', 'string', ['a', 'b'], { kind: 'list', itemType: 'text', choosable: false }],
    ['in with mixed item types', 'list', 'object', [1, 'a'], { kind: 'json' }],
    ['in on a number fact with an item emptied', 'list', 'integer', [1, null], { kind: 'list', itemType: 'number', choosable: false }],
    ['contains on an array fact', 'scalar', 'array', 'travel', { kind: 'item', itemType: 'text', choosable: true }],
    ['equal null on an object fact', 'any', 'object', null, { kind: 'json' }],
    ['a number operator holding a string', 'number', 'integer', '5', { kind: 'json' }],
    ['an unknown operator', undefined, 'integer', 3, { kind: 'item', itemType: 'number', choosable: false }],
  ];
  for (const [what, kind, factType, value, input] of cases) {
    it(`when the condition is ${what}, then it gets the ${JSON.stringify(input)} input`, () => {
      expect(valueInputFor(kind, factType, value)).to.deep.equal(input);
    });
  }

  it('when the operator changes kind, then the value is carried over in the new shape (numbers stay numbers)', () => {
    expect(valueForKind(5, 'range', 'integer')).to.deep.equal([5, null]);
    expect(valueForKind([1, 4], 'number', 'integer')).to.equal(1);
    expect(valueForKind('a', 'list', 'string')).to.deep.equal(['a']);
    expect(valueForKind(['a', 'b'], 'any', 'string')).to.equal('a');
    expect(valueForKind('12', 'any', 'integer')).to.equal(12);
    expect(valueForKind(3, 'pattern', 'string')).to.equal('');
  });

  it('when a new condition starts, then values a person must type start empty', () => {
    expect(defaultValue('number', 'integer')).to.equal(null);
    expect(defaultValue('range', 'integer')).to.deep.equal([null, null]);
    expect(defaultValue('list', 'string')).to.deep.equal([]);
    expect(defaultValue('any', 'boolean')).to.equal(true);
  });

  it('when an item changes type, then text that reads as a number becomes one and anything else is empty', () => {
    expect(convertItem('42', 'number')).to.equal(42);
    expect(convertItem('x', 'number')).to.equal(null);
    expect(convertItem(42, 'text')).to.equal('42');
    expect(convertItem('true', 'boolean')).to.equal(true);
  });

  it('when a time has an offset, then it splits into the date-time input and the offset, and joins back with seconds', () => {
    expect(splitInstant('2026-01-01T00:30:00+08:00')).to.deep.equal({ local: '2026-01-01T00:30:00', offset: '+08:00' });
    expect(splitInstant('2026-01-01T00:30Z')).to.deep.equal({ local: '2026-01-01T00:30', offset: 'Z' });
    expect(splitInstant('2026-01-01')).to.equal(undefined);
    expect(joinInstant('2026-01-01T00:30', '+08:00')).to.equal('2026-01-01T00:30:00+08:00');
    expect(joinInstant('', '+08:00')).to.equal('');
  });
});

describe('console: the JSON view text', () => {
  it('when the shipped fraud-alerts draft is printed, then it parses back to the same draft, with short lists on one line', () => {
    const text = formatJson(fraud);
    expect(JSON.parse(text)).to.deep.equal(JSON.parse(JSON.stringify(fraud)));
    expect(formatJson({ value: [0, 5] })).to.equal('{\n  "value": [0, 5]\n}');
  });

  it('when a pointer names a value, then its span covers the member; a missing property names its parent', () => {
    const text = '{\n  "rules": [\n    { "name": "a", "event": { "params": {} } }\n  ]\n}';
    const parsed = parseJson(text);
    if (!parsed.ok) throw new Error(parsed.message);
    const name = spanOfPointer(parsed.spans, '/rules/0/name')!;
    expect(text.slice(name.from, name.to)).to.equal('"name": "a"');
    expect(name.exact).to.equal(true);
    const missing = spanOfPointer(parsed.spans, '/rules/0/event/params/code')!;
    expect(text.slice(missing.from, missing.to)).to.equal('"params": {}');
    expect(missing.exact).to.equal(false);
  });

  it('when keys hold "/" or "~", then their pointers are escaped as the service escapes them', () => {
    const parsed = parseJson('{"a/b": {"c~d": 1}}');
    if (!parsed.ok) throw new Error(parsed.message);
    expect([...parsed.spans.keys()]).to.include('/a~1b/c~0d');
  });

  const invalid: [string, string, number][] = [
    ['{"rules": [1, 2,]}', 'Expected a value, found "]"', 16],
    ['{"rules": [}', 'Expected a value, found "}"', 11],
    ['{"a" 1}', 'Expected ":" after a property name', 5],
    ['{"a": "x}', 'A string is not closed', 6],
    ['{"a": 1} x', 'Expected the end of the text after the value', 9],
    ["{'a': 1}", 'Expected a property name in double quotes', 1],
  ];
  for (const [text, message, at] of invalid) {
    it(`when the text is ${JSON.stringify(text)}, then it is invalid at ${at}: ${message}`, () => {
      const parsed = parseJson(text);
      expect(parsed.ok).to.equal(false);
      if (parsed.ok) return;
      expect(parsed.message).to.include(message);
      expect(parsed.at).to.equal(at);
    });
  }

  it('when the position is on the third line, then line and column are counted from 1', () => {
    expect(lineColumn('{\n  "a":\n  x', 11)).to.deep.equal({ line: 3, column: 3 });
  });
});

describe('console: draft edits', () => {
  const draft: DraftDocument = { rules: fraud.rules.slice(0, 3), tests: [] };

  it('when a rule is added to a fraud ruleset, then it raises an alert, has no conditions yet and a name no rule has', () => {
    const once = addRule(draft, 'fraud');
    const twice = addRule(once, 'fraud');
    expect(twice.rules.slice(3).map((rule) => rule.name)).to.deep.equal(['new-rule', 'new-rule-2']);
    expect(twice.rules[3]).to.deep.equal({
      name: 'new-rule',
      conditions: { all: [] },
      event: { type: 'alert', params: { code: '', severity: 'medium' } },
    });
    expect(draft.rules).to.have.length(3);
  });

  it('when a rule is duplicated, moved and deleted, then the list changes and the original draft does not', () => {
    const duplicated = duplicateRule(draft, 0);
    expect(duplicated.rules.map((rule) => rule.name)).to.deep.equal([
      'event-far-from-residence',
      'event-far-from-residence-copy',
      'trajectory-far-from-residence',
      'mostly-late-night-activity',
    ]);
    expect(duplicated.rules[1]!.conditions).to.deep.equal(draft.rules[0]!.conditions);
    expect(duplicated.rules[1]!.conditions).to.not.equal(draft.rules[0]!.conditions);
    expect(moveRule(duplicated, 3, -1).rules.map((rule) => rule.name)[2]).to.equal('mostly-late-night-activity');
    expect(moveRule(duplicated, 0, -1)).to.equal(duplicated);
    expect(removeRule(duplicated, 1).rules.map((rule) => rule.name)).to.deep.equal(draft.rules.map((rule) => rule.name));
  });

  it('when a description is added and a priority emptied, then the rule keeps its keys in the order rules are written', () => {
    const rule = withRuleProperty(withRuleProperty(draft.rules[0]!, 'description', 'far away'), 'priority', undefined);
    expect(Object.keys(rule)).to.deep.equal(['name', 'description', 'conditions', 'event']);
    expect(rule.description).to.equal('far away');
  });

  it('when the event type changes, then the params it needs appear and the message stays', () => {
    const rule = withEventType(draft.rules[0]!, 'score');
    expect(rule.event).to.deep.equal({
      type: 'score',
      params: { points: 0, message: '{{eventDistanceFromResidenceKm}} km from residence' },
    });
  });

  it('when two drafts differ only in key order, then they are the same draft', () => {
    const reordered = JSON.parse(JSON.stringify(draft, Object.keys(draft).reverse())) as DraftDocument;
    const keysReversed = {
      tests: draft.tests,
      rules: draft.rules.map((rule) => Object.fromEntries(Object.entries(rule).reverse())),
    } as DraftDocument;
    expect(sameDraft(draft, keysReversed)).to.equal(true);
    expect(sameDraft(draft, addTest(reordered))).to.equal(false);
  });
});

describe("console: where the service's problems belong in the editor", () => {
  const draft = {
    rules: [
      {
        name: 'late',
        conditions: {
          all: [{ fact: 'age', operator: 'between', value: [5, 0] }, { not: { any: [{ fact: 'x', operator: 'equal', value: 1 }] } }],
        },
        event: { type: 'alert', params: {} },
      },
    ],
    tests: [{ name: 't1' }],
  } as unknown as DraftDocument;
  const cases: [string, unknown, string][] = [
    ['/rules/0/conditions/all/0/value', { area: 'condition', rule: 0, path: [0], part: 'value' }, 'rule late, condition 1, value'],
    [
      '/rules/0/conditions/all/1/not/any/0/fact',
      { area: 'condition', rule: 0, path: [1, 0], part: 'fact' },
      'rule late, condition 2.1, fact',
    ],
    ['/rules/0/conditions/all/1/not/any', { area: 'condition', rule: 0, path: [1], part: 'any' }, 'rule late, group 2, any'],
    ['/rules/0/event/params/code', { area: 'event', rule: 0, field: 'code' }, 'rule late, event code'],
    ['/rules/0/event/type', { area: 'event', rule: 0, field: 'type' }, 'rule late, event type'],
    ['/rules/0/name', { area: 'rule', rule: 0, field: 'name' }, 'rule late, name'],
    ['/tests/0/expect/alerts', { area: 'test', test: 0, field: 'expect' }, 'test t1, expect'],
    ['/rules', { area: 'draft' }, 'the draft'],
  ];
  for (const [pointer, place, words] of cases) {
    it(`when the service points at ${pointer}, then the editor shows it at ${words}`, () => {
      expect(placeOf(pointer, draft)).to.deep.equal(place);
      expect(describePlace(placeOf(pointer, draft), draft)).to.equal(words);
    });
  }

  it('when a rule typed in the JSON view has conditions the builder cannot show, then its problems stay on the rule and the shape problem is named', () => {
    const broken = {
      rules: [{ name: 'b', conditions: { all: 'x' }, event: { type: 'tag', params: {} } }],
      tests: [],
    } as unknown as DraftDocument;
    expect(placeOf('/rules/0/conditions/all', broken)).to.deep.equal({ area: 'rule', rule: 0, field: 'conditions' });
    expect(conditionShapeProblem(broken.rules[0]!.conditions)).to.equal('/all: must be an array of conditions');
    expect(conditionShapeProblem({ all: [{ fact: 'age', operator: 'equal' }] })).to.equal(
      '/all/0: a condition needs fact and operator (strings) and a value',
    );
    expect(conditionShapeProblem(fraud.rules[5]!.conditions)).to.equal(undefined);
  });
});
