import { expect } from 'chai';
import { startTestApp, bearer, issueKey, openTestDatabase, type TestApp } from '../helpers/test-app.js';
import { DAY_MS } from '../../src/time/durations.js';

const RESIDENCE = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };

const profiles = (count: number, monthlyIncome: number, offset = 0) =>
  Array.from({ length: count }, (_, i) => ({
    profileId: `R-${String(i + offset).padStart(4, '0')}`,
    type: 'individual',
    basic: { birthDate: '1990-01-01', residence: RESIDENCE },
    financials: { monthlyIncome },
  }));

describe('GET /v1/jobs/retag/runs/{runId}/changes', () => {
  let app: TestApp;
  let feed: Record<string, string>;
  let marketing: Record<string, string>;
  let firstRun: string;
  let secondRun: string;

  const runRetag = async () => {
    const res = await app.http().post('/v1/jobs/retag/run?wait=true').set(bearer(app.adminKey));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.id as string;
  };

  before(async () => {
    app = await startTestApp('retagchanges');
    feed = bearer(await issueKey(app, ['profiles:write']));
    marketing = bearer(await issueKey(app, ['profiles:read'], 'marketing'));
    await app
      .http()
      .post('/v1/profiles/bulk')
      .set(feed)
      .send({ profiles: profiles(30, 5000) })
      .expect(200);
    firstRun = await runRetag();
    // Five customers now earn more: they lose income-low and gain income-high.
    await app
      .http()
      .post('/v1/profiles/bulk')
      .set(feed)
      .send({ profiles: profiles(5, 40000, 10) })
      .expect(200);
    secondRun = await runRetag();
  });
  after(() => app.stop());

  it('when a run changed tags, then its changes say who gained and lost which tag, filtered by tag', async () => {
    const res = await app.http().get(`/v1/jobs/retag/runs/${secondRun}/changes`).set(marketing);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.items.map((change: { profileId: string }) => change.profileId)).to.deep.equal(
      profiles(5, 0, 10).map((p) => p.profileId),
    );
    expect(res.body.items[0].lost).to.include('income-low');
    expect(res.body.items[0].gained).to.include('income-high');
    const filtered = await app.http().get(`/v1/jobs/retag/runs/${secondRun}/changes?tag=income-low`).set(marketing).expect(200);
    expect(filtered.body.items).to.have.length(5);
    const other = await app.http().get(`/v1/jobs/retag/runs/${secondRun}/changes?tag=no-such-tag`).set(marketing).expect(200);
    expect(other.body).to.deep.equal({ items: [], nextCursor: null });
  });

  it('when the tag filter is sent empty (?tag=), then it counts as absent: every change of the run comes', async () => {
    const all = await app.http().get(`/v1/jobs/retag/runs/${secondRun}/changes`).set(marketing).expect(200);
    const blank = await app.http().get(`/v1/jobs/retag/runs/${secondRun}/changes?tag=`).set(marketing).expect(200);
    expect(blank.body.items).to.have.length(5);
    expect(blank.body).to.deep.equal(all.body);
  });

  it('when the first run is paged 7 at a time, then every one of the 30 tagged profiles comes once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { limit: 7, ...(cursor && { cursor }) };
      const page = await app.http().get(`/v1/jobs/retag/runs/${firstRun}/changes`).query(query).set(marketing).expect(200);
      seen.push(...page.body.items.map((change: { profileId: string }) => change.profileId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).to.deep.equal(profiles(30, 0).map((p) => p.profileId));
  });

  it('when a cursor of another run or tag is sent, then it is a 400; an unknown run is a 404; a key without profiles:read is a 403', async () => {
    const page = await app.http().get(`/v1/jobs/retag/runs/${firstRun}/changes?limit=2`).set(marketing).expect(200);
    const foreign = await app.http().get(`/v1/jobs/retag/runs/${secondRun}/changes`).query({ cursor: page.body.nextCursor }).set(marketing);
    expect(foreign.status).to.equal(400);
    expect(foreign.body.error.details[0].path).to.equal('/query/cursor');
    await app
      .http()
      .get(`/v1/jobs/retag/runs/${firstRun}/changes`)
      .query({ cursor: page.body.nextCursor, tag: 'x' })
      .set(marketing)
      .expect(400);
    await app.http().get('/v1/jobs/retag/runs/no-such-run/changes').set(marketing).expect(404);
    const decider = bearer(await issueKey(app, ['decide']));
    await app.http().get(`/v1/jobs/retag/runs/${firstRun}/changes`).set(decider).expect(403);
  });

  it('when retention removes old job runs, then it removes their tag changes too and keeps recent ones', async () => {
    const database = await openTestDatabase(app);
    const changes = database.connection.db!.collection('retag_changes');
    const batch = (runId: string, ageDays: number) => ({
      _id: `${runId}:00000000`,
      runId,
      n: 0,
      runStartedAt: new Date(Date.now() - ageDays * DAY_MS),
      changes: [{ profileId: 'R-0000', gained: ['x'], lost: [] }],
    });
    await changes.insertMany([batch('retag@old', 91), batch('retag@recent', 89)] as never[]);

    const run = await app.http().post('/v1/jobs/retention/run?wait=true').set(bearer(app.adminKey));
    expect(run.status, JSON.stringify(run.body)).to.equal(200);

    expect(await changes.countDocuments({ runId: 'retag@old' })).to.equal(0);
    expect(await changes.countDocuments({ runId: 'retag@recent' })).to.equal(1);
    expect(await changes.countDocuments({ runId: secondRun })).to.be.greaterThan(0);
    await database.close();
  });
});
