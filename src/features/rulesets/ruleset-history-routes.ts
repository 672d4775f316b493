import { Router } from 'express';
import { route } from '../../http/route.js';
import { listOf } from '../../http/list-schema.js';
import { pageQueryProperties } from '../../http/pagination.js';
import type { Role } from '../../auth/roles.js';
import type { AuditEventStore } from '../audit/audit-event-store.js';
import { auditEventPage } from '../audit/audit-routes.js';
import { auditEventSchema } from '../audit/audit-schema.js';
import { rulesetIdParam } from './ruleset-schema.js';
import type { RulesetService } from './ruleset-service.js';

/** Those who change a ruleset may read its history, not only compliance (the whole trail stays audit:read). */
const HISTORY_READERS: Role[] = ['rules:edit', 'rules:publish', 'audit:read'];

/** One ruleset's audit trail (creation, draft saves, publishes, activations), for the people who edit and publish it. */
export function rulesetHistoryRoutes(rulesets: RulesetService, events: AuditEventStore): Router {
  const router = Router();

  route(
    router,
    {
      method: 'get',
      path: '/v1/rulesets/:id/history',
      summary: "The ruleset's audit events (created, draft saved, published, activated), newest first, with who and when",
      tag: 'Rulesets',
      roles: HISTORY_READERS,
      params: rulesetIdParam,
      query: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
      responses: { 200: { description: "A page of the ruleset's audit events", schema: listOf(auditEventSchema) } },
    },
    async ({ res, params, query }) => {
      await rulesets.require(params.id);
      res.json(await auditEventPage(events, { subjectKind: 'ruleset', subjectId: params.id }, query));
    },
  );

  return router;
}
