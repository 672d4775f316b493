import { expect } from 'chai';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
/** Events due north of Guangzhou at about these distances (1° of latitude ≈ 111 km). */
const DISTANCES_KM = [50, 150, 250, 400, 1200];
const north = (km: number) => ({ lat: GUANGZHOU.lat + km / 111.2, lon: GUANGZHOU.lon });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('POST /v1/rulesets/{id}/simulate', () => {
  let app: TestApp;
  /** Rules staff: aggregate reports only. */
  let staff: Record<string, string>;
  /** Rules staff who may also read the log: full reports with examples. */
  let reviewer: Record<string, string>;
  let compliance: Record<string, string>;
  let from: string;
  let to: string;

  before(async () => {
    app = await startTestApp('simulate', { SIMULATION_INLINE_LIMIT: '4' });
    staff = bearer(await issueKey(app, ['rules:edit', 'rules:publish']));
    reviewer = bearer(await issueKey(app, ['rules:edit', 'rules:publish', 'audit:read']));
    compliance = bearer(await issueKey(app, ['audit:read']));
    const feed = bearer(await issueKey(app, ['profiles:write', 'decide']));
    from = new Date(Date.now() - 1000).toISOString();
    for (const [index, km] of DISTANCES_KM.entries()) {
      await app
        .http()
        .put(`/v1/profiles/S-${index}`)
        .set(feed)
        .send({ type: 'individual', basic: { residence: GUANGZHOU } })
        .expect(201);
      await app
        .http()
        .post('/v1/decisions')
        .set(feed)
        .send({
          profileId: `S-${index}`,
          event: { type: 'loan_application', at: '2026-11-21T10:00:00+08:00', location: north(km) },
          rulesets: ['fraud-alerts'],
        })
        .expect(200);
    }
    to = new Date(Date.now() + 1000).toISOString();
    // The draft lowers the distance that raises LOCATION_MISMATCH from 300 km to 100 km.
    const v1 = await app.http().get('/v1/rulesets/fraud-alerts/versions/1').set(staff);
    const rules = v1.body.rules.map((rule: { name: string; conditions: { all: { fact: string; value: number }[] } }) => {
      if (rule.name !== 'event-far-from-residence') return rule;
      return {
        ...rule,
        conditions: {
          all: rule.conditions.all.map((leaf) => (leaf.fact === 'eventDistanceFromResidenceKm' ? { ...leaf, value: 100 } : leaf)),
        },
      };
    });
    await app.http().put('/v1/rulesets/fraud-alerts/draft').set(staff).send({ rules, tests: [], reasons: v1.body.reasons }).expect(200);
  });
  after(() => app.stop());

  /** The draft against the active version, on the logged decisions of [from, to), as `key` asks for it. */
  const simulateAgainstDecisions = (key: Record<string, string>) =>
    app
      .http()
      .post('/v1/rulesets/fraud-alerts/simulate')
      .set(key)
      .send({ candidate: 'draft', baseline: 'active', against: { decisions: { from, to } } });

  /** Three Guangzhou residents applying 200 km away: over the draft's 100 km, under version 1's 300 km. */
  const draftOverThreeProfiles200KmAway = () =>
    app
      .http()
      .post('/v1/rulesets/fraud-alerts/simulate')
      .set(reviewer)
      .send({
        candidate: 'draft',
        baseline: 1,
        against: { profiles: { limit: 3, event: { type: 'loan_application', location: north(200) } } },
      });

  /** Polls a background run until it has succeeded, as `key` sees it. */
  async function finished(rulesetId: string, simulationId: string, key: Record<string, string>) {
    for (let i = 0; i < 100; i++) {
      const report = (await app.http().get(`/v1/rulesets/${rulesetId}/simulations/${simulationId}`).set(key)).body;
      if (report.status === 'succeeded') return report;
      await sleep(50);
    }
    throw new Error(`simulation ${simulationId} did not finish`);
  }

  it('when a draft lowers a fraud threshold, then against logged decisions it reports exactly the extra alerts', async () => {
    const decisionsBefore = (await app.http().get('/v1/decisions').query({ limit: 500 }).set(compliance)).body.items.length;
    const res = await simulateAgainstDecisions(reviewer);
    // 5 inputs exceed the inline limit of 4 in this test: the run continues in the background.
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const report = await finished('fraud-alerts', res.body.simulationId, reviewer);
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

  it('when a background run has finished, then its progress counts every input as done', async () => {
    const res = await simulateAgainstDecisions(reviewer);
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body.progress).to.deep.equal({ done: 0, total: 5 });

    const report = await finished('fraud-alerts', res.body.simulationId, reviewer);

    expect(report.progress).to.deep.equal({ done: 5, total: 5 });
  });

  it('when run against profiles with a template event, then it answers inline and writes no tags', async () => {
    const before = await app.http().get('/v1/profiles/S-0').set(bearer(app.adminKey));
    const res = await draftOverThreeProfiles200KmAway();
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ inputs: 3, against: 'profiles' });
    expect(res.body.changed.alerts).to.equal(3);
    const after = await app.http().get('/v1/profiles/S-0').set(bearer(app.adminKey));
    expect(after.body).to.deep.equal(before.body);
  });

  it('when a draft raises a high alert the version did not, then it reports the outcome spread under baseline and candidate', async () => {
    const res = await draftOverThreeProfiles200KmAway();
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.outcomes).to.deep.equal({
      baseline: { approve: 3, review: 0, decline: 0 },
      candidate: { approve: 0, review: 0, decline: 3 },
    });
  });

  it('when the sides or inputs are invalid, then 400; without a staff role, 403', async () => {
    const bad = (body: object) => app.http().post('/v1/rulesets/fraud-alerts/simulate').set(staff).send(body);
    expect((await bad({ candidate: 99, baseline: 'active', against: { profiles: { limit: 1 } } })).status).to.equal(400);
    expect((await bad({ candidate: 'draft', baseline: 'latest', against: { profiles: { limit: 1 } } })).status).to.equal(400);
    expect((await bad({ candidate: 'draft', baseline: 'active', against: { decisions: { from: to, to: from } } })).status).to.equal(400);
    expect((await bad({ candidate: 'draft', baseline: 'active', against: { everything: true } })).status).to.equal(400);
    const forbidden = await app
      .http()
      .post('/v1/rulesets/fraud-alerts/simulate')
      .set(compliance)
      .send({ candidate: 'draft', baseline: 'active', against: { profiles: { limit: 1 } } });
    expect(forbidden.status).to.equal(403);
    expect(
      (
        await app
          .http()
          .post('/v1/rulesets/nope/simulate')
          .set(staff)
          .send({ candidate: 'draft', baseline: 'active', against: { profiles: { limit: 1 } } })
      ).status,
    ).to.equal(404);
  });

  describe('what a caller without audit:read sees', () => {
    it('when a rules editor simulates against logged decisions, then no ids and no examples, and counts below 5 are null', async () => {
      const res = await simulateAgainstDecisions(staff);
      expect(res.status).to.equal(202);
      const report = await finished('fraud-alerts', res.body.simulationId, staff);
      expect(report).to.include({ inputs: 5, against: 'decisions' });
      expect(report).not.to.have.property('examples');
      expect(report.changed).to.deep.equal({ any: null, outcome: null, tags: null, products: null, alerts: null });
      expect(report.deltas.alerts).to.deep.equal({});
      expect(report.rules.find((r: { rule: string }) => r.rule === 'event-far-from-residence')).to.deep.equal({
        rule: 'event-far-from-residence',
        baseline: null,
        candidate: null,
      });
      expect(report.disclosure).to.deep.equal({ level: 'aggregate', minimumCount: 5 });
      for (const side of ['baseline', 'candidate']) {
        for (const count of Object.values(report.outcomes[side]))
          expect(count === null || (count as number) >= 5, `${side} outcome count`).to.equal(true);
      }
      const decisionIds = (await app.http().get('/v1/decisions').query({ limit: 500 }).set(compliance)).body.items.map(
        (item: { decisionId: string }) => item.decisionId,
      );
      const text = JSON.stringify(report);
      for (const id of [...decisionIds, 'S-0', 'S-1', 'S-2', 'S-3', 'S-4']) expect(text).not.to.contain(id);

      const stored = await finished('fraud-alerts', res.body.simulationId, reviewer);
      expect(
        stored.examples.map((e: { input: { profileId: string } }) => e.input.profileId),
        'the stored run keeps them for audit:read',
      ).to.have.members(['S-1', 'S-2']);
      expect(stored.disclosure).to.deep.equal({ level: 'full' });
    });

    it('when a count reaches 5, then a rules editor sees it', async () => {
      const res = await app
        .http()
        .post('/v1/rulesets/fraud-alerts/simulate')
        .set(staff)
        .send({
          candidate: 'draft',
          baseline: 1,
          against: { profiles: { limit: 5, event: { type: 'loan_application', location: north(200) } } },
        });
      const report = await finished('fraud-alerts', res.body.simulationId, staff);
      expect(report.changed.alerts).to.equal(5);
      expect(report.deltas.alerts).to.deep.equal({ LOCATION_MISMATCH: 5 });
      expect(report.rules.find((r: { rule: string }) => r.rule === 'event-far-from-residence')).to.deep.equal({
        rule: 'event-far-from-residence',
        baseline: null,
        candidate: 5,
      });
    });

    it('when a draft rule singles out one customer by a profile field, then a rules editor learns neither the count nor who', async () => {
      const v1 = await app.http().get('/v1/rulesets/customer-tags/versions/1').set(staff);
      const probe = {
        name: 'born-january-1963',
        conditions: { all: [{ fact: 'basic', path: '$.birthDate', operator: 'matches', value: '^1963-01' }] },
        event: { type: 'tag', params: { tag: 'probe' } },
      };
      await app
        .http()
        .put('/v1/rulesets/customer-tags/draft')
        .set(staff)
        .send({ rules: [...v1.body.rules, probe], tests: [] })
        .expect(200);
      const simulate = (key: Record<string, string>) =>
        app
          .http()
          .post('/v1/rulesets/customer-tags/simulate')
          .set(key)
          .send({ candidate: 'draft', baseline: 1, against: { profiles: { limit: 4 } } });
      await app
        .http()
        .put('/v1/profiles/A-1963')
        .set(bearer(app.adminKey))
        .send({ type: 'individual', basic: { birthDate: '1963-01-20' } })
        .expect(201);

      const editor = await simulate(staff);
      expect(editor.status, JSON.stringify(editor.body)).to.equal(200);
      expect(editor.body.rules.find((r: { rule: string }) => r.rule === 'born-january-1963')).to.deep.equal({
        rule: 'born-january-1963',
        baseline: null,
        candidate: null,
      });
      expect(editor.body.deltas.tags).not.to.have.property('probe');
      expect(editor.body.changed.tags).to.equal(null);
      expect(JSON.stringify(editor.body)).not.to.contain('A-1963');

      const auditor = await simulate(reviewer);
      expect(auditor.body.rules.find((r: { rule: string }) => r.rule === 'born-january-1963')).to.deep.equal({
        rule: 'born-january-1963',
        baseline: 0,
        candidate: 1,
      });
      expect(auditor.body.examples.map((e: { input: { profileId: string } }) => e.input.profileId)).to.deep.equal(['A-1963']);
    });
  });
});
