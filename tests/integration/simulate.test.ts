import { expect } from 'chai';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
/** Events due north of Guangzhou at about these distances (1° of latitude ≈ 111 km). */
const DISTANCES_KM = [50, 150, 250, 400, 1200];
const north = (km: number) => ({ lat: GUANGZHOU.lat + km / 111.2, lon: GUANGZHOU.lon });

describe('POST /v1/rulesets/{id}/simulate', () => {
  let app: TestApp;
  let staff: Record<string, string>;
  let compliance: Record<string, string>;
  let from: string;
  let to: string;

  before(async () => {
    app = await startTestApp('simulate', { SIMULATION_INLINE_LIMIT: '4' });
    staff = bearer(await issueKey(app, ['rules:edit', 'rules:publish']));
    compliance = bearer(await issueKey(app, ['audit:read']));
    const feed = bearer(await issueKey(app, ['profiles:write', 'decide']));
    from = new Date(Date.now() - 1000).toISOString();
    for (const [index, km] of DISTANCES_KM.entries()) {
      await app.http().put(`/v1/profiles/S-${index}`).set(feed).send({ type: 'individual', basic: { residence: GUANGZHOU } }).expect(201);
      await app
        .http()
        .post('/v1/decisions')
        .set(feed)
        .send({ profileId: `S-${index}`, event: { type: 'loan_application', at: '2026-11-21T10:00:00+08:00', location: north(km) }, rulesets: ['fraud-alerts'] })
        .expect(200);
    }
    to = new Date(Date.now() + 1000).toISOString();
    // The draft lowers the distance that raises LOCATION_MISMATCH from 300 km to 100 km.
    const v1 = await app.http().get('/v1/rulesets/fraud-alerts/versions/1').set(staff);
    const rules = v1.body.rules.map((rule: { name: string; conditions: { all: { fact: string; value: number }[] } }) => {
      if (rule.name !== 'event-far-from-residence') return rule;
      return { ...rule, conditions: { all: rule.conditions.all.map((leaf) => (leaf.fact === 'eventDistanceFromResidenceKm' ? { ...leaf, value: 100 } : leaf)) } };
    });
    await app.http().put('/v1/rulesets/fraud-alerts/draft').set(staff).send({ rules, tests: [] }).expect(200);
  });
  after(() => app.stop());

  it('when a draft lowers a fraud threshold, then against logged decisions it reports exactly the extra alerts', async () => {
    const decisionsBefore = (await app.http().get('/v1/decisions').query({ limit: 500 }).set(compliance)).body.items.length;
    const res = await app
      .http()
      .post('/v1/rulesets/fraud-alerts/simulate')
      .set(staff)
      .send({ candidate: 'draft', baseline: 'active', against: { decisions: { from, to } } });
    // 5 inputs exceed the inline limit of 4 in this test: the run continues in the background.
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    let report = res.body;
    for (let i = 0; i < 100 && report.status !== 'succeeded'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      report = (await app.http().get(`/v1/rulesets/fraud-alerts/simulations/${res.body.simulationId}`).set(staff)).body;
    }
    expect(report.status).to.equal('succeeded');
    expect(report).to.include({ inputs: 5, against: 'decisions' });
    expect(report.candidate).to.include({ version: 'draft' });
    expect(report.baseline).to.include({ version: 1 });
    expect(report.changed).to.deep.equal({ any: 2, outcome: 2, tags: 0, products: 0, alerts: 2 });
    expect(report.deltas.alerts).to.deep.equal({ LOCATION_MISMATCH: 2 });
    const rule = report.rules.find((r: { rule: string }) => r.rule === 'event-far-from-residence');
    expect(rule).to.deep.equal({ rule: 'event-far-from-residence', baseline: 2, candidate: 4 });
    expect(report.examples.map((e: { input: { profileId: string } }) => e.input.profileId)).to.have.members(['S-1', 'S-2']);
    expect(report.examples[0].before.alerts).to.deep.equal([]);
    expect(report.examples[0].after.alerts).to.deep.equal(['LOCATION_MISMATCH']);

    const decisionsAfter = (await app.http().get('/v1/decisions').query({ limit: 500 }).set(compliance)).body.items.length;
    expect(decisionsAfter, 'a simulation logs no decisions').to.equal(decisionsBefore);
  });

  it('when run against profiles with a template event, then it answers inline and writes no tags', async () => {
    const before = await app.http().get('/v1/profiles/S-0').set(bearer(app.adminKey));
    const res = await app
      .http()
      .post('/v1/rulesets/fraud-alerts/simulate')
      .set(staff)
      .send({ candidate: 'draft', baseline: 1, against: { profiles: { limit: 3, event: { type: 'loan_application', location: north(200) } } } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ inputs: 3, against: 'profiles' });
    expect(res.body.changed.alerts).to.equal(3);
    const after = await app.http().get('/v1/profiles/S-0').set(bearer(app.adminKey));
    expect(after.body).to.deep.equal(before.body);
  });

  it('when the sides or inputs are invalid, then 400; without a staff role, 403', async () => {
    const bad = (body: object) => app.http().post('/v1/rulesets/fraud-alerts/simulate').set(staff).send(body);
    expect((await bad({ candidate: 99, baseline: 'active', against: { profiles: { limit: 1 } } })).status).to.equal(400);
    expect((await bad({ candidate: 'draft', baseline: 'latest', against: { profiles: { limit: 1 } } })).status).to.equal(400);
    expect((await bad({ candidate: 'draft', baseline: 'active', against: { decisions: { from: to, to: from } } })).status).to.equal(400);
    expect((await bad({ candidate: 'draft', baseline: 'active', against: { everything: true } })).status).to.equal(400);
    const forbidden = await app.http().post('/v1/rulesets/fraud-alerts/simulate').set(compliance).send({ candidate: 'draft', baseline: 'active', against: { profiles: { limit: 1 } } });
    expect(forbidden.status).to.equal(403);
    expect((await app.http().post('/v1/rulesets/nope/simulate').set(staff).send({ candidate: 'draft', baseline: 'active', against: { profiles: { limit: 1 } } })).status).to.equal(404);
  });
});
