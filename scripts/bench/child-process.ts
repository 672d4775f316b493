import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { sleep } from './timing.js';

/** A Node process the benchmark started (the service or the hello-world) and how to stop it. */
export interface RunningChild {
  url: string;
  pid: number;
  /** The last lines it wrote (stdout and stderr), for diagnostics. */
  output(): string[];
  /** SIGTERM, then SIGKILL after the grace period (default 20 s). */
  stop(graceMs?: number): Promise<void>;
}

const KEPT_LINES = 200;
const children = new Set<ChildProcess>();

/** Stops every child still running (on Ctrl-C or a failure), so that none outlives the benchmark. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child, 5000)));
}

/** A port free right now on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node [nodeArgs] script` on a free port (PORT/HOST set) and resolves once `readyPath` answers
 * 200. The child inherits our environment plus `env`; its output is kept, not printed.
 */
export async function startNodeChild(
  script: string,
  env: Record<string, string>,
  options: { readyPath: string; nodeArgs?: string[]; timeoutMs?: number },
): Promise<RunningChild> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const running: RunningChild = { url, pid: child.pid!, output: () => [...lines], stop: (graceMs) => stopChild(child, graceMs) };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `bench: ${script} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${lines.slice(-20).join('\n')}`,
      );
    }
    const status = await fetch(`${url}${options.readyPath}`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return running;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`bench: ${script} not ready after ${options.timeoutMs ?? 120_000} ms:\n${lines.slice(-20).join('\n')}`);
    }
    await sleep(100);
  }
}

function stopChild(child: ChildProcess, graceMs = 20_000): Promise<void> {
  // (A SIGKILLed service leaves nothing behind that matters here: each section's database is its own.)
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// ---- CPU time per process, to show where the cores went during a run ----

/** User + system CPU seconds a process has used so far (Linux /proc); undefined elsewhere. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Processes whose parent is `parent` (default: us) and whose command line contains `needle` (e.g. the embedded database). */
export function childPidsMatching(needle: string, parentPid = process.pid): number[] {
  try {
    return fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
      .filter((pid) => {
        try {
          const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
          const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          return parent === parentPid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

/** CPU seconds used by each named process between `start()` and `stop()`. */
export function cpuMeter(
  pids: Record<string, number | undefined>,
  selfLabel = 'load generator (this process)',
): { stop(): Record<string, number | undefined> } {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid === undefined ? undefined : cpuSeconds(pid)]));
  const self = process.cpuUsage();
  return {
    stop() {
      const used: Record<string, number | undefined> = {};
      for (const [name, pid] of Object.entries(pids)) {
        const now = pid === undefined ? undefined : cpuSeconds(pid);
        used[name] = now === undefined || before[name] === undefined ? undefined : now - before[name]!;
      }
      const mine = process.cpuUsage(self);
      used[selfLabel] = (mine.user + mine.system) / 1e6;
      return used;
    },
  };
}
