import type { ReactNode } from 'react';
import {
  update,
  type ActionProps,
  type CombinatorSelectorProps,
  type FieldSelectorProps,
  type NotToggleProps,
  type OperatorSelectorProps,
  type Path,
  type ShiftActionsProps,
  type ValueEditorProps,
} from 'react-querybuilder';
import type { GroupMeta, LeafMeta } from '../../rules/condition-tree.js';
import { conditionLabel } from '../../rules/draft-problems.js';
import { valueForKind, valueInputFor } from '../../rules/value-kinds.js';
import { ValueInputs } from './value-inputs.js';

/**
 * The visual builder's controls, replacing react-querybuilder's defaults where they do not fit our
 * rules: the field is a fact plus an optional path (kept in the condition's `meta`), the value input
 * follows the operator's `valueKind` and the fact's type, every control is labelled with the
 * condition and rule it belongs to, and the service's problems show next to the part they name.
 */

export interface FactInfo {
  name: string;
  type: string;
  description: string;
}
export interface OperatorInfo {
  name: string;
  description: string;
  valueKind: string;
}
/** What the builder's controls know beyond react-querybuilder's props (passed as its `context`). */
export interface BuilderContext {
  ruleName: string;
  /** Prefix of the controls' ids, unique per rule on the page, so that a problem in the list can focus its control. */
  idPrefix: string;
  facts: Map<string, FactInfo>;
  operators: Map<string, OperatorInfo>;
  /** The service's problems by builder path (`1.0`), each with the part it names (`value`, `fact`, `all`…). */
  problems: Map<string, { part?: string; message: string }[]>;
}

/** The id of a condition's control: the problem list focuses it by this id. */
export const controlId = (idPrefix: string, path: readonly number[], part: string) => `${idPrefix}-c${path.join('-')}-${part}`;

const of = (context: BuilderContext, path: Path, isGroup = false) => `${conditionLabel(path, isGroup)} of rule ${context.ruleName}`;

/** The problems shown beside one part; `other` takes those naming no part this builder shows. */
function problemsAt(context: BuilderContext, path: Path, parts: (string | undefined)[]) {
  return (context.problems.get(path.join('.')) ?? []).filter((problem) => parts.includes(problem.part));
}

function Problems({ id, problems }: { id: string; problems: { message: string }[] }) {
  if (problems.length === 0) return null;
  return (
    <span className="problem" id={id}>
      {problems.map((problem) => problem.message).join('; ')}
    </span>
  );
}

function invalidProps(id: string, problems: unknown[]) {
  return problems.length > 0 ? { 'aria-invalid': true, 'aria-describedby': id } : {};
}

/** Fact select and, for object and array facts (or a path already set), the path input: `$.residence.city`. */
export function FactSelector({ rule, path, schema, context, disabled }: FieldSelectorProps) {
  const builder = context as BuilderContext;
  const meta = (rule.meta ?? {}) as LeafMeta;
  const fact = builder.facts.get(rule.field);
  const factId = controlId(builder.idPrefix, path, 'fact');
  const pathId = controlId(builder.idPrefix, path, 'path');
  const factProblems = problemsAt(builder, path, ['fact']);
  const pathProblems = problemsAt(builder, path, ['path']);
  const showPath = meta.path !== undefined || fact?.type === 'object' || fact?.type === 'array';
  const setMeta = (query: ReturnType<typeof schema.getQuery>, next: LeafMeta) =>
    update(query, 'meta', Object.keys(next).length > 0 ? next : undefined, path);
  const changeFact = (name: string) => {
    const next = builder.facts.get(name);
    const valueKind = builder.operators.get(rule.operator)?.valueKind;
    let query = update(schema.getQuery(), { field: name, value: valueForKind(rule.value, valueKind, next?.type) }, path, {
      resetOnFieldChange: false,
    });
    if (meta.path !== undefined && next && next.type !== 'object' && next.type !== 'array') {
      const { path: _dropped, ...rest } = meta;
      query = setMeta(query, rest);
    }
    schema.dispatchQuery(query);
  };
  const changePath = (text: string) => {
    const { path: _previous, ...rest } = meta;
    schema.dispatchQuery(setMeta(schema.getQuery(), text === '' ? rest : { ...rest, path: text }));
  };
  return (
    <span className="fact">
      <select
        id={factId}
        value={rule.field}
        onChange={(event) => changeFact(event.target.value)}
        aria-label={`Fact of ${of(builder, path)}`}
        disabled={disabled}
        {...invalidProps(`${factId}-problem`, factProblems)}
      >
        {!fact && <option value={rule.field}>{rule.field} (unknown fact)</option>}
        {[...builder.facts.values()].map((item) => (
          <option key={item.name} value={item.name} title={item.description}>
            {item.name}
          </option>
        ))}
      </select>
      {showPath && (
        <input
          id={pathId}
          type="text"
          className="path"
          placeholder="$.path"
          value={meta.path ?? ''}
          onChange={(event) => changePath(event.target.value)}
          aria-label={`Path into the fact of ${of(builder, path)}`}
          disabled={disabled}
          {...invalidProps(`${pathId}-problem`, pathProblems)}
        />
      )}
      <Problems id={`${factId}-problem`} problems={factProblems} />
      <Problems id={`${pathId}-problem`} problems={pathProblems} />
    </span>
  );
}

