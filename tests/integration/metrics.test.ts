import { expect } from 'chai';
import sinon from 'sinon';
import { DatabaseUnavailableError } from '../../src/db/database-errors.js';
import { DecisionLogStore } from '../../src/features/decisions/decision-log-store.js';
import { fixture } from '../helpers/fixtures.js';
import { bearer, issueKey, startTestApp, type TestApp } from '../helpers/test-app.js';

const PROFILE_ID = 'MET-1001';
const SHIPPED = ['credit-risk', 'customer-tags', 'fraud-alerts', 'product-matching'];

/** The value of one series in a Prometheus text exposition (0 when absent). */
function series(text: string, name: string, labels = ''): number {
  const escaped = `${name}${labels}`.replace(/[{}"\\.+]/g, (c) => `\\${c}`);
  const match = new RegExp(`^${escaped} ([0-9.e+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

describe('GET /metrics', () => {
  let app: TestApp;
  let decideKey: string;

  before(async () => {
    app = await startTestApp('metrics');
    decideKey = await issueKey(app, ['decide']);
    await app.http().put(`/v1/profiles/${PROFILE_ID}`).set(bearer(app.adminKey)).send(fixture('profiles/individual-guangzhou.json'));
  });
  afterEach(() => sinon.restore());
  after(() => app.stop());

  const scrape = async () => (await app.http().get('/metrics').set(bearer(app.adminKey))).text;
  const decide = () =>
    app
      .http()
      .post('/v1/decisions')
      .set(bearer(decideKey))
      .send({ profileId: PROFILE_ID, event: { type: 'loan_application', amount: 50_000, location: { lat: 39.9, lon: 116.4 } } });

  it('when it is asked without a key or with a key that is not admin, then it is refused (401, 403); with an admin key it is Prometheus text', async () => {
    expect((await app.http().get('/metrics')).status).to.equal(401);
    expect((await app.http().get('/metrics').set(bearer(decideKey))).status).to.equal(403);
    const answer = await app.http().get('/metrics').set(bearer(app.adminKey));
    expect(answer.status).to.equal(200);
    expect(answer.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
    expect(answer.text).to.contain('# TYPE decisioning_admission_limit gauge');
    expect(series(answer.text, 'decisioning_admission_limit')).to.be.greaterThan(0);
  });

  it('when a decision is answered, then it is counted by outcome and by each ruleset it evaluated, with its latency and its log insert; no profile id appears', async () => {
    const before = await scrape();
    const answer = await decide();
    expect(answer.status).to.equal(200);
    const { outcome } = answer.body as { outcome: string };
    const after = await scrape();
    const grew = (name: string, labels = '') => series(after, name, labels) - series(before, name, labels);
    expect(grew('decisioning_decisions_total', `{outcome="${outcome}"}`)).to.equal(1);
    for (const ruleset of SHIPPED) {
      expect(grew('decisioning_decisions_by_ruleset_total', `{ruleset="${ruleset}",outcome="${outcome}"}`), ruleset).to.equal(1);
    }
    expect(grew('decisioning_decision_request_duration_seconds_count', '{status="200"}')).to.equal(1);
    expect(grew('decisioning_admission_admitted_total')).to.equal(1);
    expect(grew('decisioning_decision_log_batch_entries_count')).to.equal(1);
    expect(grew('decisioning_decision_log_wait_seconds_count')).to.equal(1);
    expect(after).not.to.contain(PROFILE_ID);
  });

  it('when the decision log insert fails on the database, then the failed insert and the failed request are counted as database errors, and the 503 carries Retry-After', async () => {
    sinon.stub(DecisionLogStore.prototype, 'insertMany').rejects(new DatabaseUnavailableError('the database is down'));
    const before = await scrape();
    const answer = await decide();
    expect(answer.status).to.equal(503);
    expect(answer.headers['retry-after']).to.equal('1');
    const after = await scrape();
    const grew = (labels: string) =>
      series(after, 'decisioning_database_errors_total', labels) - series(before, 'decisioning_database_errors_total', labels);
    expect(grew('{kind="log-insert"}')).to.equal(1);
    expect(grew('{kind="request"}')).to.equal(1);
  });

  it('when a job runs, then its run is counted by job and status with its duration', async () => {
    const run = await app.http().post('/v1/jobs/seal-decisions/run?wait=true').set(bearer(app.adminKey));
    expect(run.status).to.equal(200);
    const text = await scrape();
    expect(series(text, 'decisioning_job_runs_total', '{job="seal-decisions",status="succeeded"}')).to.be.at.least(1);
    expect(series(text, 'decisioning_job_run_duration_seconds_count', '{job="seal-decisions",status="succeeded"}')).to.be.at.least(1);
  });
});

describe('GET /metrics with METRICS_PUBLIC=true', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp('metrics-public', { METRICS_PUBLIC: 'true' });
  });
  after(() => app.stop());

  it('when it is asked without a key, then it answers the metrics', async () => {
    const answer = await app.http().get('/metrics');
    expect(answer.status).to.equal(200);
    expect(answer.text).to.contain('decisioning_admission_in_flight');
  });
});
