import { lazy, Suspense, useState } from 'react';
import type { VersionDetail } from '../../api/types.js';
import { Loaded, Loading } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { useRuleset } from './ruleset-context.js';
import { diffRulesets, summarise, type Comparable, type ItemChange, type ItemsDiff } from './ruleset-diff.js';
import { VersionSelect } from './version-select.js';

// The `diff` package loads when a comparison first shows a change.
const LineDiff = lazy(() => import('./line-diff.js'));

const DRAFT = 'draft';
const sideLabel = (side: string) => (side === DRAFT ? 'the draft' : `version ${side}`);

/** Compare versions: the draft with any version, or two versions, rule by rule and test by test. */
export function DiffTab() {
  const { ruleset } = useRuleset();
  const { api } = useSession();
  const versions = ruleset.versions.map((version) => String(version.version));
  const [from, setFrom] = useState(String(ruleset.activeVersion ?? versions[versions.length - 1] ?? DRAFT));
  const [to, setTo] = useState(DRAFT);
  const load = (side: string) =>
    side === DRAFT
      ? Promise.resolve(ruleset.draft)
      : api.get<VersionDetail>(`/v1/rulesets/${encodeURIComponent(ruleset.id)}/versions/${side}`);
  const state = useAsync(async () => {
    const [before, after] = await Promise.all([load(from), load(to)]);
    return diffRulesets(before as Comparable, after as Comparable);
  }, [api, ruleset.id, ruleset.draft.checksum, from, to]);
  const options = [DRAFT, ...versions].map((side) => ({
    value: side,
    label: `${sideLabel(side)}${side === String(ruleset.activeVersion) ? ' (active)' : ''}`,
  }));
  return (
    <section aria-labelledby="diff-title">
      <h2 id="diff-title">Compare versions</h2>
      <p className="hint">
        Rules and tests are matched by name, reasons by code, and compared with their keys sorted, so a change of key order alone is no
        change.
      </p>
      <div className="toolbar">
        <VersionSelect id="diff-from" label="Compare" value={from} options={options} onChange={setFrom} />
        <VersionSelect id="diff-to" label="with" value={to} options={options} onChange={setTo} />
      </div>
      <Loaded state={state} what="both sides">
        {(diff) => {
          const title = `${sideLabel(from)} → ${sideLabel(to)}`;
          if (diff.rules.changes.length === 0 && diff.tests.changes.length === 0 && diff.reasons.changes.length === 0) {
            return (
              <p role="status">
                No difference: {sideLabel(from)} and {sideLabel(to)} have the same rules, tests and reasons.
              </p>
            );
          }
          return (
            <>
              <p role="status">
                {title}. Rules: {summarise(diff.rules)}. Tests: {summarise(diff.tests)}. Reasons: {summarise(diff.reasons)}.
              </p>
              <Changes kind="Rule" heading="Rules" diff={diff.rules} />
              <Changes kind="Test" heading="Tests" diff={diff.tests} />
              <Changes kind="Reason" heading="Reasons" diff={diff.reasons} />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function Changes({ kind, heading, diff }: { kind: 'Rule' | 'Test' | 'Reason'; heading: string; diff: ItemsDiff }) {
  return (
    <section aria-label={`${heading} that differ`}>
      <h3>{heading}</h3>
      {diff.changes.length === 0 ? (
        <p>No {heading.toLowerCase()} differ.</p>
      ) : (
        <ul className="changes">
          {diff.changes.map((item) => (
            <Change key={`${item.change}:${item.name}`} kind={kind} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Change({ kind, item }: { kind: string; item: ItemChange }) {
  return (
    <li>
      <h4>
        {kind} <code>{item.name}</code>: <span className={`change-${item.change}`}>{item.change}</span>
      </h4>
      <Suspense fallback={<Loading what="the line diff" />}>
        <LineDiff before={item.before} after={item.after} label={`Line diff of ${kind.toLowerCase()} ${item.name} (${item.change})`} />
      </Suspense>
    </li>
  );
}
