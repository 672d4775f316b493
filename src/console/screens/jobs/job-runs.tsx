import type { JobRunView, Page } from '../../api/types.js';
import { ErrorMessage, Loading } from '../../components/status.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatTime } from '../common/format.js';
import { Pager, usePages } from '../common/pages.js';
import { RunCounts, RunNowButton, usePolling } from './run-now.js';
import { Table } from '../common/table.js';

const PAGE_SIZE = 20;

/** `#/jobs/:name`: a job's runs, newest first, with how each ended and what it counted; and run now. */
export function JobRunsScreen({ params }: { params: Record<string, string> }) {
  const { api } = useSession();
  const name = params.name!;
  const pages = usePages(
    (cursor) =>
      api.get<Page<JobRunView>>(
        `/v1/jobs/${encodeURIComponent(name)}/runs?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ),
    [api, name],
  );
  const runs = pages.state.data?.items;
  const running = runs?.some((run) => run.status === 'running') ?? false;
  usePolling(pages.state.reload, running);
  return (
    <section aria-labelledby="runs-title">
      <p>
        <a href={href('/jobs')}>← Jobs</a>
      </p>
      <h1 id="runs-title">Runs of {name}</h1>
      <RunNowButton job={name} running={running} onStarted={pages.state.reload} />
      {pages.state.error ? (
        <ErrorMessage error={pages.state.error} />
      ) : !runs ? (
        <Loading what="runs" />
      ) : runs.length === 0 ? (
        <p>No run yet.</p>
      ) : (
        <Table labelledBy="runs-title" columns={['Started', 'Status', 'Trigger', 'Ended', 'Counts', 'Instance']}>
          {runs.map((run) => (
            <tr key={run.id}>
              <th scope="row">{formatTime(run.startedAt)}</th>
              <td>
                <span className={`status status-${run.status}`}>{run.status}</span>
                {run.error && <p className="error">{run.error}</p>}
              </td>
              <td>
                {run.trigger}
                {run.slot && <div className="muted">for {formatTime(run.slot)}</div>}
              </td>
              <td>{run.endedAt ? formatTime(run.endedAt) : `heartbeat ${formatTime(run.heartbeatAt)}`}</td>
              <td>
                <RunCounts run={run} label={`run ${run.id}`} />
              </td>
              <td>
                <code>{run.instance}</code>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager pages={pages} what="runs" />
    </section>
  );
}
