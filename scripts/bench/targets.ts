import type { EvaluatorResults } from './evaluator-bench.js';
import type { HttpResults } from './http-bench.js';
import { cpuMsPerOk, findRun } from './http-tables.js';
import type { RetagResults } from './retag-bench.js';
import type { ShadowResults } from './shadow-bench.js';
import { fmt, percent, times, type Table } from './table.js';

/** One target of the issue, checked against this run's figures. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
  /** How far from the target, when missed ("needs 1.4× more"). */
  shortBy?: string;
}

export function checkTargets(results: {
  evaluators?: EvaluatorResults;
  http?: HttpResults;
  retag?: RetagResults;
  shadow?: ShadowResults;
}): TargetCheck[] {
  const checks: TargetCheck[] = [];
  // A ratio over a run that answered nothing is not a figure: the target is missed, and says why.
  const unmeasured = (target: string, measured: number) =>
    !Number.isFinite(measured) &&
    checks.push({ target, measured: 'n/a', met: false, shortBy: 'not measurable: no answers 200 to compare' });
  const atLeast = (target: string, measured: number, required: number, show: (value: number) => string) =>
    unmeasured(target, measured) ||
    checks.push({
      target,
      measured: show(measured),
      met: measured >= required,
      ...(measured < required && {
        shortBy: `${show(measured)} of ${show(required)}: ${measured > 0 ? `needs ${times(required / measured)} more` : 'none at all'}`,
      }),
    });
  const atMost = (target: string, measured: number, limit: number, show: (value: number) => string) =>
    unmeasured(target, measured) ||
    checks.push({
      target,
      measured: show(measured),
      met: measured <= limit,
      ...(measured > limit && { shortBy: `${show(measured)} against ${show(limit)}: ${times(measured / limit)} over` }),
    });
  const zero = (target: string, count: number) =>
    checks.push({ target, measured: String(count), met: count === 0, ...(count > 0 && { shortBy: `${count} instead of 0` }) });

  const { evaluators, http, retag, shadow } = results;
  if (evaluators) {
    // The engines' agreement is asserted by tests/differential, not a target: the counts are in the evaluator table.
    const all = Math.max(...evaluators.figures.map((figure) => figure.rules));
    const compiledAll = evaluators.figures.find((figure) => figure.engine === 'compiled' && figure.rules === all)!;
    const compiledZenPack = evaluators.figures.find((figure) => figure.engine === 'compiled' && figure.rules !== all)!;
    atLeast('compiled ≥ 20× jre-default (all 4 rulesets)', compiledAll.ratioVsJreDefault!, 20, times);
    atLeast('compiled ≥ 3× zen (fraud-alerts + customer-tags)', compiledZenPack.ratioVsZen!, 3, times);
  }
  if (http) httpTargets(http, { atLeast, atMost, zero });
  if (retag) {
    const [, unchanged, tenPercent] = retag.runs;
    if (unchanged) atLeast('retag, no tag changing: profiles/s ≥ 80 % of a raw scan', unchanged.ratioToScan, 0.8, percent);
    if (tenPercent) atLeast('retag, 10 % of the tags changing: profiles/s ≥ 50 % of a raw scan', tenPercent.ratioToScan, 0.5, percent);
  }
  if (shadow) atMost('a shadow adds ≤ 15 % to the service CPU per decision', shadow.addedDerived, 0.15, percent);
  return checks;
}

export function targetsTable(checks: TargetCheck[]): Table {
  return {
    title: 'Targets',
    columns: ['target', 'measured', 'result'],
    rows: checks.map((check) => [check.target, check.measured, check.met ? 'met' : `MISSED (${check.shortBy})`]),
  };
}

type Check = (target: string, measured: number, bound: number, show: (value: number) => string) => void;

/** Issue 15's targets for the decision path, from the runs of one bench (hot set at the first connection count = the reference). */
function httpTargets(
  http: HttpResults,
  { atLeast, atMost, zero }: { atLeast: Check; atMost: Check; zero: (target: string, count: number) => void },
): void {
  const [normal, overload] = [...new Set(http.runs.filter((run) => run.server === 'ours').map((run) => run.connections))];
  const hot = findRun(http, 'ours', 'hot', normal!, false);
  const hello = findRun(http, 'hello-world', '-', normal!, false);
  if (!hot) return;
  const ms = (value: number) => `${fmt(value, value < 10 ? 2 : 1)} ms`;
  atMost(`service CPU per answered decision ≤ 1.0 ms (hot, ${normal} connections)`, cpuMsPerOk(hot.load, 'service'), 1.0, ms);
  atMost(`database CPU per answered decision ≤ 0.5 ms (hot, ${normal} connections)`, cpuMsPerOk(hot.load, 'database'), 0.5, ms);
  if (hello)
    atLeast(
      `decisions/s answered 200 at ${normal} connections ≥ 7 % of the hello-world's`,
      hot.load.okPerSecond / hello.load.okPerSecond,
      0.07,
      percent,
    );
  zero(`non-2xx at ${normal} connections (and connection errors)`, hot.load.errors);
  atMost(`p99 at ${normal} connections ≤ 60 ms`, hot.load.latencyMs.p99, 60, ms);
  const cold = findRun(http, 'ours', 'cold', normal!, false);
  if (cold)
    atLeast(
      `cold (${http.profiles.toLocaleString('en-US')} profiles): 200/s ≥ 50 % of the hot figure`,
      cold.load.okPerSecond / hot.load.okPerSecond,
      0.5,
      percent,
    );
  const overloaded = overload === undefined ? undefined : findRun(http, 'ours', 'hot', overload, true);
  if (overloaded) {
    atLeast(
      `overload, ${overload} connections (clients wait Retry-After): 200/s ≥ 90 % of the ${normal}-connection figure`,
      overloaded.load.okPerSecond / hot.load.okPerSecond,
      0.9,
      percent,
    );
    const unavailable = overloaded.load.latencyByStatus['503'];
    zero(`overload: answers 503 without Retry-After`, overloaded.load.unavailableWithoutRetryAfter);
    atMost(`overload: answers 503 come back fast, p99 ≤ 10 ms (${unavailable?.count ?? 0} of them)`, unavailable?.p99 ?? 0, 10, ms);
  }
  atMost('stored log entry per decision ≤ 4 KB', http.logEntryBytes.ours / 1024, 4, (kb) => `${fmt(kb, 1)} KB`);
  zero(
    'every decision answered 200 is logged (200s without a log entry, all runs)',
    http.runs.reduce((sum, run) => sum + (run.audit?.answered200NotLogged ?? 0), 0),
  );
}
