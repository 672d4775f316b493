import os from 'node:os';

/** What the figures were measured on: ratios travel between machines, absolute numbers do not. */
export interface Machine {
  os: string;
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  date: string;
  /** 1-minute load average when the run started: a busy shared machine skews every figure. */
  loadAverage1m: number;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}
