import { Router } from 'express';
import { route } from '../../http/route.js';
import type { Role } from '../../auth/roles.js';
import { decisionEventSchema } from '../../facts/decision-event.js';
import { rulesetIdParam } from '../rulesets/ruleset-schema.js';
import type { SimulateRequest, SimulationService } from './simulation-service.js';

const STAFF: Role[] = ['rules:edit', 'rules:publish'];

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
        202: { description: 'Larger runs: a simulation id to fetch the result from' },
      },
    },
    async ({ res, params, body, caller }) => {
      const { inline, body: answer } = await simulations.simulate(params.id, body, caller);
      res.status(inline ? 200 : 202).json(answer);
    },
  );

  route<never, never, { id: string; simulationId: string }>(
    router,
    {
      method: 'get',
      path: '/v1/rulesets/:id/simulations/:simulationId',
      summary: 'Progress and result of a large simulation',
      tag: 'Rulesets',
      roles: STAFF,
      params: { ...rulesetIdParam, simulationId: { type: 'string', pattern: '^sim_[0-9a-f-]{36}$' } },
      responses: { 200: { description: 'Running (with progress), or the result' } },
    },
    async ({ res, params, caller }) => {
      res.json(await simulations.get(params.id, params.simulationId, caller));
    },
  );

  return router;
}
