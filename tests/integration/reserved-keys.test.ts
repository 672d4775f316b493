import { expect } from 'chai';
import { startTestApp, bearer, issueKey, openTestDatabase, type TestApp } from '../helpers/test-app.js';
import type { Database } from '../../src/db/database.js';
import { RulesetStore } from '../../src/features/rulesets/ruleset-store.js';
import type { Rule } from '../../src/engine/rule-schema.js';

/**
 * Keys that name members of every JavaScript object (`__proto__`, `constructor`, `prototype`): a lookup
 * in a plain object finds Object.prototype's, and an assignment to `__proto__` is silently dropped. Bodies
 * are sent as raw JSON text, since a JavaScript literal `{ __proto__: ... }` sets a prototype, not a key.
 */
const RESERVED = ['__proto__', 'constructor', 'prototype'];
const ageRule = {
  name: 'r',
  conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 3 }] },
  event: { type: 'tag', params: { tag: 't' } },
};
const paths = (res: { body: { error: { details: { path: string }[] } } }) => res.body.error.details.map((detail) => detail.path);

describe('Keys that name Object prototype members', () => {
  let app: TestApp;
  let database: Database;
  let loanSystem: Record<string, string>;
  let feed: Record<string, string>;
  let editor: Record<string, string>;
  let compliance: Record<string, string>;

  before(async () => {
    app = await startTestApp('reservedkeys', { RULESET_POLL_MS: '100', JOBS_TIMEZONE: 'UTC' });
    database = await openTestDatabase(app);
    loanSystem = bearer(await issueKey(app, ['decide']));
    feed = bearer(await issueKey(app, ['profiles:write']));
    editor = bearer(await issueKey(app, ['rules:edit', 'rules:publish']));
    compliance = bearer(await issueKey(app, ['audit:read']));
    await app
      .http()
      .put('/v1/profiles/K-1')
      .set(feed)
      .send({ type: 'individual', basic: { birthDate: '1990-01-01' } })
      .expect(201);
  });
  after(async () => {
    await database.close();
    await app.stop();
  });

  /** Sends `body` as JSON text, so that a `__proto__` key arrives as the client wrote it. */
  const sendRaw = (method: 'post' | 'put', path: string, headers: Record<string, string>, body: string) =>
    app.http()[method](path).set(headers).set('Content-Type', 'application/json').send(body);

  describe('POST /v1/decisions', () => {
    for (const id of ['constructor', 'prototype']) {
      it(`when rulesets names "${id}", then 400 pointing at the item, never a 500`, async () => {
        const res = await sendRaw(
          'post',
          '/v1/decisions',
          loanSystem,
          `{"profileId":"K-1","event":{"type":"login"},"rulesets":["fraud-alerts","${id}"]}`,
        );

        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(paths(res)).to.include('/rulesets/1');
      });
    }

    for (const key of RESERVED) {
      it(`when versions has the key "${key}", then 400 pointing at it`, async () => {
        const res = await sendRaw(
          'post',
          '/v1/decisions',
          loanSystem,
          `{"profileId":"K-1","event":{"type":"login"},"versions":{"${key}":1}}`,
        );

        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(paths(res)).to.include(`/versions/${key}`);
        expect(res.body.error.details.find((d: { path: string }) => d.path === `/versions/${key}`).message).to.match(
          /__proto__, constructor or prototype/,
        );
      });

      it(`when the event has the extra key "${key}", then 400 pointing at it and nothing is logged`, async () => {
        const before = (await app.http().get('/v1/decisions').query({ profileId: 'K-1' }).set(compliance)).body.items.length;

        const res = await sendRaw('post', '/v1/decisions', loanSystem, `{"profileId":"K-1","event":{"type":"login","${key}":"x"}}`);

        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(paths(res)).to.include(`/event/${key}`);
        expect((await app.http().get('/v1/decisions').query({ profileId: 'K-1' }).set(compliance)).body.items).to.have.length(before);
      });
    }
  });

  describe('query strings', () => {
    for (const key of RESERVED) {
      it(`when a query parameter is named "${key}", then 400 pointing at it`, async () => {
        const res = await app.http().get(`/v1/profiles?${key}=x`).set(compliance);

        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(paths(res)).to.deep.equal([`/query/${key}`]);
      });
    }
  });

  describe('profiles', () => {
    for (const key of RESERVED) {
      it(`when attributes has the key "${key}", then 400 pointing at it, in a PUT and in a bulk item`, async () => {
        const put = await sendRaw('put', '/v1/profiles/K-2', feed, `{"type":"individual","attributes":{"vipLevel":2,"${key}":1}}`);
        const bulk = await sendRaw(
          'post',
          '/v1/profiles/bulk',
          feed,
          `{"profiles":[{"profileId":"K-3","type":"sme","attributes":{"${key}":true}}]}`,
        );

        expect(put.status, JSON.stringify(put.body)).to.equal(400);
        expect(paths(put)).to.include(`/attributes/${key}`);
        expect(bulk.status).to.equal(200);
        expect(bulk.body.upserted).to.equal(0);
        expect(bulk.body.errors[0].error.details.map((d: { path: string }) => d.path)).to.include(`/profiles/0/attributes/${key}`);
        expect((await app.http().get('/v1/profiles/K-2').set(loanSystem)).status).to.equal(404);
      });
    }
  });

  describe('rulesets', () => {
    before(async () => {
      await app.http().post('/v1/rulesets').set(editor).send({ id: 'keys', kind: 'tagging', description: 'reserved keys' }).expect(201);
    });

    for (const id of ['constructor', 'prototype']) {
      it(`when a ruleset is created with the id "${id}", then 400 pointing at /id and it does not exist`, async () => {
        const res = await app.http().post('/v1/rulesets').set(editor).send({ id, kind: 'tagging', description: 'x' });

        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(paths(res)).to.deep.equal(['/id']);
        expect((await app.http().get(`/v1/rulesets/${id}`).set(editor)).status).to.equal(404);
      });
    }

    const drafts = (key: string) => [
      {
        name: `a condition's params key "${key}"`,
        draft: `{"rules":[{"name":"r","conditions":{"all":[{"fact":"age","operator":"greaterThan","value":3,"params":{"${key}":1}}]},"event":{"type":"tag","params":{"tag":"t"}}}]}`,
        path: `/rules/0/conditions/all/0/params/${key}`,
      },
      {
        name: `an event params key "${key}"`,
        draft: `{"rules":[{"name":"r","conditions":{"all":[{"fact":"age","operator":"greaterThan","value":3}]},"event":{"type":"tag","params":{"tag":"t","${key}":1}}}]}`,
        path: `/rules/0/event/params/${key}`,
      },
      {
        name: `a path through "${key}"`,
        draft: JSON.stringify({
          rules: [{ ...ageRule, conditions: { all: [{ fact: 'attributes', path: `$.vip.${key}`, operator: 'equal', value: 1 }] } }],
        }),
        path: '/rules/0/conditions/all/0/path',
      },
      {
        name: `a message placeholder through "${key}"`,
        draft: JSON.stringify({ rules: [{ ...ageRule, event: { type: 'tag', params: { tag: 't', message: `{{event.${key}}}` } } }] }),
        path: '/rules/0/event/params/message',
      },
      {
        name: `a test profile attribute "${key}"`,
        draft: `{"rules":[],"tests":[{"name":"t","profile":{"type":"individual","attributes":{"${key}":1}},"event":{"type":"login"},"expect":{}}]}`,
        path: `/tests/0/profile/attributes/${key}`,
      },
      {
        name: `a test event key "${key}"`,
        draft: `{"rules":[],"tests":[{"name":"t","profile":{"type":"individual"},"event":{"type":"login","${key}":1},"expect":{}}]}`,
        path: `/tests/0/event/${key}`,
      },
    ];
    for (const key of RESERVED) {
      for (const { name, draft, path } of drafts(key)) {
        it(`when a draft has ${name}, then 400 pointing at ${path}`, async () => {
          const res = await sendRaw('put', '/v1/rulesets/keys/draft', editor, draft);

          expect(res.status, JSON.stringify(res.body)).to.equal(400);
          expect(paths(res)).to.include(path);
        });
      }

      it(`when a simulation's template event has the key "${key}", then 400 pointing at it`, async () => {
        const res = await sendRaw(
          'post',
          '/v1/rulesets/fraud-alerts/simulate',
          editor,
          `{"candidate":"draft","baseline":"active","against":{"profiles":{"limit":1,"event":{"type":"login","${key}":1}}}}`,
        );

        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(paths(res)).to.include(`/against/profiles/event/${key}`);
      });
    }
  });

  describe('a ruleset named "constructor" that an earlier version let in', () => {
    const rule: Rule = {
      name: 'constructor',
      conditions: { all: [{ fact: 'type', operator: 'equal', value: 'individual' }] },
      event: { type: 'tag', params: { tag: 'constructor' } },
    };

    before(async () => {
      const store = new RulesetStore(database.connection);
      const actor = { keyId: 'legacy', name: 'legacy' };
      const now = new Date();
      await store.create({
        id: 'constructor',
        kind: 'tagging',
        description: 'created before ids were checked',
        createdAt: now,
        createdBy: actor,
        draft: { rules: [], tests: [], checksum: 'sha256:draft', updatedAt: now, updatedBy: actor },
      });
      await store.insertVersion({
        rulesetId: 'constructor',
        version: 1,
        kind: 'tagging',
        rules: [rule],
        tests: [],
        checksum: 'sha256:v1',
        publishedAt: now,
        publishedBy: actor,
      });
      await store.setActive('constructor', 1, now);
      // Every instance polls the heads every RULESET_POLL_MS (100 ms here).
      for (let waited = 0; waited < 5000; waited += 100) {
        if ((await app.http().get('/v1/rulesets/constructor').set(editor)).body.servingVersion === 1) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the constructor ruleset was never served');
    });

    it('when a decision evaluates every active ruleset, then it evaluates that one too, and the day report counts its rule and tag', async () => {
      const res = await app
        .http()
        .post('/v1/decisions')
        .set(loanSystem)
        .send({ profileId: 'K-1', event: { type: 'login' } });

      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.rulesetVersions).to.have.property('constructor', 1);
      expect(res.body.tags).to.include('constructor');
      const logged = await app.http().get(`/v1/decisions/${res.body.decisionId}`).set(compliance);
      const report = await app
        .http()
        .get('/v1/reports/daily')
        .query({ date: logged.body.createdAt.slice(0, 10) })
        .set(compliance);
      expect(report.status).to.equal(200);
      expect(report.body.tags).to.deep.include({ constructor: 1 });
      const version = report.body.rulesets.find((item: { ruleset: string }) => item.ruleset === 'constructor');
      expect(version.rules).to.deep.equal([{ rule: 'constructor', hits: 1 }]);
      expect(version.tags).to.deep.equal({ constructor: 1 });
    });

    it('when a simulation drops its tag, then the delta of the tag "constructor" is counted', async () => {
      // A caller who may see customer-level counts (editors see counts below 5 suppressed).
      const res = await app
        .http()
        .post('/v1/rulesets/constructor/simulate')
        .set(bearer(app.adminKey))
        .send({
          candidate: 'draft',
          baseline: 'active',
          against: { profiles: { limit: 10, event: { type: 'login', at: '2026-11-21T10:00:00+08:00' } } },
        });

      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.inputs).to.equal(1);
      expect(res.body.deltas.tags).to.deep.equal({ constructor: -1 });
      expect(res.body.rules).to.deep.equal([{ rule: 'constructor', baseline: 1, candidate: 0 }]);
    });
  });
});
