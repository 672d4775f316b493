import { mulberry32 } from '../../tests/helpers/generators.js';
import { ADVERSARIAL_FAMILIES, timeWorstRuleset } from '../../tests/helpers/worst-ruleset.js';
import type { BenchOptions } from './bench-options.js';
import { computeAllFacts, generateInputs, loadShippedRulesets, packFactNames, type BenchInput } from './bench-inputs.js';
import { agreementOfZen, agreementPerRuleset, compiledFired, firedOf, type AgreementReport, type FiredRules } from './engine-agreement.js';
import {
  buildEngines,
  ENGINE_DESCRIPTIONS,
  prepareInputs,
  ZEN_PACK,
  type EngineName,
  type Engines,
  type PreparedInputs,
} from './evaluator-engines.js';
import { fmt, times, type Table } from './table.js';
import { median, nowMs, since, summarise, timeRounds, type Rounds } from './timing.js';
import type { FiredRule } from './zen-decision.js';
import { benchLists, listTable, type ListFigure } from './list-bench.js';

export interface EngineFigure {
  engine: EngineName;
  name: string;
  pack: string;
  rules: number;
  usPerDecision: number;
  decisionsPerSecond: number;
  /** µs per decision, one value per round (for jre-default and jre-dot-path: sums of the per-ruleset rounds). */
  roundsUs: number[];
  ratioVsJreDefault: number | undefined;
  ratioVsZen: number | undefined;
}

/** One ruleset alone, µs per evaluation, for the engines that run per ruleset. */
export type PerRulesetUs = { rules: number } & Record<Exclude<EngineName, 'zen'>, number>;

export interface EvaluatorResults {
  inputs: number;
  rounds: { fast: number; slow: number };
  /** buildFactContext + computeFacts for the union of the four rulesets' facts, per input. */
  factsUsPerInput: number;
  figures: EngineFigure[];
  perRulesetUs: Record<string, PerRulesetUs>;
  /** Fired-rule differences from `compiled`, per engine (the tests assert none; see engine-agreement.ts). */
  agreement: AgreementReport;
  /** The worst rulesets the validator accepts (tests/helpers/worst-ruleset.ts), ms per evaluation. */
  worstRulesets: WorstRulesetFigure[];
  /** A 100,000-item list against an empty one, same run (issue 17). */
  lists: ListFigure;
}

export interface WorstRulesetFigure {
  family: string;
  patterns: number;
  size: number;
  medianMs: number;
  maxMs: number;
}

/** Evaluations of each worst ruleset, each on a fresh adversarial input. */
const WORST_RULESET_EVALUATIONS = 51;

/** Untimed evaluations before each engine's rounds. */
const WARMUP_INPUTS = 500;

