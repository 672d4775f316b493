import fs from 'node:fs';
import path from 'node:path';
import type { Machine } from './machine.js';
import { markdownTable, type Table } from './table.js';

/**
 * The run's figures as JSON (scripts/bench/results.json, overwritten each run) and its tables as
 * Markdown (results.md beside it), ready to be summarised in the README with the machine and date.
 * Both are written next to the sources, not into build/, so they can be committed.
 */
export function writeResults(
  sourceDir: string,
  machine: Machine,
  results: Record<string, unknown>,
  tables: Table[],
): { json: string; markdown: string } {
  fs.mkdirSync(sourceDir, { recursive: true });
  const json = path.join(sourceDir, 'results.json');
  const markdown = path.join(sourceDir, 'results.md');
  fs.writeFileSync(json, `${JSON.stringify({ machine, ...results }, null, 2)}\n`);
  const header = [
    '# Benchmark results (`npm run bench`)',
    '',
    `${machine.date} on ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node} (1-minute load average at start: ${machine.loadAverage1m}).`,
    'Absolute figures belong to this machine; the ratios, measured in the same run, are what travel.',
    '',
  ];
  fs.writeFileSync(markdown, `${[...header, ...tables.map(markdownTable)].join('\n')}\n`);
  return { json, markdown };
}
