import type { ListLookup } from '../../src/engine/list-lookup.js';
import { DEVICES } from '../../tests/helpers/generators.js';
import type { BenchInput } from './bench-inputs.js';
import type { Engines } from './evaluator-engines.js';
import { fmt, type Table } from './table.js';
import { median, nowMs } from './timing.js';

/** The shipped fraud-alerts' blocked-devices at the most a list holds, against the same list empty. */
export interface ListFigure {
  items: number;
  emptyUs: number;
  fullUs: number;
  /** full / empty: 1.00 means the list costs nothing measurable. */
  ratio: number;
  /** Inputs on which DEVICE_BLOCKED fired with the full list (some generated devices are in it). */
  hits: number;
}

const LIST_ITEMS = 100_000;

/**
 * Every shipped ruleset through `compiled` per input, with an empty blocked-devices and with one of
 * 100,000 items, in alternating rounds of the same run (so machine noise falls on both alike).
 */
export function benchLists(engines: Engines, inputs: readonly BenchInput[], rounds: number): ListFigure {
  const full = new Set(Array.from({ length: LIST_ITEMS - 1 }, (_, index) => `bench-device-${index}`));
  full.add(DEVICES[0]!);
  const empty: ListLookup = new Map([['blocked-devices', new Set<string>()]]);
  const loaded: ListLookup = new Map([['blocked-devices', full]]);
  let hits = 0;
  const pass = (lists: ListLookup, count = inputs.length) => {
    const started = nowMs();
    for (let input = 0; input < count; input += 1) {
      const { facts, eventTime } = inputs[input]!;
      for (const ruleset of engines.compiled) {
        const evaluation = ruleset.evaluateSync(facts, eventTime, lists);
        if (lists === loaded && evaluation.rules.some((rule) => rule.fired && rule.rule === 'blocked-device')) hits += 1;
      }
    }
    return ((nowMs() - started) * 1000) / count;
  };
  pass(empty, Math.min(500, inputs.length));
  pass(loaded, Math.min(500, inputs.length));
  hits = 0;
  const [emptyUs, fullUs]: number[][] = [[], []];
  for (let round = 0; round < Math.max(3, rounds); round += 1) {
    emptyUs.push(pass(empty));
    fullUs.push(pass(loaded));
  }
  const figure = { emptyUs: median(emptyUs), fullUs: median(fullUs) };
  return { items: LIST_ITEMS, ...figure, ratio: figure.fullUs / figure.emptyUs, hits: Math.round(hits / fullUs.length) };
}

export function listTable(figure: ListFigure): Table {
  return {
    title: `Lists: every shipped ruleset (compiled) with blocked-devices empty and with ${figure.items.toLocaleString('en-US')} items`,
    columns: ['blocked-devices', 'µs/decision', 'vs empty'],
    rows: [
      ['empty', fmt(figure.emptyUs, 2), '1.00×'],
      [`${figure.items.toLocaleString('en-US')} items`, fmt(figure.fullUs, 2), `${figure.ratio.toFixed(2)}×`],
    ],
    notes: [
      `medians of alternating rounds in one run; DEVICE_BLOCKED fired on ${figure.hits} inputs per round with the full list`,
      'membership is one Set lookup per inList condition: the list size does not enter the time',
    ],
  };
}
