import { mulberry32 } from '../../tests/helpers/generators.js';
import type { BenchOptions } from './bench-options.js';
import { computeAllFacts, generateInputs, loadShippedRulesets, packFactNames, type BenchInput } from './bench-inputs.js';
import { buildEngines, prepareInputs, ZEN_PACK, type Engines, type PreparedInputs } from './evaluator-engines.js';
import { compareEngines, compareFired, type EqualityReport } from './evaluator-equality.js';
import { fmt, times, type Table } from './table.js';
import { nowMs, since, summarise, timeRounds, type Rounds } from './timing.js';

type EngineId = 'a' | 'b' | 'c' | 'd';

export interface EngineFigure {
  engine: EngineId;
  name: string;
  pack: string;
  rules: number;
  usPerDecision: number;
  decisionsPerSecond: number;
  /** µs per decision, one value per round (for b and c: sums of the per-ruleset rounds). */
  roundsUs: number[];
  ratioVsDefaultEngine: number | undefined;
  ratioVsZen: number | undefined;
}

export interface EvaluatorResults {
  inputs: number;
  rounds: { fast: number; slow: number };
  /** buildFactContext + computeFacts for the union of the four rulesets' facts, per input. */
  factsUsPerInput: number;
  figures: EngineFigure[];
  /** Our evaluator per ruleset, µs per evaluation. */
  perRulesetUs: Record<string, { rules: number; a: number; b: number; c: number }>;
  equality: EqualityReport;
}

const NAMES: Record<EngineId, string> = {
  a: '(a) our evaluator (ClosureRuleset.evaluateSync)',
  b: '(b) json-rules-engine, default options (JSONPath)',
  c: '(c) json-rules-engine, dot-path resolver (ReferenceRuleset)',
  d: '(d) @gorules/zen-engine, generated JDM',
};

/** Untimed evaluations before each engine's rounds (all engines have also run the equality pass). */
const WARMUP_INPUTS = 500;

export async function benchEvaluators(options: BenchOptions, log: (line: string) => void): Promise<EvaluatorResults> {
  const started = nowMs();
  const engines = buildEngines(loadShippedRulesets());
  const allFacts = packFactNames(engines.closures.map((closure) => closure.factNames));
  const inputs = generateInputs(mulberry32(options.seed), options.profiles, allFacts);
  const prepared = prepareInputs(engines, inputs);
  const all = engines.rulesets.map((_, index) => index);
  log(`evaluators: ${inputs.length} inputs generated (${since(started)}); checking that every engine answers the same`);

  const pass = await compareEngines(engines, inputs, prepared);
  log(`evaluators: (a) = (c) = (d) checked (${since(started)}); timing`);

  const facts = await timeRounds(options.rounds, inputs.length, () => void computeAllFacts(inputs, allFacts));
  const a4 = await timeClosures(engines, all, inputs, options.rounds);
  const a2 = await timeClosures(engines, engines.zenPack, inputs, options.rounds);
  // (b)'s fired rules are compared with ours from its first timed round: collecting names costs < 1 %.
  const defaultFired: string[][][] = engines.rulesets.map(() => []);
  const b = await timePerRuleset(engines, inputs, options.slowRounds, async (index, input, round) => {
    const fired = await engines.defaults[index]!.firedRules(prepared.defaultFacts[index]![input]!, inputs[input]!.eventTime);
    if (round === 0) defaultFired[index]![input] = fired;
  });
  compareFired(engines, pass, defaultFired);
  const equality = pass.report;
  log(`evaluators: json-rules-engine (default options) timed and checked (${since(started)})`);
  const c = await timePerRuleset(engines, inputs, options.slowRounds, (index, input) =>
    engines.references[index]!.evaluate(inputs[input]!.facts, inputs[input]!.eventTime),
  );
  log(`evaluators: json-rules-engine (dot paths) timed (${since(started)})`);
  const d = await timeZen(engines, prepared, options.slowRounds);
  engines.zen.dispose();
  log(`evaluators: zen timed (${since(started)})`);

  const rulesOf = (indexes: number[]) => indexes.reduce((sum, index) => sum + engines.rulesets[index]!.rules.length, 0);
  const packOf = (indexes: number[]) => (indexes.length === engines.rulesets.length ? 'all 4 shipped rulesets' : ZEN_PACK.join(' + '));
  const figure = (engine: EngineId, indexes: number[], rounds: Rounds): EngineFigure => ({
    engine,
    name: NAMES[engine],
    pack: packOf(indexes),
    rules: rulesOf(indexes),
    usPerDecision: rounds.medianUs,
    decisionsPerSecond: rounds.perSecond,
    roundsUs: rounds.roundsUs,
    ratioVsDefaultEngine: undefined,
    ratioVsZen: undefined,
  });
  const figures = [
    figure('a', all, a4),
    figure('b', all, sumOf(b, all)),
    figure('c', all, sumOf(c, all)),
    figure('a', engines.zenPack, a2),
    figure('b', engines.zenPack, sumOf(b, engines.zenPack)),
    figure('c', engines.zenPack, sumOf(c, engines.zenPack)),
    figure('d', engines.zenPack, d),
  ];
  for (const row of figures) {
    const samePack = (engine: EngineId) => figures.find((other) => other.engine === engine && other.pack === row.pack);
    row.ratioVsDefaultEngine = row.decisionsPerSecond / samePack('b')!.decisionsPerSecond;
    const zen = samePack('d');
    row.ratioVsZen = zen ? row.decisionsPerSecond / zen.decisionsPerSecond : undefined;
  }
  const perRulesetUs = Object.fromEntries(
    engines.rulesets.map((ruleset, index) => [ruleset.identity.id, { rules: ruleset.rules.length, a: closureUs(engines, index, inputs), b: b[index]!.medianUs, c: c[index]!.medianUs }]),
  );
  return { inputs: inputs.length, rounds: { fast: options.rounds, slow: options.slowRounds }, factsUsPerInput: facts.medianUs, figures, perRulesetUs, equality };
}

