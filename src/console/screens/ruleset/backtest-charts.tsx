import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartValue, type Count } from './backtest-report.js';

/**
 * Bar charts of a backtest, baseline beside candidate (uPlot, loaded with this chunk when a report is
 * first shown). Canvas is not read by screen readers: each chart is an image with a summary for its
 * name, and the table beside it holds every number.
 */

/** The same colours as `.swatch.baseline` / `.swatch.candidate` in styles.css. */
const SERIES_COLOURS = { baseline: '#6b7280', candidate: '#0b57a4' } as const;

export interface BarGroup {
  label: string;
  baseline: Count;
  candidate: Count;
}

interface BarChartProps {
  /** What the chart shows, for its accessible name ("Outcome spread: …"). */
  title: string;
  groups: BarGroup[];
  baselineName: string;
  candidateName: string;
}

const AXIS = { stroke: '#1d2430', grid: { stroke: '#e2e6ec' }, ticks: { stroke: '#cbd2dc' }, font: '12px system-ui, sans-serif' };
const ROW_PX = 40;

/** Horizontal grouped bars: one row per label (long rule names stay readable), two bars per row. */
export function BarChart({ title, groups, baselineName, candidateName }: BarChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const labels = groups.map((group) => group.label);
    const labelWidth = Math.min(280, 16 + 7 * Math.max(4, ...labels.map((label) => label.length)));
    const indices = groups.map((_, index) => index);
    const bars = (align: -1 | 1) => uPlot.paths.bars!({ size: [0.4, 24], align });
    const width = () => Math.max(320, element.clientWidth);
    const height = 70 + ROW_PX * groups.length;
    const chart = new uPlot(
      {
        width: width(),
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, ori: 1, dir: -1, range: () => [-0.5, groups.length - 0.5] },
          y: { ori: 0, range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
        },
        axes: [
          {
            ...AXIS,
            side: 3,
            size: labelWidth,
            splits: () => indices,
            values: (_u, splits) => splits.map((split) => labels[split] ?? ''),
            grid: { show: false },
          },
          {
            ...AXIS,
            side: 2,
            label: 'inputs',
            values: (_u, splits) => splits.map((split) => (Number.isInteger(split) ? split.toLocaleString('en') : '')),
          },
        ],
        series: [
          {},
          { label: baselineName, fill: SERIES_COLOURS.baseline, stroke: SERIES_COLOURS.baseline, paths: bars(-1), points: { show: false } },
          {
            label: candidateName,
            fill: SERIES_COLOURS.candidate,
            stroke: SERIES_COLOURS.candidate,
            paths: bars(1),
            points: { show: false },
          },
        ],
      },
      [indices, groups.map((group) => chartValue(group.baseline)), groups.map((group) => chartValue(group.candidate))],
      element,
    );
    const resized = new ResizeObserver(() => chart.setSize({ width: width(), height }));
    resized.observe(element);
    return () => {
      resized.disconnect();
      chart.destroy();
    };
  }, [groups, baselineName, candidateName]);
  const summary = groups
    .map((group) => `${group.label} ${String(group.baseline ?? 'withheld')} → ${String(group.candidate ?? 'withheld')}`)
    .join('; ');
  return (
    <div className="chart">
      <ul className="legend" aria-hidden="true">
        <li>
          <span className="swatch baseline" /> {baselineName}
        </li>
        <li>
          <span className="swatch candidate" /> {candidateName}
        </li>
      </ul>
      <div
        ref={host}
        role="img"
        aria-label={`${title}, ${baselineName} then ${candidateName}: ${summary}. The table beside it lists the same numbers.`}
      />
    </div>
  );
}

export default BarChart;
