import { useEffect, useState } from 'react';
import type { VerifyReport } from '../../api/types.js';
import { query } from '../../api/client.js';
import { ErrorMessage } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { formatTime, plural } from '../common/format.js';
import { fromLocalInput, localDayRange, localToday, toLocalInput } from './decision-filters.js';
import { Table } from '../common/table.js';

interface Download {
  url: string;
  name: string;
  bytes: number;
  lines: number;
}

/** `#/audit`: verify the decision log's tamper evidence over a range, and export the range as NDJSON. */
export function LogIntegrityScreen() {
  const { api } = useSession();
  const [day, setDay] = useState(localToday);
  const initial = localDayRange(day)!;
  const [from, setFrom] = useState(toLocalInput(initial.from));
  const [to, setTo] = useState(toLocalInput(initial.to));
  const [busy, setBusy] = useState<'verify' | 'export' | undefined>();
  const [report, setReport] = useState<VerifyReport | undefined>();
  const [download, setDownload] = useState<Download | undefined>();
  const [error, setError] = useState<unknown>();

  // An object URL holds the whole export in memory until it is revoked.
  useEffect(() => () => download && URL.revokeObjectURL(download.url), [download]);

  function chooseDay(value: string) {
    setDay(value);
    const range = localDayRange(value);
    if (!range) return;
    setFrom(toLocalInput(range.from));
    setTo(toLocalInput(range.to));
  }

  const range = () => query({ from: fromLocalInput(from), to: fromLocalInput(to) });

  async function run(task: 'verify' | 'export') {
    setBusy(task);
    setError(undefined);
    try {
      if (task === 'verify') {
        setReport(undefined);
        setReport(await api.get<VerifyReport>(`/v1/audit/verify${range()}`));
      } else {
        // The key travels in a header, never in a URL: fetch the export, then hand the browser a local object URL.
        const response = await api.raw(`/v1/decisions/export${range()}`, 'application/x-ndjson');
        const text = await response.text();
        const blob = new Blob([text], { type: 'application/x-ndjson' });
        const name = `decisions-${(fromLocalInput(from) ?? 'start').replace(/[:.]/g, '-')}-${(fromLocalInput(to) ?? 'now').replace(/[:.]/g, '-')}.ndjson`;
        const next = { url: URL.createObjectURL(blob), name, bytes: blob.size, lines: text.split('\n').filter(Boolean).length };
        setDownload(next);
        const link = document.createElement('a');
        link.href = next.url;
        link.download = next.name;
        link.click();
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <section aria-labelledby="integrity-title">
      <h1 id="integrity-title">Verify and export the log</h1>
      <form
        aria-label="Range of the decision log"
        onSubmit={(event) => {
          event.preventDefault();
          void run('verify');
        }}
      >
        <div className="toolbar">
          <div className="field">
            <label htmlFor="range-day">Day</label>
            <input id="range-day" type="date" value={day} onChange={(event) => chooseDay(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="range-from">From</label>
            <input id="range-from" type="datetime-local" value={from} onChange={(event) => setFrom(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="range-to">Before</label>
            <input id="range-to" type="datetime-local" value={to} onChange={(event) => setTo(event.target.value)} />
          </div>
        </div>
        <p className="hint">
          Choosing a day sets the range to that day in your browser's time zone; adjust From and Before for any other range.
        </p>
        <div className="toolbar">
          <button type="submit" disabled={busy !== undefined}>
            {busy === 'verify' ? 'Verifying…' : 'Verify the log over this range'}
          </button>
          <button type="button" className="secondary" disabled={busy !== undefined} onClick={() => void run('export')}>
            {busy === 'export' ? 'Exporting…' : 'Export this range as NDJSON'}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {report && <VerifyResult report={report} />}
      {download && (
        <p role="status">
          Exported {plural(download.lines, 'decision')} ({plural(download.bytes, 'byte')}):{' '}
          <a href={download.url} download={download.name}>
            {download.name}
          </a>
        </p>
      )}
    </section>
  );
}

function VerifyResult({ report }: { report: VerifyReport }) {
  return (
    <section aria-labelledby="verify-title" className="panel">
      <h2 id="verify-title">Verification</h2>
      <p role={report.ok ? 'status' : 'alert'} className={report.ok ? 'ok' : 'error'}>
        {report.ok
          ? `Intact: every sealed entry from ${formatTime(report.from)} to ${formatTime(report.to)} matches its hash and its seal, and the seals chain.`
          : `Not intact: ${plural(report.problems.length, 'problem')} from ${formatTime(report.from)} to ${formatTime(report.to)}.`}
      </p>
      <dl className="facts-list">
        <dt>Seals checked</dt>
        <dd>{report.sealsChecked}</dd>
        <dt>Entries checked</dt>
        <dd>{report.entriesChecked}</dd>
        <dt>Not sealed yet</dt>
        <dd>
          {report.unsealedEntries === 0
            ? 'none'
            : `${plural(report.unsealedEntries, 'entry', 'entries')}, logged after the last seal (sealed within about a minute)`}
        </dd>
      </dl>
      {report.problems.length > 0 && (
        <Table caption="Problems found" showCaption columns={['Kind', 'Decision or seal', 'Problem']}>
          {report.problems.map((problem) => (
            <tr key={`${problem.kind}:${problem.id}:${problem.problem}`}>
              <td>{problem.kind}</td>
              <th scope="row">
                <code>{problem.id}</code>
              </th>
              <td>{problem.problem}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
