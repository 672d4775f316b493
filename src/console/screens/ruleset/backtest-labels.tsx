import { formatCount, type BacktestReport } from './backtest-report.js';

const LABELS = ['fraud', 'legitimate', 'unsure'] as const;

/** Per alert rule: the reviewed decisions it hits with each analyst label, baseline against candidate — its precision before it ships. */
export function LabelCounts({ labels }: { labels: NonNullable<BacktestReport['labels']> }) {
  return (
    <>
      <h4 id="label-counts-title">Analysts' labels hit by each alert rule</h4>
      <p className="hint">
        Of the {formatCount(labels.reviewed)} reviewed decisions (by their latest label): how many each alert rule hits under the baseline →
        under the candidate.
      </p>
      {labels.rules.length === 0 ? (
        <p>No alert rule on either side.</p>
      ) : (
        <table aria-labelledby="label-counts-title">
          <thead>
            <tr>
              <th scope="col">Rule (alert code)</th>
              {LABELS.map((label) => (
                <th scope="col" key={label}>
                  {label}: baseline → candidate
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.rules.map((rule) => (
              <tr key={rule.rule}>
                <th scope="row">
                  {rule.rule} ({rule.code})
                </th>
                {LABELS.map((label) => (
                  <td key={label}>
                    {formatCount(rule.baseline[label])} → {formatCount(rule.candidate[label])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
