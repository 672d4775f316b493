import { Router } from 'express';
import { route } from '../../http/route.js';
import type { Role } from '../../auth/roles.js';
import { rulesetIdParam } from '../rulesets/ruleset-schema.js';
import type { SimulationService } from './simulation-service.js';
import { simulateSchema, simulationReportSchema, simulationStartedSchema, simulationStateSchema } from './simulation-schema.js';

const STAFF: Role[] = ['rules:edit', 'rules:publish'];

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
        202: { description: 'Larger runs: a simulation id to fetch the result from', schema: simulationStartedSchema },
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
      path: '/v1/rulesets/:id/simulations/:simulationId',
      summary: 'Progress and result of a large simulation',
      tag: 'Rulesets',
      roles: STAFF,
      params: { ...rulesetIdParam, simulationId: { type: 'string', pattern: '^sim_[0-9a-f-]{36}$' } },
      responses: {
        200: {
          description:
            'Running or failed (with progress and error), or succeeded with the comparison (the fields of the 200 answer of simulate)',
          schema: simulationStateSchema,
        },
      },
    },
    async ({ res, params, caller }) => {
      res.json(await simulations.get(params.id, params.simulationId, caller));
    },
  );

  return router;
}
