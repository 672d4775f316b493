import { Router } from 'express';
import { route } from '../../http/route.js';
import { parseTimeRange, timeRangeQueryProperties } from '../../http/time-range.js';
import { decodeCursor, encodeCursor, pageQueryProperties } from '../../http/pagination.js';
import { listOf } from '../../http/list-schema.js';
import type { AuditEventStore } from './audit-event-store.js';

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

/** Compliance: the audit trail of changes. */
export function auditRoutes(events: AuditEventStore): Router {
  const router = Router();

  route<never, { type?: string; from?: string; to?: string; limit: number; cursor?: string }>(
    router,
    {
      method: 'get',
      path: '/v1/audit/events',
      summary: 'The audit trail: ruleset changes, publishes, activations, keys, erasures (newest first)',
      tag: TAG,
      roles: ['audit:read'],
      query: {
        type: 'object',
        properties: { type: { type: 'string', pattern: '^[a-z-]+\\.[a-z-]+$' }, ...timeRangeQueryProperties, ...pageQueryProperties },
        additionalProperties: false,
      },
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

  return router;
}
