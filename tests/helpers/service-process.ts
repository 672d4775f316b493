import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { CHECKED_RESPONSES } from './test-app.js';

type LogLine = Record<string, unknown> & { message?: string };

/** The service started as a user starts it (a real process), with its JSON log lines readable by tests. */
export interface ServiceProcess {
  child: ChildProcess;
  lines: LogLine[];
  /** Resolves with the first log line (seen or to come) that matches, or rejects after timeoutMs. */
  waitForLog(matches: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `command` in the repository with `env` on top of a clean environment (the test run's own
 * MONGODB_URI is not inherited unless given), in a process group of its own so that a test can
 * check that nothing it started is left behind.
 */
export function spawnService(command: string, args: string[], env: Record<string, string | undefined>): ServiceProcess {
  const { MONGODB_URI: _ignored, ...inherited } = process.env;
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...inherited, ...CHECKED_RESPONSES, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: LogLine[] = [];
  const waiters: { matches: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  const onLine = (text: string) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { message: text };
    }
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.matches(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  readline.createInterface({ input: child.stdout! }).on('line', onLine);
  readline.createInterface({ input: child.stderr! }).on('line', onLine);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const waitForLog = (matches: (line: LogLine) => boolean, timeoutMs: number) => {
    const seen = lines.find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      const timer = setTimeout(() => {
        const tail = lines
          .slice(-10)
          .map((line) => JSON.stringify(line))
          .join('\n');
        reject(new Error(`no matching log line within ${timeoutMs} ms; last lines:\n${tail}`));
      }, timeoutMs);
      waiters.push({
        matches,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  };
  return { child, lines, waitForLog, exited };
}

/** True while a process with this id exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until none of the processes runs (a process group is given as -pgid), up to timeoutMs. */
export async function waitUntilGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let running = pids.filter(isRunning);
  while (running.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    running = running.filter(isRunning);
  }
  return running;
}

/** Kills whatever a test started and left running (only on failure paths). */
/** Holds a service and everything it started (SIGSTOP: nothing in it runs, timers included) or lets it go on (SIGCONT). */
export function holdGroup(service: ServiceProcess, held: boolean): void {
  process.kill(-service.child.pid!, held ? 'SIGSTOP' : 'SIGCONT');
}

export function killGroup(service: ServiceProcess): void {
  try {
    process.kill(-service.child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}
