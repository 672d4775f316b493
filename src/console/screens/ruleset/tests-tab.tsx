import { useState } from 'react';
import type { RulesetTest, TestReport } from '../../api/types.js';
import { ErrorMessage } from '../../components/status.js';
import { addTest, duplicateTest, removeTest, replaceTest } from '../../rules/draft-edits.js';
import { placeOf, type Problem, type ProblemPlace } from '../../rules/draft-problems.js';
import { hashQuery, navigate, useHashPath } from '../../router.js';
import { useSession } from '../../session/session.js';
import { hasUnsavedChanges, useDraftSession } from './draft-store.js';
import { useRuleset } from './ruleset-context.js';
import { keysByName } from '../common/row-keys.js';
import { SaveBar } from './save-bar.js';
import { TestForm } from './test-form.js';

type TestResult = TestReport['results'][number];
interface Actual {
  tags?: string[];
  products?: string[];
  alerts?: string[];
  outcome?: string;
  score?: number;
  firedRules?: string[];
}

const list = (names: readonly string[] | undefined) => (names && names.length > 0 ? names.join(', ') : 'none');

function expectation(test: RulesetTest): string {
  const parts: string[] = [];
  if (test.expect.alerts) parts.push(`alerts: ${list(test.expect.alerts)}`);
  if (test.expect.tags) parts.push(`tags: ${list(test.expect.tags)}`);
  if (test.expect.products) parts.push(`products: ${list(test.expect.products)}`);
  if (test.expect.outcome) parts.push(`outcome: ${test.expect.outcome}`);
  return parts.length > 0 ? parts.join('; ') : 'nothing checked';
}

function actualText(actual: Actual): string {
  return [
    `alerts: ${list(actual.alerts)}`,
    `tags: ${list(actual.tags)}`,
    `products: ${list(actual.products)}`,
    `outcome: ${actual.outcome ?? '?'}`,
    `score: ${actual.score ?? 0}`,
    `fired rules: ${list(actual.firedRules)}`,
  ].join('; ');
}

/** The last run's result of a test, by position when the names agree, else by name. */
function resultOf(report: TestReport | undefined, test: RulesetTest, index: number): TestResult | undefined {
  if (!report) return undefined;
  const same = report.results[index];
  return same?.name === test.name ? same : report.results.find((result) => result.name === test.name);
}

/** Test the draft: its test cases (add, edit, duplicate, delete), run on the service, with pass or fail, what failed and the actual result of each. */
export function TestsTab() {
  const { ruleset, reload } = useRuleset();
  const { api, can } = useSession();
  const [session, actions] = useDraftSession(ruleset, api, reload);
  const editable = can('rules:edit');
  const query = hashQuery(useHashPath());
  const requested = query.has('test') ? Number(query.get('test')) : NaN;
  const [editing, setEditing] = useState<number | null>(editable && Number.isInteger(requested) && requested >= 0 ? requested : null);
  const tests = session.working.tests;
  const keys = keysByName(tests.map((test) => test.name));
  const dirty = hasUnsavedChanges(session);
  const run = session.lastRun;
  const onShow = (place: ProblemPlace) => {
    if (place.area === 'test') return setEditing(place.test);
    if (place.area === 'rule' || place.area === 'condition' || place.area === 'event')
      return navigate(`/rulesets/${ruleset.id}/draft?rule=${place.rule}`);
    return navigate(`/rulesets/${ruleset.id}/draft?view=json`);
  };
  const testProblems = (index: number): Problem[] =>
    session.problems.filter((problem) => {
      const place = placeOf(problem.path, session.working);
      return place.area === 'test' && place.test === index;
    });
  return (
    <div className="tests-tab">
      <h2>Test the draft</h2>
      {editable ? (
        <SaveBar session={session} actions={actions} onShow={onShow} />
      ) : (
        <p className="hint">Your key may run the tests; changing them needs rules:edit.</p>
      )}
      <div className="toolbar">
        <button
          type="button"
          onClick={() => void actions.runTests()}
          disabled={session.running || session.saving || Object.keys(session.unapplied).length > 0}
        >
          {session.running ? 'Running…' : dirty ? 'Save and run the tests' : 'Run the tests'}
        </button>
        <p className="hint">The service runs the tests of the saved draft, each profile and event through this ruleset alone.</p>
      </div>
      {session.runError !== undefined && <ErrorMessage error={session.runError} />}
      <p role="status" className={run && run.report.failed > 0 ? 'error' : run ? 'ok' : 'muted'}>
        {run
          ? `Ran ${run.report.results.length} tests at ${run.at.toLocaleTimeString()}: ${run.report.passed} passed, ${run.report.failed} failed.`
          : 'The tests have not been run in this session.'}
      </p>
      <table className="tests">
        <caption>Tests of the draft of {ruleset.id}</caption>
        <thead>
          <tr>
            <th scope="col">Test</th>
            <th scope="col">Expected</th>
            <th scope="col">Last run</th>
            <th scope="col">Actual result</th>
            {editable && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {tests.map((test, index) => {
            const result = resultOf(run?.report, test, index);
            const problems = testProblems(index);
            return (
              <tr key={keys[index]} className={editing === index ? 'selected' : undefined}>
                <th scope="row">
                  {test.name}
                  {problems.length > 0 && (
                    <span className="problem small"> {problems.length === 1 ? '1 problem' : `${problems.length} problems`}</span>
                  )}
                </th>
                <td>{expectation(test)}</td>
                <td>
                  {!result ? (
                    <span className="muted">not run</span>
                  ) : result.passed ? (
                    <strong className="ok">passed</strong>
                  ) : (
                    <>
                      <strong className="error">failed</strong>
                      <ul className="failures">
                        {(result.failures ?? []).map((failure) => (
                          <li key={failure}>{failure}</li>
                        ))}
                      </ul>
                    </>
                  )}
                </td>
                <td>{result ? actualText(result.actual as Actual) : '—'}</td>
                {editable && (
                  <td className="row-actions">
                    <button
                      type="button"
                      className="secondary small"
                      aria-label={`Edit test ${test.name}`}
                      aria-pressed={editing === index}
                      onClick={() => setEditing(editing === index ? null : index)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="secondary small"
                      aria-label={`Duplicate test ${test.name}`}
                      onClick={() => {
                        actions.edit((draft) => duplicateTest(draft, index), true);
                        setEditing(index + 1);
                      }}
                    >
                      Duplicate
                    </button>
                    <button
                      type="button"
                      className="secondary small danger-text"
                      aria-label={`Delete test ${test.name}`}
                      onClick={() => {
                        actions.edit((draft) => removeTest(draft, index), true);
                        setEditing(null);
                      }}
                    >
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {tests.length === 0 && <p>This draft has no tests yet.</p>}
      {editable && (
        <p>
          <button
            type="button"
            onClick={() => {
              actions.edit((draft) => addTest(draft));
              setEditing(tests.length);
            }}
          >
            Add a test
          </button>
        </p>
      )}
      {editable && editing !== null && tests[editing] && (
        <TestForm
          key={editing}
          test={tests[editing]!}
          index={editing}
          problems={testProblems(editing)}
          kept={session.unapplied}
          onChange={(test) => actions.edit((draft) => replaceTest(draft, editing, test))}
          onInvalid={actions.setUnapplied}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
