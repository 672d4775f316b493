import { Router } from 'express';
import { route } from '../../http/route.js';
import { profileIdSchema } from '../profiles/profile-schema.js';
import type { EraseProfileUseCase } from './erase-profile.js';

/** A data feed erases the customers it writes; the answer is the same whether there was anything to erase. */
export function erasureRoutes(erasure: EraseProfileUseCase): Router {
  const router = Router();

  route(
    router,
    {
      method: 'delete',
      path: '/v1/profiles/:profileId',
      summary: 'Erase a profile; decision log entries keep only masked data (idempotent)',
      tag: 'Profiles',
      roles: ['profiles:write'],
      params: { profileId: profileIdSchema },
      responses: { 204: { description: 'Erased' } },
    },
    async ({ res, params, caller }) => {
      await erasure.erase(params.profileId, caller);
      res.status(204).end();
    },
  );

  return router;
}
