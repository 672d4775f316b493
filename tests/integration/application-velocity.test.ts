import { expect } from 'chai';
import { startTestApp, bearer, issueKey, openTestDatabase, type TestApp } from '../helpers/test-app.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const homeProfile = { type: 'individual', basic: { birthDate: '1985-01-01', residence: GUANGZHOU }, financials: { monthlyIncome: 20000 } };
const BURST = 20;
// A burst of one profile's applications is decided one at a time, so its tail waits for the rest: a
// budget this large keeps the test about counting, not about the latency of a loaded machine.
const ROOMY_BUDGET = { DECISION_TIMEOUT_MS: '20000' };

interface Decision {
  alerts: { code: string; rule: string }[];
  explanations: { rule: string; conditions: { fact: string; factValue?: unknown }[] }[];
}

/** The applicationsLast24h a decision saw, from its explanation of the shipped velocity rule. */
function applicationsSeen(decision: Decision): unknown {
  const rule = decision.explanations.find((explanation) => explanation.rule === 'many-applications-24h');
  return rule?.conditions.find((condition) => condition.fact === 'applicationsLast24h')?.factValue;
}

const velocityAlerts = (decisions: Decision[]): number =>
  decisions.filter((decision) => decision.alerts.some((alert) => alert.rule === 'many-applications-24h')).length;

