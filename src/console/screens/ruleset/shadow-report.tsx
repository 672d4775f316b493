import type { ShadowReport } from '../../api/types.js';
import { href } from '../../router.js';
import { formatTime } from './formatting.js';

const CHANGE_LABELS = { outcome: 'Outcome', tags: 'Tags', products: 'Products', alerts: 'Alert codes' } as const;

const share = (count: number, of: number): string => (of === 0 ? '' : ` (${((count / of) * 100).toFixed(1)} %)`);

/** The shadow report as tables: what would have changed, and each rule's hits under both versions. */
export function ShadowReportView({ report }: { report: ShadowReport }) {
  const since = `since ${formatTime(report.since)} (set by ${report.setBy.name})`;
  return (
    <div>
      {report.activeVersion === report.version ? (
        <p>
          Version <strong>{report.version}</strong> has been shadowed {since} and is now the active version. The counts below compare it
          with the version that answered before.
        </p>
      ) : (
        <p>
          Version <strong>{report.version}</strong> is evaluated beside{' '}
          {report.activeVersion === null ? 'no active version' : `version ${report.activeVersion}`} on every live decision {since}.
          Customers get the active version's answer; this report says what the shadow would have answered.
        </p>
      )}
      <table aria-labelledby="shadow-changed-title">
        <caption id="shadow-changed-title">Decisions that would have changed</caption>
        <thead>
          <tr>
            <th scope="col">What changes</th>
            <th scope="col">Decisions</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Decisions evaluated under both versions</th>
            <td>{report.decisions}</td>
          </tr>
          {(Object.keys(CHANGE_LABELS) as (keyof typeof CHANGE_LABELS)[]).map((kind) => (
            <tr key={kind}>
              <th scope="row">{CHANGE_LABELS[kind]}</th>
              <td>
                {report.changed[kind]}
                {share(report.changed[kind], report.decisions)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Summed over {report.instances} service instance{report.instances === 1 ? '' : 's'}; each instance writes its counts every few
        seconds, and this page reads the report again every 10 seconds.{' '}
        {report.errors > 0 && `${report.errors} shadow evaluations failed (their decisions were answered as always). `}
        {report.unevaluated > 0 && `${report.unevaluated} decisions could not be evaluated by the shadow without another database read.`}
      </p>
      <table aria-labelledby="shadow-rules-title">
        <caption id="shadow-rules-title">Rule hits under each version</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Fired under the version that answered</th>
            <th scope="col">Fired under version {report.version}</th>
            <th scope="col">Difference</th>
          </tr>
        </thead>
        <tbody>
          {report.rules.map((rule) => (
            <tr key={rule.rule}>
              <th scope="row">{rule.rule}</th>
              <td>{rule.hitsActive}</td>
              <td>{rule.hitsShadow}</td>
              <td>{signed(rule.hitsShadow - rule.hitsActive)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.examples ? (
        <ExamplesTable examples={report.examples} />
      ) : (
        <p className="hint">Examples of differing decisions are shown to keys with the audit:read role.</p>
      )}
    </div>
  );
}

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

function ExamplesTable({ examples }: { examples: NonNullable<ShadowReport['examples']> }) {
  if (examples.length === 0) return <p>No decision has differed yet.</p>;
  return (
    <table aria-labelledby="shadow-examples-title">
      <caption id="shadow-examples-title">The most recent decisions that would have differed</caption>
      <thead>
        <tr>
          <th scope="col">Decision</th>
          <th scope="col">Evaluated</th>
          <th scope="col">What would differ</th>
        </tr>
      </thead>
      <tbody>
        {examples.map((example) => (
          <tr key={example.decisionId}>
            <th scope="row">
              <a href={href(`/decisions/${encodeURIComponent(example.decisionId)}`)}>{example.decisionId}</a>
            </th>
            <td>{formatTime(example.at)}</td>
            <td>{example.changed.map((kind) => CHANGE_LABELS[kind]).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
