import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { startTestApp, bearer, issueKey, openTestDatabase, type TestApp } from '../helpers/test-app.js';
import { ProfileStore } from '../../src/features/profiles/profile-store.js';
import { DAY_MS } from '../../src/time/durations.js';

const RESIDENCE = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };

/** `count` profiles C-00000.. with a low income, so customer-tags gives them income-low. */
function lowIncomeProfiles(count: number, offset = 0) {
  return Array.from({ length: count }, (_, i) => ({
    profileId: `P-${String(i + offset).padStart(5, '0')}`,
    type: 'individual',
    basic: { birthDate: '1990-01-01', residence: RESIDENCE },
    financials: { monthlyIncome: 5000 },
  }));
}

async function bulkUpsert(app: TestApp, key: Record<string, string>, profiles: object[]): Promise<void> {
  for (let i = 0; i < profiles.length; i += 1000) {
    const res = await app
      .http()
      .post('/v1/profiles/bulk')
      .set(key)
      .send({ profiles: profiles.slice(i, i + 1000) });
    expect(res.body.errors, JSON.stringify(res.body.errors?.[0])).to.deep.equal([]);
  }
}

async function runJob(app: TestApp, name: string) {
  const res = await app.http().post(`/v1/jobs/${name}/run?wait=true`).set(bearer(app.adminKey));
  expect([200, 202], JSON.stringify(res.body)).to.include(res.status);
  return res.body;
}

