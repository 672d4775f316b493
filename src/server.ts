import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/config.js';
import { createLogger, type Logger } from './logging/logger.js';
import { connectDatabase, type Database } from './db/database.js';
import { startEmbeddedMongo, type EmbeddedMongo } from './db/embedded-mongo.js';
import { createApp } from './http/app.js';
import { createServices, type Services } from './services.js';

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
}

/**
 * The composition root: config → logger → database → stores → services → app. Nothing is
 * connected or started until start(); stop() undoes it in reverse order.
 */
export function createServer(config: Config, options: { logger?: Logger } = {}): Server {
  const logger = options.logger ?? createLogger(config.logLevel);
  const instanceId = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  let embedded: EmbeddedMongo | undefined;
  let database: Database | undefined;
  let services: Services | undefined;
  let httpServer: http.Server | undefined;

  async function start(): Promise<RunningServer> {
    let uri = config.mongodbUri;
    if (!uri) {
      embedded = await startEmbeddedMongo(path.join(config.dataDir, 'db'), logger, { sync: config.embeddedDbSync });
      uri = embedded.uri;
    }
    database = await connectDatabase(uri, config.mongodbDb);
    services = await createServices(config, logger, database, instanceId);
    services.scheduler.start();

    const app = createApp({ logger, authenticator: services.keys, routers: services.routers });
    httpServer = http.createServer(app);
    httpServer.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      httpServer!.once('error', reject);
      httpServer!.listen(config.port, config.host, () => resolve());
    });
    const { port } = httpServer.address() as AddressInfo;
    logger.info('listening', { port });
    return { url: `http://127.0.0.1:${port}`, port };
  }

  /**
   * Stops accepting, lets in-flight requests finish (up to the grace period), stops the jobs (they
   * checkpoint), seals what was logged, then closes the database and the embedded server.
   */
  async function stop(): Promise<void> {
    if (httpServer) {
      const server = httpServer;
      httpServer = undefined;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
    }
    if (services) {
      const { runtime, scheduler, sealer } = services;
      services = undefined;
      runtime.stop();
      await scheduler.stop();
      await sealer.sealDue(new Date(), Math.min(SHUTDOWN_SEAL_LAG_MS, config.sealLagMs)).catch((error: Error) => {
        logger.warn('sealing on shutdown failed', { message: error.message });
      });
    }
    if (database) {
      await database.close();
      database = undefined;
    }
    if (embedded) {
      await embedded.stop();
      embedded = undefined;
    }
    logger.info('stopped');
  }

  return { start, stop, logger, instanceId };
}
