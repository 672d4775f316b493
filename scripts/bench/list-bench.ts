import type { ListLookup } from '../../src/engine/list-lookup.js';
import type { BenchInput } from './bench-inputs.js';
import type { Engines } from './evaluator-engines.js';
import { fmt, type Table } from './table.js';
import { median, nowMs } from './timing.js';

/** The shipped fraud-alerts' blocked-devices at the most a list holds, against the same list empty. */
export interface ListFigure {
  items: number;
  emptyUs: number;
  /** A second empty list timed like the others: how far two identical runs differ here (the noise floor). */
  emptyAgainUs: number;
  fullUs: number;
  /** Median over rounds of full / empty: 1.00 means the list costs nothing measurable. */
  ratio: number;
  /** The same for the second empty list: what "no difference" measures as in this run. */
  noiseRatio: number;
  /** Rules fired per pass, the same with each list (none of its items is a generated device): only the lookup differs. */
  fired: number;
}

const LIST_ITEMS = 100_000;
const ROUNDS = 31;

/**
 * Every shipped ruleset through `compiled` per input, with an empty blocked-devices, a second empty one
 * and one of 100,000 items, in rotating order within each round of the same run, so that load drifting
 * during the run falls on all three alike; each ratio is the median of its rounds' ratios.
 */
export function benchLists(engines: Engines, inputs: readonly BenchInput[]): ListFigure {
  const listOf = (items: number): ListLookup =>
    new Map([['blocked-devices', new Set(Array.from({ length: items }, (_, index) => `bench-device-${index}`))]]);
  const variants = [listOf(0), listOf(0), listOf(LIST_ITEMS)] as const;
  const fired = new Set<number>();
  const pass = (lists: ListLookup, count = inputs.length) => {
    let firedNow = 0;
    const started = nowMs();
    for (let input = 0; input < count; input += 1) {
      const { facts, eventTime } = inputs[input]!;
      for (const ruleset of engines.compiled) {
        for (const rule of ruleset.evaluateSync(facts, eventTime, lists).rules) if (rule.fired) firedNow += 1;
      }
    }
    const us = ((nowMs() - started) * 1000) / count;
    if (count === inputs.length) fired.add(firedNow);
    return us;
  };
  for (const lists of variants) pass(lists, Math.min(500, inputs.length));
  const times: [number[], number[], number[]] = [[], [], []];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let step = 0; step < variants.length; step += 1) {
      const which = (round + step) % variants.length;
      times[which]!.push(pass(variants[which]!));
    }
  }
  if (fired.size !== 1) throw new Error('benchLists: the lists fired different rules');
  const ratioTo = (which: number) => median(times[which]!.map((us, round) => us / times[0][round]!));
  return {
    items: LIST_ITEMS,
    emptyUs: median(times[0]),
    emptyAgainUs: median(times[1]),
    fullUs: median(times[2]),
    ratio: ratioTo(2),
    noiseRatio: ratioTo(1),
    fired: [...fired][0]!,
  };
}

export function listTable(figure: ListFigure): Table {
  return {
    title: `Lists: every shipped ruleset (compiled) with blocked-devices empty and with ${figure.items.toLocaleString('en-US')} items`,
    columns: ['blocked-devices', 'µs/decision', 'vs empty'],
    rows: [
      ['empty', fmt(figure.emptyUs, 2), '1.00×'],
      ['empty, timed again (noise floor)', fmt(figure.emptyAgainUs, 2), `${figure.noiseRatio.toFixed(2)}×`],
      [`${figure.items.toLocaleString('en-US')} items`, fmt(figure.fullUs, 2), `${figure.ratio.toFixed(2)}×`],
    ],
    notes: [
      `medians of ${ROUNDS} rounds, the three in rotating order; vs empty: the median of each round's ratio; ${figure.fired.toLocaleString('en-US')} rules fired per pass with each list (no generated device is in it)`,
      'membership is one Set lookup per inList condition (about 10 ns): a ratio within the noise floor is no measurable cost',
    ],
  };
}
