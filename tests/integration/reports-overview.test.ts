import { expect } from 'chai';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';
import { overviewSchema } from '../../src/features/reports/overview-report.js';

const RESIDENCE = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const FAR = { type: 'loan_application', location: { lat: 39.9, lon: 116.4 } };
const NEAR = { type: 'loan_application', location: { lat: 23.13, lon: 113.26 } };

const ajv = new Ajv({ strict: false });
addFormats(ajv);
const validOverview = ajv.compile(overviewSchema);

const todayInShanghai = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

describe('GET /v1/reports/overview', () => {
  let app: TestApp;
  let compliance: Record<string, string>;

  before(async () => {
    app = await startTestApp('overview');
    compliance = bearer(await issueKey(app, ['audit:read'], 'compliance'));
    const feed = bearer(await issueKey(app, ['profiles:write', 'decide'], 'feed-and-loans'));
    for (let i = 0; i < 3; i++) {
      await app
        .http()
        .put(`/v1/profiles/OV-${i}`)
        .set(feed)
        .send({ type: 'individual', basic: { birthDate: '1990-01-01', residence: RESIDENCE } })
        .expect(201);
    }
    for (const [i, event] of [FAR, FAR, NEAR].entries()) {
      await app
        .http()
        .post('/v1/decisions')
        .set(feed)
        .send({ profileId: `OV-${i}`, event, rulesets: ['fraud-alerts'] })
        .expect(200);
    }
  });
  after(() => app.stop());

  it("when decisions were made today, then today's overview counts them per hour by outcome, alerts by code and the rules that fire most", async () => {
    const res = await app.http().get('/v1/reports/overview').set(compliance);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(validOverview(res.body), JSON.stringify(validOverview.errors)).to.equal(true);
    expect(res.body).to.include({ date: todayInShanghai(), days: 1, timezone: 'Asia/Shanghai', decisions: 3 });
    expect(res.body.outcomes).to.deep.equal({ approve: 1, review: 0, decline: 2 });
    expect(res.body.hourly).to.have.length(24);
    const busy = res.body.hourly.filter((hour: { approve: number; decline: number }) => hour.approve + hour.decline > 0);
    expect(busy.reduce((sum: number, hour: { approve: number; decline: number }) => sum + hour.approve + hour.decline, 0)).to.equal(3);
    const thisHour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    expect(busy.map((hour: { hour: string }) => Date.parse(hour.hour))).to.satisfy((hours: number[]) =>
      hours.every((hour) => Math.abs(hour - thisHour) <= 3_600_000),
    );
    expect(res.body.alerts).to.deep.equal([{ code: 'LOCATION_MISMATCH', count: 2 }]);
    expect(res.body.rules[0]).to.deep.equal({ ruleset: 'fraud-alerts', rule: 'event-far-from-residence', hits: 2 });
  });

  it('when the week is asked for, then it spans the 7 days ending with the date, hour by hour', async () => {
    const res = await app.http().get('/v1/reports/overview').query({ date: todayInShanghai(), days: 7 }).set(compliance);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ days: 7, decisions: 3 });
    expect(res.body.hourly).to.have.length(168);
    expect(Date.parse(res.body.to) - Date.parse(res.body.from)).to.equal(7 * 24 * 3_600_000);
    const lastWeek = await app.http().get('/v1/reports/overview').query({ date: '2026-01-07', days: 7 }).set(compliance);
    expect(lastWeek.body).to.include({ decisions: 0, from: '2025-12-31T16:00:00.000Z', to: '2026-01-07T16:00:00.000Z' });
    expect(lastWeek.body.alerts).to.deep.equal([]);
  });

  it('when the key owns rules, then it sees the counts too; a decide-only or profiles:write key is refused with 403', async () => {
    for (const roles of [['rules:edit'], ['rules:publish']]) {
      const res = await app
        .http()
        .get('/v1/reports/overview')
        .set(bearer(await issueKey(app, roles)));
      expect(res.status, roles.join()).to.equal(200);
      expect(res.body.decisions).to.equal(3);
    }
    for (const roles of [['decide'], ['profiles:write']]) {
      const res = await app
        .http()
        .get('/v1/reports/overview')
        .set(bearer(await issueKey(app, roles)));
      expect(res.status, roles.join()).to.equal(403);
      expect(res.body.error.code).to.equal('FORBIDDEN');
    }
  });

  it('when days is neither 1 nor 7, the date is not a calendar date or topRules is out of range, then 400 with the pointer', async () => {
    for (const [query, pointer] of [
      [{ days: 3 }, '/query/days'],
      [{ date: '2026-13-45' }, '/query/date'],
      [{ topRules: 0 }, '/query/topRules'],
      [{ dat: '2026-01-01' }, '/query/dat'],
    ] as const) {
      const res = await app.http().get('/v1/reports/overview').query(query).set(compliance);
      expect(res.status, JSON.stringify(query)).to.equal(400);
      expect(res.body.error.details.map((detail: { path: string }) => detail.path)).to.include(pointer);
    }
  });

  it('is documented in /openapi.json with its roles and response schema', async () => {
    const res = await app.http().get('/openapi.json');
    const operation = res.body.paths['/v1/reports/overview'].get;
    expect(operation.description).to.include('audit:read, rules:edit, rules:publish');
    expect(operation.responses['200'].content['application/json'].schema.required).to.include.members(['hourly', 'alerts', 'rules']);
  });
});
