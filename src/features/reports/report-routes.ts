import { Router } from 'express';
import { route } from '../../http/route.js';
import { validationFailed } from '../../errors/domain-error.js';
import { dailyReportCsv, dailyReportSchema } from './daily-report.js';
import { OVERVIEW_DAYS, TOP_RULES_DEFAULT, overviewSchema } from './overview-report.js';
import { OVERVIEW_ROLES } from './overview-roles.js';
import type { ReportService } from './report-service.js';

/** GET /v1/reports/daily: JSON, or CSV with `Accept: text/csv`; GET /v1/reports/overview: the console's charts. */
export function reportRoutes(reports: ReportService): Router {
  const router = Router();
  route(
    router,
    {
      method: 'get',
      path: '/v1/reports/daily',
      summary: 'Per ruleset version and day: rule hits, alert codes, tags and outcomes (JSON, or CSV with Accept: text/csv)',
      tag: 'Reports',
      roles: ['audit:read'],
      query: { type: 'object', properties: { date: { type: 'string', format: 'date' } }, required: ['date'], additionalProperties: false },
      responses: {
        200: {
          description: 'The day report (as CSV: rows of date, ruleset, version, metric, key, count; ruleset `*` is all rulesets)',
          schema: dailyReportSchema,
          alternatives: { 'text/csv': { type: 'string' } },
        },
      },
    },
    async ({ req, res, query }) => {
      if (Number.isNaN(Date.parse(query.date)))
        throw validationFailed('date is not a calendar date.', [{ path: '/query/date', message: 'must be YYYY-MM-DD' }]);
      const report = await reports.daily(query.date);
      if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
        res.type('text/csv').setHeader('Content-Disposition', `attachment; filename="daily-report-${query.date}.csv"`);
        res.send(dailyReportCsv(report));
        return;
      }
      res.json(report);
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/reports/overview',
      summary: 'Decisions per hour by outcome, alerts by code and the rules that fire most, over a day or a week (in JOBS_TIMEZONE)',
      tag: 'Reports',
      roles: OVERVIEW_ROLES,
      query: {
        type: 'object',
        properties: {
          date: { type: 'string', format: 'date', description: 'The last day of the period (default: today)' },
          days: { type: 'integer', enum: OVERVIEW_DAYS, default: 1, description: '1: that day; 7: the week ending with it' },
          topRules: { type: 'integer', minimum: 1, maximum: 50, default: TOP_RULES_DEFAULT },
        },
        additionalProperties: false,
      },
      responses: { 200: { description: 'The counts', schema: overviewSchema } },
    },
    async ({ res, query }) => {
      res.json(await reports.overview(query.days, query.date, query.topRules));
    },
  );
  return router;
}
