import type { DraftView } from '../../api/types.js';
import { describePlace, placeOf } from '../../rules/draft-problems.js';
import type { DraftDocument } from '../../rules/draft-edits.js';

/**
 * A risk or product draft that reads protected facts (gender, age…): where it does, and the
 * acknowledgement the service requires to publish it, recorded with the publish in the audit trail.
 */
export function ProtectedFactsNotice({
  draft,
  acknowledgement,
  onChange,
}: {
  draft: DraftView;
  acknowledgement: string;
  onChange(text: string): void;
}) {
  const warnings = draft.warnings ?? [];
  if (warnings.length === 0) return null;
  const document = draft as unknown as DraftDocument;
  return (
    <div className="warn protected-facts" role="note" aria-labelledby="protected-facts-title">
      <p id="protected-facts-title">
        <strong>This draft reads protected facts.</strong> Credit and product decisions must not turn on them (fair lending); publishing it
        needs a reason, recorded in the audit trail with the publish.
      </p>
      <ul aria-label="Conditions reading protected facts">
        {warnings.map((warning) => (
          <li key={warning.path}>
            {describePlace(placeOf(warning.path, document), document)}: {warning.message}
          </li>
        ))}
      </ul>
      <label className="field">
        <span className="field-label">Why this draft may read them</span>
        <textarea
          aria-label="Why this draft may read protected facts"
          value={acknowledgement}
          maxLength={1000}
          rows={2}
          onChange={(event) => onChange(event.target.value)}
        />
      </label>
    </div>
  );
}
