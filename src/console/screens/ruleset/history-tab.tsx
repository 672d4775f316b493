import { useState } from 'react';
import type { AuditEvent, Page } from '../../api/types.js';
import { query } from '../../api/client.js';
import { ErrorMessage, Loaded } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { useRuleset } from './ruleset-context.js';
import { formatTime, shortChecksum, shortKeyId } from './formatting.js';

const PAGE = 50;

/** What an audit event of a ruleset means, for a person: what happened and the particulars. */
export function describeEvent(event: AuditEvent): { what: string; details: string } {
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'ruleset.created':
      return { what: 'Created', details: `kind ${String(data.kind ?? '?')}` };
    case 'ruleset.draft-saved':
      return {
        what: 'Draft saved',
        details: `${String(data.rules ?? '?')} rules, ${String(data.tests ?? '?')} tests; checksum ${shortChecksum(data.before)} → ${shortChecksum(data.after)}`,
      };
    case 'ruleset.published':
      return { what: `Published version ${String(data.version)}`, details: `checksum ${shortChecksum(data.checksum)}` };
    case 'ruleset.activated': {
      const from = typeof data.from === 'number' ? data.from : null;
      const to = Number(data.to);
      if (from === null) return { what: `Activated version ${to}`, details: 'no version was active before' };
      return { what: `${to < from ? 'Rolled back' : 'Rolled forward'} to version ${to}`, details: `from version ${from} to version ${to}` };
    }
    case 'ruleset.shadow-set':
      return { what: `Shadowed version ${String(data.version)}`, details: `beside active version ${String(data.activeVersion ?? 'none')}` };
    case 'ruleset.shadow-cleared':
      return { what: `Stopped shadowing version ${String(data.version)}`, details: '' };
    default:
      return { what: event.type, details: JSON.stringify(data) };
  }
}

/** History: the ruleset's saves, publishes and activations from the audit trail, newest first, with who and when. */
export function HistoryTab() {
  const { ruleset } = useRuleset();
  const { api } = useSession();
  const path = `/v1/rulesets/${encodeURIComponent(ruleset.id)}/history`;
  // Reload when the ruleset changes (a save, publish or activation made from this page).
  const first = useAsync(
    () => api.get<Page<AuditEvent>>(`${path}${query({ limit: PAGE })}`),
    [api, path, ruleset.draft.checksum, ruleset.activeVersion, ruleset.latestVersion],
  );
  const [older, setOlder] = useState<{ forCursor: string | null; items: AuditEvent[]; nextCursor: string | null }>({
    forCursor: null,
    items: [],
    nextCursor: null,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>();

  // Older pages belong to the first page they continue; a reloaded first page drops them.
  const continues = first.data !== undefined && older.forCursor === first.data.nextCursor;
  const items = [...(first.data?.items ?? []), ...(continues ? older.items : [])];
  const nextCursor = continues && older.items.length > 0 ? older.nextCursor : (first.data?.nextCursor ?? null);

  async function more() {
    if (!nextCursor) return;
    setLoadingMore(true);
    setError(undefined);
    try {
      const page = await api.get<Page<AuditEvent>>(`${path}${query({ limit: PAGE, cursor: nextCursor })}`);
      setOlder((previous) => ({
        forCursor: first.data?.nextCursor ?? null,
        items: [...(continues ? previous.items : []), ...page.items],
        nextCursor: page.nextCursor,
      }));
    } catch (failure) {
      setError(failure);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <p className="hint">Saves, publishes and activations of {ruleset.id} from the audit trail, newest first.</p>
      <Loaded state={first} what="the history">
        {() => (
          <table>
            <caption className="visually-hidden">History of {ruleset.id}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((event) => {
                const { what, details } = describeEvent(event);
                return (
                  <tr key={event.id}>
                    <td>
                      <time dateTime={event.at}>{formatTime(event.at)}</time>
                    </td>
                    <th scope="row">{what}</th>
                    <td>
                      {event.actor.name ?? '?'} <span className="muted">({shortKeyId(event.actor.keyId)})</span>
                    </td>
                    <td>{details}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Loaded>
      {nextCursor && (
        <button type="button" className="secondary" disabled={loadingMore} onClick={more}>
          Show older events
        </button>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
