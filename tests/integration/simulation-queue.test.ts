import { expect } from 'chai';
import sinon from 'sinon';
import { startTestApp, bearer, issueKey, openTestDatabase, type TestApp } from '../helpers/test-app.js';
import {
  holdRunsAfterFirstInput,
  simulateProfiles,
  simulationPath,
  sleep,
  storeBigProfiles,
  waitForSimulation,
} from '../helpers/simulations.js';
import { DAY_MS } from '../../src/time/durations.js';

const PROFILES = 24;
const isRunning = (body: { status: string }) => body.status === 'running';
const hasEnded = (body: { status: string }) => ['succeeded', 'failed', 'cancelled'].includes(body.status);

describe('background simulations: queue, cancel, progress, retention', function () {
  this.timeout(180_000);
  let app: TestApp;
  let admin: Record<string, string>;

  before(async () => {
    // Every simulation over 2 inputs or more is a background run; one runs at a time on this instance.
    app = await startTestApp('simqueue', { SIMULATION_INLINE_LIMIT: '1', SIMULATION_CONCURRENCY: '1', SIMULATION_QUEUE_PER_KEY: '2' });
    admin = bearer(app.adminKey);
    await storeBigProfiles(app.http, admin, PROFILES);
  });
  afterEach(() => sinon.restore());
  after(() => app.stop());

  /** A fresh rules editor: each test starts with an empty quota. */
  const editor = async (roles = ['rules:edit']) => bearer(await issueKey(app, roles));

  /** Starts a background run and returns its id. */
  async function start(key: Record<string, string>, limit = PROFILES): Promise<string> {
    const res = await simulateProfiles(app.http, key, limit);
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    return res.body.simulationId as string;
  }

  /** Cancels whatever a test left queued or running, so that the next test finds the instance idle. */
  async function cancelAll(ids: string[]): Promise<void> {
    for (const id of ids) await app.http().delete(simulationPath(id)).set(admin);
    for (const id of ids) await waitForSimulation(app.http, admin, id, hasEnded);
  }

  it('when runs are queued, then one runs at a time and a queued one says how many unfinished runs are ahead of it', async () => {
    const key = await editor();
    const first = await start(key);
    const second = await simulateProfiles(app.http, key, PROFILES);

    expect(second.status).to.equal(202);
    expect(second.body).to.include({ status: 'queued', ahead: 1, restarts: 0, startedAt: null });
    expect(second.body.progress).to.deep.equal({ done: 0, total: PROFILES });
    expect(second.body).to.include({ ruleset: 'fraud-alerts', against: 'profiles' });
    await waitForSimulation(app.http, key, first, isRunning);
    const queued = (await app.http().get(simulationPath(second.body.simulationId)).set(key)).body;
    expect(queued).to.include({ status: 'queued', ahead: 1 });

    await cancelAll([first, second.body.simulationId]);
  });

  it('when a key asks for more unfinished runs than its quota at once, then exactly the quota is accepted and the rest get 409 naming them', async () => {
    const key = await editor();
    const answers = await Promise.all([1, 2, 3, 4].map(() => simulateProfiles(app.http, key, PROFILES)));

    const accepted = answers.filter((res) => res.status === 202).map((res) => res.body.simulationId as string);
    const refused = answers.filter((res) => res.status === 409);
    expect(accepted, answers.map((res) => res.status).join(',')).to.have.length(2);
    expect(refused).to.have.length(2);
    expect(refused[0]!.body.error.code).to.equal('CONFLICT');
    expect(refused[0]!.body.error.message).to.contain('SIMULATION_QUEUE_PER_KEY');
    for (const id of accepted) expect(refused[0]!.body.error.message).to.contain(id);

    // Another key has a quota of its own.
    const other = await editor();
    const third = await start(other);

    // A cancelled run frees its place at once.
    expect((await app.http().delete(simulationPath(accepted[1]!)).set(key)).status).to.equal(204);
    const again = await simulateProfiles(app.http, key, PROFILES);
    expect(again.status, JSON.stringify(again.body)).to.equal(202);

    await cancelAll([...accepted, third, again.body.simulationId]);
  });

  it('when a queued run is cancelled, then 204, it never starts, and cancelling it again is 204 too', async () => {
    const key = await editor();
    const running = await start(key);
    const queued = await start(key);

    expect((await app.http().delete(simulationPath(queued)).set(key)).status).to.equal(204);
    const cancelled = (await app.http().get(simulationPath(queued)).set(key)).body;
    expect(cancelled).to.include({ status: 'cancelled', startedAt: null });
    expect(cancelled.cancelledBy).to.have.property('keyId');
    expect(cancelled.progress).to.deep.equal({ done: 0, total: PROFILES });
    expect((await app.http().delete(simulationPath(queued)).set(key)).status).to.equal(204);

    await cancelAll([running]);
    await sleep(1500);
    const later = (await app.http().get(simulationPath(queued)).set(key)).body;
    expect(later).to.include({ status: 'cancelled', startedAt: null });
  });

  it('when a running run is cancelled, then it stops at its next yield, keeps its partial progress, and the next queued run starts', async () => {
    // Held after its first input until it is cancelled: on a quiet machine a whole run could end before the cancel.
    holdRunsAfterFirstInput();
    const key = await editor();
    const running = await start(key);
    const next = await start(key);
    await waitForSimulation(app.http, key, running, (body) => isRunning(body) && body.progress.done > 0);

    expect((await app.http().delete(simulationPath(running)).set(key)).status).to.equal(204);

    const cancelled = (await app.http().get(simulationPath(running)).set(key)).body;
    expect(cancelled.status).to.equal('cancelled');
    await waitForSimulation(app.http, key, next, isRunning, 10_000);
    const stopped = (await app.http().get(simulationPath(running)).set(key)).body;
    await sleep(1200);
    const later = (await app.http().get(simulationPath(running)).set(key)).body;
    expect(later.status).to.equal('cancelled');
    expect(later.progress.done, 'it stopped').to.equal(stopped.progress.done);
    expect(later.progress.done).to.be.above(0).and.below(PROFILES);
    expect(later).not.to.have.property('changed');

    await cancelAll([next]);
  });

  it('when someone else cancels, then 403 for another editor and 204 for an admin; a finished run is 409', async () => {
    const owner = await editor();
    const id = await start(owner, 2);
    const stranger = await editor(['rules:edit', 'rules:publish']);

    const refused = await app.http().delete(simulationPath(id)).set(stranger);
    expect(refused.status).to.equal(403);
    expect(refused.body.error.message).to.contain('started');
    const ended = await waitForSimulation(app.http, owner, id, hasEnded);
    expect(ended.status).to.equal('succeeded');
    const tooLate = await app.http().delete(simulationPath(id)).set(owner);
    expect(tooLate.status).to.equal(409);
    expect(tooLate.body.error.message).to.contain('succeeded');

    // Queued behind the owner's own run, held running (one runs at a time here), so that no worker claims
    // it while the admin cancels it: on FerretDB v1 a claim landing then can overwrite the cancel.
    holdRunsAfterFirstInput();
    const blocker = await start(owner);
    await waitForSimulation(app.http, owner, blocker, isRunning);
    const other = await start(owner);
    expect((await app.http().delete(simulationPath(other)).set(admin)).status).to.equal(204);
    expect((await app.http().get(simulationPath(other)).set(owner)).body.status).to.equal('cancelled');
    expect(
      (await app.http().delete('/v1/rulesets/fraud-alerts/simulations/sim_00000000-0000-0000-0000-000000000000').set(admin)).status,
    ).to.equal(404);
    expect((await app.http().delete(`/v1/rulesets/customer-tags/simulations/${other}`).set(admin)).status).to.equal(404);
    sinon.restore();
    await cancelAll([blocker]);
  });

  it('when a run is followed, then its progress counts the inputs done so far, rises while it runs and ends at the total', async () => {
    const key = await editor();
    const id = await start(key);
    const seen: { status: string; done: number; total: number }[] = [];
    const report = await waitForSimulation(app.http, key, id, (body) => {
      seen.push({ status: body.status, ...body.progress });
      return hasEnded(body);
    });

    expect(report.status).to.equal('succeeded');
    expect(report.progress).to.deep.equal({ done: PROFILES, total: PROFILES });
    expect(report.inputs).to.equal(PROFILES);
    const dones = seen.map((entry) => entry.done);
    expect(dones, 'never goes back').to.deep.equal([...dones].sort((a, b) => a - b));
    const partial = seen.filter((entry) => entry.status === 'running' && entry.done > 0 && entry.done < PROFILES);
    expect(partial, JSON.stringify(seen)).not.to.be.empty;
    expect(seen.every((entry) => entry.total === PROFILES)).to.equal(true);
  });

  it("when a ruleset's runs are listed, then newest first, in pages, with state and progress but no report", async () => {
    const key = await editor(['rules:edit', 'audit:read']);
    const older = await start(key, 2);
    await waitForSimulation(app.http, key, older, hasEnded);
    const newer = await start(key, 2);
    await waitForSimulation(app.http, key, newer, hasEnded);

    const page = await app.http().get('/v1/rulesets/fraud-alerts/simulations').query({ limit: 1 }).set(key);
    expect(page.status).to.equal(200);
    expect(page.body.items).to.have.length(1);
    expect(page.body.items[0]).to.include({ simulationId: newer, status: 'succeeded', ruleset: 'fraud-alerts' });
    expect(page.body.items[0]).not.to.have.any.keys('examples', 'changed', 'rules', 'plan', 'result');
    const next = await app.http().get('/v1/rulesets/fraud-alerts/simulations').query({ limit: 1, cursor: page.body.nextCursor }).set(key);
    expect(next.body.items[0].simulationId).to.equal(older);
    const all = await app.http().get('/v1/rulesets/fraud-alerts/simulations').query({ limit: 500 }).set(key);
    const ids = all.body.items.map((item: { simulationId: string }) => item.simulationId);
    expect(ids.indexOf(newer)).to.be.below(ids.indexOf(older));
    expect((await app.http().get('/v1/rulesets/customer-tags/simulations').set(key)).body.items).to.deep.equal([]);
    expect((await app.http().get('/v1/rulesets/nope/simulations').set(key)).status).to.equal(404);
  });

  it('when finished runs are older than SIMULATION_RETENTION_DAYS, then retention removes them and keeps recent and unfinished ones', async () => {
    const key = await editor();
    const old = await start(key, 2);
    await waitForSimulation(app.http, key, old, hasEnded);
    const recent = await start(key, 2);
    await waitForSimulation(app.http, key, recent, hasEnded);
    const unfinished = await start(admin);
    const database = await openTestDatabase(app);
    const simulations = database.connection.db!.collection('simulations');
    const longAgo = new Date(Date.now() - 31 * DAY_MS);
    await simulations.updateOne({ _id: old } as never, { $set: { createdAt: longAgo, endedAt: longAgo } });
    await simulations.updateOne({ _id: unfinished } as never, { $set: { createdAt: longAgo } });
    await database.close();

    const run = await app.http().post('/v1/jobs/retention/run').query({ wait: true }).set(admin);

    expect(run.body.counts, JSON.stringify(run.body)).to.include({ simulationsRemoved: 1 });
    expect((await app.http().get(simulationPath(old)).set(key)).status).to.equal(404);
    expect((await app.http().get(simulationPath(recent)).set(key)).body.status).to.equal('succeeded');
    expect((await app.http().get(simulationPath(unfinished)).set(admin)).status).to.equal(200);
    await cancelAll([unfinished]);
  });
});
