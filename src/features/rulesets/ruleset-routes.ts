import { Router } from 'express';
import { route } from '../../http/route.js';
import { notFound } from '../../errors/domain-error.js';
import { listOf } from '../../http/list-schema.js';
import { actorOf } from '../audit/audit-trail.js';
import type { Role } from '../../auth/roles.js';
import { draftSchema } from './draft-schema.js';
import {
  activatedSchema,
  activateSchema,
  createRulesetSchema,
  draftViewSchema,
  publishedSchema,
  publishSchema,
  rulesetDetailSchema,
  rulesetIdParam,
  rulesetSummarySchema,
  testReportSchema,
  versionDetailSchema,
  versionParam,
} from './ruleset-schema.js';
import { versionView, type RulesetService } from './ruleset-service.js';
import type { RulesetPublisher } from './ruleset-publisher.js';
import type { RulesetStore } from './ruleset-store.js';
import type { RulesetRuntime } from './ruleset-runtime.js';

const EDITORS: Role[] = ['rules:edit'];
const PUBLISHERS: Role[] = ['rules:publish'];
const TAG = 'Rulesets';

/** Rulesets endpoints for business staff: any role reads; rules:edit edits; rules:publish publishes. */
export function rulesetRoutes(rulesets: RulesetService, publisher: RulesetPublisher, store: RulesetStore, runtime: RulesetRuntime): Router {
  const router = Router();

  route(
    router,
    {
      method: 'get',
      path: '/v1/rulesets',
      summary: 'List rulesets with their active and latest versions',
      tag: TAG,
      roles: 'any',
      responses: { 200: { description: 'Rulesets', schema: listOf(rulesetSummarySchema) } },
    },
    async ({ res }) => {
      res.json({ items: await rulesets.list(), nextCursor: null });
    },
  );

  route(
    router,
    {
      method: 'post',
      path: '/v1/rulesets',
      summary: 'Create a ruleset (with an empty draft)',
      tag: TAG,
      roles: EDITORS,
      body: createRulesetSchema,
      responses: { 201: { description: 'Created', schema: rulesetDetailSchema } },
    },
    async ({ res, body, caller }) => {
      const created = await rulesets.create(body, actorOf(caller));
      res.status(201).json(await rulesets.get(created.id));
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/rulesets/:id',
      summary: 'A ruleset with its draft, active version and versions',
      tag: TAG,
      roles: 'any',
      params: rulesetIdParam,
      responses: { 200: { description: 'The ruleset', schema: rulesetDetailSchema } },
    },
    async ({ res, params }) => {
      const ruleset = await rulesets.get(params.id);
      res.json({ ...ruleset, servingVersion: runtime.activeVersionOf(params.id)?.identity.version ?? null, fourEyes: publisher.fourEyes });
    },
  );

  route(
    router,
    {
      method: 'put',
      path: '/v1/rulesets/:id/draft',
      summary: 'Replace the draft; it is validated completely (facts, operators, values, paths, events, limits)',
      tag: TAG,
      roles: EDITORS,
      params: rulesetIdParam,
      body: draftSchema,
      responses: { 200: { description: 'The saved draft', schema: draftViewSchema } },
    },
    async ({ res, params, body, caller }) => {
      res.json(await rulesets.saveDraft(params.id, body, actorOf(caller)));
    },
  );

  route(
    router,
    {
      method: 'post',
      path: '/v1/rulesets/:id/draft/test',
      summary: "Run the draft's tests",
      tag: TAG,
      roles: [...EDITORS, ...PUBLISHERS],
      params: rulesetIdParam,
      responses: { 200: { description: 'Test report', schema: testReportSchema } },
    },
    async ({ res, params }) => {
      res.json(await rulesets.testDraft(params.id));
    },
  );

  route(
    router,
    {
      method: 'post',
      path: '/v1/rulesets/:id/versions',
      summary:
        'Publish the draft as the next version (active unless activate is false); a risk or product draft reading protected facts needs acknowledgeProtected',
      tag: TAG,
      roles: PUBLISHERS,
      params: rulesetIdParam,
      body: publishSchema,
      bodyOptional: true,
      responses: {
        201: { description: 'Published', schema: publishedSchema },
      },
    },
    async ({ res, params, body, caller }) => {
      res.status(201).json(await publisher.publish(params.id, body?.activate ?? true, actorOf(caller), body?.acknowledgeProtected));
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/rulesets/:id/versions/:version',
      summary: 'A published version',
      tag: TAG,
      roles: 'any',
      params: { ...rulesetIdParam, ...versionParam },
      responses: { 200: { description: 'The version', schema: versionDetailSchema } },
    },
    async ({ res, params }) => {
      await rulesets.require(params.id);
      const version = await store.getVersion(params.id, params.version);
      if (!version) throw notFound(`Ruleset ${params.id} has no version ${params.version}.`);
      res.json({ ...versionView(version), rules: version.rules, tests: version.tests, reasons: version.reasons ?? {} });
    },
  );

  route(
    router,
    {
      method: 'put',
      path: '/v1/rulesets/:id/active',
      summary: 'Activate a version: rollback or roll-forward, effective on every instance within 5 s',
      tag: TAG,
      roles: PUBLISHERS,
      params: rulesetIdParam,
      body: activateSchema,
      responses: {
        200: { description: 'Now active', schema: activatedSchema },
      },
    },
    async ({ res, params, body, caller }) => {
      const activeVersion = await publisher.activate(params.id, body.version, actorOf(caller));
      res.json({ id: params.id, activeVersion });
    },
  );

  return router;
}
