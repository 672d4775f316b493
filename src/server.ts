import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Config } from './config/config.js';
import { createLogger, type Logger } from './logging/logger.js';
import { connectDatabase, type Database } from './db/database.js';
import { startEmbeddedMongo, type EmbeddedMongo } from './db/embedded-mongo.js';
import { createApp } from './http/app.js';
import { healthRoutes } from './http/health-routes.js';
import { ApiKeyStore } from './features/api-keys/api-key-store.js';
import { ApiKeyService } from './features/api-keys/api-key-service.js';
import { apiKeyRoutes } from './features/api-keys/api-key-routes.js';
import { AuditEventStore } from './features/audit/audit-event-store.js';
import { AuditTrail } from './features/audit/audit-trail.js';
import { ProfileStore } from './features/profiles/profile-store.js';
import { ProfileService } from './features/profiles/profile-service.js';
import { profileRoutes } from './features/profiles/profile-routes.js';

export interface RunningServer {
  /** The bound address, e.g. http://127.0.0.1:54321 */
  url: string;
  port: number;
}

export interface Server {
  start(): Promise<RunningServer>;
  stop(): Promise<void>;
  logger: Logger;
}

/**
 * The composition root: config → logger → database → stores → services → app. Nothing is
 * connected or started until start(); stop() undoes it in reverse order.
 */
export function createServer(config: Config, options: { logger?: Logger } = {}): Server {
  const logger = options.logger ?? createLogger(config.logLevel);
  let embedded: EmbeddedMongo | undefined;
  let database: Database | undefined;
  let httpServer: http.Server | undefined;

  async function start(): Promise<RunningServer> {
    let uri = config.mongodbUri;
    if (!uri) {
      embedded = await startEmbeddedMongo(path.join(config.dataDir, 'db'), logger);
      uri = embedded.uri;
    }
    database = await connectDatabase(uri, config.mongodbDb);

    const auditEvents = new AuditEventStore(database.connection);
    const apiKeyStore = new ApiKeyStore(database.connection);
    const profileStore = new ProfileStore(database.connection);
    await Promise.all([auditEvents.init(), apiKeyStore.init(), profileStore.init()]);

    const audit = new AuditTrail(auditEvents);
    const keys = new ApiKeyService(apiKeyStore, audit);
    const profiles = new ProfileService(profileStore, audit);
    if (config.bootstrapAdminKey) await keys.ensureBootstrapKey(config.bootstrapAdminKey);

    const db = database;
    const app = createApp({
      logger,
      authenticator: keys,
      routers: [
        healthRoutes([async () => ((await db.ping()) ? undefined : 'The database does not answer.')]),
        apiKeyRoutes(keys),
        profileRoutes(profiles),
      ],
    });

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

  /** Stops accepting, lets in-flight requests finish (up to the grace period), then closes the database. */
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

  return { start, stop, logger };
}
