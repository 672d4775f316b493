import { expect } from 'chai';
import sinon from 'sinon';
import { startTestApp, bearer, issueKey, openTestDatabase, type TestApp } from '../helpers/test-app.js';
import { editLogEntry } from '../helpers/log-entry-editing.js';
import { DecisionLogStore } from '../../src/features/decisions/decision-log-store.js';
import { ProfileStore } from '../../src/features/profiles/profile-store.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const BEIJING = { lat: 39.9, lon: 116.4 };

/** A Guangzhou resident who mostly uses the app between 00:00 and 05:00 Shanghai time. */
function nightOwlProfile() {
  const activity = Array.from({ length: 8 }, (_, i) => ({
    at: `2026-11-${String(10 + i).padStart(2, '0')}T17:30:00Z`,
    kind: 'login',
    lat: 23.12,
    lon: 113.25,
    deviceId: 'd-1',
  }));
  activity.push({ at: '2026-11-19T04:00:00Z', kind: 'browse', lat: 23.12, lon: 113.25, deviceId: 'd-1' });
  return {
    type: 'individual',
    timezone: 'Asia/Shanghai',
    basic: { birthDate: '1990-05-01', residence: GUANGZHOU },
    financials: { monthlyIncome: 15000 },
    activity,
  };
}

const homeProfile = { type: 'individual', basic: { birthDate: '1985-01-01', residence: GUANGZHOU }, financials: { monthlyIncome: 20000 } };

const beijingApplication = {
  type: 'loan_application',
  at: '2026-11-21T01:30:00+08:00',
  amount: 50000,
  location: BEIJING,
  deviceId: 'd-1',
  channel: 'app',
};

