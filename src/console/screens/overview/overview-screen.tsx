import { useState } from 'react';
import type { Overview } from '../../api/types.js';
import { query } from '../../api/client.js';
import { Loaded } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { OVERVIEW_ROLES } from '../../../features/reports/overview-roles.js';
import { formatTime, plural } from '../common/format.js';
import { OverviewFigures } from './overview-figures.js';

/** The landing screen: who is signed in, and the pictures of the decision log the key's roles may see. */
export function OverviewScreen() {
  const session = useSession();
  const { identity } = session;
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <p>
        Signed in as <strong>{identity.name}</strong> with the roles <strong>{identity.roles.join(', ')}</strong>.
      </p>
      {session.can(...OVERVIEW_ROLES) ? (
        <DecisionCounts />
      ) : (
        <p className="notice">
          Decision statistics (decisions per hour, alerts by code, the rules that fire most) are shown to keys with one of the roles{' '}
          {OVERVIEW_ROLES.join(', ')}; this key has {identity.roles.join(', ')}. The navigation above lists the screens your roles allow.
        </p>
      )}
    </section>
  );
}

function DecisionCounts() {
  const { api } = useSession();
  // Empty: the service's today, in its jobs time zone (the browser's today may already be another day there).
  const [date, setDate] = useState('');
  const [days, setDays] = useState<1 | 7>(1);
  const state = useAsync(() => api.get<Overview>(`/v1/reports/overview${query({ date: date || undefined, days })}`), [api, date, days]);
  return (
    <>
      <form className="toolbar" aria-label="Period of the overview" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="overview-date">Last day</label>
          <input id="overview-date" type="date" value={date || state.data?.date || ''} onChange={(event) => setDate(event.target.value)} />
        </div>
        <fieldset className="inline">
          <legend>Period</legend>
          <label>
            <input type="radio" name="overview-days" checked={days === 1} onChange={() => setDays(1)} /> that day
          </label>
          <label>
            <input type="radio" name="overview-days" checked={days === 7} onChange={() => setDays(7)} /> the week ending that day
          </label>
        </fieldset>
      </form>
      <Loaded state={state} what="the overview">
        {(overview) => (
          <>
            <p role="status">
              {plural(overview.decisions, 'decision')} from {formatTime(overview.from)} to {formatTime(overview.to)} (days of{' '}
              {overview.timezone}): {overview.outcomes.approve} approved, {overview.outcomes.review} to review, {overview.outcomes.decline}{' '}
              declined.
            </p>
            <OverviewFigures overview={overview} />
          </>
        )}
      </Loaded>
    </>
  );
}
