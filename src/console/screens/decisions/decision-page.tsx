import type { AlertDetail, LoggedDecision } from '../../api/types.js';
import { Loaded } from '../../components/status.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { formatTime } from '../common/format.js';
import { JsonText } from '../common/json-text.js';
import { PROFILE_READERS } from '../profiles/profile-roles.js';
import { ExplanationView } from './explanation-view.js';
import { ReplayPanel } from './replay-panel.js';
import { AlertsTable } from './alerts-table.js';
import { ReasonsView } from './reasons-view.js';
import { Table } from '../common/table.js';

/** `#/decisions/:id`: one logged decision, everything compliance needs to review it, and its replay. */
export function DecisionPage({ params }: { params: Record<string, string> }) {
  const { api, can } = useSession();
  const id = params.id!;
  const compliance = can('audit:read');
  // A fraud analyst reads the decisions their work concerns (alerted or snoozed) through the alert endpoint, not the log.
  const state = useAsync(
    async () =>
      compliance
        ? api.get<LoggedDecision>(`/v1/decisions/${encodeURIComponent(id)}`)
        : (await api.get<AlertDetail>(`/v1/alerts/${encodeURIComponent(id)}`)).decision,
    [api, id, compliance],
  );
  return (
    <section aria-labelledby="decision-title">
      <p>
        {/* A fraud analyst opens decisions from the alert queue; only audit:read may search the log. */}
        {compliance ? <a href={href('/decisions')}>← Search decisions</a> : <a href={href('/alerts')}>← Review alerts</a>}
      </p>
      <h1 id="decision-title">Decision {id}</h1>
      <Loaded state={state} what="the decision">
        {(decision) => <DecisionView decision={decision} />}
      </Loaded>
    </section>
  );
}

function DecisionView({ decision }: { decision: LoggedDecision }) {
  const session = useSession();
  return (
    <>
      <dl className="facts-list">
        <dt>Outcome</dt>
        <dd>
          <span className={`outcome outcome-${decision.outcome}`}>{decision.outcome}</span>
        </dd>
        <dt>Score</dt>
        <dd>{decision.score}</dd>
        <dt>Profile</dt>
        <dd>
          {decision.profileId === null ? (
            <span className="muted">erased</span>
          ) : session.can(...PROFILE_READERS, 'alerts:review') ? (
            <a href={href(`/profiles/${encodeURIComponent(decision.profileId)}`)}>{decision.profileId}</a>
          ) : (
            decision.profileId
          )}
        </dd>
        <dt>Logged</dt>
        <dd>{formatTime(decision.createdAt)}</dd>
        <dt>Evaluated</dt>
        <dd>
          {formatTime(decision.evaluatedAt)} in {decision.latencyMs} ms
        </dd>
        <dt>Caller</dt>
        <dd>
          {decision.caller.name} <span className="muted">(key {decision.caller.keyId})</span>
        </dd>
        <dt>Request id</dt>
        <dd>
          <code>{decision.requestId}</code>
        </dd>
        {decision.engine && (
          <>
            <dt>Engine</dt>
            <dd>
              {decision.engine.name} {decision.engine.version}
            </dd>
          </>
        )}
      </dl>
      {decision.masked && (
        <p className="notice" role="note">
          Erased on {formatTime(decision.masked.at)} by key {decision.masked.by}: {(decision.masked.fields ?? []).join(', ')} removed. The
          outcome, versions, alert codes and tags stay, and the entry still verifies against its seal; it can no longer be replayed.
        </p>
      )}

      <ReasonsView decision={decision} />

      {session.can('audit:read') && <ReplayPanel decisionId={decision.decisionId} />}
      {decision.snoozes && decision.snoozes.length > 0 && (
        <p className="notice" role="note">
          Snoozed for this customer when decided:{' '}
          {decision.snoozes.map((snooze) => `${snooze.ruleset} / ${snooze.rule} (until ${formatTime(snooze.until)})`).join('; ')}. A snoozed
          rule is evaluated and explained but yields nothing.
        </p>
      )}

      <h2>What it yielded</h2>
      <h3>Tags</h3>
      {decision.tags.length === 0 ? (
        <p>No tags.</p>
      ) : (
        <ul className="chips">
          {decision.tags.map((tag) => (
            <li key={tag}>{tag}</li>
          ))}
        </ul>
      )}
      <h3>Products</h3>
      {decision.products.length === 0 ? (
        <p>No products.</p>
      ) : (
        <Table caption="Products offered" columns={['Rank', 'Product', 'Message', 'Rule']}>
          {decision.products.map((product) => (
            <tr key={`${product.product}-${product.rule}`}>
              <td>{product.rank}</td>
              <th scope="row">{product.product}</th>
              <td>{product.message ?? '—'}</td>
              <td>{product.ruleset ? `${product.ruleset} v${product.version} / ${product.rule}` : '—'}</td>
            </tr>
          ))}
        </Table>
      )}
      <h3>Alerts</h3>
      {decision.alerts.length === 0 ? <p>No alerts.</p> : <AlertsTable alerts={decision.alerts} />}

      <h2>Ruleset versions</h2>
      <Table caption="Ruleset versions and checksums evaluated" columns={['Ruleset', 'Version', 'Checksum']}>
        {(decision.rulesets ?? []).map((ruleset) => (
          <tr key={ruleset.id}>
            <th scope="row">{ruleset.id}</th>
            <td>{ruleset.version}</td>
            <td>
              <code className="checksum">{ruleset.checksum}</code>
            </td>
          </tr>
        ))}
      </Table>

      <ExplanationView decision={decision} />

      <h2>Facts used</h2>
      {decision.facts === null ? (
        <p>Masked by the erasure.</p>
      ) : (
        <Table caption="Fact values the rules read" columns={['Fact', 'Value']}>
          {Object.entries(decision.facts)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([fact, value]) => (
              <tr key={fact}>
                <th scope="row">{fact}</th>
                <td>
                  <JsonText value={value} block={typeof value === 'object' && value !== null} />
                </td>
              </tr>
            ))}
        </Table>
      )}
      <h2>Request</h2>
      {decision.request === null ? <p>Masked by the erasure.</p> : <JsonText value={decision.request} block />}
    </>
  );
}