export async function benchEvaluators(options: BenchOptions, log: (line: string) => void): Promise<EvaluatorResults> {
  const started = nowMs();
  const engines = buildEngines(loadShippedRulesets());
  const allFacts = packFactNames(engines.compiled.map((compiled) => compiled.factNames));
  const inputs = generateInputs(mulberry32(options.seed), options.profiles, allFacts);
  const prepared = prepareInputs(engines, inputs);
  const all = engines.rulesets.map((_, index) => index);
  const reference = compiledFired(engines, inputs);
  log(`evaluators: ${inputs.length} inputs generated (${since(started)}); timing`);

  const facts = await timeRounds(options.rounds, inputs.length, () => void computeAllFacts(inputs, allFacts));
  const compiledAll = await timeCompiled(engines, all, inputs, options.rounds);
  const compiledZenPack = await timeCompiled(engines, engines.zenPack, inputs, options.rounds);
  const lists = benchLists(engines, inputs);
  log(
    `evaluators: lists timed, 100,000 items ${lists.ratio.toFixed(3)}× empty, noise floor ${lists.noiseRatio.toFixed(3)}× (${since(started)})`,
  );
  const jreDefaultFired: FiredRules = engines.rulesets.map(() => []);
  const jreDefault = await timePerRuleset(engines, inputs, options.slowRounds, async (index, input, round) => {
    const fired = await engines.jreDefault[index]!.firedRules(prepared.jreDefaultFacts[index]![input]!, inputs[input]!.eventTime);
    if (round === 0) jreDefaultFired[index]![input] = fired;
  });
  log(`evaluators: jre-default timed (${since(started)})`);
  const jreDotPathFired: FiredRules = engines.rulesets.map(() => []);
  const jreDotPath = await timePerRuleset(engines, inputs, options.slowRounds, async (index, input, round) => {
    const evaluation = await engines.jreDotPath[index]!.evaluate(inputs[input]!.facts, inputs[input]!.eventTime);
    if (round === 0) jreDotPathFired[index]![input] = firedOf(evaluation);
  });
  log(`evaluators: jre-dot-path timed (${since(started)})`);
  const zenFired: FiredRule[][] = [];
  const zen = await timeZen(engines, prepared, options.slowRounds, zenFired);
  engines.zen.dispose();
  log(`evaluators: zen timed (${since(started)})`);

  const rulesOf = (indexes: number[]) => indexes.reduce((sum, index) => sum + engines.rulesets[index]!.rules.length, 0);
  const packOf = (indexes: number[]) => (indexes.length === engines.rulesets.length ? 'all 4 shipped rulesets' : ZEN_PACK.join(' + '));
  const figure = (engine: EngineName, indexes: number[], rounds: Rounds): EngineFigure => ({
    engine,
    name: ENGINE_DESCRIPTIONS[engine],
    pack: packOf(indexes),
    rules: rulesOf(indexes),
    usPerDecision: rounds.medianUs,
    decisionsPerSecond: rounds.perSecond,
    roundsUs: rounds.roundsUs,
    ratioVsJreDefault: undefined,
    ratioVsZen: undefined,
  });
  const figures = [
    figure('compiled', all, compiledAll),
    figure('jre-default', all, sumOf(jreDefault, all)),
    figure('jre-dot-path', all, sumOf(jreDotPath, all)),
    figure('compiled', engines.zenPack, compiledZenPack),
    figure('jre-default', engines.zenPack, sumOf(jreDefault, engines.zenPack)),
    figure('jre-dot-path', engines.zenPack, sumOf(jreDotPath, engines.zenPack)),
    figure('zen', engines.zenPack, zen),
  ];
  for (const row of figures) {
    const samePack = (engine: EngineName) => figures.find((other) => other.engine === engine && other.pack === row.pack);
    row.ratioVsJreDefault = row.decisionsPerSecond / samePack('jre-default')!.decisionsPerSecond;
    const zenRow = samePack('zen');
    row.ratioVsZen = zenRow ? row.decisionsPerSecond / zenRow.decisionsPerSecond : undefined;
  }
  const perRulesetUs = Object.fromEntries(
    engines.rulesets.map((ruleset, index): [string, PerRulesetUs] => [
      ruleset.identity.id,
      {
        rules: ruleset.rules.length,
        compiled: compiledUs(engines, index, inputs),
        'jre-default': jreDefault[index]!.medianUs,
        'jre-dot-path': jreDotPath[index]!.medianUs,
      },
    ]),
  );
  const agreement: AgreementReport = {
    'jre-default': agreementPerRuleset(engines, reference, jreDefaultFired),
    'jre-dot-path': agreementPerRuleset(engines, reference, jreDotPathFired),
    zen: agreementOfZen(engines, reference, zenFired),
  };
  const rounds = { fast: options.rounds, slow: options.slowRounds };
  const worstRulesets = benchWorstRulesets(options.seed);
  log(`evaluators: worst accepted rulesets timed (${since(started)})`);
  return { inputs: inputs.length, rounds, factsUsPerInput: facts.medianUs, figures, perRulesetUs, agreement, worstRulesets, lists };
}

/** The same 200 × 50 ruleset without `matches` (its patterns are over the size limit): what the rest costs. */
const BASELINE = { 'baseline: no matches conditions': { pattern: () => 'a'.repeat(101), alphabet: 'ab' } };

function benchWorstRulesets(seed: number): WorstRulesetFigure[] {
  return Object.entries({ ...BASELINE, ...ADVERSARIAL_FAMILIES }).map(([family, patterns]) => {
    const { ruleset, ms } = timeWorstRuleset(patterns, mulberry32(seed), WORST_RULESET_EVALUATIONS);
    return { family, patterns: ruleset.patterns, size: ruleset.size, medianMs: median(ms), maxMs: Math.max(...ms) };
  });
}

/** compiled: per input, every ruleset of the pack, synchronously, as the decision path calls it. */
async function timeCompiled(engines: Engines, indexes: number[], inputs: readonly BenchInput[], rounds: number): Promise<Rounds> {
  const compiled = indexes.map((index) => engines.compiled[index]!);
  let sink = 0;
  const pass = (count: number) => {
    for (let input = 0; input < count; input += 1) {
      const { facts, eventTime } = inputs[input]!;
      for (const ruleset of compiled) sink += ruleset.evaluateSync(facts, eventTime).rules.length;
    }
  };
  pass(Math.min(WARMUP_INPUTS, inputs.length));
  const result = await timeRounds(rounds, inputs.length, () => pass(inputs.length));
  if (sink < 0) throw new Error('unreachable');
  return result;
}

/** One ruleset's evaluation alone, for the per-ruleset table (a single round: it is only a breakdown). */
function compiledUs(engines: Engines, index: number, inputs: readonly BenchInput[]): number {
  const compiled = engines.compiled[index]!;
  const started = nowMs();
  for (const { facts, eventTime } of inputs) compiled.evaluateSync(facts, eventTime);
  return ((nowMs() - started) * 1000) / inputs.length;
}

