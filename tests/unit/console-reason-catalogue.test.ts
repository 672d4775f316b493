import { expect } from 'chai';
import { sameDraft, withReason, type DraftDocument } from '../../src/console/rules/draft-edits.js';

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
});
