import os from 'node:os';
import path from 'node:path';
import type { Config } from './config/config.js';
import { createLogger, type Logger } from './logging/logger.js';
import { connectDatabase, type Database } from './db/database.js';
import { lockDataDir, type DataDirLock } from './db/data-dir-lock.js';
import { EmbeddedMongoSupervisor } from './db/embedded-mongo-supervisor.js';
import { createApp } from './http/app.js';
import { listen, type HttpListener } from './http/http-listener.js';
import { createServices, type Services } from './services.js';
import { ServiceMetrics } from './metrics/service-metrics.js';

/** On shutdown, seal up to this close to now: other instances may still be writing. */
const SHUTDOWN_SEAL_LAG_MS = 2000;

export interface RunningServer {
  /** The bound address, e.g. http://127.0.0.1:54321 */
  url: string;
  port: number;
}

export interface Server {
  start(): Promise<RunningServer>;
  stop(): Promise<void>;
  logger: Logger;
  /** This instance's id, as job runs and seals record it. */
  instanceId: string;
  /** For operators and fault tests: the embedded database's process and port while it runs (none with MONGODB_URI). */
  diagnostics: { embeddedDb(): { pid: number; port: number } | undefined };
}

export interface ServerOptions {
  logger?: Logger;
  /**
   * Called when the instance can no longer serve and will not heal by itself (the embedded database
   * cannot be restarted). `npm start` stops and exits non-zero so that a process manager restarts it.
   */
  onFatal?: (error: Error) => void;
}

/**
 * The composition root: config → logger → database → stores → services → app. Nothing is
 * connected or started until start(); stop() undoes it in reverse order.
 */
export function createServer(config: Config, options: ServerOptions = {}): Server {
  const logger = options.logger ?? createLogger(config.logLevel);
  const onFatal = options.onFatal ?? ((error: Error) => logger.error('the instance cannot serve', { message: error.message }));
  const instanceId = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  let lock: DataDirLock | undefined;
  let supervisor: EmbeddedMongoSupervisor | undefined;
  let database: Database | undefined;
  let services: Services | undefined;
  let listener: HttpListener | undefined;
  const metrics = new ServiceMetrics();

  async function start(): Promise<RunningServer> {
    try {
      let uri = config.mongodbUri;
      if (!uri) {
        // Two services on one DATA_DIR would run two databases on one set of SQLite files.
        lock = lockDataDir(config.dataDir);
        supervisor = new EmbeddedMongoSupervisor(path.join(config.dataDir, 'db'), config.embeddedDbSync, logger, {
          onDown: (reason) => database?.availability.markDown(reason),
          onGiveUp: onFatal,
        });
        uri = await supervisor.start();
      }
      database = await connectDatabase(uri, config.mongodbDb, { log: logger, onOutage: () => metrics.database.error('outage') });
      services = await createServices(config, logger, database, instanceId, metrics);
      services.scheduler.start();
      await services.simulationWorker.start();

      const { availability } = database;
      const app = createApp({
        logger,
        authenticator: services.keys,
        standaloneRouters: [services.healthRouter],
        databaseFreeRouters: services.databaseFreeRouters,
        routers: services.routers,
        databaseUnavailable: () => availability.unavailableReason(),
        responseValidation: config.responseValidation,
        metrics,
      });
      listener = await listen(app, { port: config.port, host: config.host, logger });
      logger.info('listening', { port: listener.port, pid: process.pid });
      return { url: `http://127.0.0.1:${listener.port}`, port: listener.port };
    } catch (error) {
      await stop().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Stops accepting, lets in-flight requests finish (up to the grace period), stops the jobs (they
   * checkpoint), seals what was logged, then closes the database and the embedded server.
   */
  async function stop(): Promise<void> {
    if (listener) {
      const draining = listener;
      listener = undefined;
      await draining.drain(config.shutdownGraceMs);
    }
    if (services) {
      const { runtime, lists, scheduler, simulationWorker, sealer, shadows } = services;
      services = undefined;
      runtime.stop();
      lists.stop();
      await shadows.stop();
      await Promise.all([scheduler.stop(), simulationWorker.stop()]);
      await sealer.sealDue(new Date(), Math.min(SHUTDOWN_SEAL_LAG_MS, config.sealLagMs)).catch((error: Error) => {
        logger.warn('sealing on shutdown failed', { message: error.message });
      });
    }
    if (database) {
      await database.close();
      database = undefined;
    }
    if (supervisor) {
      await supervisor.stop();
      supervisor = undefined;
    }
    if (lock) {
      lock.release();
      lock = undefined;
    }
    logger.info('stopped');
  }

  return { start, stop, logger, instanceId, diagnostics: { embeddedDb: () => supervisor?.running() } };
}
