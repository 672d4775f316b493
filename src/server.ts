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
import { factRoutes } from './features/facts/fact-routes.js';
import { RulesetStore } from './features/rulesets/ruleset-store.js';
import { RulesetService } from './features/rulesets/ruleset-service.js';
import { RulesetPublisher } from './features/rulesets/ruleset-publisher.js';
import { RulesetRuntime } from './features/rulesets/ruleset-runtime.js';
import { rulesetRoutes } from './features/rulesets/ruleset-routes.js';
import { installShippedRulesets } from './features/rulesets/shipped-rulesets.js';
import { DecisionLogStore } from './features/decisions/decision-log-store.js';
import { SealStore } from './features/decisions/seal-store.js';
import { DecisionLogWriter } from './features/decisions/decision-log-writer.js';
import { DecisionSealer, SEAL_LAG_MS } from './features/decisions/decision-sealer.js';
import { LogVerifier } from './features/decisions/log-verifier.js';
import { ProfileTagger } from './features/decisions/profile-tagger.js';
import { DecideUseCase } from './features/decisions/decide.js';
import { ReplayUseCase } from './features/decisions/replay.js';
import { decisionRoutes } from './features/decisions/decision-routes.js';
import { auditRoutes } from './features/audit/audit-routes.js';
import { Scheduler } from './jobs/scheduler.js';
import { engineInfo } from './features/rules/engine-info.js';
import os from 'node:os';

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
  let runtime: RulesetRuntime | undefined;
  let scheduler: Scheduler | undefined;
  let sealer: DecisionSealer | undefined;
  const instanceId = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

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
    const rulesetStore = new RulesetStore(database.connection);
    const decisionLog = new DecisionLogStore(database.connection);
    const sealStore = new SealStore(database.connection);
    await Promise.all([auditEvents.init(), apiKeyStore.init(), profileStore.init(), rulesetStore.init(), decisionLog.init(), sealStore.init()]);

    const audit = new AuditTrail(auditEvents);
    const keys = new ApiKeyService(apiKeyStore, audit);
    const profiles = new ProfileService(profileStore, audit);
    if (config.bootstrapAdminKey) await keys.ensureBootstrapKey(config.bootstrapAdminKey);

    const rulesetRuntime = new RulesetRuntime(rulesetStore, logger, config.rulesetPollMs);
    runtime = rulesetRuntime;
    const rulesets = new RulesetService(rulesetStore, audit, config.outcome);
    const publisher = new RulesetPublisher(rulesetStore, rulesets, audit, {
      fourEyes: config.fourEyes,
      onActivated: () => rulesetRuntime.refresh(),
    });
    await installShippedRulesets(config.rulesetsDir, { store: rulesetStore, rulesets, publisher, logger });
    await rulesetRuntime.start();

    const decide = new DecideUseCase({
      profiles: profileStore,
      runtime: rulesetRuntime,
      log: decisionLog,
      writer: new DecisionLogWriter(decisionLog),
      tagger: new ProfileTagger(profileStore, logger),
      thresholds: config.outcome,
      timeoutMs: config.decisionTimeoutMs,
      engine: engineInfo(),
    });
    const replay = new ReplayUseCase(decisionLog, rulesetRuntime, config.outcome);
    const verifier = new LogVerifier(decisionLog, sealStore);
    profiles.onErase(async (profileId, caller) => ({
      maskedDecisions: await decisionLog.maskProfile(profileId, {
        at: new Date().toISOString(),
        by: caller.keyId,
        fields: ['profileId', 'request', 'facts', 'explanations', 'messages'],
      }),
    }));
    sealer = new DecisionSealer(decisionLog, sealStore, instanceId);
    const decisionSealer = sealer;
    scheduler = new Scheduler(logger);
    scheduler.add('seal-decisions', '* * * * *', () => decisionSealer.sealDue());
    scheduler.start();

    const db = database;
    const app = createApp({
      logger,
      authenticator: keys,
      routers: [
        healthRoutes([
          async () => ((await db.ping()) ? undefined : 'The database does not answer.'),
          async () => (rulesetRuntime.isLoaded() ? undefined : 'Active rulesets are not loaded yet.'),
        ]),
        apiKeyRoutes(keys),
        profileRoutes(profiles),
        factRoutes(),
        rulesetRoutes(rulesets, publisher, rulesetStore, rulesetRuntime),
        decisionRoutes(decide, decisionLog, replay),
        auditRoutes(auditEvents, verifier),
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
    runtime?.stop();
    await scheduler?.stop();
    if (httpServer) {
      const server = httpServer;
      httpServer = undefined;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
    }
    if (sealer) {
      // Seal what this instance logged before it goes (a short lag for other instances' in-flight writes).
      await sealer.sealDue(new Date(Date.now() + SEAL_LAG_MS - SHUTDOWN_SEAL_LAG_MS)).catch((error: Error) => {
        logger.warn('sealing on shutdown failed', { message: error.message });
      });
      sealer = undefined;
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
