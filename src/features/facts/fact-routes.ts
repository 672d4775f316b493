import { Router } from 'express';
import { route } from '../../http/route.js';
import { FACTS } from '../../facts/fact-library.js';
import { CUSTOM_OPERATORS, STOCK_OPERATORS } from '../../engine/operators.js';
import { factListSchema } from './fact-schema.js';

/** GET /v1/facts: every fact rules may read, with its type and meaning. */
export function factRoutes(): Router {
  const router = Router();
  const items = FACTS.map(({ name, type, description }) => ({ name, type, description }));
  const operators = [...STOCK_OPERATORS, ...CUSTOM_OPERATORS].map(({ name, description, valueKind }) => ({ name, description, valueKind }));
  route(
    router,
    {
      method: 'get',
      path: '/v1/facts',
      summary: 'Every fact rules may read, and every operator conditions may use',
      tag: 'Facts',
      roles: 'any',
      responses: { 200: { description: 'Facts', schema: factListSchema } },
    },
    ({ res }) => {
      res.json({ items, operators });
    },
  );
  return router;
}
