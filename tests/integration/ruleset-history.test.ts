import { expect } from 'chai';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';

interface HistoryItem {
  id: string;
  type: string;
  actor: { keyId: string; name: string };
  at: string;
  subject: { kind: string; id: string };
  data: Record<string, unknown>;
}

const tagRule = (threshold: number) => ({
  name: 'high-income',
  conditions: { all: [{ fact: 'financials', path: '$.monthlyIncome', operator: 'greaterThanInclusive', value: threshold }] },
  event: { type: 'tag', params: { tag: 'income-high' } },
});

describe('GET /v1/rulesets/{id}/history', () => {
  let app: TestApp;
  let editor: Record<string, string>;
  let publisher: Record<string, string>;

  before(async () => {
    app = await startTestApp('ruleset-history');
    editor = bearer(await issueKey(app, ['rules:edit'], 'analyst'));
    publisher = bearer(await issueKey(app, ['rules:publish'], 'risk-lead'));
    await app.http().post('/v1/rulesets').set(editor).send({ id: 'history', kind: 'tagging', description: 'history test' }).expect(201);
    await app
      .http()
      .put('/v1/rulesets/history/draft')
      .set(editor)
      .send({ rules: [tagRule(30000)] })
      .expect(200);
    await app.http().post('/v1/rulesets/history/versions').set(publisher).expect(201);
    await app
      .http()
      .put('/v1/rulesets/history/draft')
      .set(editor)
      .send({ rules: [tagRule(20000)] })
      .expect(200);
    await app.http().post('/v1/rulesets/history/versions').set(publisher).expect(201);
    await app.http().put('/v1/rulesets/history/active').set(publisher).send({ version: 1 }).expect(200);
    // Another ruleset's change, which must not show in this one's history.
    await app
      .http()
      .put('/v1/rulesets/customer-tags/draft')
      .set(editor)
      .send({ rules: [tagRule(10000)] })
      .expect(200);
  });
  after(() => app.stop());

  it("when an editor reads it, then it lists the ruleset's creation, saves, publishes and activations newest first, with who and when", async () => {
    const res = await app.http().get('/v1/rulesets/history/history').set(editor);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const items = res.body.items as HistoryItem[];
    expect(items.map((item) => item.type)).to.deep.equal([
      'ruleset.activated',
      'ruleset.activated',
      'ruleset.published',
      'ruleset.draft-saved',
      'ruleset.activated',
      'ruleset.published',
      'ruleset.draft-saved',
      'ruleset.created',
    ]);
    expect(items.every((item) => item.subject.kind === 'ruleset' && item.subject.id === 'history')).to.equal(true);
    expect(items[0]!.data).to.deep.equal({ from: 2, to: 1 });
    expect(items[0]!.actor.name).to.equal('risk-lead');
    expect(items[2]!.data).to.include({ version: 2 });
    expect(items[3]!.actor.name).to.equal('analyst');
    expect(items[3]!.data).to.include({ rules: 1, tests: 0 });
    const times = items.map((item) => Date.parse(item.at));
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    expect(res.body.nextCursor).to.equal(null);
  });

  it('when read page by page, then the cursor continues where the last page ended, without overlap', async () => {
    const all = (await app.http().get('/v1/rulesets/history/history').set(editor)).body.items as HistoryItem[];
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await app
        .http()
        .get('/v1/rulesets/history/history')
        .query({ limit: 3, ...(cursor && { cursor }) })
        .set(publisher);
      expect(res.status).to.equal(200);
      expect(res.body.items.length).to.be.at.most(3);
      seen.push(...(res.body.items as HistoryItem[]).map((item) => item.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).to.deep.equal(all.map((item) => item.id));
  });

  it('when a shipped ruleset is read by compliance, then its installation by the system is there', async () => {
    const compliance = bearer(await issueKey(app, ['audit:read']));
    const res = await app.http().get('/v1/rulesets/fraud-alerts/history').set(compliance);
    expect(res.status).to.equal(200);
    const types = (res.body.items as HistoryItem[]).map((item) => `${item.type} by ${item.actor.name}`);
    expect(types).to.include.members(['ruleset.created by system', 'ruleset.published by system', 'ruleset.activated by system']);
  });

  it('when the key has no rules or audit role, then 403; when the ruleset is unknown, then 404; a forged cursor is a 400', async () => {
    const decider = bearer(await issueKey(app, ['decide']));
    const forbidden = await app.http().get('/v1/rulesets/history/history').set(decider);
    expect(forbidden.status).to.equal(403);
    expect(forbidden.body.error.code).to.equal('FORBIDDEN');
    expect((await app.http().get('/v1/rulesets/nope/history').set(editor)).status).to.equal(404);
    const forged = await app.http().get('/v1/rulesets/history/history').query({ cursor: 'not-a-cursor' }).set(editor);
    expect(forged.status).to.equal(400);
    expect(forged.body.error.details[0].path).to.equal('/query/cursor');
  });

  it('is documented in /openapi.json with the roles that may read it', async () => {
    const res = await app.http().get('/openapi.json');
    const operation = res.body.paths['/v1/rulesets/{id}/history']?.get;
    expect(operation, 'documented').to.not.equal(undefined);
    expect(JSON.stringify(operation)).to.include('rules:edit').and.to.include('audit:read');
  });
});