describe('applicationsLast24h under concurrent applications', () => {
  let first: TestApp;
  let second: TestApp;
  let loanSystem: Record<string, string>;
  let feed: Record<string, string>;

  before(async () => {
    first = await startTestApp('velocity', ROOMY_BUDGET);
    // A second instance on the same database, as a second replica behind a load balancer would be.
    second = await startTestApp('velocity', { ...ROOMY_BUDGET, MONGODB_DB: first.config.mongodbDb });
    loanSystem = bearer(await issueKey(first, ['decide'], 'loan-origination'));
    feed = bearer(await issueKey(first, ['profiles:write'], 'crm-feed'));
  });
  after(async () => {
    await second?.stop();
    await first?.stop();
  });

  const decide = (app: TestApp, profileId: string, event: object) =>
    app
      .http()
      .post('/v1/decisions')
      .set(loanSystem)
      .send({ profileId, event, rulesets: ['fraud-alerts'], versions: { 'fraud-alerts': 1 } });
  const application = (at?: string) => ({ type: 'loan_application', ...(at && { at }), location: { lat: 23.13, lon: 113.26 } });
  const createProfile = (profileId: string) => first.http().put(`/v1/profiles/${profileId}`).set(feed).send(homeProfile).expect(201);

  // Without event.at: the service stamps each application, as a loan system that sends none would have it.
  async function sequential(profileId: string): Promise<Decision[]> {
    const decisions: Decision[] = [];
    for (let i = 0; i < BURST; i++) {
      const res = await decide(first, profileId, application());
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      decisions.push(res.body);
    }
    return decisions;
  }

  async function burst(profileId: string, instances: TestApp[]): Promise<Decision[]> {
    const results = await Promise.all(
      Array.from({ length: BURST }, (_, i) => decide(instances[i % instances.length]!, profileId, application())),
    );
    for (const res of results) expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return results.map((res) => res.body as Decision);
  }

  it(`when ${BURST} applications for one profile arrive at once on one instance, then each sees every one admitted before it and the next sees ${BURST}`, async () => {
    await createProfile('C-SEQUENTIAL');
    await createProfile('C-BURST');
    const oneByOne = await sequential('C-SEQUENTIAL');
    expect(oneByOne.map(applicationsSeen)).to.deep.equal(Array.from({ length: BURST }, (_, i) => i));
    expect(velocityAlerts(oneByOne), 'the shipped rule fires from the 4th application on').to.equal(BURST - 3);

    const atOnce = await burst('C-BURST', [first]);
    expect(atOnce.map(applicationsSeen).sort((a, b) => Number(a) - Number(b))).to.deep.equal(Array.from({ length: BURST }, (_, i) => i));
    expect(velocityAlerts(atOnce), 'as many VELOCITY alerts as one after another').to.equal(velocityAlerts(oneByOne));

    const next = await decide(first, 'C-BURST', { type: 'login' });
    expect(applicationsSeen(next.body)).to.equal(BURST);
  });

  it(`when ${BURST} applications for one profile are split over two instances sharing the database, then each sees every one admitted before it and exactly ${BURST} are counted`, async () => {
    await createProfile('C-TWO-INSTANCES');
    const atOnce = await burst('C-TWO-INSTANCES', [first, second]);
    expect(atOnce.map(applicationsSeen).sort((a, b) => Number(a) - Number(b))).to.deep.equal(Array.from({ length: BURST }, (_, i) => i));
    expect(velocityAlerts(atOnce)).to.equal(BURST - 3);

    const next = await decide(first, 'C-TWO-INSTANCES', application());
    expect(applicationsSeen(next.body), 'the next application, on the first instance').to.equal(BURST);
    const afterNext = await decide(second, 'C-TWO-INSTANCES', application());
    expect(applicationsSeen(afterNext.body), 'and the one after, on the second').to.equal(BURST + 1);
    const last = await decide(second, 'C-TWO-INSTANCES', { type: 'login' });
    expect(applicationsSeen(last.body)).to.equal(BURST + 2);
  });

  it('when the velocity head lags behind the log (its writer died between the two writes), then the next application repairs it and counts every logged one', async () => {
    await createProfile('C-LAGGING');
    for (let i = 0; i < 3; i++) expect((await decide(first, 'C-LAGGING', application())).status).to.equal(200);
    const database = await openTestDatabase(first);
    try {
      // The head is the profile's checkpoint and the slot records after it: put both back to before the three applications.
      const profiles = database.connection.db!.collection('profiles');
      const subject = (await profiles.findOne({ _id: 'C-LAGGING' } as never))?.subject;
      await profiles.updateOne({ _id: 'C-LAGGING' } as never, { $set: { velocityN: 0, velocityTimes: '[]' } });
      // Each application recorded its slot, or wrote its head with the profile's tags when they changed.
      await database.connection.db!.collection('velocity_slots').deleteMany({ subject });
    } finally {
      await database.close();
    }
    const next = await decide(second, 'C-LAGGING', application());
    expect(applicationsSeen(next.body), 'the three logged applications, read back from the log').to.equal(3);
    const login = await decide(first, 'C-LAGGING', { type: 'login' });
    expect(applicationsSeen(login.body), 'the head is repaired for decisions that only read it').to.equal(4);
  });

  describe('event times', () => {
    it('when event.at is far in the future or before 2000, then 400 pointing at /event/at and nothing is logged', async () => {
      await createProfile('C-TIMES');
      for (const at of ['9999-12-31T00:00:00Z', new Date(Date.now() + 10 * 60_000).toISOString(), '1999-12-31T23:59:59Z']) {
        const res = await decide(first, 'C-TIMES', application(at));
        expect(res.status, at).to.equal(400);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
        expect(res.body.error.details[0].path).to.equal('/event/at');
      }
      const next = await decide(first, 'C-TIMES', { type: 'login' });
      expect(applicationsSeen(next.body)).to.equal(0);
    });

    it('when an application carries an old but allowed time or one a minute ahead, then the recent history is not shrunk', async () => {
      await createProfile('C-HISTORY');
      for (let i = 0; i < 5; i++) expect((await decide(first, 'C-HISTORY', application())).status).to.equal(200);
      for (const at of ['2000-01-01T00:00:00Z', new Date(Date.now() + 60_000).toISOString()]) {
        expect((await decide(first, 'C-HISTORY', application(at))).status, at).to.equal(200);
      }
      const next = await decide(first, 'C-HISTORY', { type: 'login', at: new Date(Date.now() + 2 * 60_000).toISOString() });
      expect(applicationsSeen(next.body), 'the five recent applications and the one a minute ahead').to.equal(6);
    });
  });
});
