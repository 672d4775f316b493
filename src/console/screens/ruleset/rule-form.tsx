import type { ReactNode } from 'react';
import type { Condition, Rule } from '../../../engine/rule-schema.js';
import { EVENT_TYPES, SEVERITIES } from '../../../engine/rule-schema.js';
import { conditionShapeProblem, type Problem, type ProblemPlace } from '../../rules/draft-problems.js';
import { withEventParam, withEventType, withRuleProperty, type EventType } from '../../rules/draft-edits.js';
import type { BuilderContext } from './builder-controls.js';
import { ConditionBuilder } from './condition-builder.js';
import { MessagePreview } from './message-preview.js';
import { NumberInput } from './value-inputs.js';

const EVENT_LABELS: Record<EventType, string> = {
  tag: 'Tag the profile',
  product: 'Offer a product',
  alert: 'Raise a fraud alert',
  score: 'Add risk points',
};
/** The params each event type shows inputs for; any other param is kept and shown as it is. */
const SHOWN_PARAMS: Record<EventType, string[]> = {
  tag: ['tag'],
  product: ['product', 'rank'],
  alert: ['code', 'severity'],
  score: ['points'],
};

export interface PlacedProblem extends Problem {
  place: ProblemPlace;
}

/** The rule's properties with inputs of their own; problems of any other property show at the top of the rule. */
const RULE_FIELDS = ['name', 'description', 'priority', 'conditions'];

/** The id of a rule-level control, so that the problem list can focus it. */
export const ruleControlId = (index: number, part: string) => `rule-${index}-${part}`;

