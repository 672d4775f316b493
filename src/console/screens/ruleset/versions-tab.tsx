import { useState } from 'react';
import type { RulesetDetail } from '../../api/types.js';
import { ErrorMessage } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { useRuleset } from './ruleset-context.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { formatTime, shortChecksum } from './formatting.js';
import { PublishPanel } from './publish-panel.js';
import { moveName, moveQuestion, type Move } from './publish-readiness.js';

/** Publish and roll back: publish the draft, and make any version the active one after a confirmation naming both. */
export function VersionsTab() {
  const { ruleset, reload } = useRuleset();
  const session = useSession();
  const path = `/v1/rulesets/${encodeURIComponent(ruleset.id)}`;
  const [move, setMove] = useState<Move | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const mayActivate = session.can('rules:publish');

  // The confirmation names the version active now, read again at the click: another publisher may have moved it.
  async function ask(to: number) {
    setDone(undefined);
    setError(undefined);
    try {
      const fresh = await session.api.get<RulesetDetail>(path);
      if (fresh.activeVersion === to) {
        setDone(`Version ${to} is already active (someone activated it meanwhile).`);
        reload();
      } else {
        setMove({ from: fresh.activeVersion, to });
      }
    } catch (failure) {
      setError(failure);
    }
  }

  async function confirm() {
    if (!move) return;
    setBusy(true);
    try {
      await session.api.put(`${path}/active`, { version: move.to });
      setDone(
        `Version ${move.to} of ${ruleset.id} is now active${move.from === null ? '' : ` (was version ${move.from})`}. Every instance decides with it within seconds.`,
      );
      setMove(null);
      reload();
    } catch (failure) {
      setError(failure);
      setMove(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">Publish and roll back</h2>
      <PublishPanel />
      <h3 id="versions-list-title">Versions</h3>
      {ruleset.versions.length === 0 ? (
        <p>No version is published yet.</p>
      ) : (
        <table aria-labelledby="versions-list-title">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Published by</th>
              <th scope="col">Published</th>
              <th scope="col">Checksum</th>
              <th scope="col">Status</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {[...ruleset.versions].reverse().map((version) => {
              const active = version.version === ruleset.activeVersion;
              return (
                <tr key={version.version}>
                  <th scope="row">{version.version}</th>
                  <td>{version.publishedBy?.name ?? 'system'}</td>
                  <td>{formatTime(version.publishedAt)}</td>
                  <td>
                    <code>{shortChecksum(version.checksum)}</code>
                  </td>
                  <td>{active ? 'active' : ''}</td>
                  <td>
                    {!active && mayActivate && (
                      <button type="button" className="secondary" onClick={() => ask(version.version)}>
                        {moveName({ from: ruleset.activeVersion, to: version.version })}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {!mayActivate && (
        <p className="hint">Activating a version needs the rules:publish role; this key has {session.identity.roles.join(', ')}.</p>
      )}
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      <ErrorMessage error={error} />
      {move && (
        <ConfirmDialog
          title={moveQuestion(ruleset.id, move)}
          confirmLabel={moveName(move)}
          busy={busy}
          onConfirm={confirm}
          onCancel={() => setMove(null)}
        >
          <p>
            Decisions will use version {move.to} instead of {move.from === null ? 'no version' : `version ${move.from}`} on every instance
            within seconds. Both versions stay published: you can switch back at any time.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
