import fs from 'node:fs';
import path from 'node:path';
import { fmt, percent, type Table } from '../table.js';

/**
 * Where a process's CPU went, from the `.cpuprofile` files `node --cpu-prof` wrote: self time by
 * area (a package, a folder of ours, Node's internals, GC) and by function, as shares of busy time.
 */
export interface CpuProfileSummary {
  busyMs: number;
  idleMs: number;
  areas: { area: string; ms: number; share: number }[];
  functions: { name: string; area: string; ms: number; share: number }[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const TOP = 15;

export function summariseCpuProfiles(dir: string): CpuProfileSummary | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const files = fs.readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length === 0) return undefined;
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, { area: string; us: number }>();
  let idleUs = 0;
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, index) => {
      const us = profile.timeDeltas[index] ?? 0;
      const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
      if (functionName === '(idle)') {
        idleUs += us;
        return;
      }
      const area = areaOf(functionName, url);
      byArea.set(area, (byArea.get(area) ?? 0) + us);
      const name = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
      const entry = byFunction.get(name) ?? { area, us: 0 };
      entry.us += us;
      byFunction.set(name, entry);
    });
  }
  const busyUs = [...byArea.values()].reduce((sum, us) => sum + us, 0);
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    areas: [...byArea.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([area, us]) => ({ area, ms: us / 1000, share: us / busyUs })),
    functions: [...byFunction.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, TOP)
      .map(([name, { area, us }]) => ({ name, area, ms: us / 1000, share: us / busyUs })),
  };
}

/** `node_modules/mongodb/…` → `mongodb`; `build/src/features/decisions/…` → `src/features/decisions`. */
function areaOf(functionName: string, url: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const ours = /build\/((?:src|scripts)\/(?:features\/[^/]+|[^/]+))/.exec(url);
  return ours ? ours[1]!.replace(/\.js$/, '') : 'other';
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const build = url.lastIndexOf('/build/');
  return build >= 0 ? url.slice(build + '/build/'.length) : url.replace(/^file:\/\//, '');
}

export function cpuProfileTables(label: string, summary: CpuProfileSummary): Table[] {
  const ms = (value: number) => fmt(value, 0);
  return [
    {
      title: `CPU profile of ${label}: self time by area (${ms(summary.busyMs)} ms busy, ${ms(summary.idleMs)} ms idle)`,
      columns: ['area', 'ms', 'share of busy'],
      rows: summary.areas.map(({ area, ms: value, share }) => [area, ms(value), percent(share)]),
    },
    {
      title: `CPU profile of ${label}: hottest functions (self time)`,
      columns: ['function', 'area', 'ms', 'share of busy'],
      rows: summary.functions.map(({ name, area, ms: value, share }) => [name, area, ms(value), percent(share)]),
    },
  ];
}
