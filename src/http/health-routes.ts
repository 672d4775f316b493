import { Router } from 'express';
import { route } from './route.js';
import { unavailable } from '../errors/domain-error.js';
import { errorEnvelopeSchema } from './list-schema.js';

/** Answers whether this instance can serve decisions, and why not when it cannot. */
export type ReadinessCheck = () => Promise<string | undefined>;

const statusSchema = (value: string) =>
  ({
    type: 'object',
    properties: { status: { type: 'string', const: value } },
    required: ['status'],
    additionalProperties: false,
  }) as const;

export function healthRoutes(checks: ReadinessCheck[]): Router {
  const router = Router();
  route(
    router,
    {
      method: 'get',
      path: '/healthz',
      summary: 'Liveness: the process runs',
      tag: 'Health',
      roles: 'public',
      responses: { 200: { description: 'Alive', schema: statusSchema('ok') } },
    },
    ({ res }) => {
      res.json({ status: 'ok' });
    },
  );
  route(
    router,
    {
      method: 'get',
      path: '/readyz',
      summary: 'Readiness: the database answers and active rulesets are loaded',
      tag: 'Health',
      roles: 'public',
      responses: {
        200: { description: 'Ready', schema: statusSchema('ready') },
        503: { description: 'UNAVAILABLE: not ready, and why (the database, or rulesets not loaded yet)', schema: errorEnvelopeSchema },
      },
    },
    async ({ res }) => {
      for (const check of checks) {
        const problem = await check();
        if (problem) throw unavailable(problem);
      }
      res.json({ status: 'ready' });
    },
  );
  return router;
}
