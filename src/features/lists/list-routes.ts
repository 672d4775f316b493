import { Router } from 'express';
import { route } from '../../http/route.js';
import { listOf } from '../../http/list-schema.js';
import { pageQueryProperties } from '../../http/pagination.js';
import { actorOf } from '../audit/audit-trail.js';
import type { Role } from '../../auth/roles.js';
import type { ListService } from './list-service.js';
import {
  addItemsSchema,
  listChangeResultSchema,
  listDetailSchema,
  listIdParam,
  listSummarySchema,
  MAX_ITEM_LENGTH,
  MAX_LIST_BODY_BYTES,
  putListSchema,
} from './list-schema.js';

const PUBLISHERS: Role[] = ['rules:publish'];
const TAG = 'Lists';

/** Block and allow lists: any role reads; rules:publish changes them (a change reaches every instance within 5 s). */
export function listRoutes(lists: ListService): Router {
  const router = Router();

  route(
    router,
    {
      method: 'get',
      path: '/v1/lists',
      summary: 'The lists by id, each with its size and revision, paged',
      tag: TAG,
      roles: 'any',
      query: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
      responses: { 200: { description: 'A page of the lists', schema: listOf(listSummarySchema) } },
    },
    ({ res, query }) => {
      res.json(lists.list(query));
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/lists/:listId',
      summary: 'A list with one page of its items, sorted; q keeps the items that contain it',
      tag: TAG,
      roles: 'any',
      params: listIdParam,
      query: {
        type: 'object',
        properties: { ...pageQueryProperties, q: { type: 'string', maxLength: MAX_ITEM_LENGTH } },
        additionalProperties: false,
      },
      responses: { 200: { description: 'The list and a page of its items', schema: listDetailSchema } },
    },
    ({ res, params, query }) => {
      res.json(lists.get(params.listId, query));
    },
  );

  route(
    router,
    {
      method: 'put',
      path: '/v1/lists/:listId',
      summary: 'Create or replace a list (up to 100,000 items)',
      tag: TAG,
      roles: PUBLISHERS,
      params: listIdParam,
      body: putListSchema,
      maxBodyBytes: MAX_LIST_BODY_BYTES,
      responses: {
        200: { description: 'Replaced', schema: listChangeResultSchema },
        201: { description: 'Created', schema: listChangeResultSchema },
      },
    },
    async ({ res, params, body, caller }) => {
      const { created, list } = await lists.put(params.listId, body, actorOf(caller));
      res.status(created ? 201 : 200).json(list);
    },
  );

  route(
    router,
    {
      method: 'post',
      path: '/v1/lists/:listId/items',
      summary: 'Add items to a list (those it holds already are left as they are)',
      tag: TAG,
      roles: PUBLISHERS,
      params: listIdParam,
      body: addItemsSchema,
      maxBodyBytes: MAX_LIST_BODY_BYTES,
      responses: { 200: { description: 'The list after the change; changed: how many items were new', schema: listChangeResultSchema } },
    },
    async ({ res, params, body, caller }) => {
      res.json(await lists.add(params.listId, body.items, actorOf(caller)));
    },
  );

  route(
    router,
    {
      method: 'delete',
      path: '/v1/lists/:listId/items/:item',
      summary: 'Remove one item from a list',
      tag: TAG,
      roles: PUBLISHERS,
      params: { ...listIdParam, item: { type: 'string', minLength: 1, maxLength: MAX_ITEM_LENGTH } },
      responses: { 204: { description: 'Removed' } },
    },
    async ({ res, params, caller }) => {
      await lists.remove(params.listId, params.item, actorOf(caller));
      res.status(204).end();
    },
  );

  return router;
}
