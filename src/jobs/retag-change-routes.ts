import { Router } from 'express';
import { route } from '../http/route.js';
import { decodeCursor, encodeCursor, pageQueryProperties } from '../http/pagination.js';
import { listOf } from '../http/list-schema.js';
import { notFound, validationFailed } from '../errors/domain-error.js';
import type { JobStore } from './job-store.js';
import type { RetagChangeStore, TagChange } from './retag-change-store.js';

/** Batch documents one page reads at most: a rare tag answers a short page with a cursor, never a long scan. */
const MAX_BATCHES_PER_PAGE = 40;

export const tagChangeSchema = {
  type: 'object',
  properties: {
    profileId: { type: 'string' },
    gained: { type: 'array', items: { type: 'string' } },
    lost: { type: 'array', items: { type: 'string' } },
  },
  required: ['profileId', 'gained', 'lost'],
  additionalProperties: false,
} as const;

const foreignCursor = () =>
  validationFailed('The cursor is invalid.', [{ path: '/query/cursor', message: 'is not a cursor of this run and tag' }]);

/** Where a page starts: the batch number and the index within it. */
function startOf(cursor: string | undefined, runId: string, tag: string): { n: number; index: number } {
  const position = decodeCursor(cursor, { run: 'id', tag: 'id', at: 'id' });
  if (!position) return { n: 0, index: 0 };
  const match = /^(\d{1,8}):(\d{1,6})$/.exec(position.at);
  if (position.run !== runId || position.tag !== `t:${tag}` || !match) throw foreignCursor();
  return { n: Number(match[1]), index: Number(match[2]) };
}

/** GET /v1/jobs/retag/runs/{runId}/changes: who gained or lost which tag in a retag run. */
export function retagChangeRoutes(jobs: JobStore, changes: RetagChangeStore): Router {
  const router = Router();
  route(
    router,
    {
      method: 'get',
      path: '/v1/jobs/retag/runs/:runId/changes',
      summary: 'Who gained or lost which tag in one retag run, optionally only changes of one tag',
      tag: 'Jobs',
      roles: ['profiles:read'],
      params: { runId: { type: 'string', minLength: 1, maxLength: 100 } },
      query: {
        type: 'object',
        properties: { tag: { type: 'string', minLength: 1, maxLength: 100 }, ...pageQueryProperties },
        additionalProperties: false,
      },
      blankQueryAbsent: ['tag'],
      responses: { 200: { description: 'A page of tag changes, in the order the run made them', schema: listOf(tagChangeSchema) } },
    },
    async ({ res, params, query }) => {
      const run = await jobs.getRun(params.runId);
      if (run?.job !== 'retag') throw notFound(`No retag run with id ${params.runId}.`);
      const tag = query.tag ?? '';
      let { n, index } = startOf(query.cursor, params.runId, tag);
      const items: TagChange[] = [];
      for (let read = 0; items.length < query.limit && read < MAX_BATCHES_PER_PAGE; read += 1) {
        const batch = await changes.batch(params.runId, n);
        if (!batch) {
          res.json({ items, nextCursor: null });
          return;
        }
        for (; index < batch.length && items.length < query.limit; index += 1) {
          const change = batch[index]!;
          if (!tag || change.gained.includes(tag) || change.lost.includes(tag)) items.push(change);
        }
        if (index >= batch.length) [n, index] = [n + 1, 0];
      }
      // A full page, or the batch budget spent: more follows if the batch where reading stopped exists.
      const more = (await changes.batch(params.runId, n)) !== undefined;
      res.json({ items, nextCursor: more ? encodeCursor({ run: params.runId, tag: `t:${tag}`, at: `${n}:${index}` }) : null });
    },
  );
  return router;
}
