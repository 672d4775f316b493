import { once } from 'node:events';
import { Router } from 'express';
import { route } from '../../http/route.js';
import type { FromSchema } from 'json-schema-to-ts';
import { notFound } from '../../errors/domain-error.js';
import { parseTimeRange, timeRangeQueryProperties } from '../../http/time-range.js';
import { decodeCursor, encodeCursor, pageQueryProperties } from '../../http/pagination.js';
import { listOf } from '../../http/list-schema.js';
import { OUTCOMES } from '../../engine/rule-schema.js';
import { RULESET_ID_PATTERN } from '../rulesets/ruleset-schema.js';
import { profileIdSchema } from '../profiles/profile-schema.js';
import type { DecideUseCase } from './decide.js';
import type { DecisionFilter, DecisionLogStore, LogPosition } from './decision-log-store.js';
import {
  decisionRequestSchema,
  decisionResponseSchema,
  IDEMPOTENCY_KEY_PATTERN,
  loggedDecisionSchema,
  replayReportSchema,
} from './decision-schema.js';
import { loggedDecision } from './decision-view.js';
import { decisionResponseJson } from './decision-json.js';
import type { ReplayUseCase } from './replay.js';
import type { LoggedExplanations } from './logged-explanations.js';

const TAG = 'Decisions';
const decisionIdParam = { decisionId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } } as const;

/** What the log can be filtered by: the list's query, and the export's (a time range only). */
const filterQueryProperties = {
  profileId: profileIdSchema,
  outcome: { type: 'string', enum: OUTCOMES },
  alert: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,63}$' },
  ruleset: { type: 'string', pattern: RULESET_ID_PATTERN },
  ...timeRangeQueryProperties,
} as const;
const filterQuery = { type: 'object', properties: filterQueryProperties, additionalProperties: false } as const;

function toFilter(query: FromSchema<typeof filterQuery>): DecisionFilter {
  const { from, to } = parseTimeRange(query);
  return { profileId: query.profileId, outcome: query.outcome, alert: query.alert, ruleset: query.ruleset, from, to };
}

/** Decisions for loan systems (decide) and the decision log for compliance (audit:read). */
export function decisionRoutes(
  decide: DecideUseCase,
  log: DecisionLogStore,
  replay: ReplayUseCase,
  explanations: LoggedExplanations,
): Router {
  const router = Router();

  route(
    router,
    {
      method: 'post',
      path: '/v1/decisions',
      summary: 'Decide: tags, products, alerts, score and outcome with explanations; logged before it is answered',
      tag: TAG,
      roles: ['decide'],
      body: decisionRequestSchema,
      headers: {
        'Idempotency-Key': {
          schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
          description: 'A retry with the same key and body returns the first decision',
        },
      },
      responses: { 200: { description: 'The decision', schema: decisionResponseSchema } },
    },
    async ({ res, body, headers, caller }) => {
      const idempotencyKey = headers['idempotency-key'];
      const answer = await decide.decide({ request: body, caller, requestId: res.locals.requestId, idempotencyKey });
      // Serialised once, and sent as it is (res.json would serialise, then copy 25 KB into a buffer).
      const text = decisionResponseJson(answer);
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(text));
      res.end(text);
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/decisions/export',
      summary: 'Export the decision log as NDJSON (one logged decision a line, oldest first), streamed',
      tag: TAG,
      roles: ['audit:read'],
      query: { type: 'object', properties: timeRangeQueryProperties, additionalProperties: false },
      responses: { 200: { description: 'application/x-ndjson stream', contentType: 'application/x-ndjson', schema: loggedDecisionSchema } },
    },
    async ({ req, res, query }) => {
      const filter = toFilter(query);
      res.status(200).setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
      let closed = false;
      req.on('close', () => (closed = true));
      for await (const record of log.stream(filter)) {
        if (closed) break;
        const line = JSON.stringify(loggedDecision(record, await explanations.of(record)));
        if (!res.write(`${line}\n`)) await once(res, 'drain');
      }
      res.end();
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/decisions',
      summary: 'List logged decisions, newest first',
      tag: TAG,
      roles: ['audit:read'],
      query: { type: 'object', properties: { ...filterQueryProperties, ...pageQueryProperties }, additionalProperties: false },
      responses: { 200: { description: 'A page of logged decisions', schema: listOf(loggedDecisionSchema) } },
    },
    async ({ res, query }) => {
      const before: LogPosition | undefined = decodeCursor(query.cursor, { createdAt: 'instant', id: 'id' });
      const records = await log.list(toFilter(query), query.limit, before);
      const last = records.length === query.limit ? records[records.length - 1] : undefined;
      res.json({
        items: await Promise.all(records.map(async (record) => loggedDecision(record, await explanations.of(record)))),
        nextCursor: last ? encodeCursor({ createdAt: last.core.createdAt, id: last.core.decisionId }) : null,
      });
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/decisions/:decisionId',
      summary: 'A logged decision with its facts, request, caller and versions',
      tag: TAG,
      // Compliance only (the contract); a fraud analyst opens alerted or snoozed decisions through GET /v1/alerts/{id}.
      roles: ['audit:read'],
      params: decisionIdParam,
      responses: { 200: { description: 'The logged decision', schema: loggedDecisionSchema } },
    },
    async ({ res, params }) => {
      const record = await log.get(params.decisionId);
      if (!record) throw notFound(`No decision with id ${params.decisionId}.`);
      res.json(loggedDecision(record, await explanations.of(record)));
    },
  );

  route(
    router,
    {
      method: 'post',
      path: '/v1/decisions/:decisionId/replay',
      summary: 'Re-evaluate the logged facts with the logged versions and compare',
      tag: TAG,
      roles: ['audit:read'],
      params: decisionIdParam,
      responses: {
        200: {
          description: 'Whether the replay is identical, and how it differs if not',
          schema: replayReportSchema,
        },
      },
    },
    async ({ res, params }) => {
      res.json(await replay.replay(params.decisionId));
    },
  );

  return router;
}
