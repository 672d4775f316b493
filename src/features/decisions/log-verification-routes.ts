import { Router } from 'express';
import { route } from '../../http/route.js';
import { parseTimeRange, timeRangeQueryProperties } from '../../http/time-range.js';
import type { LogVerifier } from './log-verifier.js';

/** What GET /v1/audit/verify answers. */
export const verifyReportSchema = {
  type: 'object',
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    ok: { type: 'boolean', description: 'false when any entry or seal no longer matches' },
    sealsChecked: { type: 'integer' },
    entriesChecked: { type: 'integer' },
    unsealedEntries: { type: 'integer', description: 'Entries logged after the last seal of the range: not yet provable' },
    problems: {
      type: 'array',
      items: {
        type: 'object',
        properties: { kind: { type: 'string', enum: ['entry', 'seal'] }, id: { type: 'string' }, problem: { type: 'string' } },
        required: ['kind', 'id', 'problem'],
        additionalProperties: false,
      },
    },
  },
  required: ['from', 'to', 'ok', 'sealsChecked', 'entriesChecked', 'unsealedEntries', 'problems'],
  additionalProperties: false,
} as const;

/** Compliance: verification of the decision log's seals (listed with the audit endpoints). */
export function logVerificationRoutes(verifier: LogVerifier): Router {
  const router = Router();

  route(
    router,
    {
      method: 'get',
      path: '/v1/audit/verify',
      summary: 'Recompute the decision log seals over a time range and name every entry or seal that no longer matches',
      tag: 'Audit',
      roles: ['audit:read'],
      query: { type: 'object', properties: timeRangeQueryProperties, additionalProperties: false },
      responses: { 200: { description: 'Verification report (ok is false when anything does not match)', schema: verifyReportSchema } },
    },
    async ({ res, query }) => {
      const { from, to } = parseTimeRange(query);
      res.json(await verifier.verify(from ?? new Date(0), to ?? new Date()));
    },
  );

  return router;
}
