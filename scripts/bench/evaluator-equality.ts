import { canonicalJson } from '../../src/json/canonical-json.js';
import type { RulesetEvaluation } from '../../src/engine/ruleset-evaluation.js';
import type { BenchInput } from './bench-inputs.js';
import type { Engines, PreparedInputs } from './evaluator-engines.js';

/** How one engine's answers compare with ours over every input. */
export interface Comparison {
  /** Evaluations compared (inputs × rulesets). */
  compared: number;
  differences: number;
  /** The first difference, to reproduce it. */
  example?: { input: number; ruleset: string; ours: unknown; theirs: unknown };
}

export interface EqualityReport {
  /** (a) vs (c): whole evaluations (every rule, leaf, fact value, pointer and message) as logged JSON. */
  closuresVsReference: Comparison;
  /** (a) vs (b): the rules that fired. */
  closuresVsDefaultEngine: Comparison;
  /** (a) vs (d): the rules that fired, over the zen pack. */
  closuresVsZen: Comparison;
}

const fresh = (): Comparison => ({ compared: 0, differences: 0 });

function record(comparison: Comparison, same: boolean, example: () => NonNullable<Comparison['example']>): void {
  comparison.compared += 1;
  if (same) return;
  comparison.differences += 1;
  comparison.example ??= example();
}

const sameJson = (ours: RulesetEvaluation, theirs: RulesetEvaluation): boolean => {
  const [oursText, theirsText] = [JSON.stringify(ours), JSON.stringify(theirs)];
  return oursText === theirsText || canonicalJson(JSON.parse(oursText)) === canonicalJson(JSON.parse(theirsText));
};

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const sortedA = [...a].sort();
  const sortedB = [...b].sort();
  return sortedA.length === sortedB.length && sortedA.every((name, index) => name === sortedB[index]);
};

/** Our evaluator's answers and how (c) and (d) compare with them; (b) is compared during its first timed round. */
export interface EqualityPass {
  report: EqualityReport;
  /** The rules our evaluator fired, [ruleset][input]. */
  oursFired: string[][][];
}

const firedOf = (evaluation: RulesetEvaluation): string[] => evaluation.rules.filter((rule) => rule.fired).map((rule) => rule.rule);

/**
 * One untimed pass over every input through (a), (c) and (d): the correctness check the speed figures
 * are worth nothing without, and the warm-up of those engines before their timed rounds.
 */
export async function compareEngines(engines: Engines, inputs: readonly BenchInput[], prepared: PreparedInputs): Promise<EqualityPass> {
  const report: EqualityReport = { closuresVsReference: fresh(), closuresVsDefaultEngine: fresh(), closuresVsZen: fresh() };
  const oursFired: string[][][] = engines.rulesets.map(() => []);
  for (const [index, input] of inputs.entries()) {
    const ours = engines.closures.map((closure) => closure.evaluateSync(input.facts, input.eventTime));
    for (const [rulesetIndex, reference] of engines.references.entries()) {
      const theirs = await reference.evaluate(input.facts, input.eventTime);
      const evaluation = ours[rulesetIndex]!;
      record(report.closuresVsReference, sameJson(evaluation, theirs), () => ({ input: index, ruleset: evaluation.ruleset, ours: evaluation, theirs }));
      oursFired[rulesetIndex]!.push(firedOf(evaluation));
    }
    const zenFired = await engines.zen.fired(prepared.zenInputs[index]!);
    const oursInPack = engines.zenPack.flatMap((rulesetIndex) => oursFired[rulesetIndex]![index]!.map((rule) => `${ours[rulesetIndex]!.ruleset}/${rule}`));
    const theirsInPack = zenFired.map(({ ruleset, rule }) => `${ruleset}/${rule}`);
    const pack = engines.zenPack.map((i) => engines.rulesets[i]!.identity.id).join('+');
    record(report.closuresVsZen, sameSet(oursInPack, theirsInPack), () => ({ input: index, ruleset: pack, ours: oursInPack, theirs: theirsInPack }));
  }
  return { report, oursFired };
}

/** (a) vs (b): the fired rules (b) answered in its first timed round, [ruleset][input]. */
export function compareFired(engines: Engines, pass: EqualityPass, theirsFired: string[][][]): void {
  for (const [rulesetIndex, perInput] of pass.oursFired.entries()) {
    for (const [index, ours] of perInput.entries()) {
      const theirs = theirsFired[rulesetIndex]![index]!;
      record(pass.report.closuresVsDefaultEngine, sameSet(ours, theirs), () => ({ input: index, ruleset: engines.rulesets[rulesetIndex]!.identity.id, ours, theirs }));
    }
  }
}
