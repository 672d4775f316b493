import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { Loading } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import {
  exampleChanges,
  formatChange,
  formatCount,
  gainedAndLost,
  OUTCOME_ORDER,
  sideName,
  type BacktestReport,
  type Count,
  type YieldChange,
} from './backtest-report.js';

import { LabelCounts } from './backtest-labels.js';
import { FairnessTables } from './fairness-table.js';

// uPlot (~50 KB) loads with the first report, not with the console.
const BarChart = lazy(() => import('./backtest-charts.js'));

const CHANGES = [
  ['any', 'Anything'],
  ['outcome', 'Outcome'],
  ['alerts', 'Alerts'],
  ['tags', 'Tags'],
  ['products', 'Products'],
] as const;

/** A backtest's report: what changes, the outcome spread and rule hits (charts with their tables), gains and losses, examples. */
export function BacktestResult({ report }: { report: BacktestReport }) {
  const session = useSession();
  const baselineName = `baseline: ${sideName(report.baseline)}`;
  const candidateName = `candidate: ${sideName(report.candidate)}`;
  const inputsKind = report.against === 'decisions' ? 'logged decisions' : 'profiles';
  // Stable per report: a chart is drawn again only for a new report, not on every keystroke in the form above.
  const outcomes = useMemo(
    () =>
      OUTCOME_ORDER.map((outcome) => ({
        label: outcome,
        baseline: report.outcomes?.baseline?.[outcome],
        candidate: report.outcomes?.candidate?.[outcome],
      })),
    [report],
  );
  const rules = useMemo(
    () => (report.rules ?? []).map((rule) => ({ label: rule.rule, baseline: rule.baseline, candidate: rule.candidate })),
    [report],
  );
  const { gained, lost, withheld } = gainedAndLost(report.deltas);
  return (
    <section aria-labelledby="backtest-result-title" className="report">
      <h3 id="backtest-result-title">
        What {sideName(report.candidate)} would change against {sideName(report.baseline)}
      </h3>
      <p>
        Over {formatCount(report.inputs)} {inputsKind}: {formatCount(report.changed?.any)} would end differently.
      </p>
      {(report.notes ?? []).length > 0 && (
        <ul className="notice" aria-label="Notes on this backtest">
          {report.notes!.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      <table>
        <caption>Inputs whose result changes</caption>
        <thead>
          <tr>
            <th scope="col">What changes</th>
            <th scope="col">Inputs</th>
          </tr>
        </thead>
        <tbody>
          {CHANGES.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td>{formatCount(report.changed?.[key])}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <ChartWithTable
        id="outcome-spread"
        title="Outcome spread"
        groups={outcomes}
        firstColumn="Outcome"
        baselineName={baselineName}
        candidateName={candidateName}
      />
      {report.outcomes === undefined && <p className="hint">The service did not report the outcome spread.</p>}
      <ChartWithTable
        id="rule-hits"
        title="Rule hits"
        groups={rules}
        firstColumn="Rule"
        baselineName={baselineName}
        candidateName={candidateName}
      />

      {report.labels && <LabelCounts labels={report.labels} />}

      <h4>Tags, products and alerts gained and lost</h4>
      <p className="hint">Net change in how many inputs yield each one: under the candidate minus under the baseline.</p>
      <YieldTable caption="Gained" changes={gained} />
      <YieldTable caption="Lost" changes={lost} />
      {withheld.length > 0 && <YieldTable caption="Withheld (small counts)" changes={withheld} />}

      {report.fairness && <FairnessTables fairness={report.fairness} baselineName={baselineName} candidateName={candidateName} />}

      <h4>Examples</h4>
      {report.examples === undefined ? (
        <p className="notice" role="note">
          Examples are withheld: they name customers and decisions, which only keys with audit:read or admin may see. Your key has:{' '}
          {session.identity.roles.join(', ')}.
        </p>
      ) : report.examples.length === 0 ? (
        <p>No input changed, so there is no example.</p>
      ) : (
        <Examples report={report} />
      )}
    </section>
  );
}

interface Group {
  label: string;
  baseline: Count;
  candidate: Count;
}

function ChartWithTable({
  id,
  title,
  groups,
  firstColumn,
  baselineName,
  candidateName,
}: {
  id: string;
  title: string;
  groups: Group[];
  firstColumn: string;
  baselineName: string;
  candidateName: string;
}) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{title}</h4>
      {groups.length === 0 ? (
        <p>Nothing to show.</p>
      ) : (
        <div className="chart-pair">
          <figure>
            <Suspense fallback={<Loading what="the chart" />}>
              <BarChart title={title} groups={groups} baselineName={baselineName} candidateName={candidateName} />
            </Suspense>
            <figcaption className="hint">
              {title}: bars per {firstColumn.toLowerCase()}, the table beside gives the numbers.
            </figcaption>
          </figure>
          <table id={`${id}-table`}>
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{firstColumn}</th>
                <th scope="col">{capitalise(baselineName)}</th>
                <th scope="col">{capitalise(candidateName)}</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={group.label}>
                  <th scope="row">{group.label}</th>
                  <td>{formatCount(group.baseline)}</td>
                  <td>{formatCount(group.candidate)}</td>
                  <td>{formatChange(group.baseline, group.candidate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function YieldTable({ caption, changes }: { caption: string; changes: YieldChange[] }) {
  if (changes.length === 0) return <p>{caption}: none.</p>;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Name</th>
          <th scope="col">Inputs yielding it</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={`${change.kind}:${change.name}`}>
            <td>{change.kind.slice(0, -1)}</td>
            <th scope="row">{change.name}</th>
            <td>
              {typeof change.delta === 'number' && change.delta > 0
                ? `+${formatCount(change.delta)}`
                : typeof change.delta === 'number'
                  ? `−${formatCount(-change.delta)}`
                  : formatCount(change.delta)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Examples({ report }: { report: BacktestReport }) {
  const list = (items: string[]): ReactNode => (items.length === 0 ? '—' : items.join(', '));
  return (
    <table>
      <caption>Inputs that change (up to 20)</caption>
      <thead>
        <tr>
          <th scope="col">Input</th>
          <th scope="col">Outcome</th>
          <th scope="col">Score</th>
          <th scope="col">Gained</th>
          <th scope="col">Lost</th>
        </tr>
      </thead>
      <tbody>
        {report.examples!.map((example, index) => {
          const { gained, lost } = exampleChanges(example);
          const input = example.input?.decisionId
            ? `decision ${example.input.decisionId}`
            : example.input?.profileId
              ? `profile ${example.input.profileId}`
              : `example ${index + 1} (ids withheld)`;
          return (
            <tr key={input}>
              <th scope="row">{input}</th>
              <td>
                {example.before?.outcome ?? '?'} → {example.after?.outcome ?? '?'}
              </td>
              <td>
                {example.before?.score ?? '?'} → {example.after?.score ?? '?'}
              </td>
              <td>{list(gained)}</td>
              <td>{list(lost)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
