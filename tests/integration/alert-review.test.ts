import { expect } from 'chai';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const BEIJING = { lat: 39.9, lon: 116.4 };
const NEARBY = { lat: 23.2, lon: 113.3 };

interface AlertItem {
  decisionId: string;
  profileId: string | null;
  alerts: { code: string }[];
  outcome: string;
  createdAt: string;
  review: { label: string; note: string; reviewId: string } | null;
}

describe('Alert review: GET /v1/alerts, POST /v1/decisions/{id}/reviews', () => {
  let app: TestApp;
  let analyst: Record<string, string>;
  let loans: Record<string, string>;
  let compliance: Record<string, string>;
  let from: string;
  /** Decisions of the far (alerting) and near (clean) logins, oldest first. */
  const far: string[] = [];
  const near: string[] = [];

  before(async () => {
    app = await startTestApp('alertreview');
    analyst = bearer(await issueKey(app, ['alerts:review']));
    loans = bearer(await issueKey(app, ['decide', 'profiles:write']));
    compliance = bearer(await issueKey(app, ['audit:read']));
    from = new Date(Date.now() - 1000).toISOString();
    for (let index = 0; index < 4; index++) {
      const profileId = `AR-${index}`;
      await app
        .http()
        .put(`/v1/profiles/${profileId}`)
        .set(loans)
        .send({ type: 'individual', basic: { residence: GUANGZHOU } })
        .expect(201);
      for (const [location, into] of [
        [BEIJING, far],
        [NEARBY, near],
      ] as const) {
        const res = await app
          .http()
          .post('/v1/decisions')
          .set(loans)
          .send({ profileId, event: { type: 'login', location }, rulesets: ['fraud-alerts'] })
          .expect(200);
        into.push(res.body.decisionId);
      }
    }
  });
  after(() => app.stop());

  const alerts = async (query: string): Promise<{ items: AlertItem[]; nextCursor: string | null }> =>
    (await app.http().get(`/v1/alerts${query}`).set(analyst).expect(200)).body;
  const label = (decisionId: string, body: Record<string, unknown>) =>
    app.http().post(`/v1/decisions/${decisionId}/reviews`).set(analyst).send(body);

  it('when an analyst lists alerts, then only decisions that raised one come, newest first, each with review null, filtered by code and paged', async () => {
    const all = await alerts('?limit=50');
    const ids = all.items.map((item) => item.decisionId);
    expect(ids).to.deep.equal([...far].reverse());
    expect(all.items[0]).to.include({ profileId: 'AR-3', outcome: 'decline', review: null });
    expect(all.items[0]!.alerts.map((alert) => alert.code)).to.deep.equal(['LOCATION_MISMATCH']);

    expect((await alerts('?code=VELOCITY')).items).to.deep.equal([]);
    expect((await alerts('?code=LOCATION_MISMATCH')).items).to.have.length(4);
    expect((await alerts(`?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).items).to.deep.equal([]);
    expect((await alerts('?profileId=AR-1')).items.map((item) => item.decisionId)).to.deep.equal([far[1]]);

    const first = await alerts('?limit=3');
    expect(first.items).to.have.length(3);
    const second = await alerts(`?limit=3&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((item) => item.decisionId)).to.deep.equal([...far].reverse());
  });

  it('when an analyst labels a decision twice, then both reviews are kept (append-only), the latest is its review, and status filters open from reviewed', async () => {
    const decisionId = far[0]!;
    const firstReview = await label(decisionId, { label: 'unsure', note: 'will call' });
    expect(firstReview.status).to.equal(201);
    expect(firstReview.body).to.include({ decisionId, label: 'unsure', note: 'will call' });
    const latest = await label(decisionId, { label: 'fraud', note: 'customer denies applying' });
    expect(latest.status).to.equal(201);

    const history = await app.http().get(`/v1/decisions/${decisionId}/reviews`).set(analyst).expect(200);
    expect(history.body.items.map((review: { label: string }) => review.label)).to.deep.equal(['fraud', 'unsure']);

    const reviewed = await alerts('?status=reviewed');
    expect(reviewed.items.map((item) => item.decisionId)).to.deep.equal([decisionId]);
    expect(reviewed.items[0]!.review).to.include({ label: 'fraud', note: 'customer denies applying', reviewId: latest.body.reviewId });
    const open = await alerts('?status=open');
    expect(open.items.map((item) => item.decisionId)).to.deep.equal([far[3], far[2], far[1]]);
  });

  it('when a decision is labelled, then its sealed log entry is unchanged (same hash) and the label is an audit event', async () => {
    const decisionId = far[1]!;
    const before = await app.http().get(`/v1/decisions/${decisionId}`).set(compliance).expect(200);
    const review = await label(decisionId, { label: 'legitimate', note: 'travelling for work' });
    expect(review.status).to.equal(201);
    const after = await app.http().get(`/v1/decisions/${decisionId}`).set(compliance).expect(200);
    expect(after.body).to.deep.equal(before.body);
    const events = await app.http().get('/v1/audit/events?type=decision.reviewed').set(compliance).expect(200);
    expect(events.body.items[0]).to.deep.include({ subject: { kind: 'decision', id: decisionId } });
    expect(events.body.items[0].data).to.deep.equal({ reviewId: review.body.reviewId, label: 'legitimate' });
  });

  it('when a review is invalid or names no decision, then 400 with a pointer or 404, and nothing is recorded', async () => {
    const bad = await label(far[2]!, { label: 'maybe', note: '' });
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body.error.details)).to.include('/label');
    expect((await label(far[2]!, { label: 'fraud' })).status).to.equal(400);
    expect((await label('dec_nosuchdecision', { label: 'fraud', note: '' })).status).to.equal(404);
    const history = await app.http().get(`/v1/decisions/${far[2]}/reviews`).set(analyst).expect(200);
    expect(history.body.items).to.deep.equal([]);
  });

  it('when a simulation runs over logged decisions, then it reports per alert rule how many reviewed decisions it hits with each label under candidate and baseline', async () => {
    const decisionId = far[3]!;
    await label(decisionId, { label: 'fraud', note: 'confirmed' }).expect(201);
    await label(near[3]!, { label: 'legitimate', note: 'fine' }).expect(201);
    const staff = bearer(await issueKey(app, ['rules:edit', 'rules:publish', 'audit:read']));
    // The candidate raises LOCATION_MISMATCH from 1 km: it also hits the near login labelled legitimate.
    const v1 = await app.http().get('/v1/rulesets/fraud-alerts/versions/1').set(staff).expect(200);
    const rules = v1.body.rules.map((rule: { name: string; conditions: { all: { value: number }[] } }) =>
      rule.name === 'event-far-from-residence'
        ? { ...rule, conditions: { all: rule.conditions.all.map((leaf) => ({ ...leaf, value: 1 })) } }
        : rule,
    );
    await app.http().put('/v1/rulesets/fraud-alerts/draft').set(staff).send({ rules, reasons: v1.body.reasons, tests: [] }).expect(200);
    const to = new Date(Date.now() + 1000).toISOString();
    const report = await app
      .http()
      .post('/v1/rulesets/fraud-alerts/simulate')
      .set(staff)
      .send({ candidate: 'draft', baseline: 'active', against: { decisions: { from, to } } })
      .expect(200);
    // Latest labels: far[0] fraud, far[1] legitimate, far[3] fraud, near[3] legitimate.
    expect(report.body.labels.reviewed).to.equal(4);
    const rule = report.body.labels.rules.find((item: { rule: string }) => item.rule === 'event-far-from-residence');
    expect(rule).to.deep.equal({
      rule: 'event-far-from-residence',
      code: 'LOCATION_MISMATCH',
      baseline: { fraud: 2, legitimate: 1, unsure: 0 },
      candidate: { fraud: 2, legitimate: 2, unsure: 0 },
    });

    // Without audit:read, counts below 5 are withheld like every other count.
    const editor = bearer(await issueKey(app, ['rules:edit']));
    const aggregate = await app
      .http()
      .post('/v1/rulesets/fraud-alerts/simulate')
      .set(editor)
      .send({ candidate: 'draft', baseline: 'active', against: { decisions: { from, to } } })
      .expect(200);
    const withheld = aggregate.body.labels.rules.find((item: { rule: string }) => item.rule === 'event-far-from-residence');
    expect(withheld.candidate).to.deep.equal({ fraud: null, legitimate: null, unsure: null });
    expect(aggregate.body.labels.reviewed).to.equal(null);
  });

  it('when the filters are sent empty (?code=&from=&to=), then they count as absent: the same page as no filter', async () => {
    const blank = await alerts('?code=&from=&to=&status=&profileId=');
    expect(blank.items.length).to.be.greaterThan(0);
    expect(blank).to.deep.equal(await alerts(''));
    expect((await app.http().get('/v1/alerts?code=lower').set(analyst)).status).to.equal(400);
  });

  it('when a key without alerts:review lists alerts or labels, then 403; an analyst may not read the log (one decision, list, export, replay) nor profiles', async () => {
    for (const key of [loans, compliance, bearer(await issueKey(app, ['rules:publish', 'profiles:read']))]) {
      expect((await app.http().get('/v1/alerts').set(key)).status).to.equal(403);
      const review = await app.http().post(`/v1/decisions/${far[2]}/reviews`).set(key).send({ label: 'fraud', note: '' });
      expect(review.status).to.equal(403);
    }
    expect((await app.http().get(`/v1/decisions/${far[2]}`).set(analyst)).status).to.equal(403);
    expect((await app.http().get('/v1/profiles/AR-2').set(analyst)).status).to.equal(403);
    expect((await app.http().get(`/v1/alerts/${far[2]}`).set(analyst)).status).to.equal(200);
    expect((await app.http().get('/v1/decisions').set(analyst)).status).to.equal(403);
    expect((await app.http().get('/v1/decisions/export').set(analyst)).status).to.equal(403);
    expect((await app.http().post(`/v1/decisions/${far[2]}/replay`).set(analyst)).status).to.equal(403);
    expect((await app.http().get('/v1/profiles').set(analyst)).status).to.equal(403);
    expect(
      (
        await app
          .http()
          .post('/v1/decisions')
          .set(analyst)
          .send({ profileId: 'AR-2', event: { type: 'login' } })
      ).status,
    ).to.equal(403);
  });
});
