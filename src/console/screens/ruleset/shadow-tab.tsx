import { useEffect, useState } from 'react';
import { ApiError } from '../../api/api-error.js';
import type { ShadowReport } from '../../api/types.js';
import { ErrorMessage, Loaded } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { useRuleset } from './ruleset-context.js';
import { ShadowReportView } from './shadow-report.js';

/** The report follows live traffic: read again this often while the tab is open. */
const REFRESH_MS = 10_000;

/** The report, or null when no version is shadowed (the service's 404). */
async function reportOrNone(load: () => Promise<ShadowReport>): Promise<ShadowReport | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/**
 * Shadow a version on live traffic: which published version is evaluated beside the active one, what it
 * would have changed, and (rules:publish) set or stop the shadow, or activate the shadowed version.
 */
export function ShadowTab() {
  const { ruleset, reload: reloadRuleset } = useRuleset();
  const session = useSession();
  const path = `/v1/rulesets/${encodeURIComponent(ruleset.id)}`;
  const state = useAsync(() => reportOrNone(() => session.api.get<ShadowReport>(`${path}/shadow`)), [session.api, path]);
  const mayPublish = session.can('rules:publish');
  const { reload } = state;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [confirming, setConfirming] = useState<number | null>(null);

  async function act(what: () => Promise<string>) {
    setBusy(true);
    setDone(undefined);
    setError(undefined);
    try {
      setDone(await what());
      reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const shadow = (version: number) =>
    act(async () => {
      await session.api.put(`${path}/shadow`, { version });
      return `Version ${version} is now shadowed: every instance evaluates it beside the active version within seconds.`;
    });
  const stop = (version: number) =>
    act(async () => {
      await session.api.delete(`${path}/shadow`);
      return `Version ${version} is no longer shadowed; its report has ended.`;
    });
  const activate = (version: number) =>
    act(async () => {
      setConfirming(null);
      await session.api.put(`${path}/active`, { version });
      reloadRuleset();
      return `Version ${version} of ${ruleset.id} is now active. Every instance decides with it within seconds.`;
    });

  return (
    <section aria-labelledby="shadow-title">
      <h2 id="shadow-title">Shadow a version on live traffic</h2>
      <p className="hint">
        A shadow version is evaluated on the same facts as every live decision, without changing any answer: what a backtest says it would
        have done, a shadow says it does now, on today's traffic.
      </p>
      <Loaded state={state} what="the shadow report">
        {(report) => (
          <>
            {report ? (
              <>
                <ShadowReportView report={report} />
                <div className="toolbar">
                  <button type="button" className="secondary" onClick={reload} disabled={busy}>
                    Refresh the report
                  </button>
                  {mayPublish && report.activeVersion !== report.version && (
                    <button type="button" onClick={() => setConfirming(report.version)} disabled={busy}>
                      Activate version {report.version}
                    </button>
                  )}
                  {mayPublish && (
                    <button type="button" className="secondary" onClick={() => stop(report.version)} disabled={busy}>
                      Stop shadowing version {report.version}
                    </button>
                  )}
                </div>
                {report.activeVersion === report.version && (
                  <p className="hint">
                    The shadow has nothing left to compare: stop shadowing version {report.version} to end this report.
                  </p>
                )}
              </>
            ) : (
              <p>No version of {ruleset.id} is shadowed.</p>
            )}
            {mayPublish ? (
              <ShadowForm ruleset={ruleset} current={report?.version ?? null} busy={busy} onShadow={shadow} />
            ) : (
              <p className="hint">Setting a shadow needs the rules:publish role; this key has {session.identity.roles.join(', ')}.</p>
            )}
          </>
        )}
      </Loaded>
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      <ErrorMessage error={error} />
      {confirming !== null && (
        <ConfirmDialog
          title={`Activate version ${confirming} of ${ruleset.id}?`}
          confirmLabel={`Activate version ${confirming}`}
          busy={busy}
          onConfirm={() => activate(confirming)}
          onCancel={() => setConfirming(null)}
        >
          <p>
            Decisions will use version {confirming} instead of{' '}
            {ruleset.activeVersion === null ? 'no version' : `version ${ruleset.activeVersion}`} on every instance within seconds. Both
            versions stay published: you can switch back at any time.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Picks a published version other than the active one and shadows it (replacing the current shadow starts a new report). */
function ShadowForm({
  ruleset,
  current,
  busy,
  onShadow,
}: {
  ruleset: ReturnType<typeof useRuleset>['ruleset'];
  current: number | null;
  busy: boolean;
  onShadow(version: number): void;
}) {
  const candidates = ruleset.versions.map((v) => v.version).filter((v) => v !== ruleset.activeVersion && v !== current);
  const [picked, setPicked] = useState<string>('');
  const version = Number(picked || candidates[candidates.length - 1]);
  if (candidates.length === 0) {
    return <p className="hint">No other published version to shadow: publish the draft without activating it first.</p>;
  }
  return (
    <form
      className="toolbar"
      aria-label="Shadow a published version"
      onSubmit={(event) => {
        event.preventDefault();
        onShadow(version);
      }}
    >
      <label>
        Version to shadow{' '}
        <select value={String(version)} onChange={(event) => setPicked(event.target.value)}>
          {[...candidates].reverse().map((v) => (
            <option key={v} value={v}>
              Version {v}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy}>
        {current === null ? `Shadow version ${version}` : `Shadow version ${version} instead`}
      </button>
    </form>
  );
}
