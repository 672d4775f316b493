import { Router } from 'express';
import { route } from '../../http/route.js';
import { encodeCursor, decodeCursor, pageQueryProperties } from '../../http/pagination.js';
import { listOf } from '../../http/list-schema.js';
import type { Role } from '../../auth/roles.js';
import { bulkUpsertResultSchema, bulkUpsertSchema, profileDocumentSchema, profileIdSchema, storedProfileSchema } from './profile-schema.js';
import type { ProfileService } from './profile-service.js';

/**
 * One profile by id, for the contract's roles: a loan system reads the customer it decides on. A fraud analyst
 * sees an alerted customer's recent activity through GET /v1/alerts/{id}. `profiles:write` implies `profiles:read`.
 */
const READERS: Role[] = ['decide', 'audit:read', 'profiles:read'];
/** Lists are segments of the whole customer base: marketing and compliance, not loan systems. */
const LISTERS: Role[] = ['profiles:read', 'audit:read'];
const WRITERS: Role[] = ['profiles:write'];
const TAG = 'Profiles';
const idParam = { profileId: profileIdSchema };

/** Profiles endpoints, as the contract fixes them. */
export function profileRoutes(profiles: ProfileService): Router {
  const router = Router();

  route(
    router,
    {
      method: 'post',
      path: '/v1/profiles/bulk',
      summary: 'Upsert up to 1000 profiles; each is validated on its own',
      tag: TAG,
      roles: WRITERS,
      body: bulkUpsertSchema,
      responses: { 200: { description: 'How many were written, and why the others were not', schema: bulkUpsertResultSchema } },
    },
    async ({ res, body }) => {
      res.json(await profiles.bulkUpsert(body.profiles));
    },
  );

  route(
    router,
    {
      method: 'put',
      path: '/v1/profiles/:profileId',
      summary: 'Create or replace a profile',
      tag: TAG,
      roles: WRITERS,
      params: idParam,
      body: profileDocumentSchema,
      responses: {
        201: { description: 'Created', schema: storedProfileSchema },
        200: { description: 'Replaced', schema: storedProfileSchema },
      },
    },
    async ({ res, body, params }) => {
      const { created, profile } = await profiles.put(params.profileId, body);
      res.status(created ? 201 : 200).json(profile);
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/profiles/:profileId',
      summary: 'Read a profile',
      tag: TAG,
      roles: READERS,
      params: idParam,
      responses: { 200: { description: 'The profile', schema: storedProfileSchema } },
    },
    async ({ res, params }) => {
      res.json(await profiles.get(params.profileId));
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/profiles',
      summary: 'List profiles, optionally a marketing segment by tag and/or type',
      tag: TAG,
      roles: LISTERS,
      query: {
        type: 'object',
        properties: {
          tag: { type: 'string', minLength: 1, maxLength: 64 },
          type: { type: 'string', enum: ['individual', 'sme'] },
          ...pageQueryProperties,
        },
        additionalProperties: false,
      },
      responses: { 200: { description: 'A page of profiles', schema: listOf(storedProfileSchema) } },
    },
    async ({ res, query }) => {
      const after = decodeCursor(query.cursor, { id: 'id' });
      const items = await profiles.list({ tag: query.tag, type: query.type }, query.limit, after?.id);
      const last = items.length === query.limit ? items[items.length - 1] : undefined;
      res.json({ items, nextCursor: last ? encodeCursor({ id: last.profileId }) : null });
    },
  );

  return router;
}
