import { useMemo } from 'react';
import { QueryBuilder, prepareRuleGroup, type Field, type RuleGroupType, type RuleType } from 'react-querybuilder';
import type { Condition } from '../../../engine/rule-schema.js';
import { fromBuilder, toBuilder, type BuilderGroup } from '../../rules/condition-tree.js';
import { defaultValue } from '../../rules/value-kinds.js';
import {
  AddCondition,
  AddGroup,
  CloneCondition,
  CloneGroup,
  CombinatorSelector,
  FactSelector,
  NotToggle,
  OperatorSelector,
  RemoveCondition,
  RemoveGroup,
  ShiftActions,
  ValueEditor,
  type BuilderContext,
} from './builder-controls.js';

const CONTROLS = {
  fieldSelector: FactSelector,
  operatorSelector: OperatorSelector,
  valueEditor: ValueEditor,
  combinatorSelector: CombinatorSelector,
  notToggle: NotToggle,
  addRuleAction: AddCondition,
  addGroupAction: AddGroup,
  cloneRuleAction: CloneCondition,
  cloneGroupAction: CloneGroup,
  removeRuleAction: RemoveCondition,
  removeGroupAction: RemoveGroup,
  shiftActions: ShiftActions,
};

const COMBINATORS = [
  { name: 'and', value: 'and', label: 'all of' },
  { name: 'or', value: 'or', label: 'any of' },
];

/**
 * The builder's query for a rule's conditions, by the conditions' identity: the query the builder
 * gave us keeps its ids (so inputs keep focus while a person types), and conditions changed
 * elsewhere (the JSON view) get a fresh query.
 */
const queries = new WeakMap<object, RuleGroupType>();

function queryOf(conditions: Condition): RuleGroupType {
  let query = queries.get(conditions);
  if (!query) {
    query = prepareRuleGroup(toBuilder(conditions) as RuleGroupType);
    queries.set(conditions, query);
  }
  return query;
}

/** The visual condition builder of one rule: all / any / not groups of fact, path, operator and value. */
export function ConditionBuilder({
  conditions,
  onChange,
  context,
  disabled,
}: {
  conditions: Condition;
  onChange(conditions: Condition): void;
  context: BuilderContext;
  disabled: boolean;
}) {
  const fields = useMemo<Field[]>(
    () => [...context.facts.values()].map((fact) => ({ name: fact.name, value: fact.name, label: fact.name })),
    [context.facts],
  );
  const operators = useMemo(
    () => [...context.operators.values()].map((operator) => ({ name: operator.name, value: operator.name, label: operator.name })),
    [context.operators],
  );
  const query = queryOf(conditions);
  return (
    <QueryBuilder
      query={query}
      onQueryChange={(next: RuleGroupType) => {
        const changed = fromBuilder(next as BuilderGroup);
        queries.set(changed as object, next);
        onChange(changed);
      }}
      fields={fields}
      operators={operators}
      combinators={COMBINATORS}
      controlElements={CONTROLS}
      context={context}
      getDefaultOperator={() => 'equal'}
      getDefaultValue={(rule: RuleType) =>
        defaultValue(context.operators.get(rule.operator)?.valueKind, context.facts.get(rule.field)?.type)
      }
      resetOnFieldChange={false}
      enableMountQueryChange={false}
      showNotToggle
      showCloneButtons
      showShiftActions
      addRuleToNewGroups
      disabled={disabled}
    />
  );
}
