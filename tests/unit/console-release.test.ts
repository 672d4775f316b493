import { expect } from 'chai';
import { canonicalText, diffRulesets, summarise } from '../../src/console/screens/ruleset/ruleset-diff.js';
import { diffView } from '../../src/console/screens/ruleset/line-diff-view.js';
import { exampleChanges, formatChange, formatCount, gainedAndLost } from '../../src/console/screens/ruleset/backtest-report.js';
import { moveName, moveQuestion, publishBlocker, type PublishSituation } from '../../src/console/screens/ruleset/publish-readiness.js';

const rule = (name: string, value: number) => ({
  name,
  conditions: { all: [{ fact: 'eventLocalHour', operator: 'between', value: [0, value] }] },
  event: { type: 'alert', params: { code: 'X', severity: 'medium' } },
});

describe('console: comparing rulesets rule by rule', () => {
  it('when only the order of keys differs, then nothing is changed', () => {
    const reordered = {
      event: { params: { severity: 'medium', code: 'X' }, type: 'alert' },
      conditions: rule('a', 5).conditions,
      name: 'a',
    };
    const diff = diffRulesets({ rules: [rule('a', 5)], tests: [] }, { rules: [reordered], tests: [] });
    expect(diff.rules).to.deep.equal({ changes: [], unchanged: 1 });
    expect(canonicalText(reordered)).to.equal(canonicalText(rule('a', 5)));
  });

  it('when rules are added, removed and changed, then each is named with its canonical JSON on both sides', () => {
    const diff = diffRulesets(
      { rules: [rule('kept', 5), rule('changed', 5), rule('gone', 5)], tests: [] },
      { rules: [rule('new', 5), rule('kept', 5), rule('changed', 6)], tests: [] },
    );
    expect(diff.rules.changes.map((change) => [change.name, change.change])).to.deep.equal([
      ['new', 'added'],
      ['changed', 'changed'],
      ['gone', 'removed'],
    ]);
    expect(diff.rules.changes[0]!.before).to.equal('');
    expect(diff.rules.changes[2]!.after).to.equal('');
    expect(diff.rules.changes[1]!.after).to.include('"name": "changed"');
    expect(summarise(diff.rules)).to.equal('1 added, 1 changed, 1 removed, 1 unchanged');
  });

  it('when two tests share a name, then they are matched by occurrence, not merged', () => {
    const test = (name: string, outcome: string) => ({ name, expect: { outcome } });
    const diff = diffRulesets(
      { rules: [], tests: [test('same', 'approve'), test('same', 'review')] },
      { rules: [], tests: [test('same', 'approve'), test('same', 'decline')] },
    );
    expect(diff.tests.changes.map((change) => [change.name, change.change])).to.deep.equal([['same #2', 'changed']]);
    expect(diff.tests.unchanged).to.equal(1);
  });

  it('when a long item changes in one line, then the line diff keeps three lines of context and folds the rest', () => {
    const before = Array.from({ length: 20 }, (_, index) => `line ${index}`).join('\n');
    const after = before.replace('line 10', 'line ten');
    const lines = diffView(before, after);
    expect(lines).to.deep.equal([
      { kind: 'folded', count: 7 },
      ...[7, 8, 9].map((index) => ({ kind: 'same', text: `line ${index}` })),
      { kind: 'removed', text: 'line 10' },
      { kind: 'added', text: 'line ten' },
      ...[11, 12, 13].map((index) => ({ kind: 'same', text: `line ${index}` })),
      { kind: 'folded', count: 6 },
    ]);
    expect(diffView('', 'a\nb')).to.deep.equal([
      { kind: 'added', text: 'a' },
      { kind: 'added', text: 'b' },
    ]);
  });
});

