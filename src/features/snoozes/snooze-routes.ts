import { Router } from 'express';
import { route } from '../../http/route.js';
import { decodeCursor, encodeCursor, pageQueryProperties } from '../../http/pagination.js';
import { listOf } from '../../http/list-schema.js';
import type { Role } from '../../auth/roles.js';
import { profileIdSchema } from '../profiles/profile-schema.js';
import type { SnoozeService } from './snooze-service.js';
import { snoozeIdSchema, snoozeRequestSchema, snoozeSchema } from './snooze-schema.js';

/** Fraud analysts snooze; nobody else needs to see why a customer was let through. */
const ANALYSTS: Role[] = ['alerts:review'];
const TAG = 'Snoozes';

/** Per-profile rule snoozes, as the contract fixes them. */
export function snoozeRoutes(snoozes: SnoozeService): Router {
  const router = Router();

  route(
    router,
    {
      method: 'post',
      path: '/v1/profiles/:profileId/snoozes',
      summary: 'Snooze one rule for one profile until a time (≤ 90 days): it is still evaluated and explained, but yields nothing',
      tag: TAG,
      roles: ANALYSTS,
      params: { profileId: profileIdSchema },
      body: snoozeRequestSchema,
      responses: { 201: { description: 'The snooze', schema: snoozeSchema } },
    },
    async ({ res, params, body, caller }) => {
      res.status(201).json(await snoozes.create(params.profileId, body, caller));
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/profiles/:profileId/snoozes',
      summary: "A profile's snoozes, newest first, removed and expired ones included (active says which hold)",
      tag: TAG,
      roles: ANALYSTS,
      params: { profileId: profileIdSchema },
      query: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
      responses: { 200: { description: 'A page of snoozes', schema: listOf(snoozeSchema) } },
    },
    async ({ res, params, query }) => {
      const after = decodeCursor(query.cursor, { id: 'id' });
      const page = await snoozes.list(params.profileId, query.limit, after?.id);
      res.json({ items: page.items, nextCursor: page.nextCursor === null ? null : encodeCursor({ id: page.nextCursor }) });
    },
  );

  route(
    router,
    {
      method: 'delete',
      path: '/v1/profiles/:profileId/snoozes/:snoozeId',
      summary: 'Remove a snooze: from the next decision on, the rule yields again',
      tag: TAG,
      roles: ANALYSTS,
      params: { profileId: profileIdSchema, snoozeId: snoozeIdSchema },
      responses: { 204: { description: 'Removed' } },
    },
    async ({ res, params, caller }) => {
      await snoozes.remove(params.profileId, params.snoozeId, caller);
      res.status(204).end();
    },
  );

  return router;
}
