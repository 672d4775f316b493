import { useState } from 'react';
import type { TestReport } from '../../api/types.js';
import { ApiError } from '../../api/api-error.js';
import { ErrorMessage, Loaded } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { useRuleset } from './ruleset-context.js';
import { formatTime, shortChecksum } from './formatting.js';
import { isLastEditor, publishBlocker } from './publish-readiness.js';
import { ProtectedFactsNotice } from './protected-facts-notice.js';

/**
 * Publish the draft as the next version. Whatever would make the service refuse (no rules:publish,
 * nothing new, a failing test, four eyes) is said before the click, next to a control that is then
 * not offered; a refusal that happens anyway (someone changed the draft meanwhile) is shown with its reasons.
 */
export function PublishPanel() {
  const { ruleset, reload } = useRuleset();
  const session = useSession();
  const path = `/v1/rulesets/${encodeURIComponent(ruleset.id)}`;
  const draft = ruleset.draft;
  const latest = ruleset.versions[ruleset.versions.length - 1];
  const next = (latest?.version ?? 0) + 1;
  const tests = useAsync(() => session.api.post<TestReport>(`${path}/draft/test`), [session.api, path, draft.checksum]);
  const [activate, setActivate] = useState(true);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ published?: Published; error?: unknown }>({});
  const [acknowledgement, setAcknowledgement] = useState('');
  const readsProtected = (draft.warnings ?? []).length > 0;

  const lastEditor = draft.updatedBy;
  const failing = tests.data?.results.filter((result) => !result.passed) ?? [];
  const situation = {
    mayPublish: session.can('rules:publish'),
    roles: session.identity.roles,
    keyId: session.identity.keyId,
    fourEyes: ruleset.fourEyes === true,
    draft,
    latest,
    failingTests: failing.map((result) => result.name),
  };
  const reason =
    publishBlocker(situation) ??
    (readsProtected && acknowledgement.trim() === ''
      ? 'This draft reads protected facts: say why it may, below the test results.'
      : undefined);
  const mine = isLastEditor(situation);

  async function publish() {
    if (reason || busy) return;
    setBusy(true);
    setOutcome({});
    try {
      const body = { activate, ...(readsProtected && { acknowledgeProtected: acknowledgement.trim() }) };
      setOutcome({ published: await session.api.post<Published>(`${path}/versions`, body) });
      reload();
    } catch (error) {
      setOutcome({ error });
      tests.reload();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="publish-title">
      <h3 id="publish-title">Publish the draft</h3>
      <p>
        Draft last saved {lastEditor ? `by ${lastEditor.name}` : 'by nobody yet'} on {formatTime(draft.updatedAt)} · {draft.rules.length}{' '}
        rules, {draft.tests.length} tests · checksum <code>{shortChecksum(draft.checksum)}</code>
      </p>
      {ruleset.fourEyes && !mine && lastEditor && (
        <p className="notice">Four-eyes rule: the draft was last saved by {lastEditor.name}, so you may publish it.</p>
      )}
      <Loaded state={tests} what="the draft's test results">
        {(report) =>
          report.failed === 0 ? (
            <p className="ok">All {report.passed} draft tests pass.</p>
          ) : (
            <div>
              <p className="error">
                {report.failed} of {report.passed + report.failed} draft tests fail:
              </p>
              <ul aria-label="Failing draft tests">
                {failing.map((result) => (
                  <li key={result.name}>
                    <strong>{result.name}</strong>
                    {result.failures && result.failures.length > 0 ? `: ${result.failures.join('; ')}` : ''}
                  </li>
                ))}
              </ul>
            </div>
          )
        }
      </Loaded>
      <ProtectedFactsNotice draft={draft} acknowledgement={acknowledgement} onChange={setAcknowledgement} />
      <div className="toolbar">
        <label>
          <input type="checkbox" checked={activate} onChange={(event) => setActivate(event.target.checked)} /> Make version {next} active at
          once
        </label>
        <button
          type="button"
          aria-disabled={reason !== undefined || busy}
          aria-describedby={reason ? 'publish-reason' : undefined}
          onClick={publish}
        >
          Publish the draft as version {next}
        </button>
      </div>
      {reason && (
        <p id="publish-reason" className="warn" role="note">
          Not offered: {reason}
        </p>
      )}
      {outcome.published && <PublishedNote published={outcome.published} />}
      {outcome.error !== undefined && <Refusal error={outcome.error} />}
    </section>
  );
}

interface Published {
  version: number;
  checksum: string;
  activeVersion?: number | null;
}

/** What the publish did, shown until the active version moves on (a rollback below says what it did itself). */
function PublishedNote({ published }: { published: Published }) {
  const { ruleset } = useRuleset();
  const reloaded = (ruleset.latestVersion ?? 0) >= published.version;
  if (reloaded && ruleset.activeVersion !== (published.activeVersion ?? null)) return null;
  return (
    <p role="status" className="ok">
      Published version {published.version} (checksum {shortChecksum(published.checksum)})
      {published.activeVersion === published.version ? ' and made it active' : '; it is not active'}.
    </p>
  );
}

/** The service's refusal as it gave it: a 403 here is four eyes as often as a missing role, so its own message is shown. */
function Refusal({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || (error.status !== 403 && error.status !== 409)) return <ErrorMessage error={error} />;
  return (
    <div className="error" role="alert">
      <p>
        Publishing was refused ({error.status}): {error.message}
      </p>
      {error.details.length > 0 && (
        <ul aria-label="Reasons">
          {error.details.map((detail) => (
            <li key={detail.path}>{detail.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
