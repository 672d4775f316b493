import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** What a chart shows, independent of uPlot: x values (seconds for time, else 0..n-1 with labels) and series. */
export interface ChartSpec {
  /** The text alternative: what the chart shows, in a sentence (the table beside it has every number). */
  description: string;
  kind: 'lines' | 'bars';
  x: number[];
  /** Labels of categorical x values (bars); absent for a time axis. */
  xLabels?: string[];
  yLabel: string;
  series: { label: string; values: number[]; color: string; dash?: number[] }[];
}

const HEIGHT = 260;

/** A uPlot chart (canvas), loaded lazily with its library: the initial load stays small. */
export default function UPlotChart({ spec }: { spec: ChartSpec }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current!;
    // Long names are cut on the chart (the table beside it has them whole) and slanted to fit.
    const labels = spec.xLabels?.map((label) => (label.length > 18 ? `${label.slice(0, 17)}…` : label));
    const longest = Math.max(0, ...(labels ?? []).map((label) => label.length));
    const slanted = longest > 10;
    const options: uPlot.Options = {
      width: element.clientWidth || 600,
      height: HEIGHT,
      legend: { show: false },
      // Room on the left for a slanted first label, which ends at its bar and runs down to the left.
      padding: [12, 12, 0, slanted ? longest * 5 : 0],
      cursor: { show: false },
      scales: {
        x: labels ? { time: false, range: [-0.5, spec.x.length - 0.5] } : { time: true },
        y: { range: (_plot, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [
        labels
          ? {
              splits: () => spec.x,
              values: (_plot, splits) => splits.map((split) => labels[Math.round(split)] ?? ''),
              rotate: slanted ? 30 : 0,
              size: slanted ? 20 + longest * 4 : 40,
              gap: 4,
            }
          : {},
        { label: spec.yLabel, values: (_plot, splits) => splits.map((split) => (Number.isInteger(split) ? String(split) : '')) },
      ],
      series: [
        {},
        ...spec.series.map((series) => ({
          label: series.label,
          stroke: series.color,
          width: 2,
          dash: series.dash,
          fill: spec.kind === 'bars' ? series.color : undefined,
          points: { show: false },
          paths: spec.kind === 'bars' ? uPlot.paths.bars!({ size: [0.6, 64] }) : uPlot.paths.stepped!({ align: 1 }),
        })),
      ],
    };
    const plot = new uPlot(options, [spec.x, ...spec.series.map((series) => series.values)], element);
    const observer = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: HEIGHT }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [spec]);
  return <div ref={ref} className="chart" role="img" aria-label={spec.description} />;
}
