import { Router } from 'express';
import { route } from '../../http/route.js';
import { parseTimeRange, timeRangeQueryProperties } from '../../http/time-range.js';
import { decodeCursor, encodeCursor, pageQueryProperties } from '../../http/pagination.js';
import { listOf } from '../../http/list-schema.js';
import type { AuditEventStore } from './audit-event-store.js';
import type { LogVerifier } from '../decisions/log-verifier.js';

const TAG = 'Audit';

const auditEventSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    actor: { type: 'object', properties: { keyId: { type: 'string' }, name: { type: 'string' } } },
    at: { type: 'string', format: 'date-time' },
    subject: { type: 'object', properties: { kind: { type: 'string' }, id: { type: 'string' } } },
    data: { type: 'object' },
  },
  required: ['id', 'type', 'actor', 'at', 'subject', 'data'],
} as const;

/** Compliance: the audit trail of changes, and verification of the decision log's seals. */
export function auditRoutes(events: AuditEventStore, verifier: LogVerifier): Router {
  const router = Router();

  route<never, { type?: string; from?: string; to?: string; limit: number; cursor?: string }>(
    router,
    {
      method: 'get',
      path: '/v1/audit/events',
      summary: 'The audit trail: ruleset changes, publishes, activations, keys, erasures (newest first)',
      tag: TAG,
      roles: ['audit:read'],
      query: { type: 'object', properties: { type: { type: 'string', pattern: '^[a-z-]+\\.[a-z-]+$' }, ...timeRangeQueryProperties, ...pageQueryProperties }, additionalProperties: false },
      responses: { 200: { description: 'A page of audit events', schema: listOf(auditEventSchema) } },
    },
    async ({ res, query }) => {
      const before = decodeCursor(query.cursor, { at: 'instant', id: 'id' });
      const items = await events.list({ type: query.type, ...parseTimeRange(query) }, query.limit, before);
      const last = items.length === query.limit ? items[items.length - 1] : undefined;
      res.json({
        items: items.map((event) => ({ ...event, at: event.at.toISOString() })),
        nextCursor: last ? encodeCursor({ at: last.at.toISOString(), id: last.id }) : null,
      });
    },
  );

  route<never, { from?: string; to?: string }>(
    router,
    {
      method: 'get',
      path: '/v1/audit/verify',
      summary: 'Recompute the decision log seals over a time range and name every entry or seal that no longer matches',
      tag: TAG,
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
