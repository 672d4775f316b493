import type { EvaluatorResults } from './evaluator-bench.js';
import type { HttpResults } from './http-bench.js';
import type { RetagResults } from './retag-bench.js';
import { fmt, percent, times, type Table } from './table.js';

/** One target of the issue, checked against this run's figures. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
  /** How far from the target, when missed ("needs 1.4× more"). */
  shortBy?: string;
}

export function checkTargets(results: { evaluators?: EvaluatorResults; http?: HttpResults; retag?: RetagResults }): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const atLeast = (target: string, measured: number, required: number, show: (value: number) => string) =>
    checks.push({
      target,
      measured: show(measured),
      met: measured >= required,
      ...(measured < required && {
        shortBy: `${show(measured)} of ${show(required)}: ${measured > 0 ? `needs ${times(required / measured)} more` : 'none at all'}`,
      }),
    });
  const atMost = (target: string, measured: number, limit: number, show: (value: number) => string) =>
    checks.push({
      target,
      measured: show(measured),
      met: measured <= limit,
      ...(measured > limit && { shortBy: `${show(measured)} against ${show(limit)}: ${times(measured / limit)} over` }),
    });
  const zero = (target: string, count: number) =>
    checks.push({ target, measured: String(count), met: count === 0, ...(count > 0 && { shortBy: `${count} instead of 0` }) });

  const { evaluators, http, retag } = results;
  if (evaluators) {
    // The engines' agreement is asserted by tests/differential, not a target: the counts are in the evaluator table.
    const all = Math.max(...evaluators.figures.map((figure) => figure.rules));
    const compiledAll = evaluators.figures.find((figure) => figure.engine === 'compiled' && figure.rules === all)!;
    const compiledZenPack = evaluators.figures.find((figure) => figure.engine === 'compiled' && figure.rules !== all)!;
    atLeast('compiled ≥ 20× jre-default (all 4 rulesets)', compiledAll.ratioVsJreDefault!, 20, times);
    atLeast('compiled ≥ 3× zen (fraud-alerts + customer-tags)', compiledZenPack.ratioVsZen!, 3, times);
  }
  if (http) {
    atLeast('HTTP decisions ≥ 35 % of hello-world req/s (answers 200 per second)', http.ratioToHelloWorld, 0.35, percent);
    atMost('HTTP decisions p99 ≤ 30 ms', http.decisions.latencyMs.p99, 30, (ms) => `${fmt(ms, 1)} ms`);
    zero('HTTP decisions: zero errors (connection errors, timeouts, non-2xx incl. 503)', http.decisions.errors);
    zero('every decision answered 200 is logged (200s without a log entry)', http.log.answered200NotLogged);
  }
  if (retag) {
    for (const run of retag.runs) {
      const projected = run.fullRun.projected ? ', projected from a stopped run' : '';
      atLeast(`retag ≥ 5,000 profiles/s (${run.label}${projected})`, run.fullRun.profilesPerSecond, 5000, (value) => `${fmt(value)}/s`);
    }
  }
  return checks;
}

export function targetsTable(checks: TargetCheck[]): Table {
  return {
    title: 'Targets',
    columns: ['target', 'measured', 'result'],
    rows: checks.map((check) => [check.target, check.measured, check.met ? 'met' : `MISSED (${check.shortBy})`]),
  };
}
