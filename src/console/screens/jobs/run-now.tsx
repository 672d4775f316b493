import { useEffect, useState } from 'react';
import type { JobRunView } from '../../api/types.js';
import { ApiError } from '../../api/api-error.js';
import { ErrorMessage } from '../../components/status.js';
import { useSession } from '../../session/session.js';

/** Reloads every `ms` while `active` (a job runs), so progress shows without a click. */
export function usePolling(reload: () => void, active: boolean, ms = 1500): void {
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(reload, ms);
    return () => clearInterval(timer);
  }, [reload, active, ms]);
}

/** "Run now: retag": starts a run (202), or says the job is already running (409). */
export function RunNowButton({ job, running, onStarted }: { job: string; running: boolean; onStarted: () => void }) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  async function start() {
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      const run = await api.post<JobRunView>(`/v1/jobs/${encodeURIComponent(job)}/run`);
      setMessage(`Started ${job}: run ${run.id}.`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) setMessage(`${job} is already running: wait for that run to finish.`);
      else setError(failure);
    } finally {
      setBusy(false);
      onStarted();
    }
  }
  return (
    <div className="run-now">
      <button
        type="button"
        onClick={start}
        disabled={busy}
        aria-label={`Run now: ${job}`}
        title={running ? 'A run is in progress; starting another is refused' : undefined}
      >
        Run now
      </button>
      <span role="status">{message}</span>
      <ErrorMessage error={error} />
    </div>
  );
}

/** A run's counts; `processed` of `total` as a progress bar when the job reports both. */
export function RunCounts({ run, label }: { run: JobRunView; label: string }) {
  const counts = run.counts as Record<string, number | string>;
  const processed = counts.processed;
  const total = counts.total;
  const entries = Object.entries(counts).filter(([, value]) => value !== '');
  return (
    <>
      {run.status === 'running' && typeof processed === 'number' && typeof total === 'number' && total > 0 && (
        <div>
          <progress max={total} value={processed} aria-label={`Progress of ${label}`} /> {processed.toLocaleString()} of{' '}
          {total.toLocaleString()}
        </div>
      )}
      {entries.length === 0 ? (
        <span className="muted">no counts yet</span>
      ) : (
        <ul className="counts">
          {entries.map(([name, value]) => (
            <li key={name}>
              {name}: {typeof value === 'number' ? value.toLocaleString() : value}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
