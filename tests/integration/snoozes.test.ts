import { expect } from 'chai';
import { startTestApp, bearer, issueKey, openTestDatabase, type TestApp } from '../helpers/test-app.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const BEIJING = { lat: 39.9, lon: 116.4 };
const RULE = 'event-far-from-residence';
const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

interface Explanation {
  ruleset: string;
  rule: string;
  fired: boolean;
  snoozed?: boolean;
}

describe('Snoozes: POST/GET/DELETE /v1/profiles/{profileId}/snoozes', () => {
  let app: TestApp;
  let analyst: Record<string, string>;
  let loans: Record<string, string>;
  let compliance: Record<string, string>;

  before(async () => {
    app = await startTestApp('snoozes');
    analyst = bearer(await issueKey(app, ['alerts:review']));
    loans = bearer(await issueKey(app, ['decide', 'profiles:write']));
    compliance = bearer(await issueKey(app, ['audit:read']));
    for (const id of ['SN-1', 'SN-2', 'SN-3', 'SN-4', 'SN-5', 'SN-6']) {
      await app
        .http()
        .put(`/v1/profiles/${id}`)
        .set(loans)
        .send({ type: 'individual', basic: { residence: GUANGZHOU } })
        .expect(201);
    }
  });
  after(() => app.stop());

  /** A login from Beijing, 1,890 km from home: the high LOCATION_MISMATCH alert fires unless snoozed. */
  const decide = (profileId: string, at?: string) =>
    app
      .http()
      .post('/v1/decisions')
      .set(loans)
      .send({ profileId, event: { type: 'login', location: BEIJING, ...(at && { at }) }, rulesets: ['fraud-alerts'] })
      .expect(200);

  const snooze = (profileId: string, body: Record<string, unknown>) =>
    app.http().post(`/v1/profiles/${profileId}/snoozes`).set(analyst).send(body);

  const explanationOf = (decision: { explanations: Explanation[] }) => decision.explanations.find((e) => e.rule === RULE)!;

  it('when a rule is snoozed for a profile, then its next decision explains the rule as fired and snoozed and yields nothing from it', async () => {
    const before = await decide('SN-1');
    expect(before.body.alerts.map((a: { rule: string }) => a.rule)).to.include(RULE);
    expect(before.body.outcome).to.equal('decline');

    const created = await snooze('SN-1', {
      ruleset: 'fraud-alerts',
      rule: RULE,
      until: minutesFromNow(60),
      reason: 'called the customer: travelling',
    });
    expect(created.status).to.equal(201);
    expect(created.body.snoozeId).to.match(/^snz_/);
    expect(created.body).to.include({ profileId: 'SN-1', ruleset: 'fraud-alerts', rule: RULE, active: true, removedAt: null });

    const after = await decide('SN-1');
    expect(after.body.alerts.map((a: { rule: string }) => a.rule)).to.not.include(RULE);
    expect(after.body.outcome).to.equal('approve');
    expect(explanationOf(after.body)).to.include({ fired: true, snoozed: true });
    expect(after.body.snoozes).to.deep.equal([
      { snoozeId: created.body.snoozeId, ruleset: 'fraud-alerts', rule: RULE, until: created.body.until },
    ]);

    // Another customer's decision is untouched by it.
    const other = await decide('SN-2');
    expect(other.body.alerts.map((a: { rule: string }) => a.rule)).to.include(RULE);
    expect(explanationOf(other.body).snoozed).to.equal(undefined);
    expect(other.body).to.not.have.property('snoozes');
  });

  it('when the decision time is past the snooze’s until, then the snooze no longer holds and the rule yields again', async () => {
    const created = await snooze('SN-3', { ruleset: 'fraud-alerts', rule: RULE, until: minutesFromNow(2), reason: 'short' });
    expect(created.status).to.equal(201);

    const within = await decide('SN-3', minutesFromNow(1));
    expect(explanationOf(within.body).snoozed).to.equal(true);
    expect(within.body.alerts).to.have.length(0);

    const past = await decide('SN-3', minutesFromNow(4));
    expect(explanationOf(past.body).snoozed).to.equal(undefined);
    expect(past.body.alerts.map((a: { rule: string }) => a.rule)).to.include(RULE);
    expect(past.body).to.not.have.property('snoozes');
    const listed = await app.http().get('/v1/profiles/SN-3/snoozes').set(analyst).expect(200);
    expect(listed.body.items[0]).to.include({ snoozeId: created.body.snoozeId, active: true });
  });

  it('when a snoozed decision is replayed, then the replay is identical (the logged snooze holds again)', async () => {
    await snooze('SN-5', { ruleset: 'fraud-alerts', rule: RULE, until: minutesFromNow(60), reason: 'checked' }).expect(201);
    const decision = await decide('SN-5');
    expect(explanationOf(decision.body).snoozed).to.equal(true);
    const logged = await app.http().get(`/v1/decisions/${decision.body.decisionId}`).set(compliance).expect(200);
    expect(logged.body.snoozes).to.have.length(1);
    const replay = await app.http().post(`/v1/decisions/${decision.body.decisionId}/replay`).set(compliance).expect(200);
    expect(replay.body.differences).to.deep.equal([]);
    expect(replay.body.identical).to.equal(true);
  });

  it('when a snooze is removed, then 204, the next decision yields the rule again, the list shows it removed and a second removal is a 404', async () => {
    const created = await snooze('SN-4', { ruleset: 'fraud-alerts', rule: RULE, until: minutesFromNow(60), reason: 'checked' });
    expect(explanationOf((await decide('SN-4')).body).snoozed).to.equal(true);

    await app.http().delete(`/v1/profiles/SN-4/snoozes/${created.body.snoozeId}`).set(analyst).expect(204);
    const after = await decide('SN-4');
    expect(explanationOf(after.body).snoozed).to.equal(undefined);
    expect(after.body.alerts.map((a: { rule: string }) => a.rule)).to.include(RULE);

    const listed = await app.http().get('/v1/profiles/SN-4/snoozes').set(analyst).expect(200);
    expect(listed.body.items).to.have.length(1);
    expect(listed.body.items[0].active).to.equal(false);
    expect(listed.body.items[0].removedAt).to.be.a('string');
    const again = await app.http().delete(`/v1/profiles/SN-4/snoozes/${created.body.snoozeId}`).set(analyst);
    expect(again.status).to.equal(404);
    // A snooze of another profile is not found under this one.
    const other = await snooze('SN-2', { ruleset: 'fraud-alerts', rule: RULE, until: minutesFromNow(60), reason: 'checked' }).expect(201);
    await app.http().delete(`/v1/profiles/SN-2/snoozes/${other.body.snoozeId}`).set(analyst).expect(204);
    const first = (await app.http().get('/v1/profiles/SN-5/snoozes').set(analyst).expect(200)).body.items[0];
    expect((await app.http().delete(`/v1/profiles/SN-4/snoozes/${first.snoozeId}`).set(analyst)).status).to.equal(404);
  });

  it('when a snooze is invalid, then 400 with a pointer at the field (or 404 for an unknown profile), and nothing is snoozed', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ruleset: 'fraud-alerts', rule: RULE, until: minutesFromNow(-1), reason: 'r' }, '/until'],
      [{ ruleset: 'fraud-alerts', rule: RULE, until: minutesFromNow(91 * 24 * 60), reason: 'r' }, '/until'],
      [{ ruleset: 'fraud-alerts', rule: 'no-such-rule', until: minutesFromNow(60), reason: 'r' }, '/rule'],
      [{ ruleset: 'no-such-ruleset', rule: RULE, until: minutesFromNow(60), reason: 'r' }, '/ruleset'],
      [{ ruleset: 'fraud-alerts', rule: RULE, until: minutesFromNow(60) }, '/reason'],
    ];
    for (const [body, pointer] of cases) {
      const res = await snooze('SN-2', body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error.details), JSON.stringify(body)).to.include(pointer);
    }
    const unknown = await snooze('NOBODY', { ruleset: 'fraud-alerts', rule: RULE, until: minutesFromNow(60), reason: 'r' });
    expect(unknown.status).to.equal(404);
    const listed = await app.http().get('/v1/profiles/SN-2/snoozes').set(analyst).expect(200);
    expect(listed.body.items.filter((item: { active: boolean }) => item.active)).to.deep.equal([]);
    expect(explanationOf((await decide('SN-2')).body).snoozed).to.equal(undefined);
  });

  it('when snoozes are created and removed, then each is an audit event naming the rule, not the profile id', async () => {
    const made = await snooze('SN-6', { ruleset: 'fraud-alerts', rule: RULE, until: minutesFromNow(60), reason: 'audited' }).expect(201);
    await app.http().delete(`/v1/profiles/SN-6/snoozes/${made.body.snoozeId}`).set(analyst).expect(204);
    const created = await app.http().get('/v1/audit/events?type=profile.snoozed').set(compliance).expect(200);
    expect(created.body.items[0].data).to.deep.equal({
      snoozeId: made.body.snoozeId,
      ruleset: 'fraud-alerts',
      rule: RULE,
      until: made.body.until,
    });
    expect(JSON.stringify(created.body.items)).to.not.include('SN-');
    const removed = await app.http().get('/v1/audit/events?type=profile.snooze-removed').set(compliance).expect(200);
    expect(removed.body.items[0].data).to.deep.equal({ snoozeId: made.body.snoozeId, ruleset: 'fraud-alerts', rule: RULE });
  });

  it('when a profile is erased, then its snooze records (with their reasons) go with it: a profile created anew with the same id has none', async () => {
    await app
      .http()
      .put('/v1/profiles/SN-ERASE')
      .set(loans)
      .send({ type: 'individual', basic: { residence: GUANGZHOU } })
      .expect(201);
    const made = await snooze('SN-ERASE', {
      ruleset: 'fraud-alerts',
      rule: RULE,
      until: minutesFromNow(60),
      reason: 'personal reason',
    }).expect(201);
    await app.http().delete(`/v1/profiles/SN-ERASE/snoozes/${made.body.snoozeId}`).set(analyst).expect(204);
    await snooze('SN-ERASE', { ruleset: 'fraud-alerts', rule: RULE, until: minutesFromNow(60), reason: 'personal reason' }).expect(201);
    await app.http().delete('/v1/profiles/SN-ERASE').set(loans).expect(204);
    const database = await openTestDatabase(app);
    try {
      expect(await database.connection.collection('snoozes').countDocuments({ reason: 'personal reason' })).to.equal(0);
      expect(await database.connection.collection('snooze_removals').countDocuments({ _id: made.body.snoozeId })).to.equal(0);
    } finally {
      await database.close();
    }
    await app
      .http()
      .put('/v1/profiles/SN-ERASE')
      .set(loans)
      .send({ type: 'individual', basic: { residence: GUANGZHOU } })
      .expect(201);
    expect((await app.http().get('/v1/profiles/SN-ERASE/snoozes').set(analyst).expect(200)).body.items).to.deep.equal([]);
    expect(explanationOf((await decide('SN-ERASE')).body).snoozed).to.equal(undefined);
  });

  it('when two instances snooze four rules of one profile at once, then the next decision on either has all four snoozed', async () => {
    const second = await startTestApp('snoozes', { MONGODB_DB: app.config.mongodbDb });
    try {
      await app
        .http()
        .put('/v1/profiles/SN-MULTI')
        .set(loans)
        .send({ type: 'individual', basic: { residence: GUANGZHOU } })
        .expect(201);
      const rules = ['event-far-from-residence', 'trajectory-far-from-residence', 'mostly-late-night-activity', 'device-farm'];
      const answers = await Promise.all(
        rules.map((rule, index) =>
          (index % 2 === 0 ? app : second)
            .http()
            .post('/v1/profiles/SN-MULTI/snoozes')
            .set(analyst)
            .send({ ruleset: 'fraud-alerts', rule, until: minutesFromNow(60), reason: 'checked' }),
        ),
      );
      expect(answers.map((answer) => answer.status)).to.deep.equal([201, 201, 201, 201]);
      for (const instance of [app, second]) {
        const decision = await instance
          .http()
          .post('/v1/decisions')
          .set(loans)
          .send({ profileId: 'SN-MULTI', event: { type: 'login', location: BEIJING }, rulesets: ['fraud-alerts'] })
          .expect(200);
        const snoozed = decision.body.explanations.filter((e: Explanation) => e.snoozed).map((e: Explanation) => e.rule);
        expect(snoozed.sort()).to.deep.equal([...rules].sort());
      }
    } finally {
      await second.stop();
    }
  });

  it('when a tag rule is snoozed for a profile, then neither its decisions nor the re-tagging job give it that tag', async () => {
    const rich = { type: 'individual', basic: { residence: GUANGZHOU }, credit: { score: 712 } };
    for (const id of ['SN-TAG', 'SN-TAG-OTHER']) await app.http().put(`/v1/profiles/${id}`).set(loans).send(rich).expect(201);
    await snooze('SN-TAG', { ruleset: 'customer-tags', rule: 'credit-good', until: minutesFromNow(60), reason: 'disputed score' }).expect(
      201,
    );
    const decision = await app
      .http()
      .post('/v1/decisions')
      .set(loans)
      .send({ profileId: 'SN-TAG', event: { type: 'login' }, rulesets: ['customer-tags'] })
      .expect(200);
    expect(decision.body.tags).to.not.include('credit-good');
    const run = await app.http().post('/v1/jobs/retag/run?wait=true').set(bearer(app.adminKey));
    expect(run.status, JSON.stringify(run.body)).to.equal(200);
    const tagsOf = async (id: string) => (await app.http().get(`/v1/profiles/${id}`).set(loans).expect(200)).body.tags as string[];
    expect(await tagsOf('SN-TAG')).to.not.include('credit-good');
    expect(await tagsOf('SN-TAG-OTHER')).to.include('credit-good');
  });

  it('when a key without alerts:review snoozes, lists or removes snoozes, then 403', async () => {
    const body = { ruleset: 'fraud-alerts', rule: RULE, until: minutesFromNow(60), reason: 'r' };
    for (const key of [loans, compliance, bearer(await issueKey(app, ['rules:publish', 'profiles:read']))]) {
      expect((await app.http().post('/v1/profiles/SN-2/snoozes').set(key).send(body)).status).to.equal(403);
      expect((await app.http().get('/v1/profiles/SN-2/snoozes').set(key)).status).to.equal(403);
      expect((await app.http().delete('/v1/profiles/SN-2/snoozes/snz_abc').set(key)).status).to.equal(403);
    }
  });
});
