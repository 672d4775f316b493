import { Router } from 'express';
import { route } from '../../http/route.js';
import { hasAnyRole, type Caller, type Role } from '../../auth/roles.js';
import { actorOf } from '../audit/audit-trail.js';
import { rulesetIdParam } from '../rulesets/ruleset-schema.js';
import { shadowReportSchema, shadowRequestSchema } from './shadow-schema.js';
import type { ShadowReport, ShadowService } from './shadow-service.js';

const PUBLISHERS: Role[] = ['rules:publish'];
const TAG = 'Rulesets';

/** Examples name logged decisions: shown to those who may read the log (audit:read, or admin). */
function disclosed(report: ShadowReport, caller: Caller) {
  const { examples: _examples, ...counts } = report;
  return hasAnyRole(caller, ['audit:read']) ? report : counts;
}

/** Shadow evaluation (champion–challenger): rules:publish sets and clears; any role reads the counts. */
export function shadowRoutes(shadows: ShadowService): Router {
  const router = Router();

  route(
    router,
    {
      method: 'put',
      path: '/v1/rulesets/:id/shadow',
      summary: 'Evaluate a published version beside the active one on every live decision (starts a new report)',
      tag: TAG,
      roles: PUBLISHERS,
      params: rulesetIdParam,
      body: shadowRequestSchema,
      responses: { 200: { description: 'The new, empty report', schema: shadowReportSchema } },
    },
    async ({ res, params, body, caller }) => {
      res.json(disclosed(await shadows.set(params.id, body.version, actorOf(caller)), caller));
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/rulesets/:id/shadow',
      summary: 'The shadow report: decisions, differences and per-rule hits since the shadow was set, over every instance',
      tag: TAG,
      roles: 'any',
      params: rulesetIdParam,
      responses: { 200: { description: 'The report (examples for audit:read)', schema: shadowReportSchema } },
    },
    async ({ res, params, caller }) => {
      res.json(disclosed(await shadows.report(params.id), caller));
    },
  );

  route(
    router,
    {
      method: 'delete',
      path: '/v1/rulesets/:id/shadow',
      summary: 'Stop the shadow evaluation (its report ends with it)',
      tag: TAG,
      roles: PUBLISHERS,
      params: rulesetIdParam,
      responses: { 204: { description: 'Cleared' } },
    },
    async ({ res, params, caller }) => {
      await shadows.clear(params.id, actorOf(caller));
      res.status(204).end();
    },
  );

  return router;
}
