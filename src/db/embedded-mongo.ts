import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../config/repo-root.js';
import type { EmbeddedDbSync } from '../config/config.js';

const execFileAsync = promisify(execFile);

const SOURCE_DIR = path.join(REPO_ROOT, 'tools', 'embedded-mongo');

interface Log {
  info(message: string, meta?: object): unknown;
}

/** A running embedded FerretDB: its connection string, its process, and how to stop it. */
export interface EmbeddedMongo {
  uri: string;
  port: number;
  pid: number;
  /** Settles when the process exits, whoever stopped it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** The cached binary's path, keyed by a hash of its sources so that a change rebuilds it. */
export function embeddedMongoBinaryPath(): string {
  const hash = createHash('sha256');
  const sources = fs
    .readdirSync(SOURCE_DIR)
    .filter((file) => /^go\.(mod|sum)$|\.go$/.test(file))
    .sort();
  for (const file of sources) hash.update(file).update(fs.readFileSync(path.join(SOURCE_DIR, file)));
  return path.join(REPO_ROOT, '.cache', 'embedded-mongo', hash.digest('hex').slice(0, 16), 'embedded-mongo');
}

/**
 * Builds the embedded database launcher unless the binary for the current sources is cached.
 * Builds verify modules against the committed go.sum alone, so no checksum database is needed.
 */
export async function ensureEmbeddedMongoBuilt(log: Log): Promise<string> {
  const binary = embeddedMongoBinaryPath();
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  log.info('building the embedded database (FerretDB); the first build takes a minute or two');
  const started = Date.now();
  try {
    await execFileAsync('go', ['build', '-trimpath', '-o', partial, '.'], {
      cwd: SOURCE_DIR,
      env: { ...process.env, GOSUMDB: 'off', GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`embeddedMongo: go build failed (is Go installed?): ${stderr || String(error)}`);
  }
  fs.renameSync(partial, binary);
  log.info('embedded database built', { seconds: Math.round((Date.now() - started) / 1000) });
  return binary;
}

export interface EmbeddedMongoOptions {
  /** SQLite `synchronous`: `normal` syncs at WAL checkpoints, `full` on every commit. */
  sync?: EmbeddedDbSync;
  /** Loopback port to listen on; 0 (default) picks a free one. A restart passes the first one's. */
  port?: number;
  timeoutMs?: number;
}

/**
 * Starts FerretDB on its SQLite backend with its files under `dataDir`, on a loopback port, and
 * resolves once it accepts connections. The child exits when we stop it or when we die (its stdin
 * closes). It runs in a process group of its own, so that a terminal's Ctrl-C reaches only the
 * service, which stops the database itself after the requests in flight.
 */
export async function startEmbeddedMongo(
  dataDir: string,
  log: Log,
  { sync = 'normal', port = 0, timeoutMs = 60_000 }: EmbeddedMongoOptions = {},
): Promise<EmbeddedMongo> {
  const binary = await ensureEmbeddedMongoBuilt(log);
  fs.mkdirSync(dataDir, { recursive: true });
  const child = spawn(binary, ['-data-dir', dataDir, '-synchronous', sync, '-port', String(port), '-exit-on-stdin-eof'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: true,
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const uri = await waitForReady(child, timeoutMs);
  const boundPort = Number(new URL(uri).port);
  log.info('embedded database ready', { pid: child.pid, port: boundPort });
  return { uri, port: boundPort, pid: child.pid!, exited, stop: () => stopChild(child) };
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embeddedMongo: not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    lines.on('line', (line) => {
      const match = /^READY (\S+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1]!);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embeddedMongo: exited with code ${code} before it was ready`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
