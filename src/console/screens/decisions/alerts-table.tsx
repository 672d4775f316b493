import type { LoggedDecision } from '../../api/types.js';
import { Table } from '../common/table.js';

/** A decision's alerts: code, severity, message (as text) and the rule that raised each. */
export function AlertsTable({ alerts, showCaption }: { alerts: LoggedDecision['alerts']; showCaption?: boolean }) {
  return (
    <Table caption="Alerts raised" showCaption={showCaption} columns={['Code', 'Severity', 'Message', 'Rule']}>
      {alerts.map((alert) => (
        <tr key={`${alert.ruleset}/${alert.rule}`}>
          <th scope="row">{alert.code}</th>
          <td>{alert.severity}</td>
          {/* Messages can quote customer data: React renders them as text, never as markup. */}
          <td className="message">{alert.message ?? '—'}</td>
          <td>
            {alert.ruleset} v{alert.version} / {alert.rule}
          </td>
        </tr>
      ))}
    </Table>
  );
}
