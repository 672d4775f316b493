import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../../src/config/repo-root.js';
import { fmt, percent, type Table } from '../table.js';

/** Database commands the service sent, by command and collection (from command-timing-preload.ts). */
export interface CommandTiming {
  command: string;
  count: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
  failed: number;
}

/** Node arguments and environment that make a service child record its database commands into `file`. */
export function commandTimingArgs(file: string): { nodeArgs: string[]; env: Record<string, string> } {
  return {
    nodeArgs: ['--require', path.join(REPO_ROOT, 'build', 'scripts', 'bench', 'diagnostics', 'command-timing-preload.js')],
    env: { BENCH_COMMAND_TIMING_FILE: file },
  };
}

export function readCommandTimings(file: string): CommandTiming[] | undefined {
  if (!fs.existsSync(file)) return undefined;
  const totals = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
    string,
    { count: number; totalMs: number; maxMs: number; failed: number }
  >;
  return Object.entries(totals)
    .map(([command, { count, totalMs, maxMs, failed }]) => ({ command, count, totalMs, meanMs: totalMs / count, maxMs, failed }))
    .sort((a, b) => b.totalMs - a.totalMs);
}

export function commandTimingTable(label: string, timings: CommandTiming[]): Table {
  const all = timings.reduce((sum, timing) => sum + timing.totalMs, 0);
  return {
    title: `Database commands sent by ${label} (driver command monitoring; time is summed over concurrent commands)`,
    columns: ['command collection', 'count', 'total ms', 'share', 'mean ms', 'max ms', 'failed'],
    rows: timings
      .slice(0, 15)
      .map((timing) => [
        timing.command,
        String(timing.count),
        fmt(timing.totalMs, 0),
        percent(timing.totalMs / all),
        fmt(timing.meanMs, 2),
        fmt(timing.maxMs, 0),
        String(timing.failed),
      ]),
  };
}
