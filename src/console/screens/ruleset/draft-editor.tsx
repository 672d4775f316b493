import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../api/client.js';
import type { FactList } from '../../api/types.js';
import { Loaded, Loading } from '../../components/status.js';
import { addRule, duplicateRule, moveRule, removeRule, replaceRule, withReason } from '../../rules/draft-edits.js';
import { placeOf, type Problem, type ProblemPlace } from '../../rules/draft-problems.js';
import { formatJson } from '../../rules/json-text.js';
import { hashQuery, navigate, useHashPath } from '../../router.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { controlId, type FactInfo, type OperatorInfo } from './builder-controls.js';
import { useDraftSession } from './draft-store.js';
import { RuleForm, ruleControlId, type PlacedProblem } from './rule-form.js';
import { RuleList } from './rule-list.js';
import { useRuleset } from './ruleset-context.js';
import { SaveBar } from './save-bar.js';
import { ReasonCatalogue } from './reason-catalogue.js';

const JsonView = lazy(() => import('./json-view.js'));

const factLists = new WeakMap<ApiClient, Promise<FactList>>();
/** The rule each ruleset's editor showed last, so that coming back from the tests tab shows it again. */
const selectedRules = new Map<string, number>();

/** `GET /v1/facts`, once per signed-in key: facts and operators do not change while the console is open. */
function loadFacts(api: ApiClient): Promise<FactList> {
  let list = factLists.get(api);
  if (!list) {
    list = api.get<FactList>('/v1/facts');
    factLists.set(api, list);
    list.catch(() => factLists.delete(api));
  }
  return list;
}

/** The control a problem's "Show" focuses. */
function controlOf(place: ProblemPlace): string | undefined {
  switch (place.area) {
    case 'rule':
      return ruleControlId(
        place.rule,
        place.field && ['name', 'description', 'priority'].includes(place.field) ? place.field : 'conditions',
      );
    case 'event':
      return ruleControlId(place.rule, `event-${place.field ?? 'type'}`);
    case 'condition': {
      const part =
        place.part && ['fact', 'path', 'operator', 'value'].includes(place.part)
          ? place.part
          : place.part === undefined
            ? 'value'
            : 'group';
      return controlId(`rule-${place.rule}`, place.path, part);
    }
    default:
      return undefined;
  }
}

function focusControl(id: string): void {
  const element = document.getElementById(id);
  const target = element?.matches('input, select, textarea, button, [tabindex]')
    ? element
    : element?.querySelector<HTMLElement>('input, select, textarea, button');
  target?.focus();
  target?.scrollIntoView({ block: 'center' });
}

/** Edit the draft: its rules in the visual builder or as JSON, saved with its tests. */
export default function DraftEditor() {
  const { ruleset, reload } = useRuleset();
  const { api } = useSession();
  const [session, actions] = useDraftSession(ruleset, api, reload);
  const facts = useAsync(() => loadFacts(api), [api]);
  const query = hashQuery(useHashPath());
  const [view, setView] = useState<'builder' | 'json'>(query.get('view') === 'json' ? 'json' : 'builder');
  const [selected, select] = useState(() =>
    query.has('rule') ? Math.max(0, Number(query.get('rule')) || 0) : (selectedRules.get(ruleset.id) ?? 0),
  );
  const setSelected = (index: number) => {
    selectedRules.set(ruleset.id, index);
    select(index);
  };
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const [jumpTo, setJumpTo] = useState<{ pointer: string; at: number } | null>(null);
  const draft = session.working;
  const index = Math.min(selected, draft.rules.length - 1);
  const placed: PlacedProblem[] = useMemo(
    () => session.problems.map((problem) => ({ ...problem, place: placeOf(problem.path, draft) })),
    [session.problems, draft],
  );
  const invalidJson = session.unapplied.draft !== undefined;

  useEffect(() => {
    if (!focusTarget) return;
    focusControl(focusTarget);
    setFocusTarget(null);
  }, [focusTarget]);

  const openJson = (pointer: string, focus: boolean) => {
    setView('json');
    setJumpTo({ pointer, at: focus ? Date.now() : 0 });
  };
  const onShow = (place: ProblemPlace, problem: Problem) => {
    if (place.area === 'test') return navigate(`/rulesets/${ruleset.id}/tests?test=${place.test}`);
    if (place.area === 'draft' || view === 'json') return openJson(problem.path, true);
    setView('builder');
    setSelected(place.rule);
    setFocusTarget(controlOf(place) ?? null);
  };

  return (
    <div className="draft-editor">
      <h2>Edit the draft</h2>
      <SaveBar session={session} actions={actions} onShow={onShow} />
      <fieldset className="view-switch" aria-label="View of the draft">
        <button
          type="button"
          className={view === 'builder' ? undefined : 'secondary'}
          aria-pressed={view === 'builder'}
          onClick={() => setView('builder')}
        >
          Visual builder
        </button>
        <button
          type="button"
          className={view === 'json' ? undefined : 'secondary'}
          aria-pressed={view === 'json'}
          onClick={() => openJson(draft.rules[index] ? `/rules/${index}` : '', false)}
        >
          JSON
        </button>
      </fieldset>
      {view === 'json' ? (
        <Suspense fallback={<Loading what="the JSON editor" />}>
          <JsonView
            text={session.jsonText ?? formatJson(draft)}
            onChange={actions.editJson}
            problems={session.problems}
            draft={draft}
            jumpTo={jumpTo}
            label={`JSON of the draft of ${ruleset.id}`}
          />
        </Suspense>
      ) : (
        <Loaded state={facts} what="facts and operators">
          {(list) => (
            <Builder
              list={list}
              selected={index}
              onSelect={setSelected}
              placed={placed}
              invalidJson={invalidJson}
              onOpenJson={() => openJson('', true)}
              session={session}
              actions={actions}
              kind={ruleset.kind}
            />
          )}
        </Loaded>
      )}
    </div>
  );
}

