import { useState, type FormEvent } from 'react';
import type { AlertItem, Page } from '../../api/types.js';
import { ErrorMessage, Loading } from '../../components/status.js';
import { hashQuery, href, navigate } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatTime, plural } from '../common/format.js';
import { Pager, usePages } from '../common/pages.js';
import { Table } from '../common/table.js';
import { fromLocalInput, toLocalInput } from '../decisions/decision-filters.js';

const PAGE_SIZE = 20;
const FILTERS = ['status', 'code', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

function queryOf(filters: Filters, extra: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filters, ...extra }))
    if (value !== undefined && value !== '') query.set(name, String(value));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** `#/alerts?status=open`: the fraud analysts' queue of decisions that raised alerts, newest first. */
export function AlertQueueScreen({ path }: { path: string }) {
  const { api } = useSession();
  const query = hashQuery(path);
  const filters: Filters = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? undefined]));
  // Open alerts by default: the queue is what is left to do.
  if (filters.status === undefined) filters.status = 'open';
  if (filters.status === 'all') filters.status = '';
  const search = queryOf(filters);
  const pages = usePages(
    (cursor) => api.get<Page<AlertItem>>(`/v1/alerts${queryOf(filters, { limit: PAGE_SIZE, cursor })}`),
    [api, search],
  );
  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">Review alerts</h1>
      <FilterForm key={search} filters={filters} />
      <h2 id="alert-results-title">Alerts</h2>
      {pages.state.error ? (
        <ErrorMessage error={pages.state.error} />
      ) : !pages.state.data ? (
        <Loading what="alerts" />
      ) : (
        <>
          <p role="status">
            {pages.state.data.items.length === 0
              ? 'No alert matches.'
              : `Page ${pages.number}: ${plural(pages.state.data.items.length, 'decision')} with alerts, newest first.`}
          </p>
          {pages.state.data.items.length > 0 && (
            <Table labelledBy="alert-results-title" columns={['Decision', 'Logged', 'Profile', 'Alerts', 'Outcome', 'Review']}>
              {pages.state.data.items.map((item) => (
                <tr key={item.decisionId}>
                  <th scope="row">
                    <a
                      href={href(`/alerts/${encodeURIComponent(item.decisionId)}`)}
                      aria-label={`Open alert of decision ${item.decisionId}`}
                    >
                      {item.decisionId}
                    </a>
                  </th>
                  <td>{formatTime(item.createdAt)}</td>
                  <td>{item.profileId ?? <span className="muted">erased</span>}</td>
                  <td>{[...new Set(item.alerts.map((alert) => `${alert.code} (${alert.severity})`))].join(', ')}</td>
                  <td>
                    <span className={`outcome outcome-${item.outcome}`}>{item.outcome}</span>
                  </td>
                  <td>{item.review ? item.review.label : <span className="muted">open</span>}</td>
                </tr>
              ))}
            </Table>
          )}
          <Pager pages={pages} what="alerts" />
        </>
      )}
    </section>
  );
}

function FilterForm({ filters }: { filters: Filters }) {
  const [draft, setDraft] = useState({ ...filters, from: toLocalInput(filters.from), to: toLocalInput(filters.to) });
  const set = (name: keyof Filters) => (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value });
  function submit(event: FormEvent) {
    event.preventDefault();
    const status = draft.status === '' ? 'all' : draft.status;
    const code = draft.code?.trim().toUpperCase();
    navigate(`/alerts${queryOf({ status, code, from: fromLocalInput(draft.from ?? ''), to: fromLocalInput(draft.to ?? '') })}`);
  }
  return (
    <form onSubmit={submit} aria-label="Filter the alerts">
      <div className="toolbar">
        <div className="field">
          <label htmlFor="alert-status">Status</label>
          <select id="alert-status" value={draft.status ?? ''} onChange={set('status')}>
            <option value="open">open</option>
            <option value="reviewed">reviewed</option>
            <option value="">all</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="alert-code">Alert code</label>
          <input id="alert-code" value={draft.code ?? ''} onChange={set('code')} placeholder="LOCATION_MISMATCH" />
        </div>
        <div className="field">
          <label htmlFor="alert-from">From</label>
          <input id="alert-from" type="datetime-local" value={draft.from ?? ''} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="alert-to">To</label>
          <input id="alert-to" type="datetime-local" value={draft.to ?? ''} onChange={set('to')} />
        </div>
        <button type="submit">Show alerts</button>
      </div>
    </form>
  );
}
