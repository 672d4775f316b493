import { Router } from 'express';
import { route } from '../../http/route.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { parseTimeRange } from '../../http/time-range.js';
import { listOf } from '../../http/list-schema.js';
import type { Role } from '../../auth/roles.js';
import type { ReviewService } from './review-service.js';
import type { AlertDetails } from './alert-detail.js';
import { alertDetailSchema, alertItemSchema, alertQuerySchema, reviewRequestSchema, reviewSchema } from './review-schema.js';

const ANALYSTS: Role[] = ['alerts:review'];
const TAG = 'Alert review';
const decisionIdParam = { decisionId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } } as const;

/** The alert queue and labels, for fraud analysts. */
export function reviewRoutes(reviews: ReviewService, details: AlertDetails): Router {
  const router = Router();

  route(
    router,
    {
      method: 'get',
      path: '/v1/alerts',
      summary: 'Decisions that raised alerts, newest first, each with its latest review (open: none yet)',
      tag: TAG,
      roles: ANALYSTS,
      query: alertQuerySchema,
      blankQueryAbsent: ['status', 'code', 'profileId', 'from', 'to'],
      responses: {
        200: {
          description:
            'A page of alerted decisions; an open page reads a bounded stretch of the log, so it may hold fewer than limit with a nextCursor',
          schema: listOf(alertItemSchema),
        },
      },
    },
    async ({ res, query }) => {
      const before = decodeCursor(query.cursor, { createdAt: 'instant', id: 'id' });
      const { from, to } = parseTimeRange(query);
      const filter = { status: query.status, code: query.code, profileId: query.profileId, from, to };
      const { items, next } = await reviews.alerts(filter, query.limit, before);
      res.json({ items, nextCursor: next ? encodeCursor({ createdAt: next.createdAt.toISOString(), id: next.id }) : null });
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/alerts/:decisionId',
      summary:
        "Open an alert: the logged decision with its explanations, the customer's recent activity and the reviews; only a decision that raised an alert or had a snooze in effect",
      tag: TAG,
      roles: ANALYSTS,
      params: decisionIdParam,
      responses: { 200: { description: 'The decision as an analyst opens it', schema: alertDetailSchema } },
    },
    async ({ res, params }) => {
      res.json(await details.open(params.decisionId));
    },
  );

  route(
    router,
    {
      method: 'post',
      path: '/v1/decisions/:decisionId/reviews',
      summary: "Label a decision fraud, legitimate or unsure, with a note; append-only, the latest is the decision's review",
      tag: TAG,
      roles: ANALYSTS,
      params: decisionIdParam,
      body: reviewRequestSchema,
      responses: { 201: { description: 'The review', schema: reviewSchema } },
    },
    async ({ res, params, body, caller }) => {
      res.status(201).json(await reviews.review(params.decisionId, body, caller));
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/decisions/:decisionId/reviews',
      summary: 'Every review of a decision, newest first',
      tag: TAG,
      roles: [...ANALYSTS, 'audit:read'],
      params: decisionIdParam,
      responses: {
        200: {
          description: 'The reviews (all of them: a decision is reviewed a few times at most)',
          schema: {
            type: 'object',
            properties: { items: { type: 'array', items: reviewSchema } },
            required: ['items'],
            additionalProperties: false,
          },
        },
      },
    },
    async ({ res, params }) => {
      res.json({ items: await reviews.history(params.decisionId) });
    },
  );

  return router;
}