function Builder({
  list,
  selected,
  onSelect,
  placed,
  invalidJson,
  onOpenJson,
  session,
  actions,
  kind,
}: {
  list: FactList;
  selected: number;
  onSelect(index: number): void;
  placed: PlacedProblem[];
  invalidJson: boolean;
  onOpenJson(): void;
  session: ReturnType<typeof useDraftSession>[0];
  actions: ReturnType<typeof useDraftSession>[1];
  kind: Parameters<typeof addRule>[1];
}) {
  const builder = useMemo(
    () => ({
      facts: new Map<string, FactInfo>(list.items.map((fact) => [fact.name, fact])),
      operators: new Map<string, OperatorInfo>(list.operators.map((operator) => [operator.name, operator])),
    }),
    [list],
  );
  const draft = session.working;
  const rule = draft.rules[selected];
  return (
    <>
      {invalidJson && (
        <p className="warn" role="alert">
          The JSON view holds invalid JSON, kept as typed and not applied: the builder shows the last valid draft and is read-only until the
          JSON is fixed or the changes are discarded.{' '}
          <button type="button" className="link" onClick={onOpenJson}>
            Open the JSON view
          </button>
        </p>
      )}
      <div className="editor-layout">
        <RuleList
          rules={draft.rules}
          problems={placed}
          selected={selected}
          disabled={invalidJson}
          onSelect={onSelect}
          onMove={(index, by) => {
            actions.edit((current) => moveRule(current, index, by), true);
            if (index === selected) onSelect(index + by);
          }}
          onDuplicate={(index) => {
            actions.edit((current) => duplicateRule(current, index), true);
            onSelect(index + 1);
          }}
          onDelete={(index) => {
            actions.edit((current) => removeRule(current, index), true);
            if (selected >= index && selected > 0) onSelect(selected - 1);
          }}
          onAdd={() => {
            actions.edit((current) => addRule(current, kind));
            onSelect(draft.rules.length);
          }}
        />
        {rule ? (
          <RuleForm
            key={selected}
            rule={rule}
            index={selected}
            builder={builder}
            problems={placed.filter(({ place }) => place.area !== 'draft' && place.area !== 'test' && place.rule === selected)}
            onChange={(next) => actions.edit((current) => replaceRule(current, selected, next))}
            disabled={invalidJson}
            reasons={draft.reasons ?? {}}
          />
        ) : (
          <p>This draft has no rules yet: add one.</p>
        )}
      </div>
      <ReasonCatalogue
        reasons={draft.reasons ?? {}}
        rules={draft.rules}
        problems={session.problems}
        disabled={invalidJson}
        onChange={(code, text) => actions.edit((current) => withReason(current, code, text))}
      />
    </>
  );
}
