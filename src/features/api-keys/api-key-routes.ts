import { Router } from 'express';
import { route } from '../../http/route.js';
import { decodeCursor, encodeCursor, pageQueryProperties } from '../../http/pagination.js';
import { listOf } from '../../http/list-schema.js';
import { apiKeySchema, createApiKeySchema, createdApiKeySchema, keyIdParam } from './api-key-schema.js';
import type { ApiKeyService } from './api-key-service.js';

/** Admin endpoints to issue, list and revoke API keys. */
export function apiKeyRoutes(keys: ApiKeyService): Router {
  const router = Router();

  route(
    router,
    {
      method: 'post',
      path: '/v1/api-keys',
      summary: 'Issue an API key (the clear key is returned once, only here)',
      tag: 'API keys',
      roles: ['admin'],
      body: createApiKeySchema,
      responses: { 201: { description: 'The new key', schema: createdApiKeySchema } },
    },
    async ({ res, body, caller }) => {
      res.status(201).json(await keys.create(body.name, body.roles, caller, body.expiresAt));
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/api-keys',
      summary: 'List API keys (never the keys themselves)',
      tag: 'API keys',
      roles: ['admin'],
      query: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
      responses: { 200: { description: 'A page of keys', schema: listOf(apiKeySchema) } },
    },
    async ({ res, query }) => {
      const after = decodeCursor(query.cursor, { createdAt: 'instant', id: 'id' });
      const items = await keys.list(query.limit, after);
      const last = items.length === query.limit ? items[items.length - 1] : undefined;
      res.json({ items, nextCursor: last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null });
    },
  );

  route(
    router,
    {
      method: 'delete',
      path: '/v1/api-keys/:keyId',
      summary: 'Revoke an API key (idempotent); the last active admin key is refused',
      tag: 'API keys',
      roles: ['admin'],
      params: keyIdParam,
      responses: { 200: { description: 'The revoked key', schema: apiKeySchema } },
    },
    async ({ res, params, caller }) => {
      res.json(await keys.revoke(params.keyId, caller));
    },
  );

  return router;
}
