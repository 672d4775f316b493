import { Router } from 'express';
import { route } from '../../http/route.js';
import { parseTimeRange, timeRangeQueryProperties } from '../../http/time-range.js';
import type { LogVerifier } from './log-verifier.js';

/** Compliance: verification of the decision log's seals (listed with the audit endpoints). */
export function logVerificationRoutes(verifier: LogVerifier): Router {
  const router = Router();

  route<never, { from?: string; to?: string }>(
    router,
    {
      method: 'get',
      path: '/v1/audit/verify',
      summary: 'Recompute the decision log seals over a time range and name every entry or seal that no longer matches',
      tag: 'Audit',
      roles: ['audit:read'],
      query: { type: 'object', properties: timeRangeQueryProperties, additionalProperties: false },
      responses: { 200: { description: 'Verification report (ok is false when anything does not match)' } },
    },
    async ({ res, query }) => {
      const { from, to } = parseTimeRange(query);
      res.json(await verifier.verify(from ?? new Date(0), to ?? new Date()));
    },
  );

  return router;
}
