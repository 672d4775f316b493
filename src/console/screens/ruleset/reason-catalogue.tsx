import { useState } from 'react';
import type { Problem } from '../../rules/draft-problems.js';
import type { Rule } from '../../../engine/rule-schema.js';
import { REASON_CODE_PATTERN } from '../../../engine/rule-schema.js';

const CODE = new RegExp(REASON_CODE_PATTERN);

/**
 * The draft's catalogue of principal reasons: the code a rule's event names, and the text a declined
 * or referred applicant reads. Problems the service reported at `/reasons/<code>` show beside the code.
 */
export function ReasonCatalogue({
  reasons,
  rules,
  problems,
  disabled,
  onChange,
}: {
  reasons: Readonly<Record<string, string>>;
  rules: readonly Rule[];
  problems: readonly Problem[];
  disabled: boolean;
  onChange(code: string, text: string | undefined): void;
}) {
  const [code, setCode] = useState('');
  const [text, setText] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const codes = Object.keys(reasons).sort();
  const usedBy = (reason: string) => rules.filter((rule) => rule.event?.params?.reason === reason).map((rule) => rule.name);
  const problemsOf = (reason: string) =>
    problems.filter((problem) => problem.path === `/reasons/${reason}` || problem.path.startsWith(`/reasons/${reason}/`));
  const add = () => {
    const next = code.trim();
    if (!CODE.test(next)) return setRefusal('A code is 1 to 40 capital letters, digits or underscores, e.g. HIGH_DEBT.');
    if (Object.hasOwn(reasons, next)) return setRefusal(`The catalogue already holds ${next}: edit its text above.`);
    if (text.trim() === '') return setRefusal('Write the text the applicant reads.');
    onChange(next, text.trim());
    setCode('');
    setText('');
    setRefusal(null);
  };
  return (
    <section className="reason-catalogue" aria-labelledby="reason-catalogue-title">
      <h3 id="reason-catalogue-title">Principal reasons</h3>
      <p className="muted">
        What a declined or referred applicant is told. A rule names one as its event's reason; write the text in plain language, without
        rule names. Saved with the draft and published with it.
      </p>
      {codes.length === 0 ? (
        <p>No reasons yet.</p>
      ) : (
        <table aria-labelledby="reason-catalogue-title">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Text for the applicant</th>
              <th scope="col">Named by</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {codes.map((reason) => {
              const found = problemsOf(reason);
              const problemId = `reason-${reason}-problem`;
              const used = usedBy(reason);
              return (
                <tr key={reason}>
                  <th scope="row">
                    <code>{reason}</code>
                  </th>
                  <td>
                    <input
                      type="text"
                      className="reason-text"
                      aria-label={`Text of reason ${reason}`}
                      value={reasons[reason]}
                      maxLength={300}
                      disabled={disabled}
                      onChange={(event) => onChange(reason, event.target.value)}
                      {...(found.length > 0 && { 'aria-invalid': true, 'aria-describedby': problemId })}
                    />
                    {found.length > 0 && (
                      <span className="problem" id={problemId}>
                        {found.map((problem) => problem.message).join('; ')}
                      </span>
                    )}
                  </td>
                  <td>{used.length === 0 ? <span className="muted">no rule</span> : used.join(', ')}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Remove reason ${reason}`}
                      disabled={disabled}
                      onClick={() => onChange(reason, undefined)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <form
        className="form-grid"
        aria-label="Add a reason"
        onSubmit={(event) => {
          event.preventDefault();
          add();
        }}
      >
        <label className="field">
          <span className="field-label">Code</span>
          <input
            type="text"
            aria-label="Code of the new reason"
            value={code}
            placeholder="HIGH_DEBT"
            disabled={disabled}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
          />
        </label>
        <label className="field">
          <span className="field-label">Text for the applicant</span>
          <input
            type="text"
            aria-label="Text of the new reason"
            value={text}
            maxLength={300}
            placeholder="Your debts are high compared with your income."
            disabled={disabled}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <button type="submit" disabled={disabled}>
          Add reason
        </button>
      </form>
      {refusal && (
        <p className="problem" role="alert">
          {refusal}
        </p>
      )}
    </section>
  );
}
