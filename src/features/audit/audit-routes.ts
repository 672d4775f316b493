import { Router } from 'express';
import { route } from '../../http/route.js';
import { parseTimeRange, timeRangeQueryProperties } from '../../http/time-range.js';
import { decodeCursor, encodeCursor, pageQueryProperties, type PageQuery } from '../../http/pagination.js';
import { listOf } from '../../http/list-schema.js';
import type { AuditEventQuery, AuditEventStore } from './audit-event-store.js';
import { auditEventSchema } from './audit-schema.js';

const TAG = 'Audit';

/** A page of audit events, newest first, in the list envelope; the cursor is the last item's (at, id). */
export async function auditEventPage(events: AuditEventStore, filter: AuditEventQuery, page: PageQuery) {
  const before = decodeCursor(page.cursor, { at: 'instant', id: 'id' });
  const items = await events.list(filter, page.limit, before);
  const last = items.length === page.limit ? items[items.length - 1] : undefined;
  return {
    items: items.map((event) => ({ ...event, at: event.at.toISOString() })),
    nextCursor: last ? encodeCursor({ at: last.at.toISOString(), id: last.id }) : null,
  };
}

/** Compliance: the audit trail of changes. */
export function auditRoutes(events: AuditEventStore): Router {
  const router = Router();

  route(
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
      res.json(await auditEventPage(events, { type: query.type, ...parseTimeRange(query) }, query));
    },
  );

  return router;
}
