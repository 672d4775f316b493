import { useState, type FormEvent } from 'react';
import type { TagChange } from '../../api/types.js';
import { query } from '../../api/client.js';
import { ErrorMessage, Loading } from '../../components/status.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { Pager, usePages } from '../common/pages.js';
import { Table } from '../common/table.js';

const PAGE_SIZE = 25;

/** `#/jobs/retag/runs/:runId`: who gained or lost which tag in one retag run, filtered by tag. */
export function TagChangesScreen({ params }: { params: Record<string, string> }) {
  const { api } = useSession();
  const runId = params.runId!;
  const [draft, setDraft] = useState('');
  const [tag, setTag] = useState('');
  const pages = usePages<TagChange>(
    (cursor) =>
      api.get(`/v1/jobs/retag/runs/${encodeURIComponent(runId)}/changes${query({ limit: PAGE_SIZE, tag: tag || undefined, cursor })}`),
    [api, runId, tag],
  );
  const changes = pages.state.data?.items;

  function filter(event: FormEvent) {
    event.preventDefault();
    setTag(draft.trim());
  }

  return (
    <section aria-labelledby="changes-title">
      <p>
        <a href={href('/jobs/retag')}>← Runs of retag</a>
      </p>
      <h1 id="changes-title">Tag changes of retag run {runId}</h1>
      <form onSubmit={filter} className="toolbar" aria-label="Filter the tag changes">
        <div className="field">
          <label htmlFor="changes-tag">Only changes of the tag</label>
          <input id="changes-tag" value={draft} onChange={(event) => setDraft(event.target.value)} />
        </div>
        <button type="submit">Filter</button>
      </form>
      {pages.state.error ? (
        <ErrorMessage error={pages.state.error} />
      ) : !changes ? (
        <Loading what="tag changes" />
      ) : changes.length === 0 ? (
        <p>{tag ? `No profile gained or lost ${tag} in this run.` : 'This run changed no tag.'}</p>
      ) : (
        <Table labelledBy="changes-title" columns={['Profile', 'Gained', 'Lost']}>
          {changes.map((change) => (
            <tr key={change.profileId}>
              <th scope="row">
                <a href={href(`/profiles/${encodeURIComponent(change.profileId)}`)}>{change.profileId}</a>
              </th>
              <td>{change.gained.join(', ') || '—'}</td>
              <td>{change.lost.join(', ') || '—'}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager pages={pages} what="tag changes" />
    </section>
  );
}