describe('Jobs', () => {
  describe('GET /v1/jobs and POST /v1/jobs/{name}/run', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp('jobsapi');
    });
    after(() => app.stop());

    it('lists every job with its schedule, next run and whether it runs', async () => {
      const res = await app.http().get('/v1/jobs').set(bearer(app.adminKey));
      expect(res.status).to.equal(200);
      const names = res.body.items.map((job: { name: string }) => job.name);
      expect(names).to.have.members(['seal-decisions', 'retag', 'retention', 'daily-report', 'segment-export']);
      const retag = res.body.items.find((job: { name: string }) => job.name === 'retag');
      expect(retag).to.include({ schedule: '0 2 * * *', running: false, lastRun: null });
      expect(Date.parse(retag.nextRun)).to.be.greaterThan(Date.now());
    });

    it('when run by an admin, then the run is recorded with its counts; others get 403; unknown jobs 404', async () => {
      const run = await runJob(app, 'daily-report');
      expect(run).to.include({ job: 'daily-report', trigger: 'manual', status: 'succeeded' });
      expect(run.counts).to.have.property('date');
      const runs = await app.http().get('/v1/jobs/daily-report/runs').set(bearer(app.adminKey));
      expect(runs.body.items[0].id).to.equal(run.id);
      const auditor = bearer(await issueKey(app, ['audit:read']));
      expect((await app.http().post('/v1/jobs/retag/run').set(auditor)).status).to.equal(403);
      expect((await app.http().post('/v1/jobs/nope/run').set(bearer(app.adminKey))).status).to.equal(404);
    });

    it('when a job is already running, then a second run now is refused with 409', async () => {
      // The first run is held in its first database read, so that the second request surely finds it
      // running (a retag over a few profiles could otherwise finish before the second request arrives).
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const realCount = ProfileStore.prototype.count;
      const count = sinon.stub(ProfileStore.prototype, 'count').callsFake(async function (this: ProfileStore) {
        await held;
        return realCount.call(this);
      });
      let first: { status: number };
      let second: { status: number };
      try {
        first = await app.http().post('/v1/jobs/retag/run').set(bearer(app.adminKey));
        for (let i = 0; i < 100 && !count.called; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        second = await app.http().post('/v1/jobs/retag/run').set(bearer(app.adminKey));
      } finally {
        release();
        count.restore();
      }
      expect(first.status).to.equal(202);
      expect(second.status).to.equal(409);
      for (
        let i = 0;
        i < 50 && (await app.http().get('/v1/jobs').set(bearer(app.adminKey))).body.items.some((j: { running: boolean }) => j.running);
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
  });

  describe('scheduling across two instances', () => {
    let first: TestApp;
    let second: TestApp;
    let second_: number;

    before(async () => {
      // Both instances schedule retag at the same second, a few seconds from now: it fires once a minute.
      second_ = new Date(Date.now() + 4000).getUTCSeconds();
      const schedule = `${second_} * * * * *`;
      first = await startTestApp('twoscheduled', { JOB_RETAG_SCHEDULE: schedule });
      second = await startTestApp('twoscheduled', {
        JOB_RETAG_SCHEDULE: schedule,
        MONGODB_DB: first.config.mongodbDb,
        BOOTSTRAP_ADMIN_KEY: first.adminKey,
      });
    });
    after(async () => {
      await second.stop();
      await first.stop();
    });

    it('when both instances fire the same scheduled run, then exactly one run happens', async () => {
      const admin = bearer(first.adminKey);
      let runs: { trigger: string; slot: string; status: string; instance: string }[] = [];
      const deadline = Date.now() + 9000;
      while (Date.now() < deadline) {
        runs = (await first.http().get('/v1/jobs/retag/runs').set(admin)).body.items;
        if (runs.some((run) => run.status === 'succeeded')) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      runs = (await first.http().get('/v1/jobs/retag/runs').set(admin)).body.items;
      const scheduled = runs.filter((run) => run.trigger === 'schedule');
      expect(scheduled, JSON.stringify(runs)).to.have.length(1);
      expect(scheduled[0]!.status).to.equal('succeeded');
      expect(new Date(scheduled[0]!.slot).getUTCSeconds()).to.equal(second_);
      expect([first.server.instanceId, second.server.instanceId]).to.include(scheduled[0]!.instance);
    });
  });

  describe('retag', () => {
    let app: TestApp;
    let feed: Record<string, string>;
    const total = 2000;
    before(async function () {
      this.timeout(120_000);
      app = await startTestApp('retag');
      feed = bearer(await issueKey(app, ['profiles:write', 'decide']));
      await bulkUpsert(app, feed, lowIncomeProfiles(total));
    });
    after(async () => {
      sinon.restore();
      await app.stop();
    });

    it('when run over a few thousand profiles, then every profile is tagged, and a second run changes nothing', async function () {
      this.timeout(120_000);
      const run = await runJob(app, 'retag');
      expect(run.counts).to.include({ processed: total, changed: total, total });
      const segment = await app.http().get('/v1/profiles').query({ tag: 'income-low', limit: 500 }).set(feed);
      expect(segment.body.items).to.have.length(500);
      expect(segment.body.items[0].tagDetails.find((t: { tag: string }) => t.tag === 'income-low')).to.include({
        ruleset: 'customer-tags',
        version: 1,
      });
      const again = await runJob(app, 'retag');
      expect(again.counts).to.include({ processed: total, changed: 0 });
    });

    it('when 100 customers earn more, then exactly their tags change', async function () {
      this.timeout(120_000);
      const raised = lowIncomeProfiles(100, 700).map((profile) => ({ ...profile, financials: { monthlyIncome: 40000 } }));
      await bulkUpsert(app, feed, raised);
      const run = await runJob(app, 'retag');
      expect(run.counts).to.include({ processed: total, changed: 100 });
      const high = await app.http().get('/v1/profiles').query({ tag: 'income-high', limit: 500 }).set(feed);
      expect(high.body.items.map((p: { profileId: string }) => p.profileId)).to.deep.equal(raised.map((p) => p.profileId));
      expect(high.body.items.every((p: { tags: string[] }) => !p.tags.includes('income-low'))).to.equal(true);
    });

    it('when a run crashes midway, then the next run resumes after the last finished batch', async function () {
      this.timeout(120_000);
      await bulkUpsert(app, feed, lowIncomeProfiles(100, 700)); // income back to low for the 100
      const real = ProfileStore.prototype.bulkSetTags;
      let calls = 0;
      sinon.stub(ProfileStore.prototype, 'bulkSetTags').callsFake(async function (this: ProfileStore, updates) {
        calls += 1;
        if (calls === 3) throw new Error('injected crash');
        return real.call(this, updates);
      });
      const crashed = await runJob(app, 'retag');
      expect(crashed).to.include({ status: 'failed' });
      expect(crashed.error).to.contain('injected crash');
      expect(crashed.counts).to.include({ processed: 1000 });
      sinon.restore();

      const batchesAfter = sinon.spy(ProfileStore.prototype, 'batchesAfter');
      const resumed = await runJob(app, 'retag');
      expect(resumed.status).to.equal('succeeded');
      expect(resumed.counts).to.include({ processed: total, batchesThisRun: 2, resumedFrom: crashed.id });
      expect(batchesAfter.firstCall.args[0], 'resumes after the last profile of batch 2').to.equal('P-00999');
      const low = await app.http().get('/v1/profiles').query({ tag: 'income-high' }).set(feed);
      expect(low.body.items).to.deep.equal([]);
    });
  });

  describe('retention', () => {
    let app: TestApp;
    let loanSystem: Record<string, string>;
    let compliance: Record<string, string>;
    before(async () => {
      app = await startTestApp('retention', { DECISION_RETENTION_DAYS: '0', DECISION_SEAL_LAG_MS: '0' });
      loanSystem = bearer(await issueKey(app, ['decide', 'profiles:write']));
      compliance = bearer(await issueKey(app, ['audit:read']));
      await app
        .http()
        .put('/v1/profiles/R-1')
        .set(loanSystem)
        .send({ type: 'individual', basic: { residence: RESIDENCE } })
        .expect(201);
    });
    after(() => app.stop());

    const decide = async () =>
      (
        await app
          .http()
          .post('/v1/decisions')
          .set(loanSystem)
          .send({ profileId: 'R-1', event: { type: 'login' }, rulesets: ['fraud-alerts'] })
          .expect(200)
      ).body.decisionId as string;

    it('removes only sealed entries past the period and old job runs, and the log still verifies', async () => {
      const sealedIds = [await decide(), await decide(), await decide()];
      await runJob(app, 'seal-decisions');
      const unsealedIds = [await decide(), await decide()];
      const database = await openTestDatabase(app);
      const runs = database.connection.db!.collection('job_runs');
      const old = new Date(Date.now() - 91 * DAY_MS);
      await runs.insertOne({
        _id: 'retag@old',
        job: 'retag',
        trigger: 'schedule',
        slot: old,
        instance: 'x',
        startedAt: old,
        endedAt: old,
        heartbeatAt: old,
        status: 'succeeded',
        counts: {},
        error: null,
      } as never);
      const recent = new Date(Date.now() - 89 * DAY_MS);
      await runs.insertOne({
        _id: 'retag@recent',
        job: 'retag',
        trigger: 'schedule',
        slot: recent,
        instance: 'x',
        startedAt: recent,
        endedAt: recent,
        heartbeatAt: recent,
        status: 'succeeded',
        counts: {},
        error: null,
      } as never);

      // Velocity slot records: one past the 8 days a head keeps (its log entry retired too), one within them.
      const slots = database.connection.db!.collection('velocity_slots');
      await slots.insertMany([
        { _id: 'retired#1', subject: 'retired', times: '[]', at: new Date(Date.now() - 9 * DAY_MS) },
        { _id: 'counted#1', subject: 'counted', times: '[]', at: new Date(Date.now() - 7 * DAY_MS) },
      ] as never[]);

      const run = await runJob(app, 'retention');
      expect(run.counts).to.include({ decisionsRemoved: 3, jobRunsRemoved: 1 });
      expect((await slots.find({}).toArray()).map((slot) => slot._id)).to.deep.equal(['counted#1']);
      for (const id of sealedIds) expect((await app.http().get(`/v1/decisions/${id}`).set(compliance)).status).to.equal(404);
      for (const id of unsealedIds) expect((await app.http().get(`/v1/decisions/${id}`).set(compliance)).status).to.equal(200);
      expect(await runs.countDocuments({ _id: 'retag@old' } as never)).to.equal(0);
      expect(await runs.countDocuments({ _id: 'retag@recent' } as never)).to.equal(1);
      await database.close();

      const verify = await app.http().get('/v1/audit/verify').set(compliance);
      expect(verify.body.ok, JSON.stringify(verify.body.problems)).to.equal(true);
      expect(verify.body.unsealedEntries).to.equal(2);
      const events = await app.http().get('/v1/audit/events').query({ type: 'retention.removed' }).set(compliance);
      expect(events.body.items[0].data.decisionsRemoved).to.equal(3);
    });
  });

  describe('daily-report and segment-export', () => {
    let app: TestApp;
    let key: Record<string, string>;
    let dataDir: string;
    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobs-data-'));
      app = await startTestApp('reports', { DATA_DIR: dataDir, SEGMENT_EXPORT_TAGS: 'income-low,income-high' });
      key = bearer(await issueKey(app, ['decide', 'profiles:write', 'audit:read']));
      await bulkUpsert(app, key, lowIncomeProfiles(5));
    });
    after(async () => {
      await app.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('when decisions were made today, then the daily report counts exactly them, as JSON and as CSV', async () => {
      const far = { type: 'loan_application', location: { lat: 39.9, lon: 116.4 } };
      const near = { type: 'loan_application', location: { lat: 23.13, lon: 113.26 } };
      const events = [far, far, near, near, near];
      for (const [i, event] of events.entries()) {
        await app
          .http()
          .post('/v1/decisions')
          .set(key)
          .send({ profileId: `P-0000${i}`, event, rulesets: ['fraud-alerts', 'customer-tags'] })
          .expect(200);
      }
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const res = await app.http().get('/v1/reports/daily').query({ date: today }).set(key);
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ date: today, decisions: 5 });
      expect(res.body.outcomes).to.deep.equal({ decline: 2, approve: 3 });
      expect(res.body.alerts).to.deep.equal({ LOCATION_MISMATCH: 2 });
      expect(res.body.tags['income-low']).to.equal(5);
      const fraud = res.body.rulesets.find((r: { ruleset: string }) => r.ruleset === 'fraud-alerts');
      expect(fraud).to.include({ version: 1, decisions: 5 });
      expect(fraud.rules.find((r: { rule: string }) => r.rule === 'event-far-from-residence').hits).to.equal(2);
      expect(fraud.rules.find((r: { rule: string }) => r.rule === 'device-farm').hits).to.equal(0);

      const csv = await app.http().get('/v1/reports/daily').query({ date: today }).set(key).set('Accept', 'text/csv');
      expect(csv.headers['content-type']).to.match(/^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).to.equal('date,ruleset,version,metric,key,count');
      expect(lines).to.include(`${today},fraud-alerts,1,rule-hits,event-far-from-residence,2`);
      expect(lines).to.include(`${today},*,*,decisions,,5`);
    });

    it('when the date is malformed or missing, then 400', async () => {
      expect((await app.http().get('/v1/reports/daily').query({ date: '2026-13-45' }).set(key)).status).to.equal(400);
      expect((await app.http().get('/v1/reports/daily').set(key)).status).to.equal(400);
    });

    it('when segment-export runs, then each configured tag has a dated NDJSON file of its profile ids', async () => {
      const run = await runJob(app, 'segment-export');
      expect(run.status).to.equal('succeeded');
      expect(run.counts).to.include({ 'income-low:profiles': 5, 'income-high:profiles': 0 });
      const file = path.join(dataDir, run.counts['income-low:file']);
      const ids = fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).profileId);
      expect(ids).to.deep.equal(['P-00000', 'P-00001', 'P-00002', 'P-00003', 'P-00004']);
      expect(run.counts['income-low:bytes']).to.equal(fs.statSync(file).size);
      expect(path.basename(file)).to.match(/^segment-income-low-\d{4}-\d{2}-\d{2}\.ndjson$/);
    });
  });
});