describe('console: reading a backtest report', () => {
  it('when a count is withheld (null or text), then it says so instead of showing a number or a change', () => {
    expect(formatCount(1234)).to.equal('1,234');
    expect(formatCount(null)).to.equal('withheld (fewer than 5)');
    expect(formatCount(undefined)).to.equal('withheld (fewer than 5)');
    expect(formatCount('<5')).to.equal('<5 (withheld)');
    expect(formatChange(0, 4)).to.equal('+4');
    expect(formatChange(4, 0)).to.equal('−4');
    expect(formatChange(3, 3)).to.equal('0');
    expect(formatChange(null, 3)).to.equal('withheld');
  });

  it('when deltas come back, then positive ones are gained and negative ones lost, largest first, and zero ones are neither', () => {
    const { gained, lost, withheld } = gainedAndLost({
      alerts: { LATE: 4, FAR: -1, SAME: 0 },
      tags: { vip: 9, old: -3, hidden: null },
      products: {},
    });
    expect(gained.map((change) => `${change.kind}:${change.name}`)).to.deep.equal(['tags:vip', 'alerts:LATE']);
    expect(lost.map((change) => `${change.kind}:${change.name}`)).to.deep.equal(['tags:old', 'alerts:FAR']);
    expect(withheld.map((change) => change.name)).to.deep.equal(['hidden']);
  });

  it('when an example changes, then its gains and losses are labelled with their kind', () => {
    const changes = exampleChanges({
      before: { alerts: ['FAR'], tags: ['a'], products: [] },
      after: { alerts: ['LATE'], tags: ['a', 'b'], products: ['loan'] },
    });
    expect(changes).to.deep.equal({ gained: ['alert LATE', 'tag b', 'product loan'], lost: ['alert FAR'] });
  });
});

describe('console: saying before the click why a publish would be refused', () => {
  const situation = (overrides: Partial<PublishSituation> = {}): PublishSituation => ({
    mayPublish: true,
    roles: ['rules:edit', 'rules:publish'],
    keyId: 'me',
    fourEyes: true,
    draft: { checksum: 'new', updatedBy: { keyId: 'someone-else' } },
    latest: { version: 1, checksum: 'old' },
    failingTests: [],
    ...overrides,
  });

  it('when nothing stands in the way, then publishing is offered', () => {
    expect(publishBlocker(situation())).to.equal(undefined);
    expect(publishBlocker(situation({ fourEyes: false, draft: { checksum: 'new', updatedBy: { keyId: 'me' } } }))).to.equal(undefined);
  });

  it('when the key saved the draft last under four eyes, then a second person must publish', () => {
    expect(publishBlocker(situation({ draft: { checksum: 'new', updatedBy: { keyId: 'me' } } }))).to.match(
      /^Four-eyes rule: you saved this draft last, so a second person must publish it/,
    );
  });

  it('when the key lacks rules:publish, the draft equals the latest version or a test fails, then each is the reason, in that order', () => {
    expect(publishBlocker(situation({ mayPublish: false, roles: ['rules:edit'], draft: { checksum: 'old' } }))).to.equal(
      'Publishing needs the rules:publish role; this key has rules:edit.',
    );
    expect(publishBlocker(situation({ draft: { checksum: 'old', updatedBy: { keyId: 'me' } } }))).to.equal(
      'The draft equals version 1: there is nothing new to publish.',
    );
    expect(publishBlocker(situation({ failingTests: ['a', 'b'] }))).to.match(/^2 draft test\(s\) fail/);
  });

  it('when a version is activated, then the confirmation names both versions and the direction', () => {
    expect(moveQuestion('fraud-alerts', { from: 2, to: 1 })).to.equal('Roll back fraud-alerts from version 2 to version 1?');
    expect(moveName({ from: 2, to: 1 })).to.equal('Roll back to version 1');
    expect(moveQuestion('fraud-alerts', { from: 1, to: 3 })).to.equal('Roll forward fraud-alerts from version 1 to version 3?');
    expect(moveName({ from: null, to: 1 })).to.equal('Activate version 1');
    expect(moveQuestion('tags', { from: null, to: 1 })).to.equal('Activate version 1 of tags?');
  });
});
