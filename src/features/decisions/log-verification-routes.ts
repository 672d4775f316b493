import { Router } from 'express';
import { route } from '../../http/route.js';
import { parseTimeRange, timeRangeQueryProperties } from '../../http/time-range.js';
import { notFound, validationFailed } from '../../errors/domain-error.js';
import type { LogVerifier } from './log-verifier.js';
import type { SealStore } from './seal-store.js';
import { verifyReportSchema } from './verify-report.js';

/** A seal head kept outside the service: `<number>:<hash>` as `GET /v1/audit/seals/head` gives it. */
const HEAD_PATTERN = '^[1-9][0-9]{0,14}:[0-9a-f]{64}$';

/** Compliance: verification of the decision log's evidence, and the seal head to keep elsewhere (listed with the audit endpoints). */
export function logVerificationRoutes(verifier: LogVerifier, seals: SealStore): Router {
  const router = Router();

  route(
    router,
    {
      method: 'get',
      path: '/v1/audit/verify',
      summary:
        'Recompute the evidence (seals, entries, audit events, retirements) over a time or seal range, optionally against a kept head, and name every problem',
      tag: 'Audit',
      roles: ['audit:read'],
      query: {
        type: 'object',
        properties: {
          ...timeRangeQueryProperties,
          fromSeal: { type: 'integer', minimum: 1, description: 'First seal to check (instead of a time range); resume with lastSeal + 1' },
          toSeal: { type: 'integer', minimum: 1, description: 'Last seal to check' },
          head: { type: 'string', pattern: HEAD_PATTERN, description: 'A seal head kept outside the service, as <number>:<hash>' },
        },
        additionalProperties: false,
      },
      responses: { 200: { description: 'Verification report (ok is false when anything does not match)', schema: verifyReportSchema } },
    },
    async ({ res, query }) => {
      const { from, to } = parseTimeRange(query);
      if (query.fromSeal !== undefined && query.toSeal !== undefined && query.fromSeal > query.toSeal) {
        throw validationFailed('fromSeal must not be after toSeal.', [{ path: '/query/fromSeal', message: 'is after toSeal' }]);
      }
      const head = query.head === undefined ? undefined : { seq: Number(query.head.split(':')[0]), hash: query.head.split(':')[1]! };
      res.json(await verifier.verify({ from: from ?? new Date(0), to, fromSeal: query.fromSeal, toSeal: query.toSeal, head }));
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/audit/seals/head',
      summary: 'The newest seal of the decision log, to keep outside the service and pass back to verify as head=<number>:<hash>',
      tag: 'Audit',
      roles: ['audit:read'],
      responses: {
        200: {
          description: 'The newest seal',
          schema: {
            type: 'object',
            properties: { number: { type: 'integer' }, hash: { type: 'string' }, sealedAt: { type: 'string', format: 'date-time' } },
            required: ['number', 'hash', 'sealedAt'],
            additionalProperties: false,
          },
        },
      },
    },
    async ({ res }) => {
      const head = await seals.latest();
      if (!head) throw notFound('Nothing is sealed yet.');
      res.json({ number: head.seq, hash: head.hash, sealedAt: head.sealedAt.toISOString() });
    },
  );

  return router;
}
