import { expect } from 'chai';
import sinon from 'sinon';
import type supertest from 'supertest';
import { DecisionLogStore } from '../../src/features/decisions/decision-log-store.js';
import { fixture } from '../helpers/fixtures.js';
import { bearer, issueKey, startTestApp, type TestApp } from '../helpers/test-app.js';

const PROFILE_ID = 'ADM-1';
const decisionBody = { profileId: PROFILE_ID, event: { type: 'login', at: '2026-11-21T01:30:00+08:00' } };

/** Holds every decision log insert until released: the admitted decisions stay in flight meanwhile. */
function holdLogInserts(): { release(): void; inserts: sinon.SinonStub } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const original = DecisionLogStore.prototype.insertMany;
  const inserts = sinon.stub(DecisionLogStore.prototype, 'insertMany').callsFake(async function (this: DecisionLogStore, records) {
    await gate;
    return original.call(this, records);
  });
  return { release, inserts };
}

/** Resolves once the admission gauges show `inFlight` decisions in flight and `queued` waiting. */
async function admissionState(app: TestApp, inFlight: number, queued: number): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const text = (await app.http().get('/metrics').set(bearer(app.adminKey))).text;
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    if (gauge('decisioning_admission_in_flight') === inFlight && gauge('decisioning_admission_queued') === queued) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`admission never reached ${inFlight} in flight and ${queued} queued`);
}

/** A request sent now and answered later: supertest only sends when awaited (or then-ed). */
const send = (request: supertest.Test): Promise<supertest.Response> => new Promise((resolve, reject) => request.then(resolve, reject));

describe('Admission control of POST /v1/decisions', () => {
  let app: TestApp;
  let decideKey: string;

  before(async () => {
    // Two decisions in flight at most, one waiting; a roomy budget so that the held inserts never run out of it.
    app = await startTestApp('admission', {
      ADMISSION_MIN_LIMIT: '2',
      ADMISSION_MAX_LIMIT: '2',
      ADMISSION_MAX_QUEUE: '1',
      ADMISSION_QUEUE_MS: '5000',
      ADMISSION_LATENCY_TARGET_MS: '5000',
      DECISION_TIMEOUT_MS: '10000',
    });
    decideKey = await issueKey(app, ['decide']);
    const put = await app
      .http()
      .put(`/v1/profiles/${PROFILE_ID}`)
      .set(bearer(app.adminKey))
      .send(fixture('profiles/individual-guangzhou.json'));
    expect(put.status).to.equal(201);
  });
  afterEach(() => sinon.restore());
  after(() => app.stop());

  const decide = () => send(app.http().post('/v1/decisions').set(bearer(decideKey)).send(decisionBody));

  it('when the limit and the queue are full, then the excess is answered 503 with Retry-After at once, and the admitted and queued ones 200', async () => {
    const held = holdLogInserts();
    const admitted = [decide(), decide()];
    await admissionState(app, 2, 0);
    const queued = decide();
    await admissionState(app, 2, 1);

    const shedStarted = performance.now();
    const shed = await Promise.all([decide(), decide(), decide()]);
    const shedMs = performance.now() - shedStarted;
    for (const answer of shed) {
      expect(answer.status).to.equal(503);
      expect(answer.headers['retry-after']).to.equal('1');
      expect(answer.body.error.code).to.equal('UNAVAILABLE');
      expect(answer.body.error.message).to.contain('at capacity');
    }
    // Answered while the admitted decisions were still held: refused at the door, not after a timeout.
    expect(held.inserts.callCount).to.be.at.most(2);
    expect(shedMs).to.be.below(2000);

    held.release();
    const answers = await Promise.all([...admitted, queued]);
    expect(answers.map((answer) => answer.status)).to.deep.equal([200, 200, 200]);

    // Nothing of the shed decisions was logged: three entries, those answered 200.
    const logged = await app.http().get(`/v1/decisions?profileId=${PROFILE_ID}`).set(bearer(app.adminKey));
    expect(logged.body.items.map((item: { decisionId: string }) => item.decisionId).sort()).to.deep.equal(
      answers.map((answer) => answer.body.decisionId).sort(),
    );
    const metrics = (await app.http().get('/metrics').set(bearer(app.adminKey))).text;
    expect(metrics).to.match(/^decisioning_admission_shed_total\{reason="queue-full"\} 3$/m);
    expect(metrics).to.match(/^decisioning_decision_request_duration_seconds_count\{status="503"\} 3$/m);
  });

  it('when the caller may not decide, then it is not queued or shed but refused by the route (403)', async () => {
    const held = holdLogInserts();
    const readerKey = await issueKey(app, ['profiles:read'], 'reader');
    const admitted = [decide(), decide()];
    await admissionState(app, 2, 0);
    const answer = await app.http().post('/v1/decisions').set(bearer(readerKey)).send(decisionBody);
    expect(answer.status).to.equal(403);
    held.release();
    expect((await Promise.all(admitted)).map((each) => each.status)).to.deep.equal([200, 200]);
  });
});