/** The operators of `GET /v1/facts`; changing one carries the value over in the shape the new one takes. */
export function OperatorSelector({ rule, path, schema, context, disabled }: OperatorSelectorProps) {
  const builder = context as BuilderContext;
  const id = controlId(builder.idPrefix, path, 'operator');
  const problems = problemsAt(builder, path, ['operator']);
  const known = builder.operators.get(rule.operator);
  const change = (operator: string) => {
    const value = valueForKind(rule.value, builder.operators.get(operator)?.valueKind, builder.facts.get(rule.field)?.type);
    schema.dispatchQuery(update(schema.getQuery(), { operator, value }, path, { resetOnOperatorChange: false }));
  };
  return (
    <span className="operator">
      <select
        id={id}
        value={rule.operator}
        onChange={(event) => change(event.target.value)}
        aria-label={`Operator of ${of(builder, path)}`}
        title={known?.description}
        disabled={disabled}
        {...invalidProps(`${id}-problem`, problems)}
      >
        {!known && <option value={rule.operator}>{rule.operator} (unknown operator)</option>}
        {[...builder.operators.values()].map((operator) => (
          <option key={operator.name} value={operator.name} title={operator.description}>
            {operator.name}
          </option>
        ))}
      </select>
      <Problems id={`${id}-problem`} problems={problems} />
    </span>
  );
}

/** The value input `valueInputFor` picks; also the condition's own priority and name, and problems naming no other part. */
export function ValueEditor({ rule, path, context, disabled, handleOnChange }: ValueEditorProps) {
  const builder = context as BuilderContext;
  const id = controlId(builder.idPrefix, path, 'value');
  const problems = problemsAt(builder, path, ['value']);
  const others = (builder.problems.get(path.join('.')) ?? []).filter(
    (problem) => !['fact', 'path', 'operator', 'value'].includes(problem.part ?? ''),
  );
  const input = valueInputFor(builder.operators.get(rule.operator)?.valueKind, builder.facts.get(rule.field)?.type, rule.value);
  const meta = (rule.meta ?? {}) as LeafMeta;
  return (
    <span className="value">
      <ValueInputs
        key={input.kind}
        input={input}
        value={rule.value}
        onChange={handleOnChange}
        field={{ label: `value of ${of(builder, path)}`, id, disabled, ...(problems.length > 0 && { describedBy: `${id}-problem` }) }}
      />
      <Extras meta={meta} params={meta.params} />
      <Problems id={`${id}-problem`} problems={problems} />
      <Problems
        id={`${controlId(builder.idPrefix, path, 'other')}-problem`}
        problems={others.map((problem) => ({ message: problem.part ? `${problem.part}: ${problem.message}` : problem.message }))}
      />
    </span>
  );
}

/** A condition's or group's priority, name and params: kept as they are, edited in the JSON view. */
function Extras({ meta, params }: { meta: GroupMeta | LeafMeta; params?: unknown }) {
  const parts: string[] = [];
  if (meta.priority !== undefined) parts.push(`priority ${meta.priority}`);
  if (meta.name !== undefined) parts.push(`named “${meta.name}”`);
  if (params !== undefined) parts.push(`params ${JSON.stringify(params)}`);
  if (parts.length === 0) return null;
  return (
    <span className="extras" title="Edit in the JSON view">
      {parts.join(' · ')}
    </span>
  );
}

