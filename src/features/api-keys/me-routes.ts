import { Router } from 'express';
import { route } from '../../http/route.js';
import { ROLES } from '../../auth/roles.js';

const meSchema = {
  type: 'object',
  properties: {
    keyId: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'array', items: { type: 'string', enum: ROLES } },
  },
  required: ['keyId', 'name', 'roles'],
  additionalProperties: false,
} as const;

/** GET /v1/me: who the presented key is and which roles it holds (the console shows what they allow). */
export function meRoutes(): Router {
  const router = Router();
  route(
    router,
    {
      method: 'get',
      path: '/v1/me',
      summary: 'The calling key: id, name and roles',
      tag: 'API keys',
      roles: 'any',
      responses: { 200: { description: 'The caller', schema: meSchema } },
    },
    ({ res, caller }) => {
      res.json({ keyId: caller.keyId, name: caller.name, roles: caller.roles });
    },
  );
  return router;
}
