import { Router } from 'express';
import { route } from '../../http/route.js';
import { FACTS } from '../../facts/fact-library.js';

const factListSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, type: { type: 'string' }, description: { type: 'string' } },
        required: ['name', 'type', 'description'],
      },
    },
  },
  required: ['items'],
} as const;

/** GET /v1/facts: every fact rules may read, with its type and meaning. */
export function factRoutes(): Router {
  const router = Router();
  const items = FACTS.map(({ name, type, description }) => ({ name, type, description }));
  route(
    router,
    {
      method: 'get',
      path: '/v1/facts',
      summary: 'Every fact rules may read',
      tag: 'Facts',
      roles: 'any',
      responses: { 200: { description: 'Facts', schema: factListSchema } },
    },
    ({ res }) => {
      res.json({ items });
    },
  );
  return router;
}
