import { expect } from 'chai';
import { sameDraft, withReason, type DraftDocument } from '../../src/console/rules/draft-edits.js';
import { diffRulesets, summarise } from '../../src/console/screens/ruleset/ruleset-diff.js';

describe('console: the reason catalogue in the draft editor', () => {
  const draft: DraftDocument = { rules: [], tests: [], reasons: { LOW_SCORE: 'Your credit score is low.' } };

  it('when a reason is added, its text edited and another removed, then the catalogue follows and the draft given is untouched', () => {
    const added = withReason(draft, 'HIGH_DEBT', 'Your debts are high.');
    const edited = withReason(added, 'HIGH_DEBT', 'Your debts are high compared with your income.');
    const removed = withReason(edited, 'LOW_SCORE', undefined);

    expect(removed.reasons).to.deep.equal({ HIGH_DEBT: 'Your debts are high compared with your income.' });
    expect(draft.reasons).to.deep.equal({ LOW_SCORE: 'Your credit score is low.' });
  });

  it('when two drafts differ only in a reason text, then they are different drafts (unsaved changes); no catalogue equals an empty one', () => {
    expect(sameDraft(draft, withReason(draft, 'LOW_SCORE', 'Another text.'))).to.equal(false);
    expect(sameDraft({ rules: [], tests: [] }, { rules: [], tests: [], reasons: {} })).to.equal(true);
  });

  it('when two versions differ only in reasons, then Compare versions names the reasons added, changed and removed', () => {
    const diff = diffRulesets(
      { rules: [], tests: [], reasons: { KEPT: 'Same.', CHANGED: 'Before.', GONE: 'Removed.' } },
      { rules: [], tests: [], reasons: { KEPT: 'Same.', CHANGED: 'After.', NEW: 'Added.' } },
    );

    expect(diff.reasons.changes.map((change) => [change.name, change.change])).to.deep.equal([
      ['CHANGED', 'changed'],
      ['NEW', 'added'],
      ['GONE', 'removed'],
    ]);
    expect(summarise(diff.reasons)).to.equal('1 added, 1 changed, 1 removed, 1 unchanged');
    expect(diff.rules.changes).to.deep.equal([]);
  });
});
