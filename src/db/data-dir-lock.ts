import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `DataDirLock: DATA_DIR ${dataDir} is in use by another running service (pid ${ownerPid}): ` +
        `two services must not write one embedded database. Stop that service or choose another DATA_DIR ` +
        `(if no such service runs, delete ${lockPath(dataDir)}).`,
    );
    this.name = 'DataDirLockedError';
  }
}

const LOCK_FILE = 'service.lock';
const lockPath = (dataDir: string): string => path.join(dataDir, LOCK_FILE);

/** A held lock on a data directory; release() removes it if it is still ours. */
export interface DataDirLock {
  release(): void;
}

/**
 * Claims `dataDir` for this process: a lock file holding our pid, created only if none exists. A
 * lock whose pid no longer runs is stale (its owner crashed) and is taken over: it is moved aside
 * before a new one is created, so two services starting at once cannot both win.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  // Written whole under a name of our own, then linked into place: the lock appears with its pid.
  const ours = `${file}.${process.pid}`;
  fs.writeFileSync(ours, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        fs.linkSync(ours, file);
        return { release: () => releaseIfOurs(file) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readPid(file);
      if (owner !== undefined && isRunning(owner)) throw new DataDirLockedError(dataDir, owner);
      takeOverStale(file, owner, dataDir);
    }
    throw new Error(`DataDirLock: could not lock DATA_DIR ${dataDir}: it keeps changing hands`);
  } finally {
    fs.rmSync(ours, { force: true });
  }
}

/** Moves a stale lock aside; if what was moved turns out to be a live owner's new lock, puts it back and refuses. */
function takeOverStale(file: string, stalePid: number | undefined, dataDir: string): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readPid(aside);
  if (moved !== stalePid && moved !== undefined && isRunning(moved)) {
    try {
      fs.linkSync(aside, file);
    } finally {
      fs.rmSync(aside, { force: true });
    }
    throw new DataDirLockedError(dataDir, moved);
  }
  fs.rmSync(aside, { force: true });
}

function releaseIfOurs(file: string): void {
  if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
