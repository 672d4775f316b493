import express, { type Express, type Router } from 'express';
import type { Logger } from '../logging/logger.js';
import { accessLog, authenticate, requestId, type Authenticator } from './middleware.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { openApiRoutes } from './openapi.js';

export interface AppDeps {
  logger: Logger;
  authenticator: Authenticator;
  routers: Router[];
}

/** Builds the Express app. It never listens by itself: the server (or a test) decides where. */
export function createApp({ logger, authenticator, routers }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId());
  app.use(accessLog(logger));
  app.use(authenticate(authenticator));
  for (const router of routers) app.use(router);
  app.use(openApiRoutes());
  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
