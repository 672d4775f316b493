import { buildFactContext, computeFacts } from '../../facts/fact-library.js';
import type { DecisionEvent } from '../../facts/decision-event.js';
import type { RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import { yieldedNames, type Thresholds } from '../../engine/decision-outcome.js';
import { evaluateDecision } from '../../engine/evaluate-decision.js';
import type { RulesetTest } from './draft-schema.js';
import type { ListLookup } from '../../engine/list-lookup.js';
import type { TestReport } from './ruleset-schema.js';
import { TimeSlice } from '../../time/time-slice.js';

type TestResult = TestReport['results'][number];
type TestActual = TestResult['actual'];

/**
 * Runs a ruleset's tests: each test's profile and event through this ruleset alone, compared with
 * `expect` (tags, products and alerts as exact sets; outcome as a value; reasons as the ranked list of
 * codes, uncapped, so that a test means the same whatever REASONS_MAX is). A test without `event.at`
 * is evaluated at `now`. Up to 100 tests run inside a request: the loop yields to the event loop
 * every few milliseconds (time-slice.ts), so decisions keep their budget while an editor tests.
 */
export async function runRulesetTests(
  ruleset: RulesetEvaluator,
  tests: readonly RulesetTest[],
  thresholds: Thresholds,
  now = new Date(),
): Promise<TestReport> {
  const results: TestResult[] = [];
  const slice = new TimeSlice();
  for (const test of tests) {
    await slice.pause();
    const event = { ...test.event, at: test.event.at ?? now.toISOString() } as DecisionEvent;
    const context = buildFactContext(test.profile, event, test.history ?? {});
    const facts = computeFacts(context, ruleset.factNames);
    await slice.pause();
    const { evaluations, composed, reasons } = await evaluateDecision(
      [ruleset],
      facts,
      context.eventTime,
      thresholds,
      undefined,
      testLists(test),
    );
    const actual: TestActual = {
      ...yieldedNames(composed),
      firedRules: evaluations[0]!.rules.filter((rule) => rule.fired).map((rule) => rule.rule),
      reasons: reasons.map((reason) => reason.code),
    };
    const failures: string[] = [];
    for (const key of ['tags', 'products', 'alerts'] as const) {
      const expected = test.expect[key];
      if (expected !== undefined && !sameSet(expected, actual[key])) {
        failures.push(`${key}: expected [${[...expected].sort().join(', ')}], got [${[...actual[key]].sort().join(', ')}]`);
      }
    }
    if (test.expect.outcome !== undefined && test.expect.outcome !== actual.outcome) {
      failures.push(`outcome: expected ${test.expect.outcome}, got ${actual.outcome}`);
    }
    const expectedReasons = test.expect.reasons;
    if (expectedReasons !== undefined && expectedReasons.join(',') !== actual.reasons!.join(',')) {
      failures.push(`reasons: expected [${expectedReasons.join(', ')}], got [${actual.reasons!.join(', ')}]`);
    }
    results.push({ name: test.name, passed: failures.length === 0, actual, failures });
  }
  const passed = results.filter((result) => result.passed).length;
  return { passed, failed: results.length - passed, results };
}

/** The lists a test declares, as sets; a Map, since list ids are the author's keys. */
function testLists(test: RulesetTest): ListLookup {
  return new Map(Object.entries(test.lists ?? {}).map(([id, items]) => [id, new Set(items)]));
}

function sameSet(expected: readonly string[], actual: readonly string[]): boolean {
  const have = new Set(actual);
  return expected.length === have.size && expected.every((item) => have.has(item));
}
