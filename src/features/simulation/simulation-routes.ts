import { Router } from 'express';
import { route } from '../../http/route.js';
import { decodeCursor, encodeCursor, pageQueryProperties } from '../../http/pagination.js';
import type { Role } from '../../auth/roles.js';
import { rulesetIdParam } from '../rulesets/ruleset-schema.js';
import type { SimulationService } from './simulation-service.js';
import {
  simulateSchema,
  simulationIdSchema,
  simulationQueuedSchema,
  simulationReportSchema,
  simulationStateSchema,
  simulationSummarySchema,
} from './simulation-schema.js';
import { listOf } from '../../http/list-schema.js';

const STAFF: Role[] = ['rules:edit', 'rules:publish'];
const simulationParams = { ...rulesetIdParam, simulationId: simulationIdSchema } as const;

/** Backtesting for business staff: what would this draft (or version) change against reality? */
export function simulationRoutes(simulations: SimulationService): Router {
  const router = Router();

  route(
    router,
    {
      method: 'post',
      path: '/v1/rulesets/:id/simulate',
      summary: 'Compare a candidate (draft or version) with a baseline (active or version) on profiles or logged decisions; read-only',
      tag: 'Rulesets',
      roles: STAFF,
      params: rulesetIdParam,
      body: simulateSchema,
      responses: {
        200: {
          description: 'The comparison (up to 10,000 inputs); without audit:read, no examples and counts below 5 withheld',
          schema: simulationReportSchema,
        },
        202: {
          description: 'Larger runs are queued: the simulation id to follow it by; 409 when this key has as many unfinished runs as it may',
          schema: simulationQueuedSchema,
        },
      },
    },
    async ({ res, params, body, caller }) => {
      const { inline, body: answer } = await simulations.simulate(params.id, body, caller);
      res.status(inline ? 200 : 202).json(answer);
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/rulesets/:id/simulations',
      summary: "A ruleset's background simulations, newest first: state and progress, without reports",
      tag: 'Rulesets',
      roles: STAFF,
      params: rulesetIdParam,
      query: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
      responses: {
        200: { description: 'Runs (finished ones are kept for SIMULATION_RETENTION_DAYS)', schema: listOf(simulationSummarySchema) },
      },
    },
    async ({ res, params, query, caller }) => {
      const before = decodeCursor(query.cursor, { createdAt: 'instant', id: 'id' });
      const runs = await simulations.list(params.id, query.limit, before);
      const ahead = await simulations.aheadOf(runs);
      const last = runs.length === query.limit ? runs[runs.length - 1] : undefined;
      res.json({
        items: await Promise.all(runs.map((run) => simulations.view(run, caller, ahead.get(run.id)))),
        nextCursor: last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
      });
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/rulesets/:id/simulations/:simulationId',
      summary: 'State, progress and (once succeeded) report of a background simulation',
      tag: 'Rulesets',
      roles: STAFF,
      params: simulationParams,
      responses: {
        200: {
          description: 'Queued, running (with progress), or ended (with the report, an error or who cancelled it)',
          schema: simulationStateSchema,
        },
      },
    },
    async ({ res, params, caller }) => {
      res.json(await simulations.get(params.id, params.simulationId, caller));
    },
  );

  route(
    router,
    {
      method: 'delete',
      path: '/v1/rulesets/:id/simulations/:simulationId',
      summary: 'Cancel a queued or running background simulation (the key that started it, or an admin)',
      tag: 'Rulesets',
      roles: STAFF,
      params: simulationParams,
      responses: { 204: { description: 'Cancelled (a running one stops within a second); 409 when it had already finished' } },
    },
    async ({ res, params, caller }) => {
      await simulations.cancel(params.id, params.simulationId, caller);
      res.status(204).end();
    },
  );

  return router;
}
