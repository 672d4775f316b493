import { useState } from 'react';
import type { ReplayReport } from '../../api/types.js';
import { ErrorMessage } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { plural } from '../common/format.js';
import { JsonText } from '../common/json-text.js';
import { Table } from '../common/table.js';

/** "Replay this decision": re-evaluate the logged facts with the logged versions, and say whether anything differs. */
export function ReplayPanel({ decisionId }: { decisionId: string }) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ReplayReport | undefined>();
  const [error, setError] = useState<unknown>();

  async function replay() {
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      setReport(await api.post<ReplayReport>(`/v1/decisions/${encodeURIComponent(decisionId)}/replay`));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="replay-title" className="panel">
      <h2 id="replay-title">Replay</h2>
      <p className="hint">Re-evaluates the logged facts with the logged ruleset versions and compares everything the decision said.</p>
      <button type="button" onClick={replay} disabled={busy}>
        {busy ? 'Replaying…' : 'Replay this decision'}
      </button>
      <ErrorMessage error={error} />
      <div role="status">
        {report &&
          (report.identical ? (
            <p className="ok">Identical: the replay gives the same outcome, score, tags, products, alerts and explanations.</p>
          ) : (
            <p className="error">Different: {plural(report.differences.length, 'difference')}, listed by JSON pointer below.</p>
          ))}
      </div>
      {report && !report.identical && (
        <Table caption="Differences between the logged decision and its replay" columns={['Pointer', 'Logged', 'Replayed']}>
          {report.differences.map((difference) => (
            <tr key={difference.path}>
              <th scope="row">
                <code>{difference.path}</code>
              </th>
              <td>
                <JsonText value={difference.logged} block />
              </td>
              <td>
                <JsonText value={difference.replayed} block />
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
