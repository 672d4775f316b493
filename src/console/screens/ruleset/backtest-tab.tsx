import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { useRuleset } from './ruleset-context.js';
import { BacktestResult } from './backtest-result.js';
import type { BacktestReport } from './backtest-report.js';
import { browserTimeZone, fromLocalInput, toLocalInput } from './local-time.js';
import { VersionSelect } from './version-select.js';

const POLL_MS = 1000;
const WEEK_MS = 7 * 24 * 3600 * 1000;

type Run =
  | { state: 'idle' }
  | { state: 'running'; progress?: { done: number; total: number }; ahead?: number }
  | { state: 'done'; report: BacktestReport }
  | { state: 'failed'; error: unknown };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Backtest this draft: what would the draft (or a version) change against the active version (or
 * another) over stored profiles or a range of logged decisions? Large runs continue on the service
 * and are queued on the service, polled until they finish.
 */
export function BacktestTab() {
  const { ruleset } = useRuleset();
  const { api } = useSession();
  const versions = ruleset.versions.map((version) => version.version);
  const [candidate, setCandidate] = useState('draft');
  const [baseline, setBaseline] = useState(ruleset.activeVersion !== null ? 'active' : String(versions[versions.length - 1] ?? ''));
  const [against, setAgainst] = useState<'profiles' | 'decisions'>('profiles');
  const [limit, setLimit] = useState('1000');
  const [eventType, setEventType] = useState('loan_application');
  const [eventAt, setEventAt] = useState('');
  const [from, setFrom] = useState(() => toLocalInput(new Date(Date.now() - WEEK_MS)));
  // Until the next minute: the input has no seconds, and decisions of this minute belong in.
  const [to, setTo] = useState(() => toLocalInput(new Date(Date.now() + 60_000)));
  const [run, setRun] = useState<Run>({ state: 'idle' });
  // Each run's number: answers and polls of a superseded or abandoned run are ignored.
  const current = useRef(0);
  useEffect(
    () => () => {
      current.current += 1;
    },
    [],
  );
  const zone = browserTimeZone();

  const path = `/v1/rulesets/${encodeURIComponent(ruleset.id)}`;
  async function start(event: FormEvent) {
    event.preventDefault();
    const mine = ++current.current;
    setRun({ state: 'running' });
    const at = fromLocalInput(eventAt);
    const body = {
      candidate: candidate === 'draft' ? 'draft' : Number(candidate),
      baseline: baseline === 'active' ? 'active' : Number(baseline),
      against:
        against === 'profiles'
          ? { profiles: { limit: Number(limit), event: { type: eventType, ...(at && { at }) } } }
          : { decisions: { from: fromLocalInput(from), to: fromLocalInput(to) } },
    };
    try {
      let report = await api.post<BacktestReport>(`${path}/simulate`, body);
      while ((report.status === 'queued' || report.status === 'running') && report.simulationId) {
        if (mine !== current.current) return;
        setRun({ state: 'running', progress: report.progress, ahead: report.status === 'queued' ? report.ahead : undefined });
        await sleep(POLL_MS);
        if (mine !== current.current) return;
        report = await api.get<BacktestReport>(`${path}/simulations/${report.simulationId}`);
      }
      if (mine !== current.current) return;
      if (report.status === 'failed') throw new Error(`The backtest failed on the service: ${report.error ?? 'no reason given'}.`);
      if (report.status === 'cancelled') throw new Error('The backtest was cancelled on the service.');
      setRun({ state: 'done', report });
    } catch (error) {
      if (mine === current.current) setRun({ state: 'failed', error });
    }
  }

  const noBaseline = versions.length === 0;
  const versionOptions = versions.map((version) => ({ value: String(version), label: `version ${version}` }));
  return (
    <section aria-labelledby="backtest-title">
      <h2 id="backtest-title">Backtest this draft</h2>
      <p className="hint">
        Evaluates a candidate and a baseline on the same inputs and shows what would change. Nothing is written that a customer would see.
      </p>
      {noBaseline ? (
        <p role="alert">
          There is no published version to compare with yet: publish a first version, then backtest the next draft against it.
        </p>
      ) : (
        <form onSubmit={start} aria-labelledby="backtest-title">
          <div className="toolbar">
            <VersionSelect
              id="backtest-candidate"
              label="Candidate (what to try)"
              value={candidate}
              options={[{ value: 'draft', label: 'the draft' }, ...versionOptions]}
              onChange={setCandidate}
            />
            <VersionSelect
              id="backtest-baseline"
              label="Baseline (what to compare with)"
              value={baseline}
              options={[
                ...(ruleset.activeVersion !== null ? [{ value: 'active', label: `the active version (${ruleset.activeVersion})` }] : []),
                ...versionOptions,
              ]}
              onChange={setBaseline}
            />
          </div>
          <fieldset>
            <legend>Inputs</legend>
            <label>
              <input type="radio" name="backtest-against" checked={against === 'profiles'} onChange={() => setAgainst('profiles')} /> Stored
              profiles, each with the same event
            </label>
            <label>
              <input type="radio" name="backtest-against" checked={against === 'decisions'} onChange={() => setAgainst('decisions')} />{' '}
              Logged decisions of a time range (their logged facts)
            </label>
            {against === 'profiles' ? (
              <div className="toolbar">
                <div className="field">
                  <label htmlFor="backtest-limit">How many profiles (the first, by id)</label>
                  <input
                    id="backtest-limit"
                    type="number"
                    min={1}
                    step={1}
                    required
                    value={limit}
                    onChange={(event) => setLimit(event.target.value)}
                  />
                </div>
                <div className="field">
                  <label htmlFor="backtest-event-type">Event type</label>
                  <input id="backtest-event-type" required value={eventType} onChange={(event) => setEventType(event.target.value)} />
                </div>
                <div className="field">
                  <label htmlFor="backtest-event-at">Event time ({zone}; empty: now)</label>
                  <input
                    id="backtest-event-at"
                    type="datetime-local"
                    value={eventAt}
                    onChange={(event) => setEventAt(event.target.value)}
                  />
                </div>
              </div>
            ) : (
              <div className="toolbar">
                <div className="field">
                  <label htmlFor="backtest-from">Decisions from ({zone})</label>
                  <input id="backtest-from" type="datetime-local" required value={from} onChange={(event) => setFrom(event.target.value)} />
                </div>
                <div className="field">
                  <label htmlFor="backtest-to">until ({zone})</label>
                  <input id="backtest-to" type="datetime-local" required value={to} onChange={(event) => setTo(event.target.value)} />
                </div>
              </div>
            )}
          </fieldset>
          <div className="toolbar">
            <button type="submit" disabled={run.state === 'running'}>
              Run the backtest
            </button>
            {run.state === 'running' && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  current.current += 1;
                  setRun({ state: 'idle' });
                }}
              >
                Stop waiting
              </button>
            )}
          </div>
        </form>
      )}
      {run.state === 'running' && (
        <p role="status">
          {run.ahead !== undefined
            ? `Queued on the service behind ${run.ahead.toLocaleString('en')} other runs…`
            : run.progress
              ? `Running on the service: ${run.progress.done.toLocaleString('en')} of ${run.progress.total.toLocaleString('en')} inputs evaluated…`
              : 'Running the backtest…'}
        </p>
      )}
      {run.state === 'failed' && <ErrorMessage error={run.error} />}
      {run.state === 'done' && <BacktestResult report={run.report} />}
    </section>
  );
}