describe('POST /v1/decisions', () => {
  let app: TestApp;
  let loanSystem: Record<string, string>;
  let compliance: Record<string, string>;
  let feed: Record<string, string>;

  before(async () => {
    app = await startTestApp('decisions');
    loanSystem = bearer(await issueKey(app, ['decide'], 'loan-origination'));
    compliance = bearer(await issueKey(app, ['audit:read'], 'compliance'));
    feed = bearer(await issueKey(app, ['profiles:write'], 'crm-feed'));
    await app.http().put('/v1/profiles/C-NIGHT').set(feed).send(nightOwlProfile()).expect(201);
    await app.http().put('/v1/profiles/C-HOME').set(feed).send(homeProfile).expect(201);
  });
  after(() => app.stop());

  const decide = (body: object, headers: Record<string, string> = {}) =>
    app.http().post('/v1/decisions').set(loanSystem).set(headers).send(body);

  describe('shipped fraud-alerts', () => {
    it('when the event is about 1,888 km from the residence, then it raises LOCATION_MISMATCH with a rendered message and an explanation', async () => {
      const res = await decide({ profileId: 'C-NIGHT', event: beijingApplication, rulesets: ['fraud-alerts'] });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const alert = res.body.alerts.find(
        (a: { code: string; rule: string }) => a.code === 'LOCATION_MISMATCH' && a.rule === 'event-far-from-residence',
      );
      expect(alert).to.include({ severity: 'high', ruleset: 'fraud-alerts', version: 1 });
      expect(alert.message).to.match(/^1,8\d\d km from residence$/);
      expect(res.body.outcome).to.equal('decline');
      expect(res.body.rulesetVersions).to.deep.equal({ 'fraud-alerts': 1 });

      const explanation = res.body.explanations.find((e: { rule: string }) => e.rule === 'event-far-from-residence');
      expect(explanation.fired).to.equal(true);
      const condition = explanation.conditions.find((c: { fact: string }) => c.fact === 'eventDistanceFromResidenceKm');
      expect(condition.result).to.equal(true);
      expect(condition.factValue).to.be.within(1850, 1930);
      expect(condition.operator).to.be.a('string');
    });

    it('when most of the last 30 days of activity is between 00:00 and 05:00 local time, then it raises LATE_NIGHT_ACTIVITY', async () => {
      const res = await decide({
        profileId: 'C-NIGHT',
        event: { ...beijingApplication, location: { lat: 23.13, lon: 113.26 } },
        rulesets: ['fraud-alerts'],
      });
      expect(res.status).to.equal(200);
      const alert = res.body.alerts.find((a: { code: string }) => a.code === 'LATE_NIGHT_ACTIVITY');
      expect(alert, JSON.stringify(res.body.alerts)).to.exist;
      expect(alert.message).to.be.a('string').and.not.contain('{{');
      expect(res.body.alerts.map((a: { code: string }) => a.code)).not.to.include('LOCATION_MISMATCH');
      const lateNight = res.body.explanations.find((e: { rule: string }) => e.rule === alert.rule);
      const share = lateNight.conditions.find((c: { fact: string }) => c.fact === 'lateNightActivityShare30d');
      expect(share.factValue).to.be.within(0.85, 0.9);
    });

    it('explains every rule evaluated, fired or not', async () => {
      const res = await decide({
        profileId: 'C-HOME',
        event: { type: 'loan_application', at: '2026-11-21T10:00:00+08:00', location: { lat: 23.13, lon: 113.27 } },
        rulesets: ['fraud-alerts'],
      });
      expect(res.status).to.equal(200);
      expect(res.body.alerts).to.deep.equal([]);
      expect(res.body.outcome).to.equal('approve');
      const ruleset = await app.http().get('/v1/rulesets/fraud-alerts/versions/1').set(loanSystem);
      expect(res.body.explanations.map((e: { rule: string }) => e.rule)).to.have.members(
        ruleset.body.rules.map((r: { name: string }) => r.name),
      );
      expect(res.body.explanations.every((e: { fired: boolean }) => e.fired === false)).to.equal(true);
    });
  });

  describe('applicationsLast24h from the decision log', () => {
    it('when three loan applications were logged in the 24 h before, then the fourth raises VELOCITY', async () => {
      await app.http().put('/v1/profiles/C-VELOCITY').set(feed).send(homeProfile).expect(201);
      const apply = (at: string) =>
        decide({
          profileId: 'C-VELOCITY',
          event: { type: 'loan_application', at, location: { lat: 23.13, lon: 113.26 } },
          rulesets: ['fraud-alerts'],
          versions: { 'fraud-alerts': 1 },
        });
      await decide({
        profileId: 'C-VELOCITY',
        event: { type: 'login', at: '2026-11-20T09:00:00+08:00' },
        rulesets: ['fraud-alerts'],
      }).expect(200);
      for (const at of [
        '2026-11-19T08:00:00+08:00',
        '2026-11-20T09:00:00+08:00',
        '2026-11-20T10:00:00+08:00',
        '2026-11-20T11:00:00+08:00',
      ]) {
        const res = await apply(at);
        expect(res.status).to.equal(200);
      }
      const fourth = await apply('2026-11-20T12:00:00+08:00');
      const velocity = fourth.body.explanations.find((e: { rule: string }) => e.rule === 'many-applications-24h');
      const condition = velocity.conditions.find((c: { fact: string }) => c.fact === 'applicationsLast24h');
      expect(condition.factValue, 'the login and the application 28 h earlier do not count').to.equal(3);
      expect(fourth.body.alerts.map((a: { code: string }) => a.code)).to.include('VELOCITY');
      const earlier = await apply('2026-11-20T09:30:00+08:00');
      const earlierCount = earlier.body.explanations
        .find((e: { rule: string }) => e.rule === 'many-applications-24h')
        .conditions.find((c: { fact: string }) => c.fact === 'applicationsLast24h').factValue;
      expect(
        earlierCount,
        'only applications in the 24 h before the event time count (09:00 yes; 19 Nov 08:00, 10:00 and later no)',
      ).to.equal(1);
    });
  });

  describe('all active rulesets', () => {
    it('when no rulesets are named, then every active one is evaluated and tags are stored on the profile', async () => {
      const res = await decide({ profileId: 'C-HOME', event: { type: 'login', at: '2026-11-21T10:00:00+08:00' } });
      expect(res.status).to.equal(200);
      expect(Object.keys(res.body.rulesetVersions)).to.have.members(['credit-risk', 'customer-tags', 'fraud-alerts', 'product-matching']);
      expect(res.body.tags).to.be.an('array').that.is.not.empty;
      const profile = await app.http().get('/v1/profiles/C-HOME').set(feed);
      expect(profile.body.tags).to.have.members(res.body.tags);
      const detail = profile.body.tagDetails[0];
      expect(detail).to.have.keys(['tag', 'ruleset', 'version', 'rule', 'at']);
      const updatedAt = profile.body.updatedAt;

      await decide({ profileId: 'C-HOME', event: { type: 'login', at: '2026-11-21T10:00:00+08:00' } }).expect(200);
      const again = await app.http().get('/v1/profiles/C-HOME').set(feed);
      expect(again.body.tagDetails, 'unchanged tags are not rewritten').to.deep.equal(profile.body.tagDetails);
      expect(again.body.updatedAt).to.equal(updatedAt);
    });
  });

  describe('Idempotency-Key', () => {
    it('when retried with the same key and body, then the first decision comes back and nothing new is logged', async () => {
      const body = {
        profileId: 'C-HOME',
        event: { type: 'loan_application', at: '2026-11-21T11:00:00+08:00', amount: 1000 },
        rulesets: ['credit-risk'],
      };
      const first = await decide(body, { 'Idempotency-Key': 'app-7781' });
      const second = await decide(body, { 'Idempotency-Key': 'app-7781' });
      expect(first.status).to.equal(200);
      expect(second.status).to.equal(200);
      expect(second.body.decisionId).to.equal(first.body.decisionId);
      expect(second.body).to.deep.equal(first.body);
      const logged = await app.http().get('/v1/decisions').query({ profileId: 'C-HOME', ruleset: 'credit-risk' }).set(compliance);
      expect(logged.body.items.filter((item: { decisionId: string }) => item.decisionId === first.body.decisionId)).to.have.length(1);
      const count = logged.body.items.filter(
        (item: { request: { event: { at: string } } }) => item.request.event.at === body.event.at,
      ).length;
      expect(count).to.equal(1);
    });

    it('when retried concurrently, then exactly one decision exists', async () => {
      const body = { profileId: 'C-HOME', event: { type: 'loan_application', at: '2026-11-21T12:00:00+08:00' }, rulesets: ['credit-risk'] };
      const results = await Promise.all(Array.from({ length: 5 }, () => decide(body, { 'Idempotency-Key': 'race-1' })));
      expect(results.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200]);
      expect(new Set(results.map((r) => r.body.decisionId)).size).to.equal(1);
    });

    it('when the same key comes with a different body, then 409 CONFLICT', async () => {
      await decide({ profileId: 'C-HOME', event: { type: 'login', at: '2026-11-21T13:00:00+08:00' } }, { 'Idempotency-Key': 'k-2' }).expect(
        200,
      );
      const res = await decide(
        { profileId: 'C-HOME', event: { type: 'login', at: '2026-11-21T13:00:01+08:00' } },
        { 'Idempotency-Key': 'k-2' },
      );
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal('CONFLICT');
    });

    it('when the key is not 1-200 characters of [A-Za-z0-9_.:-], then 400 pointing at /headers/idempotency-key and nothing is logged', async () => {
      const body = { profileId: 'C-HOME', event: { type: 'login', at: '2026-11-21T14:00:00+08:00' } };
      for (const key of ['has space', 'x'.repeat(201), 'semi;colon']) {
        const res = await decide(body, { 'Idempotency-Key': key });
        expect(res.status, key).to.equal(400);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
        expect(res.body.error.details.map((detail: { path: string }) => detail.path)).to.deep.equal(['/headers/idempotency-key']);
      }
      const logged = await app.http().get('/v1/decisions').query({ profileId: 'C-HOME', limit: 500 }).set(compliance);
      const loggedAt = logged.body.items.map((item: { request: { event: { at: string } } }) => item.request.event.at);
      expect(loggedAt).not.to.include(body.event.at);
    });
  });

  describe('messages', () => {
    const city = '<img src=x onerror=alert(1)>\u001b[2J\u202e';
    before(async () => {
      const admin = bearer(app.adminKey);
      await app.http().post('/v1/rulesets').set(admin).send({ id: 'text-alerts', kind: 'fraud' }).expect(201);
      const rules = [
        {
          name: 'always',
          conditions: { all: [{ fact: 'type', operator: 'equal', value: 'individual' }] },
          event: {
            type: 'alert',
            params: { code: 'SEEN', severity: 'low', message: 'from {{basic.residence.city}} via {{event.channel}}' },
          },
        },
      ];
      await app.http().put('/v1/rulesets/text-alerts/draft').set(admin).send({ rules, tests: [] }).expect(200);
      await app.http().post('/v1/rulesets/text-alerts/versions').set(admin).expect(201);
      await app
        .http()
        .put('/v1/profiles/C-MARKUP')
        .set(feed)
        .send({ ...homeProfile, basic: { ...homeProfile.basic, residence: { ...GUANGZHOU, city } } })
        .expect(201);
    });

    it('when a city holds markup, an escape sequence and a bidi override and the channel holds markup, then the message is their text without the control characters', async () => {
      const res = await decide({
        profileId: 'C-MARKUP',
        event: { type: 'login', at: '2026-11-21T10:00:00+08:00', channel: '<svg onload=alert(1)>' },
        rulesets: ['text-alerts'],
      });

      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.alerts[0].message).to.equal('from <img src=x onerror=alert(1)>[2J via <svg onload=alert(1)>');
    });
  });

  describe('pinned versions and replay', () => {
    before(async () => {
      // Version 2 of fraud-alerts tolerates events up to 3,000 km away.
      const admin = bearer(app.adminKey);
      const v1 = await app.http().get('/v1/rulesets/fraud-alerts/versions/1').set(admin);
      const rules = JSON.parse(JSON.stringify(v1.body.rules).replace(/"value":300([,}])/g, '"value":3000$1'));
      const tests = v1.body.tests.filter(
        (test: { expect: { alerts?: string[] } }) => !(test.expect.alerts ?? []).includes('LOCATION_MISMATCH'),
      );
      await app.http().put('/v1/rulesets/fraud-alerts/draft').set(admin).send({ rules, tests, reasons: v1.body.reasons }).expect(200);
      const published = await app.http().post('/v1/rulesets/fraud-alerts/versions').set(admin);
      expect(published.status, JSON.stringify(published.body)).to.equal(201);
    });

    it('when version 1 is pinned, then it is evaluated instead of the active version 2', async () => {
      const active = await decide({ profileId: 'C-HOME', event: beijingApplication, rulesets: ['fraud-alerts'] });
      expect(active.body.rulesetVersions).to.deep.equal({ 'fraud-alerts': 2 });
      expect(active.body.alerts.map((a: { code: string }) => a.code)).not.to.include('LOCATION_MISMATCH');

      const pinned = await decide({
        profileId: 'C-HOME',
        event: beijingApplication,
        rulesets: ['fraud-alerts'],
        versions: { 'fraud-alerts': 1 },
      });
      expect(pinned.body.rulesetVersions).to.deep.equal({ 'fraud-alerts': 1 });
      expect(pinned.body.alerts.map((a: { code: string }) => a.code)).to.include('LOCATION_MISMATCH');
    });

    it('when a version does not exist or a ruleset is unknown, then 400 pointing at it', async () => {
      const missing = await decide({
        profileId: 'C-HOME',
        event: beijingApplication,
        rulesets: ['fraud-alerts'],
        versions: { 'fraud-alerts': 99 },
      });
      expect(missing.status).to.equal(400);
      expect(missing.body.error.details[0].path).to.equal('/versions/fraud-alerts');
      const unknown = await decide({ profileId: 'C-HOME', event: beijingApplication, rulesets: ['no-such-rules'] });
      expect(unknown.status).to.equal(400);
      expect(unknown.body.error.details[0].path).to.equal('/rulesets/0');
    });

    it('when a logged decision is replayed, then the result is identical, even after the active version changed', async () => {
      const res = await decide({ profileId: 'C-NIGHT', event: beijingApplication, versions: { 'fraud-alerts': 1 } });
      const replay = await app.http().post(`/v1/decisions/${res.body.decisionId}/replay`).set(compliance);
      expect(replay.status).to.equal(200);
      expect(replay.body).to.include({ decisionId: res.body.decisionId, identical: true });
      expect(replay.body.differences).to.deep.equal([]);
    });

    /** A decision of C-NIGHT on fraud-alerts 1, logged, then its log entry edited as `edit` says. */
    async function loggedThenEdited(edit: Parameters<typeof editLogEntry>[2]): Promise<string> {
      const res = await decide({
        profileId: 'C-NIGHT',
        event: beijingApplication,
        rulesets: ['fraud-alerts'],
        versions: { 'fraud-alerts': 1 },
      });
      const database = await openTestDatabase(app);
      await editLogEntry(database.connection.db!, res.body.decisionId, edit);
      await database.close();
      return res.body.decisionId;
    }

    it('when a decision is logged, then its engine names the semantics lender-rules/1, and its replay evaluates with them', async () => {
      const res = await decide({ profileId: 'C-NIGHT', event: beijingApplication, rulesets: ['fraud-alerts'] });

      const logged = await app.http().get(`/v1/decisions/${res.body.decisionId}`).set(compliance);
      const replay = await app.http().post(`/v1/decisions/${res.body.decisionId}/replay`).set(compliance);

      expect(logged.body.engine).to.include({ semantics: 'lender-rules/1' });
      expect(logged.body.engine.name).not.to.match(/json-rules-engine [0-9.]+ semantics/);
      expect(replay.status).to.equal(200);
      expect(replay.body).to.include({ identical: true, semantics: 'lender-rules/1' });
    });

    it('when the log entry names semantics this service does not evaluate, then replay is refused with 409 naming them', async () => {
      const decisionId = await loggedThenEdited(({ core }) => {
        core.engine = { name: 'json-rules-engine', version: '7.3.1', semantics: 'json-rules-engine/7.3.1' };
      });

      const replay = await app.http().post(`/v1/decisions/${decisionId}/replay`).set(compliance);

      expect(replay.status).to.equal(409);
      expect(replay.body.error.code).to.equal('CONFLICT');
      expect(replay.body.error.message).to.contain('"json-rules-engine/7.3.1"').and.contain('lender-rules/1');
    });

    it('when the entry was logged before the semantics had a name, then it is replayed as lender-rules/1, identical', async () => {
      const decisionId = await loggedThenEdited(({ core }) => {
        core.engine = { name: 'compiled-closures (json-rules-engine 7.3.1 semantics)', version: '7.3.1' };
      });

      const replay = await app.http().post(`/v1/decisions/${decisionId}/replay`).set(compliance);

      expect(replay.status).to.equal(200);
      expect(replay.body).to.include({ identical: true, semantics: 'lender-rules/1' });
    });

    it('when the logged facts were altered, then replay reports the differences', async () => {
      const decisionId = await loggedThenEdited(({ personal }) => {
        (personal.facts as Record<string, unknown>).eventDistanceFromResidenceKm = 5;
      });
      const replay = await app.http().post(`/v1/decisions/${decisionId}/replay`).set(compliance);
      expect(replay.body.identical).to.equal(false);
      expect(replay.body.differences.map((d: { path: string }) => d.path)).to.include('/outcome');
    });
  });

  describe('bad input', () => {
    it('when the profile is unknown, then 404 NOT_FOUND', async () => {
      const res = await decide({ profileId: 'NOBODY', event: { type: 'login' } });
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal('NOT_FOUND');
    });

    it('when the body is invalid, then 400 with pointers', async () => {
      const res = await decide({ profileId: 'C-HOME', event: { at: 'tomorrow', location: { lat: 200 } }, extra: 1 });
      expect(res.status).to.equal(400);
      const paths = res.body.error.details.map((d: { path: string }) => d.path);
      expect(paths).to.include.members(['/event/type', '/event/at', '/event/location/lat', '/extra']);
    });

    it('when the key lacks decide, then 403', async () => {
      const res = await app
        .http()
        .post('/v1/decisions')
        .set(compliance)
        .send({ profileId: 'C-HOME', event: { type: 'login' } });
      expect(res.status).to.equal(403);
    });
  });

  describe('failures fail closed', () => {
    afterEach(() => sinon.restore());

    it('when the log write fails, then 503 UNAVAILABLE and no decision is returned', async () => {
      const error = Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' });
      sinon.stub(DecisionLogStore.prototype, 'insertMany').rejects(error);
      const res = await decide({ profileId: 'C-HOME', event: { type: 'login', at: '2026-11-21T14:00:00+08:00' } });
      expect(res.status).to.equal(503);
      expect(res.body.error.code).to.equal('UNAVAILABLE');
      expect(res.body).not.to.have.property('decisionId');
    });

    it('when the log write outlasts the latency budget, then 503 and nothing is returned', async () => {
      const real = DecisionLogStore.prototype.insertMany;
      sinon.stub(DecisionLogStore.prototype, 'insertMany').callsFake(async function (this: DecisionLogStore, records) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return real.call(this, records);
      });
      const res = await decide({ profileId: 'C-HOME', event: { type: 'login', at: '2026-11-21T15:00:00+08:00' } });
      expect(res.status).to.equal(503);
      expect(res.body.error.message).to.match(/200 ms/);
    });

    it('when the budget runs out before the decision is logged, then its work stops: no log entry, no velocity count, no tags', async () => {
      await app.http().put('/v1/profiles/C-LATE').set(feed).send(homeProfile).expect(201);
      // The decision reads the profile with its subject (the pseudonym its entry is logged under) and its velocity head.
      const real = ProfileStore.prototype.state;
      const slowRead = sinon.stub(ProfileStore.prototype, 'state').callsFake(async function (this: ProfileStore, profileId) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return real.call(this, profileId);
      });
      const application = {
        profileId: 'C-LATE',
        event: { type: 'loan_application', location: { lat: 23.13, lon: 113.26 } },
        rulesets: ['fraud-alerts', 'customer-tags'],
      };
      const late = await decide(application);
      expect(late.status).to.equal(503);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(slowRead.called, 'the profile was read after the budget ran out').to.equal(true);
      slowRead.restore();

      const logged = await app.http().get('/v1/decisions').query({ profileId: 'C-LATE' }).set(compliance);
      expect(logged.body.items, 'no log entry').to.deep.equal([]);
      const profile = await app.http().get('/v1/profiles/C-LATE').set(feed);
      expect(profile.body.tags, 'no tag write').to.deep.equal([]);
      const next = await decide(application);
      expect(next.status).to.equal(200);
      const seen = next.body.explanations
        .find((e: { rule: string }) => e.rule === 'many-applications-24h')
        .conditions.find((c: { fact: string }) => c.fact === 'applicationsLast24h').factValue;
      expect(seen, 'no velocity count').to.equal(0);
      expect(next.body.tags, 'the same decision in budget does yield tags').not.to.be.empty;
    });
  });
});
