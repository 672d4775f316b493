import { expect } from 'chai';
import { fixture } from '../helpers/fixtures.js';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const BEIJING = { lat: 39.9, lon: 116.4 };
const LEAP_SECOND = '2026-12-31T23:59:60Z';

/** A Guangzhou resident whose app activity is between 00:00 and 05:00 Shanghai time. */
const nightOwl = {
  type: 'individual',
  basic: { birthDate: '1990-05-01', residence: GUANGZHOU },
  activity: Array.from({ length: 6 }, (_, i) => ({
    at: `2026-11-${10 + i}T17:30:00Z`,
    kind: 'login',
    lat: 23.12,
    lon: 113.25,
    deviceId: 'd-1',
  })),
};

const refusedTimes = fixture<{ refused: { value: unknown; why: string }[] }>('time/instants.json').refused.filter(
  (item): item is { value: string; why: string } => typeof item.value === 'string',
);

const cursorOf = (position: object) => Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

describe('One reading of time', () => {
  let app: TestApp;
  let loanSystem: Record<string, string>;
  let compliance: Record<string, string>;
  let feed: Record<string, string>;
  let admin: Record<string, string>;

  before(async () => {
    app = await startTestApp('timeinput');
    loanSystem = bearer(await issueKey(app, ['decide'], 'loan-origination'));
    compliance = bearer(await issueKey(app, ['audit:read'], 'compliance'));
    feed = bearer(await issueKey(app, ['profiles:write'], 'crm-feed'));
    admin = bearer(app.adminKey);
    await app.http().put('/v1/profiles/T-NIGHT').set(feed).send(nightOwl).expect(201);
  });
  after(() => app.stop());

  const decide = (at: string) =>
    app
      .http()
      .post('/v1/decisions')
      .set(loanSystem)
      .send({ profileId: 'T-NIGHT', event: { type: 'loan_application', at, location: BEIJING }, rulesets: ['fraud-alerts'] });
  const loggedCount = async () =>
    (await app.http().get('/v1/decisions').query({ profileId: 'T-NIGHT', limit: 500 }).set(compliance)).body.items.length;

  describe('POST /v1/decisions event.at', () => {
    it('when event.at has a space instead of the T, then 400 pointing at /event/at and nothing is logged; with the T it raises its alerts', async () => {
      const before = await loggedCount();

      const spaced = await decide('2026-11-21 01:30:00+08:00');

      expect(spaced.status, JSON.stringify(spaced.body)).to.equal(400);
      expect(spaced.body.error.code).to.equal('VALIDATION_FAILED');
      expect(spaced.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['/event/at']);
      expect(await loggedCount()).to.equal(before);
      const withT = await decide('2026-11-21T01:30:00+08:00');
      expect(withT.status).to.equal(200);
      expect(withT.body.alerts.map((a: { code: string }) => a.code)).to.include.members(['LATE_NIGHT_ACTIVITY', 'LOCATION_MISMATCH']);
      expect(await loggedCount()).to.equal(before + 1);
    });

    for (const { value, why } of refusedTimes) {
      it(`when event.at is ${JSON.stringify(value)} (${why}), then 400 pointing at /event/at`, async () => {
        const res = await decide(value);

        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('/event/at');
      });
    }
  });

  describe('other times a client sends', () => {
    it('when a profile activity time is one the facts cannot read, then 400 pointing at it and the profile is unchanged', async () => {
      const activity = [...nightOwl.activity, { at: '2026-11-20 01:30:00+08:00', kind: 'login' }];

      const res = await app
        .http()
        .put('/v1/profiles/T-NIGHT')
        .set(feed)
        .send({ ...nightOwl, activity });

      expect(res.status).to.equal(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal([`/activity/${nightOwl.activity.length}/at`]);
      expect((await app.http().get('/v1/profiles/T-NIGHT').set(loanSystem)).body.activity).to.have.length(nightOwl.activity.length);
    });

    it('when a simulation range holds a leap second, then 400 pointing at it', async () => {
      const staff = bearer(await issueKey(app, ['rules:edit']));

      const res = await app
        .http()
        .post('/v1/rulesets/fraud-alerts/simulate')
        .set(staff)
        .send({ candidate: 'draft', baseline: 'active', against: { decisions: { from: '2026-11-01T00:00:00Z', to: LEAP_SECOND } } });

      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('/against/decisions/to');
    });
  });

  describe('time ranges in queries', () => {
    for (const path of ['/v1/decisions', '/v1/decisions/export', '/v1/audit/events', '/v1/audit/verify']) {
      it(`when from or to on ${path} is a leap second, then 400 pointing at it, never a 500`, async () => {
        const from = await app.http().get(path).query({ from: LEAP_SECOND }).set(compliance);
        const to = await app.http().get(path).query({ from: '2026-11-01T00:00:00Z', to: LEAP_SECOND }).set(compliance);
        const spaced = await app.http().get(path).query({ to: '2026-11-21 01:30:00+08:00' }).set(compliance);

        expect(from.status, JSON.stringify(from.body)).to.equal(400);
        expect(from.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['/query/from']);
        expect(to.status).to.equal(400);
        expect(to.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['/query/to']);
        expect(spaced.status).to.equal(400);
        expect(spaced.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['/query/to']);
      });
    }
  });

  describe('list cursors', () => {
    const crafted = [
      { name: 'a time that is garbage', position: (time: string) => ({ [time]: 'garbage', id: 'x' }) },
      { name: 'a leap second', position: (time: string) => ({ [time]: LEAP_SECOND, id: 'x' }) },
      { name: 'an id that is an object', position: (time: string) => ({ [time]: '2026-11-21T00:00:00Z', id: { $gt: '' } }) },
      { name: 'a time that is a number', position: (time: string) => ({ [time]: 1795000000000, id: 'x' }) },
    ];
    const lists = [
      { path: '/v1/decisions', time: 'createdAt', who: () => compliance },
      { path: '/v1/audit/events', time: 'at', who: () => compliance },
      { path: '/v1/api-keys', time: 'createdAt', who: () => admin },
      { path: '/v1/jobs/retag/runs', time: 'startedAt', who: () => admin },
    ];
    for (const { path, time, who } of lists) {
      for (const { name, position } of crafted) {
        it(`when the cursor of ${path} holds ${name}, then 400 pointing at /query/cursor`, async () => {
          const res = await app
            .http()
            .get(path)
            .query({ cursor: cursorOf(position(time)) })
            .set(who());

          expect(res.status, JSON.stringify(res.body)).to.equal(400);
          expect(res.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['/query/cursor']);
        });
      }
    }

    it('when the cursor of /v1/profiles holds an id that is not a string, then 400 pointing at /query/cursor', async () => {
      const reader = bearer(await issueKey(app, ['audit:read']));
      for (const position of [{ id: 5 }, { id: { $gt: '' } }, { id: 'x'.repeat(300) }]) {
        const res = await app
          .http()
          .get('/v1/profiles')
          .query({ cursor: cursorOf(position) })
          .set(reader);

        expect(res.status, JSON.stringify(position)).to.equal(400);
        expect(res.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['/query/cursor']);
      }
    });

    it('when a cursor the service issued is passed back, then the next page follows', async () => {
      await decide('2026-11-21T02:30:00+08:00').expect(200);
      const first = await app.http().get('/v1/decisions').query({ profileId: 'T-NIGHT', limit: 1 }).set(compliance);

      const second = await app
        .http()
        .get('/v1/decisions')
        .query({ profileId: 'T-NIGHT', limit: 1, cursor: first.body.nextCursor })
        .set(compliance);

      expect(second.status).to.equal(200);
      expect(second.body.items).to.have.length(1);
      expect(second.body.items[0].decisionId).not.to.equal(first.body.items[0].decisionId);
    });
  });
});