/** (a): per input, every ruleset of the pack, synchronously, as the decision path calls it. */
async function timeClosures(engines: Engines, indexes: number[], inputs: readonly BenchInput[], rounds: number): Promise<Rounds> {
  const closures = indexes.map((index) => engines.closures[index]!);
  let sink = 0;
  const pass = (count: number) => {
    for (let input = 0; input < count; input += 1) {
      const { facts, eventTime } = inputs[input]!;
      for (const closure of closures) sink += closure.evaluateSync(facts, eventTime).rules.length;
    }
  };
  pass(Math.min(WARMUP_INPUTS, inputs.length));
  const result = await timeRounds(rounds, inputs.length, () => pass(inputs.length));
  if (sink < 0) throw new Error('unreachable');
  return result;
}

/** One ruleset's evaluation alone, for the per-ruleset table (a single round: it is only a breakdown). */
function closureUs(engines: Engines, index: number, inputs: readonly BenchInput[]): number {
  const closure = engines.closures[index]!;
  const started = nowMs();
  for (const { facts, eventTime } of inputs) closure.evaluateSync(facts, eventTime);
  return ((nowMs() - started) * 1000) / inputs.length;
}

/** (b), (c): each ruleset over every input, each run awaited before the next; rounds per ruleset. */
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

/** (d): one zen evaluation per input covers both rulesets of its pack. */
async function timeZen(engines: Engines, prepared: PreparedInputs, rounds: number): Promise<Rounds> {
  const { zenInputs } = prepared;
  for (let input = 0; input < Math.min(WARMUP_INPUTS, zenInputs.length); input += 1) await engines.zen.evaluate(zenInputs[input]!);
  return timeRounds(rounds, zenInputs.length, async () => {
    for (const input of zenInputs) await engines.zen.evaluate(input);
  });
}

/** A pack's cost from its rulesets' rounds: round i of the pack is the sum of round i of each. */
function sumOf(perRuleset: Rounds[], indexes: number[]): Rounds {
  const count = perRuleset[indexes[0]!]!.roundsUs.length;
  return summarise(Array.from({ length: count }, (_, round) => indexes.reduce((sum, index) => sum + perRuleset[index]!.roundsUs[round]!, 0)));
}

export function evaluatorTables(results: EvaluatorResults): Table[] {
  const { equality } = results;
  const a4 = results.figures.find((figure) => figure.engine === 'a' && figure.rules === Math.max(...results.figures.map((f) => f.rules)))!;
  const check = (label: string, comparison: EqualityReport['closuresVsReference']) =>
    `${label}: ${comparison.differences} differences in ${comparison.compared.toLocaleString('en-US')} comparisons`;
  return [
    {
      title: `In-process evaluation: ${results.inputs.toLocaleString('en-US')} generated profiles + events, facts computed beforehand (median of ${results.rounds.fast} rounds for (a) and facts, ${results.rounds.slow} for (b), (c), (d))`,
      columns: ['engine', 'pack (rules)', 'µs/decision', 'decisions/s', 'vs (b)', 'vs (d)'],
      rows: results.figures.map((figure) => [
        figure.name,
        `${figure.pack} (${figure.rules})`,
        fmt(figure.usPerDecision, 2),
        fmt(figure.decisionsPerSecond),
        times(figure.ratioVsDefaultEngine),
        times(figure.ratioVsZen),
      ]),
      notes: [
        `facts (buildFactContext + computeFacts, union of the 4 rulesets' facts): ${fmt(results.factsUsPerInput, 2)} µs per input = ${times(results.factsUsPerInput / a4.usPerDecision)} the evaluation of all 4 rulesets by (a)`,
        'a decision = one input through every ruleset of the pack; (b) and (c) are timed per ruleset and summed, each run awaited; (d) is one zen evaluate() per input',
        '(b) is the bare Engine.run(); (a) and (c) also build every explanation and render the messages',
        check('(a) vs (c), whole evaluations as JSON', equality.closuresVsReference),
        check('(a) vs (b), fired rules', equality.closuresVsDefaultEngine),
        check('(a) vs (d), fired tags and alerts', equality.closuresVsZen),
      ],
    },
    {
      title: 'In-process evaluation per ruleset (µs per evaluation)',
      columns: ['ruleset', 'rules', '(a) ours', '(b) jre default', '(c) jre dot-path', '(b)/(a)'],
      rows: Object.entries(results.perRulesetUs).map(([id, us]) => [
        id,
        String(us.rules),
        fmt(us.a, 2),
        fmt(us.b, 1),
        fmt(us.c, 1),
        times(us.b / us.a),
      ]),
    },
  ];
}
