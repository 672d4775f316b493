import { useState, type FormEvent } from 'react';
import type { LoggedDecision, Page } from '../../api/types.js';
import { ErrorMessage, Loading } from '../../components/status.js';
import { hashQuery, href, navigate } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatTime, plural } from '../common/format.js';
import { Pager, usePages } from '../common/pages.js';
import {
  filtersFromQuery,
  filtersQuery,
  fromLocalInput,
  localDayRange,
  localToday,
  toLocalInput,
  type DecisionFilters,
} from './decision-filters.js';
import { Table } from '../common/table.js';

const PAGE_SIZE = 20;
// Checked against the schema's outcomes by the type, without bundling the service's schemas.
const OUTCOMES = Object.keys({ approve: true, review: true, decline: true } satisfies Record<LoggedDecision['outcome'], true>);

/** `#/decisions?alert=...`: search the decision log, newest first; the filters live in the address so a search can be shared. */
export function DecisionSearchScreen({ path }: { path: string }) {
  const { api } = useSession();
  const filters = filtersFromQuery(hashQuery(path));
  const search = filtersQuery(filters);
  const pages = usePages(
    (cursor) => api.get<Page<LoggedDecision>>(`/v1/decisions${filtersQuery(filters, { limit: PAGE_SIZE, cursor })}`),
    [api, search],
  );
  return (
    <section aria-labelledby="decisions-title">
      <h1 id="decisions-title">Search decisions</h1>
      <SearchForm key={search} filters={filters} />
      <h2 id="results-title">Results</h2>
      {pages.state.error ? (
        <ErrorMessage error={pages.state.error} />
      ) : !pages.state.data ? (
        <Loading what="decisions" />
      ) : (
        <>
          <p role="status">
            {pages.state.data.items.length === 0
              ? 'No decision matches.'
              : `Page ${pages.number}: ${plural(pages.state.data.items.length, 'decision')}, newest first.`}
          </p>
          {pages.state.data.items.length > 0 && <ResultsTable decisions={pages.state.data.items} />}
          <Pager pages={pages} what="decisions" />
        </>
      )}
    </section>
  );
}

function SearchForm({ filters }: { filters: DecisionFilters }) {
  const [draft, setDraft] = useState({ ...filters, from: toLocalInput(filters.from), to: toLocalInput(filters.to) });
  const set = (name: keyof DecisionFilters) => (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value });
  function submit(event: FormEvent) {
    event.preventDefault();
    navigate(
      `/decisions${filtersQuery({ ...draft, alert: draft.alert?.trim().toUpperCase(), from: fromLocalInput(draft.from ?? ''), to: fromLocalInput(draft.to ?? '') })}`,
    );
  }
  function today() {
    const range = localDayRange(localToday())!;
    setDraft({ ...draft, from: toLocalInput(range.from), to: toLocalInput(range.to) });
  }
  return (
    <form onSubmit={submit} aria-label="Search the decision log">
      <div className="toolbar">
        <div className="field">
          <label htmlFor="filter-profile">Profile id</label>
          <input id="filter-profile" value={draft.profileId ?? ''} onChange={set('profileId')} />
        </div>
        <div className="field">
          <label htmlFor="filter-outcome">Outcome</label>
          <select id="filter-outcome" value={draft.outcome ?? ''} onChange={set('outcome')}>
            <option value="">any</option>
            {OUTCOMES.map((outcome) => (
              <option key={outcome}>{outcome}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-alert">Alert code</label>
          <input id="filter-alert" value={draft.alert ?? ''} onChange={set('alert')} placeholder="LOCATION_MISMATCH" />
        </div>
        <div className="field">
          <label htmlFor="filter-ruleset">Ruleset</label>
          <input id="filter-ruleset" value={draft.ruleset ?? ''} onChange={set('ruleset')} placeholder="fraud-alerts" />
        </div>
        <div className="field">
          <label htmlFor="filter-from">Logged from</label>
          <input id="filter-from" type="datetime-local" value={draft.from ?? ''} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="filter-to">Logged before</label>
          <input id="filter-to" type="datetime-local" value={draft.to ?? ''} onChange={set('to')} />
        </div>
      </div>
      <div className="toolbar">
        <button type="submit">Search</button>
        <button type="button" className="secondary" onClick={today}>
          Today
        </button>
        <button type="button" className="secondary" onClick={() => setDraft({ from: '', to: '' })}>
          Clear filters
        </button>
      </div>
      <p className="hint">
        Times are in your browser's time zone. The address holds the filters (never your key), so you can share this search.
      </p>
    </form>
  );
}

function ResultsTable({ decisions }: { decisions: LoggedDecision[] }) {
  return (
    <Table labelledBy="results-title" columns={['Logged', 'Decision', 'Profile', 'Outcome', 'Score', 'Alerts', 'Rulesets', 'Caller']}>
      {decisions.map((decision) => (
        <tr key={decision.decisionId}>
          <td>{formatTime(decision.createdAt ?? decision.evaluatedAt)}</td>
          <th scope="row">
            <a href={href(`/decisions/${encodeURIComponent(decision.decisionId)}`)}>{decision.decisionId}</a>
          </th>
          <td>{decision.profileId ?? <span className="muted">erased</span>}</td>
          <td>
            <span className={`outcome outcome-${decision.outcome}`}>{decision.outcome}</span>
          </td>
          <td>{decision.score}</td>
          <td>{decision.alerts.map((alert) => `${alert.code} (${alert.severity})`).join(', ') || '—'}</td>
          <td>
            {Object.entries(decision.rulesetVersions)
              .map(([ruleset, version]) => `${ruleset} v${version}`)
              .join(', ')}
          </td>
          <td>{decision.caller.name}</td>
        </tr>
      ))}
    </Table>
  );
}
