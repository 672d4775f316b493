import { useState, type FormEvent } from 'react';
import type { Page, RulesetSummary, Snooze, VersionDetail } from '../../api/types.js';
import { ErrorMessage, Loaded } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { formatTime } from '../common/format.js';
import { Table } from '../common/table.js';
import { fromLocalInput, toLocalInput } from '../decisions/decision-filters.js';

const DAY_MS = 86_400_000;

/** "Snooze a rule for this customer": the profile's snoozes (list, remove) and a form to add one. */
export function SnoozePanel({ profileId }: { profileId: string }) {
  const { api } = useSession();
  const path = `/v1/profiles/${encodeURIComponent(profileId)}/snoozes`;
  const state = useAsync(() => api.get<Page<Snooze>>(`${path}?limit=100`), [api, path]);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();

  async function remove(snooze: Snooze) {
    setError(undefined);
    setDone(undefined);
    try {
      await api.delete(`${path}/${encodeURIComponent(snooze.snoozeId)}`);
      setDone(`Removed the snooze of ${snooze.ruleset} / ${snooze.rule}.`);
      state.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section aria-labelledby="snoozes-title" className="panel">
      <h2 id="snoozes-title">Snoozed rules</h2>
      <p className="hint">
        A snoozed rule is still evaluated and explained for this customer but yields nothing (no alert, tag, points or product) until the
        snooze ends.
      </p>
      <Loaded state={state} what="the snoozes">
        {({ items }) =>
          items.length === 0 ? (
            <p>No snooze.</p>
          ) : (
            <Table labelledBy="snoozes-title" columns={['Rule', 'Until', 'Reason', 'By', 'Status', 'Action']}>
              {items.map((snooze) => (
                <tr key={snooze.snoozeId}>
                  <th scope="row">
                    {snooze.ruleset} / {snooze.rule}
                  </th>
                  <td>{formatTime(snooze.until)}</td>
                  <td className="message">{snooze.reason}</td>
                  <td>{snooze.createdBy.name}</td>
                  <td>{snooze.active ? 'active' : snooze.removedAt ? `removed ${formatTime(snooze.removedAt)}` : 'ended'}</td>
                  <td>
                    {snooze.active && (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => remove(snooze)}
                        aria-label={`Remove snooze of rule ${snooze.rule}`}
                      >
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </Table>
          )
        }
      </Loaded>
      <ErrorMessage error={error} />
      {done && <p role="status">{done}</p>}
      <SnoozeForm
        path={path}
        onSnoozed={(snooze) => {
          setDone(`Snoozed ${snooze.ruleset} / ${snooze.rule} until ${formatTime(snooze.until)}.`);
          state.reload();
        }}
      />
    </section>
  );
}

function SnoozeForm({ path, onSnoozed }: { path: string; onSnoozed: (snooze: Snooze) => void }) {
  const { api } = useSession();
  const rulesets = useAsync(() => api.get<{ items: RulesetSummary[] }>('/v1/rulesets'), [api]);
  const [ruleset, setRuleset] = useState('');
  const active = rulesets.data?.items.find((item) => item.id === ruleset)?.activeVersion ?? null;
  const rules = useAsync(
    async () =>
      ruleset && active ? (await api.get<VersionDetail>(`/v1/rulesets/${encodeURIComponent(ruleset)}/versions/${active}`)).rules : [],
    [api, ruleset, active],
  );
  const [rule, setRule] = useState('');
  const [until, setUntil] = useState(() => toLocalInput(new Date(Date.now() + 30 * DAY_MS).toISOString()));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      onSnoozed(await api.post<Snooze>(path, { ruleset, rule, until: fromLocalInput(until) ?? until, reason }));
      setReason('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Snooze a rule for this customer">
      <h3>Snooze a rule</h3>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="snooze-ruleset">Ruleset</label>
          <select
            id="snooze-ruleset"
            value={ruleset}
            required
            onChange={(event) => {
              setRuleset(event.target.value);
              setRule('');
            }}
          >
            <option value="">choose…</option>
            {(rulesets.data?.items ?? [])
              .filter((item) => item.activeVersion !== null)
              .map((item) => (
                <option key={item.id} value={item.id}>
                  {item.id}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="snooze-rule">Rule</label>
          <select id="snooze-rule" value={rule} required onChange={(event) => setRule(event.target.value)} disabled={!ruleset}>
            <option value="">choose…</option>
            {(rules.data ?? []).map((item) => (
              <option key={item.name} value={item.name}>
                {item.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="snooze-until">Until (at most 90 days ahead)</label>
          <input id="snooze-until" type="datetime-local" value={until} required onChange={(event) => setUntil(event.target.value)} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="snooze-reason">Reason</label>
        <textarea
          id="snooze-reason"
          value={reason}
          required
          maxLength={1000}
          rows={2}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      <button type="submit" disabled={busy}>
        Snooze rule
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}