/** "all of" / "any of", labelled with the group; the group's priority, name and problems beside it. */
export function CombinatorSelector({ path, context, disabled, handleOnChange, value, ruleGroup }: CombinatorSelectorProps) {
  const builder = context as BuilderContext;
  const id = controlId(builder.idPrefix, path, 'group');
  const problems = builder.problems.get(path.join('.')) ?? [];
  return (
    <span className="combinator">
      <select
        id={id}
        value={value}
        onChange={(event) => handleOnChange(event.target.value)}
        aria-label={`Match all or any of ${of(builder, path, true)}`}
        disabled={disabled}
        {...invalidProps(`${id}-problem`, problems)}
      >
        <option value="and">all of</option>
        <option value="or">any of</option>
      </select>
      <Extras meta={((ruleGroup as { meta?: GroupMeta }).meta ?? {}) as GroupMeta} />
      <Problems
        id={`${id}-problem`}
        problems={problems.map((problem) => ({
          message: problem.part && !['all', 'any', 'not'].includes(problem.part) ? `${problem.part}: ${problem.message}` : problem.message,
        }))}
      />
    </span>
  );
}

export function NotToggle({ path, context, disabled, checked, handleOnChange }: NotToggleProps) {
  const builder = context as BuilderContext;
  return (
    <label className="not-toggle">
      <input
        type="checkbox"
        checked={!!checked}
        onChange={(event) => handleOnChange(event.target.checked)}
        disabled={disabled}
        aria-label={`Not: negate ${of(builder, path, true)}`}
      />
      <span aria-hidden="true">not</span>
    </label>
  );
}

/** A builder action's button: `visible` text, and a label that names the condition or group it acts on. */
function ActionButton({
  props,
  visible,
  label,
  danger = false,
}: {
  props: ActionProps;
  visible: ReactNode;
  label: string;
  danger?: boolean;
}) {
  return (
    <button
      type="button"
      className={danger ? 'secondary small danger-text' : 'secondary small'}
      aria-label={label}
      disabled={props.disabled}
      onClick={(event) => props.handleOnClick(event)}
    >
      {visible}
    </button>
  );
}

const builderOf = (props: ActionProps) => props.context as BuilderContext;

export function AddCondition(props: ActionProps) {
  return <ActionButton props={props} visible="+ condition" label={`Add a condition to ${of(builderOf(props), props.path, true)}`} />;
}
export function AddGroup(props: ActionProps) {
  return <ActionButton props={props} visible="+ group" label={`Add a group to ${of(builderOf(props), props.path, true)}`} />;
}
export function CloneCondition(props: ActionProps) {
  return <ActionButton props={props} visible="Duplicate" label={`Duplicate ${of(builderOf(props), props.path)}`} />;
}
export function CloneGroup(props: ActionProps) {
  return <ActionButton props={props} visible="Duplicate" label={`Duplicate ${of(builderOf(props), props.path, true)}`} />;
}
export function RemoveCondition(props: ActionProps) {
  return <ActionButton props={props} visible="Remove" label={`Remove ${of(builderOf(props), props.path)}`} danger />;
}
export function RemoveGroup(props: ActionProps) {
  return <ActionButton props={props} visible="Remove" label={`Remove ${of(builderOf(props), props.path, true)}`} danger />;
}

export function ShiftActions({
  path,
  context,
  disabled,
  ruleOrGroup,
  shiftUp,
  shiftDown,
  shiftUpDisabled,
  shiftDownDisabled,
}: ShiftActionsProps) {
  const builder = context as BuilderContext;
  const what = of(builder, path, 'rules' in ruleOrGroup);
  return (
    <span className="shift">
      <button
        type="button"
        className="secondary small"
        aria-label={`Move ${what} up`}
        disabled={disabled || shiftUpDisabled}
        onClick={(event) => shiftUp(event)}
      >
        ↑
      </button>
      <button
        type="button"
        className="secondary small"
        aria-label={`Move ${what} down`}
        disabled={disabled || shiftDownDisabled}
        onClick={(event) => shiftDown(event)}
      >
        ↓
      </button>
    </span>
  );
}
