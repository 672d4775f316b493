import type { BacktestFairness } from '../../api/types.js';
import { formatCount } from './backtest-report.js';

type Attribute = BacktestFairness['attributes'][number];

const ATTRIBUTE_NAMES: Record<string, string> = { 'basic.gender': 'gender', age: 'age band' };
const nameOf = (attribute: string) => ATTRIBUTE_NAMES[attribute] ?? attribute;
const percent = (rate: number | null) => (rate === null ? 'withheld (fewer than 5)' : `${(rate * 100).toFixed(1)} %`);
const ratio = (value: number | null) => (value === null ? 'not measurable' : value.toFixed(2));

/**
 * The fairness check of a backtest: approval rates by group of each protected attribute under baseline
 * and candidate, and the adverse impact ratio (lowest group rate ÷ highest), flagged under the four-fifths rule.
 */
export function FairnessTables({
  fairness,
  baselineName,
  candidateName,
}: {
  fairness: BacktestFairness;
  baselineName: string;
  candidateName: string;
}) {
  return (
    <>
      <h4>Fairness: approval rates by protected group</h4>
      <p className="hint">
        The adverse impact ratio is the lowest group's approval rate divided by the highest, over groups of at least{' '}
        {fairness.minimumGroupSize} inputs; below {fairness.threshold} (the four-fifths rule) it is flagged.
      </p>
      {fairness.attributes.length === 0 && <p>No input carries a protected attribute: there is nothing to compare.</p>}
      {fairness.attributes.map((attribute) => (
        <AttributeTable
          key={attribute.attribute}
          attribute={attribute}
          baselineName={baselineName}
          candidateName={candidateName}
          threshold={fairness.threshold}
        />
      ))}
    </>
  );
}

function AttributeTable({
  attribute,
  baselineName,
  candidateName,
  threshold,
}: {
  attribute: Attribute;
  baselineName: string;
  candidateName: string;
  threshold: number;
}) {
  const name = nameOf(attribute.attribute);
  const flagged = attribute.flagged.baseline || attribute.flagged.candidate;
  return (
    <div className="fairness">
      <table>
        <caption>
          Approval rate by {name} ({attribute.attribute})
        </caption>
        <thead>
          <tr>
            <th scope="col">{name[0]!.toUpperCase() + name.slice(1)}</th>
            <th scope="col">Inputs</th>
            <th scope="col">Approved, {baselineName}</th>
            <th scope="col">Approved, {candidateName}</th>
          </tr>
        </thead>
        <tbody>
          {attribute.groups.map((group) => (
            <tr key={group.group}>
              <th scope="row">{group.group}</th>
              <td>{formatCount(group.inputs)}</td>
              <td>{percent(group.baseline.approvalRate)}</td>
              <td>{percent(group.candidate.approvalRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={flagged ? 'warn' : undefined}>
        Adverse impact ratio by {name}: {baselineName} {ratio(attribute.adverseImpactRatio.baseline)}
        {attribute.flagged.baseline && ` (below ${threshold}: flagged)`}, {candidateName} {ratio(attribute.adverseImpactRatio.candidate)}
        {attribute.flagged.candidate && ` (below ${threshold}: flagged)`}.{' '}
        {attribute.notStated !== 0 && `${formatCount(attribute.notStated)} input(s) do not state it.`}
      </p>
    </div>
  );
}
