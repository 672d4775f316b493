import type { EmbeddedDbSync } from '../config/config.js';
import { startEmbeddedMongo, type EmbeddedMongo } from './embedded-mongo.js';

interface Log {
  info(message: string, meta?: object): unknown;
  warn(message: string, meta?: object): unknown;
  error(message: string, meta?: object): unknown;
}

export interface SupervisorEvents {
  /** The database process died (and how its restart goes): operations must fail fast until it answers again. */
  onDown(reason: string): void;
  /** Six restarts in a row did not bring back a database that stays up: the instance should exit. */
  onGiveUp(error: Error): void;
}

/** Delays before consecutive restarts: 0.1 s doubling up to 2 s, six in all (~5 s of waiting). */
const RESTART_DELAYS_MS = [100, 200, 400, 800, 1600, 2000];
/** A database that ran this long before dying starts a new series of restarts; a shorter run counts against it. */
const STABLE_AFTER_MS = 30_000;
/** The binary is built by the first start; a restart only has to open the SQLite files. */
const RESTART_READY_TIMEOUT_MS = 15_000;

/**
 * Keeps the embedded FerretDB running: when its process dies for any reason but our own stop, it
 * is restarted on the same port (so the driver reconnects to the URI it already has) with the same
 * files, after a short backoff, and every step is logged. SQLite's WAL keeps every acknowledged write
 * through a crash of the process, so nothing acknowledged is lost.
 */
export class EmbeddedMongoSupervisor {
  private current: EmbeddedMongo | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Restarts since the database last ran for STABLE_AFTER_MS. */
  private attempts = 0;
  private startedAt = 0;

  constructor(
    private readonly dataDir: string,
    private readonly sync: EmbeddedDbSync,
    private readonly log: Log,
    private readonly events: SupervisorEvents,
  ) {}

  /** Starts the database the first time; a failure here is the caller's (nothing to restart yet). */
  async start(): Promise<string> {
    const mongo = await startEmbeddedMongo(this.dataDir, this.log, { sync: this.sync });
    this.watch(mongo);
    return mongo.uri;
  }

  /** Diagnostics: the running database process and its port (fault tests kill it to prove recovery). */
  running(): { pid: number; port: number } | undefined {
    return this.current && { pid: this.current.pid, port: this.current.port };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.current?.stop();
    this.current = undefined;
  }

  private watch(mongo: EmbeddedMongo): void {
    this.current = mongo;
    this.startedAt = Date.now();
    void mongo.exited.then(({ code, signal }) => {
      if (this.stopping || this.current !== mongo) return;
      this.current = undefined;
      if (Date.now() - this.startedAt >= STABLE_AFTER_MS) this.attempts = 0;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.log.warn('embedded database process died; restarting it', { pid: mongo.pid, code, signal });
      this.scheduleRestart(mongo.port, `the embedded database process ${how}`);
    });
  }

  private scheduleRestart(port: number, cause: string): void {
    if (this.attempts >= RESTART_DELAYS_MS.length) {
      const error = new Error(
        `EmbeddedMongoSupervisor: the embedded database could not be kept running after ${this.attempts} restarts (${cause})`,
      );
      this.log.error('embedded database cannot be restarted; giving up', { attempts: this.attempts });
      this.events.onDown(error.message);
      this.events.onGiveUp(error);
      return;
    }
    const delayMs = RESTART_DELAYS_MS[this.attempts]!;
    this.attempts += 1;
    const attempt = this.attempts;
    this.events.onDown(`${cause}; restart ${attempt} of at most ${RESTART_DELAYS_MS.length} is under way`);
    this.restartTimer = setTimeout(() => void this.restart(port, attempt), delayMs);
  }

  private async restart(port: number, attempt: number): Promise<void> {
    if (this.stopping) return;
    this.log.info('restarting the embedded database', { attempt, port });
    try {
      const mongo = await startEmbeddedMongo(this.dataDir, this.log, { sync: this.sync, port, timeoutMs: RESTART_READY_TIMEOUT_MS });
      if (this.stopping) {
        await mongo.stop();
        return;
      }
      this.log.info('embedded database restarted', { attempt, pid: mongo.pid });
      this.watch(mongo);
    } catch (error) {
      this.log.warn('embedded database restart failed', { attempt, message: (error as Error).message });
      this.scheduleRestart(port, `restart attempt ${attempt} failed: ${(error as Error).message}`);
    }
  }
}
