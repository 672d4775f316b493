import type { LoggedDecision, VersionDetail } from '../../api/types.js';
import { describeError } from '../../api/api-error.js';
import { Loading } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import type { Condition } from '../../../engine/rule-schema.js';
import { formatValue, plural } from '../common/format.js';
import { explanationTree, groupLabel, type ExplanationNode, type LeafExplanation } from './explanation-tree.js';

type RuleExplanation = LoggedDecision['explanations'][number];

/** The rules of one ruleset version as evaluated, with the version's rules when it could be read. */
interface VersionGroup {
  ruleset: string;
  version: number;
  explained: RuleExplanation[];
  rules?: Map<string, Condition>;
  /** Why the version's rules could not be read (the tree then shows pointers). */
  unreadable?: string;
}

/**
 * The explanation as a tree: every ruleset and every rule, fired or not, and under each rule its
 * all / any / not groups rebuilt from the ruleset version, each leaf with its operator, value, the
 * fact value seen and the result.
 */
export function ExplanationView({ decision }: { decision: LoggedDecision }) {
  const { api } = useSession();
  const state = useAsync(async () => {
    const groups = new Map<string, VersionGroup>();
    for (const explained of decision.explanations) {
      const key = `${explained.ruleset}@${explained.version}`;
      const group = groups.get(key) ?? { ruleset: explained.ruleset, version: explained.version, explained: [] };
      group.explained.push(explained);
      groups.set(key, group);
    }
    await Promise.all(
      [...groups.values()].map(async (group) => {
        try {
          const detail = await api.get<VersionDetail>(`/v1/rulesets/${encodeURIComponent(group.ruleset)}/versions/${group.version}`);
          group.rules = new Map(detail.rules.map((rule) => [rule.name, rule.conditions as Condition]));
        } catch (error) {
          group.unreadable = describeError(error);
        }
      }),
    );
    return [...groups.values()];
  }, [api, decision]);

  return (
    <section aria-labelledby="explanation-title">
      <h2 id="explanation-title">Explanation</h2>
      {decision.explanations.length === 0 && (
        <p>No explanation: {decision.masked ? 'it was masked by the erasure.' : 'no rule was evaluated.'}</p>
      )}
      {state.data === undefined && decision.explanations.length > 0 ? (
        <Loading what="the ruleset versions" />
      ) : (
        (state.data ?? []).map((group) => <VersionTree key={`${group.ruleset}@${group.version}`} group={group} />)
      )}
    </section>
  );
}

function VersionTree({ group }: { group: VersionGroup }) {
  const fired = group.explained.filter((rule) => rule.fired).length;
  return (
    <section className="explanation" aria-label={`Ruleset ${group.ruleset} version ${group.version}`}>
      <h3>
        {group.ruleset} <span className="muted">version {group.version}</span> — {fired} of {plural(group.explained.length, 'rule')} fired
      </h3>
      {group.unreadable && (
        <p className="warn">
          The version's rules could not be read ({group.unreadable}), so conditions are listed by their pointer inside the rule.
        </p>
      )}
      <ul className="rules">
        {group.explained.map((rule) => (
          <li key={rule.rule}>
            <RuleNode rule={rule} conditions={group.rules?.get(rule.rule)} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function RuleNode({ rule, conditions }: { rule: RuleExplanation; conditions: Condition | undefined }) {
  const leaves = rule.conditions as LeafExplanation[];
  const tree = explanationTree(conditions, leaves);
  const yields = rule.event ? `${rule.event.type ?? ''} ${eventSummary(rule.event.params)}`.trim() : '';
  return (
    <details open={rule.fired} className={rule.fired ? 'fired' : 'not-fired'}>
      <summary>
        <strong>{rule.rule}</strong> — {rule.fired ? 'fired' : 'did not fire'}
        {rule.snoozed && <span className="snoozed"> · snoozed for this customer: yields nothing</span>}
        {yields && (
          <span className="muted">
            {' '}
            ({rule.fired && !rule.snoozed ? 'yields' : 'would yield'} {yields})
          </span>
        )}
      </summary>
      {tree ? (
        <ul className="tree" aria-label={`Conditions of rule ${rule.rule}`}>
          <TreeNode node={tree} />
        </ul>
      ) : (
        <ul className="tree" aria-label={`Conditions of rule ${rule.rule}, by pointer`}>
          {leaves.map((leaf, index) => (
            <li key={leaf.at ?? index}>
              <code className="pointer">{leaf.at ?? `condition ${index + 1}`}</code> <LeafText leaf={leaf} />
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

function TreeNode({ node }: { node: ExplanationNode }) {
  if (node.kind === 'leaf') {
    return (
      <li>
        <LeafText leaf={node.condition} />
      </li>
    );
  }
  return (
    <li>
      <span className="group">
        {groupLabel(node.operator, node.children.length)} — <Result result={node.result} />
      </span>
      <ul>
        {node.children.map((child) => (
          <TreeNode key={child.at + (child.kind === 'group' ? `/${child.operator}` : '')} node={child} />
        ))}
      </ul>
    </li>
  );
}

/** One condition: fact (and path), operator, value, the value seen, and the result — all as text. */
function LeafText({ leaf }: { leaf: LeafExplanation }) {
  return (
    <span className="leaf">
      <code>{leaf.fact}</code>
      {leaf.path && (
        <>
          {' '}
          <code>{leaf.path}</code>
        </>
      )}{' '}
      <em>{leaf.operator}</em> <code>{formatValue(leaf.value)}</code> · seen <code className="seen">{formatValue(leaf.factValue)}</code> →{' '}
      <Result result={leaf.result} />
    </span>
  );
}

function Result({ result }: { result: boolean }) {
  return <span className={result ? 'ok' : 'muted'}>{result ? 'true' : 'false'}</span>;
}

function eventSummary(params: Record<string, unknown> | undefined): string {
  if (!params) return '';
  const parts = ['tag', 'product', 'code', 'severity', 'points']
    .filter((name) => params[name] !== undefined)
    .map((name) => String(params[name]));
  return parts.join(' ');
}
