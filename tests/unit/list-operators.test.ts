import { expect } from 'chai';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import { ReferenceRuleset } from '../../src/engine/reference-ruleset.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import { applyChanges } from '../../src/features/lists/list-registry.js';

const identity = { id: 'lists', version: 1, kind: 'fraud' as const, checksum: 'sha256:x' };
const at = new Date('2026-11-21T02:00:00Z');
const LISTS = new Map([
  ['blocked', new Set(['d-1', '42'])],
  ['empty', new Set<string>()],
]);
const rule = (operator: string, list: string): Rule => ({
  name: `${operator}-${list}`,
  conditions: { all: [{ fact: 'eventDeviceId', operator, value: list }] },
  event: { type: 'alert', params: { code: 'LISTED', severity: 'low' } },
});

/** Whether the rule fires for the fact value, on both evaluators (which must agree). */
async function fires(operator: string, list: string, factValue: unknown): Promise<boolean> {
  const rules = [rule(operator, list)];
  const facts = factValue === undefined ? {} : { eventDeviceId: factValue };
  const [reference, compiled] = await Promise.all([
    new ReferenceRuleset(identity, rules).evaluate(facts, at, LISTS),
    new ClosureRuleset(identity, rules).evaluate(facts, at, LISTS),
  ]);
  expect(compiled).to.deep.equal(reference);
  return compiled.rules[0]!.fired;
}

describe('operators inList and notInList', () => {
  it('when the fact is an item of the list, then inList holds and notInList does not', async () => {
    expect(await fires('inList', 'blocked', 'd-1')).to.equal(true);
    expect(await fires('notInList', 'blocked', 'd-1')).to.equal(false);
    expect(await fires('inList', 'blocked', 'd-2')).to.equal(false);
    expect(await fires('notInList', 'blocked', 'd-2')).to.equal(true);
  });

  it('when the fact is a number, then it is compared as a string', async () => {
    expect(await fires('inList', 'blocked', 42)).to.equal(true);
    expect(await fires('notInList', 'blocked', 43)).to.equal(true);
  });

  it('when the fact is absent, a boolean, or the list is unknown, then both are false', async () => {
    for (const operator of ['inList', 'notInList']) {
      expect(await fires(operator, 'blocked', undefined), `${operator} absent`).to.equal(false);
      expect(await fires(operator, 'blocked', true), `${operator} boolean`).to.equal(false);
      expect(await fires(operator, 'no-such-list', 'd-1'), `${operator} unknown list`).to.equal(false);
    }
  });

  it('when no lists are given, then list conditions are false on both evaluators', async () => {
    const rules = [rule('notInList', 'empty')];
    const compiled = await new ClosureRuleset(identity, rules).evaluate({ eventDeviceId: 'd-1' }, at);
    const reference = await new ReferenceRuleset(identity, rules).evaluate({ eventDeviceId: 'd-1' }, at);
    expect([compiled.rules[0]!.fired, reference.rules[0]!.fired]).to.deep.equal([false, false]);
  });
});

describe('list changes applied in order', () => {
  it('when a list is replaced, added to and removed from, then the result follows the changes and the earlier Set is untouched', () => {
    const by = { keyId: 'k', name: 'n' };
    const base = { at: new Date(), by };
    const first = applyChanges(new Map(), [{ ...base, seq: 1, listId: 'l', op: 'replace', items: ['a', 'b'], description: 'd' }]);
    const before = first.get('l')!.items;
    const next = applyChanges(first, [
      { ...base, seq: 2, listId: 'l', op: 'add', items: ['c'] },
      { ...base, seq: 3, listId: 'l', op: 'remove', items: ['a'] },
    ]);
    expect([...next.get('l')!.items].sort()).to.deep.equal(['b', 'c']);
    expect(next.get('l')).to.include({ revision: 3, description: 'd' });
    expect([...before].sort()).to.deep.equal(['a', 'b']);
  });
});
