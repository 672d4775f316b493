import { openApiDocument, openApiRoutes } from '../../src/http/openapi.js';
import { healthRoutes } from '../../src/http/health-routes.js';
import { consoleRoutes } from '../../src/http/console-routes.js';
import { metricsRoutes } from '../../src/http/metrics-routes.js';
import { factRoutes } from '../../src/features/facts/fact-routes.js';
import { apiKeyRoutes } from '../../src/features/api-keys/api-key-routes.js';
import { meRoutes } from '../../src/features/api-keys/me-routes.js';
import { profileRoutes } from '../../src/features/profiles/profile-routes.js';
import { rulesetRoutes } from '../../src/features/rulesets/ruleset-routes.js';
import { rulesetHistoryRoutes } from '../../src/features/rulesets/ruleset-history-routes.js';
import { decisionRoutes } from '../../src/features/decisions/decision-routes.js';
import { auditRoutes } from '../../src/features/audit/audit-routes.js';
import { erasureRoutes } from '../../src/features/erasure/erasure-routes.js';
import { logVerificationRoutes } from '../../src/features/decisions/log-verification-routes.js';
import { simulationRoutes } from '../../src/features/simulation/simulation-routes.js';
import { reportRoutes } from '../../src/features/reports/report-routes.js';
import { jobRoutes } from '../../src/jobs/job-routes.js';
import { retagChangeRoutes } from '../../src/jobs/retag-change-routes.js';
import { listRoutes } from '../../src/features/lists/list-routes.js';
import { shadowRoutes } from '../../src/features/shadow/shadow-routes.js';
import { snoozeRoutes } from '../../src/features/snoozes/snooze-routes.js';
import { reviewRoutes } from '../../src/features/reviews/review-routes.js';
import type { OpenApiDocument } from './api-markdown.js';

/**
 * Routers only keep their dependencies for their handlers, which never run here: creating them with
 * none fills the route registry, so the document needs no database. A router the service serves but
 * this list misses is caught by a test that compares this document with the served /openapi.json.
 */
const none = undefined as never;

/** The service's OpenAPI document, built in this process from the route specs alone. */
export function routeDocument(): OpenApiDocument {
  healthRoutes([]);
  openApiRoutes();
  consoleRoutes();
  factRoutes();
  metricsRoutes(none, { isPublic: false });
  apiKeyRoutes(none);
  meRoutes();
  profileRoutes(none);
  erasureRoutes(none);
  rulesetRoutes(none, none, none, none);
  rulesetHistoryRoutes(none, none);
  shadowRoutes(none);
  decisionRoutes(none, none, none, none);
  auditRoutes(none);
  logVerificationRoutes(none, none);
  simulationRoutes(none);
  reportRoutes(none);
  jobRoutes(none, none);
  listRoutes(none);
  retagChangeRoutes(none, none);
  snoozeRoutes(none);
  reviewRoutes(none, none);
  return openApiDocument() as OpenApiDocument;
}