/** One rule: its name, description and priority, its conditions in the visual builder, and its event with the message and a live preview. */
export function RuleForm({
  rule,
  index,
  builder,
  problems,
  onChange,
  disabled,
  reasons = {},
}: {
  rule: Rule;
  index: number;
  builder: Omit<BuilderContext, 'problems' | 'idPrefix' | 'ruleName'>;
  problems: PlacedProblem[];
  onChange(rule: Rule): void;
  disabled: boolean;
  /** The draft's principal reasons, which the event may name. */
  reasons?: Readonly<Record<string, string>>;
}) {
  const name = rule.name;
  const of = `of rule ${name}`;
  const ruleProblems = (field: string) => problems.filter(({ place }) => place.area === 'rule' && place.field === field);
  const wholeRuleProblems = problems.filter(({ place }) => place.area === 'rule' && !RULE_FIELDS.includes(place.field ?? ''));
  const eventProblems = (field: string | undefined) => problems.filter(({ place }) => place.area === 'event' && place.field === field);
  const conditionProblems = new Map<string, { part?: string; message: string }[]>();
  for (const { place, message } of problems) {
    if (place.area !== 'condition') continue;
    const key = place.path.join('.');
    conditionProblems.set(key, [...(conditionProblems.get(key) ?? []), { ...(place.part !== undefined && { part: place.part }), message }]);
  }
  const event = rule.event ?? { type: 'tag', params: {} };
  const params = (event.params ?? {}) as Record<string, unknown>;
  const type = (EVENT_TYPES as readonly string[]).includes(event.type) ? event.type : undefined;
  const otherParams = Object.keys(params).filter(
    (key) => key !== 'message' && key !== 'reason' && !(type && SHOWN_PARAMS[type].includes(key)),
  );
  const reason = typeof params.reason === 'string' ? params.reason : '';
  const shapeProblem = conditionShapeProblem(rule.conditions);
  const setParam = (key: string, value: unknown) => onChange(withEventParam(rule, key, value));
  const textParam = (key: string, label: string, placeholder?: string) => (
    <Field label={label} problems={eventProblems(key)} id={ruleControlId(index, `event-${key}`)}>
      {(aria) => (
        <input
          type="text"
          value={typeof params[key] === 'string' ? (params[key] as string) : ''}
          placeholder={placeholder}
          onChange={(e) => setParam(key, e.target.value)}
          disabled={disabled}
          {...aria}
        />
      )}
    </Field>
  );
  return (
    <section aria-labelledby={`rule-${index}-title`} className="rule-form">
      <h3 id={`rule-${index}-title`}>Rule {name}</h3>
      <ProblemLine
        problems={wholeRuleProblems.map((problem) =>
          problem.place.area === 'rule' && problem.place.field
            ? { ...problem, message: `${problem.place.field}: ${problem.message}` }
            : problem,
        )}
      />
      <div className="form-grid">
        <Field label={`Name ${of}`} visible="Name" problems={ruleProblems('name')} id={ruleControlId(index, 'name')}>
          {(aria) => (
            <input
              type="text"
              value={typeof name === 'string' ? name : ''}
              onChange={(e) => onChange(withRuleProperty(rule, 'name', e.target.value))}
              disabled={disabled}
              {...aria}
            />
          )}
        </Field>
        <Field
          label={`Description ${of}`}
          visible="Description"
          problems={ruleProblems('description')}
          id={ruleControlId(index, 'description')}
        >
          {(aria) => (
            <input
              type="text"
              className="wide"
              value={rule.description ?? ''}
              onChange={(e) => onChange(withRuleProperty(rule, 'description', e.target.value === '' ? undefined : e.target.value))}
              disabled={disabled}
              {...aria}
            />
          )}
        </Field>
        <Field
          label={`Priority ${of} (higher runs first; empty: 1)`}
          visible="Priority"
          problems={ruleProblems('priority')}
          id={ruleControlId(index, 'priority')}
        >
          {(aria) => (
            <NumberInput
              value={rule.priority}
              onChange={(value) => onChange(withRuleProperty(rule, 'priority', value ?? undefined))}
              label={aria['aria-label']}
              min={1}
              disabled={disabled}
              describedBy={aria['aria-describedby']}
            />
          )}
        </Field>
      </div>

      <h4>Conditions</h4>
      <div id={ruleControlId(index, 'conditions')} tabIndex={-1}>
        <ProblemLine problems={ruleProblems('conditions')} />
        {shapeProblem ? (
          <p className="warn">The builder cannot show these conditions ({shapeProblem}): edit them in the JSON view.</p>
        ) : (
          <ConditionBuilder
            conditions={rule.conditions as Condition}
            onChange={(conditions) => onChange({ ...rule, conditions: conditions as Rule['conditions'] })}
            context={{ ...builder, ruleName: name, idPrefix: `rule-${index}`, problems: conditionProblems }}
            disabled={disabled}
          />
        )}
      </div>

      <h4>Event</h4>
      <ProblemLine problems={eventProblems(undefined)} />
      <div className="form-grid">
        <Field label={`Event ${of}`} visible="Event" problems={eventProblems('type')} id={ruleControlId(index, 'event-type')}>
          {(aria) => (
            <select
              value={type ?? ''}
              onChange={(e) => onChange(withEventType(rule, e.target.value as EventType))}
              disabled={disabled}
              {...aria}
            >
              {!type && <option value="">{String(event.type)} (unknown)</option>}
              {EVENT_TYPES.map((item) => (
                <option key={item} value={item}>
                  {EVENT_LABELS[item]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {type === 'tag' && textParam('tag', `Tag ${of}`, 'high-value')}
        {type === 'product' && textParam('product', `Product ${of}`, 'working-capital-loan')}
        {type === 'product' && (
          <Field label={`Rank ${of}`} problems={eventProblems('rank')} id={ruleControlId(index, 'event-rank')}>
            {(aria) => (
              <NumberInput
                value={params.rank}
                onChange={(value) => setParam('rank', value)}
                label={aria['aria-label']}
                min={1}
                disabled={disabled}
                describedBy={aria['aria-describedby']}
              />
            )}
          </Field>
        )}
        {type === 'alert' && textParam('code', `Alert code ${of}`, 'LATE_NIGHT_APPLICATION')}
        {type === 'alert' && (
          <Field label={`Severity ${of}`} problems={eventProblems('severity')} id={ruleControlId(index, 'event-severity')}>
            {(aria) => (
              <select
                value={typeof params.severity === 'string' ? params.severity : ''}
                onChange={(e) => setParam('severity', e.target.value)}
                disabled={disabled}
                {...aria}
              >
                {!(SEVERITIES as readonly unknown[]).includes(params.severity) && <option value="">choose</option>}
                {SEVERITIES.map((severity) => (
                  <option key={severity} value={severity}>
                    {severity}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {type === 'score' && (
          <Field label={`Points ${of}`} problems={eventProblems('points')} id={ruleControlId(index, 'event-points')}>
            {(aria) => (
              <NumberInput
                value={params.points}
                onChange={(value) => setParam('points', value)}
                label={aria['aria-label']}
                disabled={disabled}
                describedBy={aria['aria-describedby']}
              />
            )}
          </Field>
        )}
        <Field
          label={`Principal reason ${of}`}
          visible="Principal reason"
          problems={eventProblems('reason')}
          id={ruleControlId(index, 'event-reason')}
        >
          {(aria) => (
            <select value={reason} onChange={(e) => setParam('reason', e.target.value || undefined)} disabled={disabled} {...aria}>
              <option value="">none</option>
              {reason !== '' && !Object.hasOwn(reasons, reason) && <option value={reason}>{reason} (not in the catalogue)</option>}
              {Object.keys(reasons)
                .sort()
                .map((code) => (
                  <option key={code} value={code}>
                    {code}: {reasons[code]}
                  </option>
                ))}
            </select>
          )}
        </Field>
      </div>
      {otherParams.length > 0 && (
        <p className="muted">
          Other params, kept as they are (edit them in the JSON view):{' '}
          <code>{JSON.stringify(Object.fromEntries(otherParams.map((key) => [key, params[key]])))}</code>
        </p>
      )}
      {otherParams.map((key) => (
        <ProblemLine key={key} problems={eventProblems(key)} />
      ))}
      <Field
        label={`Message template ${of}`}
        visible="Message template"
        problems={eventProblems('message')}
        id={ruleControlId(index, 'event-message')}
      >
        {(aria) => (
          <input
            type="text"
            className="wide"
            value={typeof params.message === 'string' ? params.message : ''}
            placeholder="{{eventLocalHour}}:00 local time"
            onChange={(e) => setParam('message', e.target.value === '' ? undefined : e.target.value)}
            disabled={disabled}
            {...aria}
          />
        )}
      </Field>
      <p className="hint">
        <code>{'{{fact}}'}</code> and <code>{'{{fact.path}}'}</code> are replaced with the values a decision saw.
      </p>
      <MessagePreview template={typeof params.message === 'string' ? params.message : ''} ruleName={name} />
    </section>
  );
}

interface AriaProps {
  id: string;
  'aria-label': string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/** A labelled input with its problems beside it; `visible` is the short label shown, `label` names the rule too. */
function Field({
  label,
  visible,
  problems,
  id,
  children,
}: {
  label: string;
  visible?: string;
  problems: Problem[];
  id: string;
  children(aria: AriaProps): ReactNode;
}) {
  const problemId = `${id}-problem`;
  const aria: AriaProps = { id, 'aria-label': label, ...(problems.length > 0 && { 'aria-invalid': true, 'aria-describedby': problemId }) };
  return (
    <div className="field">
      <span className="field-label" aria-hidden="true">
        {visible ?? label.replace(/ of rule .*$/, '')}
      </span>
      {children(aria)}
      {problems.length > 0 && (
        <span className="problem" id={problemId}>
          {problems.map((problem) => problem.message).join('; ')}
        </span>
      )}
    </div>
  );
}

function ProblemLine({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return <p className="problem">{problems.map((problem) => problem.message).join('; ')}</p>;
}
