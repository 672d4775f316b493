import express, { type Express, type Router } from 'express';
import type { Logger } from '../logging/logger.js';
import { accessLog, authenticate, refuseWhileDatabaseDown, reportResponseProblems, requestId, type Authenticator } from './middleware.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { openApiRoutes } from './openapi.js';
import { consoleRoutes } from './console-routes.js';
import { requireHostHeader } from './protocol-refusals.js';

export interface AppDeps {
  logger: Logger;
  authenticator: Authenticator;
  /** Routes that need no database (health probes): served even while it is down. */
  standaloneRouters: Router[];
  /** Routes that need a caller but not the database: a key validated earlier still reaches them while it is down. */
  databaseFreeRouters: Router[];
  routers: Router[];
  /** Why the database is known to be down, if it is: every other route answers 503 at once then. */
  databaseUnavailable: () => string | undefined;
  /** Check every route's answers against its declared responses (RESPONSE_VALIDATION; tests). */
  responseValidation?: boolean;
  /** Counts requests that failed on a database error. */
  metrics?: ServiceMetrics;
}

/** Builds the Express app. It never listens by itself: the server (or a test) decides where. */
export function createApp({
  logger,
  authenticator,
  standaloneRouters,
  databaseFreeRouters,
  routers,
  databaseUnavailable,
  responseValidation = false,
  metrics,
}: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId());
  if (responseValidation) app.use(reportResponseProblems(logger));
  app.use(accessLog(logger));
  app.use(requireHostHeader());
  // The console's static files need neither a key nor the database.
  app.use(consoleRoutes());
  for (const router of standaloneRouters) app.use(router);
  app.use(openApiRoutes());
  // While the database is known to be down, keys are checked against the cache only (an unknown key
  // gets 503 at once), routes that read nothing from it still answer, and every other route is a 503.
  app.use(authenticate(authenticator));
  for (const router of databaseFreeRouters) app.use(router);
  app.use(refuseWhileDatabaseDown(databaseUnavailable));
  for (const router of routers) app.use(router);
  app.use(notFoundHandler());
  app.use(errorHandler(logger, metrics?.database));
  return app;
}
