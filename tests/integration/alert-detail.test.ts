import { expect } from 'chai';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const BEIJING = { lat: 39.9, lon: 116.4 };
const NEARBY = { lat: 23.2, lon: 113.3 };
const RULE = 'event-far-from-residence';
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

describe('Alert review: GET /v1/alerts/{decisionId} (an analyst opens an alert)', () => {
  let app: TestApp;
  let analyst: Record<string, string>;
  let loans: Record<string, string>;
  let compliance: Record<string, string>;
  let alerted: string;
  let snoozed: string;
  let clean: string;

  const decide = async (profileId: string, location: { lat: number; lon: number }): Promise<string> =>
    (
      await app
        .http()
        .post('/v1/decisions')
        .set(loans)
        .send({ profileId, event: { type: 'login', location }, rulesets: ['fraud-alerts'] })
        .expect(200)
    ).body.decisionId;

  before(async () => {
    app = await startTestApp('alertdetail');
    analyst = bearer(await issueKey(app, ['alerts:review']));
    loans = bearer(await issueKey(app, ['decide', 'profiles:write']));
    compliance = bearer(await issueKey(app, ['audit:read']));
    const activity = [
      { at: daysAgo(40), kind: 'login', deviceId: 'dev-old' },
      { at: daysAgo(2), kind: 'login', deviceId: 'dev-2d' },
      { at: daysAgo(1), kind: 'browse', deviceId: 'dev-1d' },
    ];
    for (const profileId of ['AD-1', 'AD-2']) {
      await app
        .http()
        .put(`/v1/profiles/${profileId}`)
        .set(loans)
        .send({ type: 'individual', basic: { residence: GUANGZHOU }, activity })
        .expect(201);
    }
    alerted = await decide('AD-1', BEIJING);
    clean = await decide('AD-1', NEARBY);
    await app
      .http()
      .post('/v1/profiles/AD-2/snoozes')
      .set(analyst)
      .send({ ruleset: 'fraud-alerts', rule: RULE, until: new Date(Date.now() + 3_600_000).toISOString(), reason: 'checked' })
      .expect(201);
    snoozed = await decide('AD-2', BEIJING);
  });
  after(() => app.stop());

  it("when an analyst opens an alerted decision, then 200 with the logged decision as compliance reads it, the last 30 days' activity newest first and the reviews", async () => {
    await app.http().post(`/v1/decisions/${alerted}/reviews`).set(analyst).send({ label: 'fraud', note: 'denied' }).expect(201);
    const res = await app.http().get(`/v1/alerts/${alerted}`).set(analyst).expect(200);
    const logged = await app.http().get(`/v1/decisions/${alerted}`).set(compliance).expect(200);
    expect(res.body.decision).to.deep.equal(logged.body);
    expect(res.body.decision.alerts.map((alert: { rule: string }) => alert.rule)).to.include(RULE);
    expect(res.body.decision.explanations.length).to.be.greaterThan(0);
    expect(res.body.recentActivity.map((entry: { deviceId: string }) => entry.deviceId)).to.deep.equal(['dev-1d', 'dev-2d']);
    expect(res.body.reviews.map((review: { label: string }) => review.label)).to.deep.equal(['fraud']);
  });

  it('when an analyst opens a decision that raised no alert but had a snooze in effect, then 200 with the rule marked snoozed', async () => {
    const res = await app.http().get(`/v1/alerts/${snoozed}`).set(analyst).expect(200);
    expect(res.body.decision.alerts).to.deep.equal([]);
    expect(res.body.decision.snoozes.map((snooze: { rule: string }) => snooze.rule)).to.deep.equal([RULE]);
    const rule = res.body.decision.explanations.find((explanation: { rule: string }) => explanation.rule === RULE);
    expect(rule.snoozed).to.equal(true);
    expect(res.body.reviews).to.deep.equal([]);
  });

  it('when an analyst opens a decision with neither an alert nor a snooze, or an unknown one, then 404', async () => {
    const res = await app.http().get(`/v1/alerts/${clean}`).set(analyst).expect(404);
    expect(res.body.error.code).to.equal('NOT_FOUND');
    await app.http().get('/v1/alerts/dec_unknown').set(analyst).expect(404);
  });

  it('when a key without alerts:review opens an alert, then 403; admin may', async () => {
    for (const key of [loans, compliance, bearer(await issueKey(app, ['rules:publish', 'profiles:read']))]) {
      expect((await app.http().get(`/v1/alerts/${alerted}`).set(key)).status).to.equal(403);
    }
    await app
      .http()
      .get(`/v1/alerts/${alerted}`)
      .set(bearer(await issueKey(app, ['admin'])))
      .expect(200);
  });

  it("when an analyst reads a profile or a logged decision directly, then 403 (the contract's roles)", async () => {
    expect((await app.http().get('/v1/profiles/AD-1').set(analyst)).status).to.equal(403);
    expect((await app.http().get(`/v1/decisions/${alerted}`).set(analyst)).status).to.equal(403);
    expect((await app.http().get(`/v1/decisions/${snoozed}`).set(analyst)).status).to.equal(403);
  });
});
