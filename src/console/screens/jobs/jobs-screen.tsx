import type { JobView, Page } from '../../api/types.js';
import { Loaded } from '../../components/status.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { formatTime } from '../common/format.js';
import { RunCounts, RunNowButton, usePolling } from './run-now.js';
import { Table } from '../common/table.js';

/** `#/jobs`: every scheduled job, its schedule, last and next run, what runs now with its progress, and run now. */
export function JobsScreen() {
  const { api } = useSession();
  const state = useAsync(() => api.get<Page<JobView>>('/v1/jobs'), [api]);
  usePolling(state.reload, state.data?.items.some((job) => job.running) ?? false);
  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <p className="hint">Schedules are cron expressions in the service's jobs time zone. While a job runs, this page refreshes itself.</p>
      <Loaded state={state} what="jobs">
        {({ items }) => (
          <Table labelledBy="jobs-title" columns={['Job', 'Schedule', 'Now', 'Last run', 'Next run', 'Run']}>
            {items.map((job) => (
              <tr key={job.name}>
                <th scope="row">
                  <a href={href(`/jobs/${encodeURIComponent(job.name)}`)}>{job.name}</a>
                  <div className="muted">{job.description}</div>
                </th>
                <td>
                  <code>{job.schedule}</code>
                </td>
                <td>{job.running ? <strong>running</strong> : 'idle'}</td>
                <td>
                  {job.lastRun ? (
                    <>
                      <span className={`status status-${job.lastRun.status}`}>{job.lastRun.status}</span>, {job.lastRun.trigger}, started{' '}
                      {formatTime(job.lastRun.startedAt)}
                      {job.lastRun.endedAt && `, ended ${formatTime(job.lastRun.endedAt)}`}
                      <RunCounts run={job.lastRun} label={job.name} />
                      {job.lastRun.error && <p className="error">{job.lastRun.error}</p>}
                    </>
                  ) : (
                    'never'
                  )}
                </td>
                <td>{formatTime(job.nextRun)}</td>
                <td>
                  <RunNowButton job={job.name} running={job.running} onStarted={state.reload} />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Loaded>
    </section>
  );
}
