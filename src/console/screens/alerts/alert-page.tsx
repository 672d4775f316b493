import type { AlertDetail, AlertItem, Page } from '../../api/types.js';
import { Loaded } from '../../components/status.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { formatTime } from '../common/format.js';
import { Table } from '../common/table.js';
import { keysByName } from '../common/row-keys.js';
import { ExplanationView } from '../decisions/explanation-view.js';
import { AlertsTable } from '../decisions/alerts-table.js';
import { ReviewPanel } from './review-panel.js';

/** `#/alerts/:id`: one alerted decision as an analyst needs it — alerts, the customer's recent activity, the explanation — and its label. */
export function AlertPage({ params }: { params: Record<string, string> }) {
  const { api } = useSession();
  const id = params.id!;
  const state = useAsync(() => api.get<AlertDetail>(`/v1/alerts/${encodeURIComponent(id)}`), [api, id]);
  return (
    <section aria-labelledby="alert-title">
      <p>
        <a href={href('/alerts')}>← Review alerts</a>
      </p>
      <h1 id="alert-title">Alert of decision {id}</h1>
      <Loaded state={state} what="the decision">
        {({ decision, recentActivity }) => (
          <>
            <dl className="facts-list">
              <dt>Outcome</dt>
              <dd>
                <span className={`outcome outcome-${decision.outcome}`}>{decision.outcome}</span>
              </dd>
              <dt>Logged</dt>
              <dd>{formatTime(decision.createdAt)}</dd>
              <dt>Profile</dt>
              <dd>
                {decision.profileId === null ? (
                  <span className="muted">erased</span>
                ) : (
                  <a href={href(`/profiles/${encodeURIComponent(decision.profileId)}`)}>{decision.profileId} (snoozes)</a>
                )}
              </dd>
            </dl>
            <AlertsTable alerts={decision.alerts} showCaption />
            <ReviewPanel decisionId={decision.decisionId} />
            {decision.profileId !== null && (
              <CustomerActivity profileId={decision.profileId} decisionId={decision.decisionId} activity={recentActivity} />
            )}
            <ExplanationView decision={decision} />
          </>
        )}
      </Loaded>
    </section>
  );
}

/** The customer's activity of the last 30 days (as the alert endpoint gives it, newest first) and their other alerted decisions. */
function CustomerActivity({
  profileId,
  decisionId,
  activity,
}: {
  profileId: string;
  decisionId: string;
  activity: AlertDetail['recentActivity'];
}) {
  const { api } = useSession();
  const others = useAsync(
    () => api.get<Page<AlertItem>>(`/v1/alerts?profileId=${encodeURIComponent(profileId)}&limit=10`),
    [api, profileId],
  );
  const keys = keysByName(activity.map((entry) => `${entry.at} ${entry.kind}`));
  return (
    <section aria-labelledby="activity-title">
      <h2 id="activity-title">The customer's recent activity</h2>
      {activity.length === 0 ? (
        <p>No recorded activity in the last 30 days.</p>
      ) : (
        <Table
          caption={`The ${activity.length} latest activities of ${profileId}`}
          showCaption
          columns={['When', 'Kind', 'Place', 'Device']}
        >
          {activity.map((entry, index) => (
            <tr key={keys[index]}>
              <th scope="row">{formatTime(entry.at)}</th>
              <td>{entry.kind}</td>
              <td>{entry.lat !== undefined && entry.lon !== undefined ? `${entry.lat}, ${entry.lon}` : '—'}</td>
              <td>{entry.deviceId ?? '—'}</td>
            </tr>
          ))}
        </Table>
      )}
      <h3 id="other-alerts-title">Other alerts of this customer</h3>
      <Loaded state={others} what="the customer's alerts">
        {(page) => {
          const items = page.items.filter((item) => item.decisionId !== decisionId);
          return items.length === 0 ? (
            <p>No other alert.</p>
          ) : (
            <Table labelledBy="other-alerts-title" columns={['Decision', 'Logged', 'Alerts', 'Review']}>
              {items.map((item) => (
                <tr key={item.decisionId}>
                  <th scope="row">
                    <a href={href(`/alerts/${encodeURIComponent(item.decisionId)}`)}>{item.decisionId}</a>
                  </th>
                  <td>{formatTime(item.createdAt)}</td>
                  <td>{item.alerts.map((alert) => alert.code).join(', ')}</td>
                  <td>{item.review?.label ?? 'open'}</td>
                </tr>
              ))}
            </Table>
          );
        }}
      </Loaded>
    </section>
  );
}
