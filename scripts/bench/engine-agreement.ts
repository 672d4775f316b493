import type { RulesetEvaluation } from '../../src/engine/ruleset-evaluation.js';
import type { BenchInput } from './bench-inputs.js';
import type { EngineName, Engines } from './evaluator-engines.js';
import type { FiredRule } from './zen-decision.js';

/**
 * Whether the engines timed answered what `compiled` answers, counted over the run's inputs from each
 * engine's first timed round (collecting rule names costs < 1 % of a round). Speed figures of an engine
 * that answers something else compare nothing, so the run reports the counts; the assertions live in
 * tests/differential (jre-dot-path: whole explanations, jre-default: fired rules). Zen has no test: it is
 * not a dependency, so this count is its only check.
 */
export interface Agreement {
  /** Answers compared: inputs × rulesets (for zen: inputs, each over its pack). */
  compared: number;
  differences: number;
  /** The first difference, to reproduce it. */
  example?: { input: number; ruleset: string; compiled: string[]; theirs: string[] };
}

export type AgreementReport = Record<Exclude<EngineName, 'compiled'>, Agreement>;

/** The rules each ruleset fired for each input, [ruleset][input]. */
export type FiredRules = string[][][];

export const firedOf = (evaluation: RulesetEvaluation): string[] => evaluation.rules.filter((rule) => rule.fired).map((rule) => rule.rule);

/** `compiled`'s answers, untimed: the reference the others are counted against (and its warm-up). */
export function compiledFired(engines: Engines, inputs: readonly BenchInput[]): FiredRules {
  return engines.compiled.map((compiled) => inputs.map(({ facts, eventTime }) => firedOf(compiled.evaluateSync(facts, eventTime))));
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const [sortedA, sortedB] = [[...a].sort(), [...b].sort()];
  return sortedA.length === sortedB.length && sortedA.every((name, index) => name === sortedB[index]);
};

function count(pairs: Iterable<{ input: number; ruleset: string; compiled: string[]; theirs: string[] }>): Agreement {
  const agreement: Agreement = { compared: 0, differences: 0 };
  for (const pair of pairs) {
    agreement.compared += 1;
    if (sameSet(pair.compiled, pair.theirs)) continue;
    agreement.differences += 1;
    agreement.example ??= pair;
  }
  return agreement;
}

/** An engine run per ruleset (jre-default, jre-dot-path) against `compiled`. */
export function agreementPerRuleset(engines: Engines, compiled: FiredRules, theirs: FiredRules): Agreement {
  return count(
    compiled.flatMap((perInput, rulesetIndex) =>
      perInput.map((fired, input) => ({
        input,
        ruleset: engines.rulesets[rulesetIndex]!.identity.id,
        compiled: fired,
        theirs: theirs[rulesetIndex]![input]!,
      })),
    ),
  );
}

/** Zen, one decision per input over ZEN_PACK, against `compiled`'s rules of the same rulesets. */
export function agreementOfZen(engines: Engines, compiled: FiredRules, zenFired: readonly FiredRule[][]): Agreement {
  const pack = engines.zenPack.map((index) => engines.rulesets[index]!.identity.id);
  return count(
    zenFired.map((fired, input) => ({
      input,
      ruleset: pack.join('+'),
      compiled: engines.zenPack.flatMap((rulesetIndex, packIndex) =>
        compiled[rulesetIndex]![input]!.map((rule) => `${pack[packIndex]}/${rule}`),
      ),
      theirs: fired.map(({ ruleset, rule }) => `${ruleset}/${rule}`),
    })),
  );
}