/** jre-default, jre-dot-path: each ruleset over every input, each run awaited before the next; rounds per ruleset. */
async function timePerRuleset(
  engines: Engines,
  inputs: readonly BenchInput[],
  rounds: number,
  run: (ruleset: number, input: number, round: number) => Promise<unknown>,
): Promise<Rounds[]> {
  const results: Rounds[] = [];
  for (let index = 0; index < engines.rulesets.length; index += 1) {
    for (let input = 0; input < Math.min(WARMUP_INPUTS, inputs.length); input += 1) await run(index, input, -1);
    let round = 0;
    results.push(
      await timeRounds(rounds, inputs.length, async () => {
        for (let input = 0; input < inputs.length; input += 1) await run(index, input, round);
        round += 1;
      }),
    );
  }
  return results;
}

/** zen: one evaluation per input covers both rulesets of its pack; the first round's answers go to `fired`. */
async function timeZen(engines: Engines, prepared: PreparedInputs, rounds: number, fired: FiredRule[][]): Promise<Rounds> {
  const { zenInputs } = prepared;
  for (let input = 0; input < Math.min(WARMUP_INPUTS, zenInputs.length); input += 1) await engines.zen.fired(zenInputs[input]!);
  let round = 0;
  return timeRounds(rounds, zenInputs.length, async () => {
    for (const [input, zenInput] of zenInputs.entries()) {
      const answer = await engines.zen.fired(zenInput);
      if (round === 0) fired[input] = answer;
    }
    round += 1;
  });
}

/** A pack's cost from its rulesets' rounds: round i of the pack is the sum of round i of each. */
function sumOf(perRuleset: Rounds[], indexes: number[]): Rounds {
  const count = perRuleset[indexes[0]!]!.roundsUs.length;
  return summarise(
    Array.from({ length: count }, (_, round) => indexes.reduce((sum, index) => sum + perRuleset[index]!.roundsUs[round]!, 0)),
  );
}

export function evaluatorTables(results: EvaluatorResults): Table[] {
  const { agreement } = results;
  const allRules = Math.max(...results.figures.map((figure) => figure.rules));
  const compiledAll = results.figures.find((figure) => figure.engine === 'compiled' && figure.rules === allRules)!;
  const check = (engine: keyof AgreementReport, what: string) => {
    const { differences, compared } = agreement[engine];
    return `${engine} vs compiled, ${what}: ${differences} differences in ${compared.toLocaleString('en-US')} comparisons`;
  };
  return [
    {
      title: `In-process evaluation: ${results.inputs.toLocaleString('en-US')} generated profiles + events, facts computed beforehand (median of ${results.rounds.fast} rounds for compiled and facts, ${results.rounds.slow} for the others)`,
      columns: ['engine', 'pack (rules)', 'µs/decision', 'decisions/s', 'vs jre-default', 'vs zen'],
      rows: results.figures.map((figure) => [
        figure.name,
        `${figure.pack} (${figure.rules})`,
        fmt(figure.usPerDecision, 2),
        fmt(figure.decisionsPerSecond),
        times(figure.ratioVsJreDefault),
        times(figure.ratioVsZen),
      ]),
      notes: [
        `facts (buildFactContext + computeFacts, union of the 4 rulesets' facts): ${fmt(results.factsUsPerInput, 2)} µs per input = ${times(results.factsUsPerInput / compiledAll.usPerDecision)} the evaluation of all 4 rulesets by compiled`,
        'a decision = one input through every ruleset of the pack; jre-default and jre-dot-path are timed per ruleset and summed, each run awaited; zen is one evaluate() per input',
        'jre-default is the bare Engine.run(); compiled and jre-dot-path also build every explanation and render the messages',
        check('jre-dot-path', 'fired rules'),
        check('jre-default', 'fired rules'),
        check('zen', 'fired tags and alerts'),
      ],
    },
    {
      title: 'In-process evaluation per ruleset (µs per evaluation)',
      columns: ['ruleset', 'rules', 'compiled', 'jre-default', 'jre-dot-path', 'jre-default / compiled'],
      rows: Object.entries(results.perRulesetUs).map(([id, us]) => [
        id,
        String(us.rules),
        fmt(us.compiled, 2),
        fmt(us['jre-default'], 1),
        fmt(us['jre-dot-path'], 1),
        times(us['jre-default'] / us.compiled),
      ]),
    },
    listTable(results.lists),
    {
      title: `Worst accepted ruleset: 200 rules × 50 conditions, matches patterns up to the size limits, compiled (ms per evaluation, ${WORST_RULESET_EVALUATIONS} fresh adversarial 1,000-character inputs)`,
      columns: ['pattern family', 'matches conditions', 'total size', 'median ms', 'max ms'],
      rows: results.worstRulesets.map((figure) => [
        figure.family,
        String(figure.patterns),
        String(figure.size),
        fmt(figure.medianMs, 2),
        fmt(figure.maxMs, 2),
      ]),
      notes: [
        'the bound is 5 ms per evaluation (tests/unit/ruleset-cost.test.ts asserts the median, with 3× slack for a loaded machine)',
        'the rest of the 10,000 conditions are string comparisons: their explanations are part of the time (the baseline row);',
        'single evaluations far above the median come from collecting those explanations and from other processes, as the baseline shows',
      ],
    },
  ];
}
