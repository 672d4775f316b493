import { Router } from 'express';
import { route } from '../../http/route.js';
import { validationFailed } from '../../errors/domain-error.js';
import { dailyReportCsv } from './daily-report.js';
import type { ReportService } from './report-service.js';

/** GET /v1/reports/daily: JSON, or CSV with `Accept: text/csv`. */
export function reportRoutes(reports: ReportService): Router {
  const router = Router();
  route<never, { date: string }>(
    router,
    {
      method: 'get',
      path: '/v1/reports/daily',
      summary: 'Per ruleset version and day: rule hits, alert codes, tags and outcomes (JSON, or CSV with Accept: text/csv)',
      tag: 'Reports',
      roles: ['audit:read'],
      query: { type: 'object', properties: { date: { type: 'string', format: 'date' } }, required: ['date'], additionalProperties: false },
      responses: { 200: { description: 'The day report' } },
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
  return router;
}
