import path from 'node:path';
import type { Table } from '../table.js';
import { commandTimingArgs, commandTimingTable, readCommandTimings, type CommandTiming } from './command-timing.js';
import { cpuProfileTables, summariseCpuProfiles, type CpuProfileSummary } from './cpu-profile-summary.js';

/** Where the service's time went (BENCH_CPU_PROFILE=1): it explains the figures, it is not one of them. */
export interface ServiceProfile {
  cpuProfile?: CpuProfileSummary;
  /** Database commands the service sent over its whole life. */
  commands?: CommandTiming[];
}

/**
 * How to start the service so that it records a CPU profile (`node --cpu-prof`) and its database
 * commands into `workDir`, and how to read both once it has exited (a profile is written at exit).
 */
export function serviceProfiling(workDir: string): { nodeArgs: string[]; env: Record<string, string>; collect(): ServiceProfile } {
  const profileDir = path.join(workDir, 'cpu-profiles');
  const commandsFile = path.join(workDir, 'commands.json');
  const commandTiming = commandTimingArgs(commandsFile);
  return {
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...commandTiming.nodeArgs],
    env: commandTiming.env,
    collect: () => {
      const cpuProfile = summariseCpuProfiles(profileDir);
      const commands = readCommandTimings(commandsFile);
      return { ...(cpuProfile && { cpuProfile }), ...(commands && { commands }) };
    },
  };
}

export function serviceProfileTables(label: string, profile: ServiceProfile): Table[] {
  return [
    ...(profile.cpuProfile ? cpuProfileTables(label, profile.cpuProfile) : []),
    ...(profile.commands ? [commandTimingTable(label, profile.commands)] : []),
  ];
}
