import type { LoggedDecision } from '../../api/types.js';
import { Table } from '../common/table.js';

/** The principal reasons the applicant is told, most important first, with the rule behind each. */
export function ReasonsView({ decision }: { decision: Pick<LoggedDecision, 'outcome' | 'reasons'> }) {
  const reasons = decision.reasons ?? [];
  return (
    <>
      <h2 id="reasons-title">Principal reasons</h2>
      {reasons.length === 0 ? (
        <p>{decision.outcome === 'approve' ? 'None: the decision approves.' : 'None given: no rule that fired names a reason.'}</p>
      ) : (
        <Table caption="Principal reasons told to the applicant, most important first" columns={['#', 'Reason', 'Code', 'Rule']}>
          {reasons.map((reason, index) => (
            <tr key={`${reason.ruleset}/${reason.code}`}>
              <td>{index + 1}</td>
              {/* Catalogue text is written by rule editors: rendered as text. */}
              <th scope="row" className="message">
                {reason.text}
              </th>
              <td>
                <code>{reason.code}</code>
              </td>
              <td>
                {reason.ruleset} v{reason.version} / {reason.rule}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
