import { Router } from 'express';
import { route } from '../../http/route.js';
import { decodeCursor, encodeCursor, pageQueryProperties } from '../../http/pagination.js';
import type { Role } from '../../auth/roles.js';
import { decisionEventSchema } from '../../facts/decision-event.js';
import { rulesetIdParam } from '../rulesets/ruleset-schema.js';
import type { SimulateRequest, SimulationService } from './simulation-service.js';

const STAFF: Role[] = ['rules:edit', 'rules:publish'];
const simulationParams = { ...rulesetIdParam, simulationId: { type: 'string', pattern: '^sim_[0-9a-f-]{36}$' } };

const simulateSchema = {
  type: 'object',
  properties: {
    candidate: {
      oneOf: [
        { type: 'string', const: 'draft' },
        { type: 'integer', minimum: 1 },
      ],
    },
    baseline: {
      oneOf: [
        { type: 'string', const: 'active' },
        { type: 'integer', minimum: 1 },
      ],
    },
    against: {
      oneOf: [
        {
          type: 'object',
          properties: {
            profiles: {
              type: 'object',
              properties: {
                limit: { type: 'integer', minimum: 1, maximum: 10_000_000 },
                event: { ...decisionEventSchema, required: [] },
              },
              required: ['limit'],
              additionalProperties: false,
            },
          },
          required: ['profiles'],
          additionalProperties: false,
        },
        {
          type: 'object',
          properties: {
            decisions: {
              type: 'object',
              properties: { from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } },
              required: ['from', 'to'],
              additionalProperties: false,
            },
          },
          required: ['decisions'],
          additionalProperties: false,
        },
      ],
    },
  },
  required: ['candidate', 'baseline', 'against'],
  additionalProperties: false,
} as const;

/** Backtesting for business staff: what would this draft (or version) change against reality? */
export function simulationRoutes(simulations: SimulationService): Router {
  const router = Router();

  route<SimulateRequest, never, { id: string }>(
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
        200: { description: 'The comparison (up to 10,000 inputs); without audit:read, no examples and counts below 5 withheld' },
        202: {
          description: 'Larger runs are queued: the simulation id to follow it by; 409 when this key has as many unfinished runs as it may',
        },
      },
    },
    async ({ res, params, body, caller }) => {
      const { inline, body: answer } = await simulations.simulate(params.id, body, caller);
      res.status(inline ? 200 : 202).json(answer);
    },
  );

  route<never, { limit: number; cursor?: string }, { id: string }>(
    router,
    {
      method: 'get',
      path: '/v1/rulesets/:id/simulations',
      summary: "A ruleset's background simulations, newest first: state and progress, without reports",
      tag: 'Rulesets',
      roles: STAFF,
      params: rulesetIdParam,
      query: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
      responses: { 200: { description: 'Runs (finished ones are kept for SIMULATION_RETENTION_DAYS)' } },
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

  route<never, never, { id: string; simulationId: string }>(
    router,
    {
      method: 'get',
      path: '/v1/rulesets/:id/simulations/:simulationId',
      summary: 'State, progress and (once succeeded) report of a background simulation',
      tag: 'Rulesets',
      roles: STAFF,
      params: simulationParams,
      responses: { 200: { description: 'Queued, running (with progress), or ended (with the report, an error or who cancelled it)' } },
    },
    async ({ res, params, caller }) => {
      res.json(await simulations.get(params.id, params.simulationId, caller));
    },
  );

  route<never, never, { id: string; simulationId: string }>(
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
