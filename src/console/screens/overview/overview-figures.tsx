import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import type { Overview } from '../../api/types.js';
import { Loading } from '../../components/status.js';
import type { ChartSpec } from './uplot-chart.js';
import { Table } from '../common/table.js';

// uPlot and its styles load with the first chart, not with the console.
const UPlotChart = lazy(() => import('./uplot-chart.js'));

// Outcomes differ by dash as well as colour, for people who do not tell the colours apart.
const OUTCOME_STYLES: Record<'approve' | 'review' | 'decline', { color: string; dash?: number[] }> = {
  approve: { color: '#146c2e' },
  review: { color: '#9a5b00', dash: [8, 4] },
  decline: { color: '#a61b1b', dash: [2, 3] },
};
const BAR_COLOUR = '#0b57a4';

/** Each picture with its table beside it: the table is the text alternative and has every number. */
export function OverviewFigures({ overview }: { overview: Overview }) {
  const specs = useMemo(() => chartSpecs(overview), [overview]);
  const busyHours = overview.hourly.filter((hour) => hour.approve + hour.review + hour.decline > 0);
  return (
    <>
      <Figure id="per-hour" title="Decisions per hour by outcome" chart={overview.decisions > 0 ? specs.hourly : undefined}>
        {busyHours.length === 0 ? (
          <p>No decisions in this period.</p>
        ) : (
          <Table labelledBy="per-hour-title" columns={['Hour starting', 'approve', 'review', 'decline']}>
            {busyHours.map((hour) => (
              <tr key={hour.hour}>
                <th scope="row">{new Date(hour.hour).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}</th>
                <td>{hour.approve}</td>
                <td>{hour.review}</td>
                <td>{hour.decline}</td>
              </tr>
            ))}
          </Table>
        )}
        {busyHours.length > 0 && <p className="hint">Hours without decisions are left out of the table.</p>}
      </Figure>
      <Figure id="alerts" title="Alerts by code" chart={overview.alerts.length > 0 ? specs.alerts : undefined}>
        {overview.alerts.length === 0 ? (
          <p>No alerts in this period.</p>
        ) : (
          <Table labelledBy="alerts-title" columns={['Alert code', 'Alerts']}>
            {overview.alerts.map((alert) => (
              <tr key={alert.code}>
                <th scope="row">{alert.code}</th>
                <td>{alert.count}</td>
              </tr>
            ))}
          </Table>
        )}
      </Figure>
      <Figure id="rules" title="Rules that fire most" chart={overview.rules.length > 0 ? specs.rules : undefined}>
        {overview.rules.length === 0 ? (
          <p>No rule fired in this period.</p>
        ) : (
          <Table labelledBy="rules-title" columns={['Rule', 'Ruleset', 'Decisions it fired in']}>
            {overview.rules.map((rule) => (
              <tr key={`${rule.ruleset}/${rule.rule}`}>
                <th scope="row">{rule.rule}</th>
                <td>{rule.ruleset}</td>
                <td>{rule.hits}</td>
              </tr>
            ))}
          </Table>
        )}
      </Figure>
    </>
  );
}

function Figure({ id, title, chart, children }: { id: string; title: string; chart: ChartSpec | undefined; children: ReactNode }) {
  return (
    <section className="figure" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div className="chart-and-table">
        {chart && (
          <Suspense fallback={<Loading what="the chart" />}>
            <UPlotChart spec={chart} />
          </Suspense>
        )}
        <section className="beside" tabIndex={0} aria-label={`${title}, as a table`}>
          {children}
        </section>
      </div>
    </section>
  );
}

function chartSpecs(overview: Overview): { hourly: ChartSpec; alerts: ChartSpec; rules: ChartSpec } {
  const peak = overview.hourly.reduce(
    (best, hour) => (hour.approve + hour.review + hour.decline > best.approve + best.review + best.decline ? hour : best),
    overview.hourly[0]!,
  );
  const peakCount = peak ? peak.approve + peak.review + peak.decline : 0;
  return {
    hourly: {
      kind: 'lines',
      description: `Line chart of decisions per hour by outcome: ${overview.decisions} in all, at most ${peakCount} in the hour starting ${new Date(peak?.hour ?? overview.from).toLocaleString()}. The table beside it lists every hour with decisions.`,
      x: overview.hourly.map((hour) => Date.parse(hour.hour) / 1000),
      yLabel: 'decisions',
      series: (['approve', 'review', 'decline'] as const).map((outcome) => ({
        label: outcome,
        values: overview.hourly.map((hour) => hour[outcome]),
        ...OUTCOME_STYLES[outcome],
      })),
    },
    alerts: {
      kind: 'bars',
      description: `Bar chart of alerts by code: ${overview.alerts.map((alert) => `${alert.code} ${alert.count}`).join(', ')}.`,
      x: overview.alerts.map((_, index) => index),
      xLabels: overview.alerts.map((alert) => alert.code),
      yLabel: 'alerts',
      series: [{ label: 'alerts', values: overview.alerts.map((alert) => alert.count), color: BAR_COLOUR }],
    },
    rules: {
      kind: 'bars',
      description: `Bar chart of the rules that fire most: ${overview.rules.map((rule) => `${rule.rule} ${rule.hits}`).join(', ')}.`,
      x: overview.rules.map((_, index) => index),
      xLabels: overview.rules.map((rule) => rule.rule),
      yLabel: 'decisions',
      series: [{ label: 'decisions', values: overview.rules.map((rule) => rule.hits), color: BAR_COLOUR }],
    },
  };
}
