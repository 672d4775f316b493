import { Router } from 'express';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { route } from './route.js';

/**
 * GET /metrics: the instance's metrics in Prometheus' text format. It reads nothing from the database,
 * so it answers during an outage too. By default it needs an admin key (a scrape config can carry one
 * as a bearer token); METRICS_PUBLIC=true serves it without a key, for a scraper on a private network.
 * It holds no personal data either way: labels are outcomes, ruleset ids, job names and statuses.
 */
export function metricsRoutes(metrics: ServiceMetrics, { isPublic }: { isPublic: boolean }): Router {
  const router = Router();
  route(
    router,
    {
      method: 'get',
      path: '/metrics',
      summary:
        'Metrics in Prometheus text format (an admin key, or none with METRICS_PUBLIC=true): decisions, admission, log writer, caches, jobs',
      tag: 'Operations',
      roles: isPublic ? 'public' : ['admin'],
      responses: { 200: { description: 'Prometheus text exposition format 0.0.4', contentType: 'text/plain' } },
    },
    async ({ res }) => {
      const { contentType, text } = await metrics.scrape();
      res.setHeader('Content-Type', contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(text);
    },
  );
  return router;
}
