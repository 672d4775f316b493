import { expect } from 'chai';
import fs from 'node:fs';
import sinon from 'sinon';
import supertest from 'supertest';
import { connectDatabase } from '../../src/db/database.js';
import { freshDataDir } from '../helpers/embedded-server.js';
import { holdGroup, killGroup, spawnService, waitUntilGone, type ServiceProcess } from '../helpers/service-process.js';
import { bearer, freshDbName, openTestDatabase, startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  holdRunsAfterFirstInput,
  simulateProfiles,
  sleep,
  storeBigProfiles,
  waitForSimulation,
  type Http,
} from '../helpers/simulations.js';

const ADMIN = 'simulation-restart-admin-key-0123456789';
const PROFILES = 16;
const LEASE_MS = '3000';
type Body = any;

async function startRun(http: Http): Promise<string> {
  const res = await simulateProfiles(http, bearer(ADMIN), PROFILES);
  expect(res.status, JSON.stringify(res.body)).to.equal(202);
  return res.body.simulationId as string;
}

const runningWithProgress = (body: Body) => body.status === 'running' && body.progress.done > 0;
const hasEnded = (body: Body) => ['succeeded', 'failed', 'cancelled'].includes(body.status);

describe('background simulations across restarts', function () {
  this.timeout(240_000);
  const apps: TestApp[] = [];
  const services: ServiceProcess[] = [];
  const dataDirs: string[] = [];
  afterEach(async () => {
    sinon.restore();
    for (const service of services.splice(0)) if (service.child.exitCode === null) killGroup(service);
    for (const app of apps.splice(0)) await app.stop();
  });
  after(() => {
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const startApp = async (database: string, env: Record<string, string> = {}) => {
    const app = await startTestApp('simrestart', {
      MONGODB_DB: database,
      BOOTSTRAP_ADMIN_KEY: ADMIN,
      SIMULATION_INLINE_LIMIT: '1',
      SIMULATION_LEASE_MS: LEASE_MS,
      ...env,
    });
    apps.push(app);
    return app;
  };

  it('when the instance running a simulation is stopped, then the run goes back to the queue and the next instance runs it to the end', async () => {
    const database = freshDbName('simstop');
    const first = await startApp(database);
    await storeBigProfiles(first.http, bearer(ADMIN), PROFILES);
    holdRunsAfterFirstInput();
    const id = await startRun(first.http);
    await waitForSimulation(first.http, bearer(ADMIN), id, runningWithProgress);

    await first.stop();
    apps.splice(apps.indexOf(first), 1);
    sinon.restore();

    const connection = await openTestDatabase(first);
    const stored = await connection.connection.db!.collection('simulations').findOne({ _id: id } as never);
    await connection.close();
    expect(stored).to.include({ status: 'queued', instance: null, restarts: 0 });

    const second = await startApp(database);
    const report = await waitForSimulation(second.http, bearer(ADMIN), id, hasEnded);
    expect(report).to.include({ status: 'succeeded', restarts: 0, inputs: PROFILES });
    expect(report.progress).to.deep.equal({ done: PROFILES, total: PROFILES });
  });

  it('when the instance running simulations is killed, then after the lease another instance restarts them, and fails one restarted too often', async () => {
    const database = freshDbName('simkill');
    const dataDir = freshDataDir('simkill');
    dataDirs.push(dataDir);
    const service = spawnService('node', ['build/src/main.js'], {
      MONGODB_URI: process.env.MONGODB_URI,
      MONGODB_DB: database,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      BOOTSTRAP_ADMIN_KEY: ADMIN,
      SIMULATION_INLINE_LIMIT: '1',
      SIMULATION_CONCURRENCY: '2',
      SIMULATION_LEASE_MS: LEASE_MS,
    });
    services.push(service);
    const ready = await service.waitForLog((line) => line.message === 'ready', 60_000);
    const http = () => supertest(ready.url as string);
    await storeBigProfiles(http, bearer(ADMIN), PROFILES);
    const restarted = await startRun(http);
    const abandoned = await startRun(http);
    // The service runs in steps of 30 ms; between them it is held (SIGSTOP) while the test reads the runs
    // from the database: no run can end between the read that finds both running with progress and the kill.
    const direct = await connectDatabase(process.env.MONGODB_URI!, database);
    const simulations = direct.connection.db!.collection('simulations');
    const runState = async (id: string) => (await simulations.findOne({ _id: id } as never)) as Body;
    for (let step = 0; ; step++) {
      holdGroup(service, true);
      await sleep(100); // what it sent before it was held lands
      const runs = [await runState(restarted), await runState(abandoned)];
      if (runs.every(runningWithProgress)) break;
      expect(runs.filter(hasEnded), 'runs that ended before the kill').to.deep.equal([]);
      expect(step, 'steps before both runs showed progress').to.be.below(1000);
      holdGroup(service, false);
      await sleep(30);
    }
    expect((await runState(abandoned)).status).to.equal('running');

    killGroup(service);
    expect(await waitUntilGone([service.child.pid!], 10_000)).to.deep.equal([]);
    // As if the second run had already been taken over twice after crashes.
    await simulations.updateOne({ _id: abandoned } as never, { $set: { restarts: 2 } });
    const leftBehind = await simulations.find({}).toArray();
    await direct.close();
    expect(leftBehind.map((run) => run.status)).to.deep.equal(['running', 'running']);

    const next = await startApp(database);
    const failed = await waitForSimulation(next.http, bearer(ADMIN), abandoned, hasEnded);
    const report = await waitForSimulation(next.http, bearer(ADMIN), restarted, hasEnded);

    expect(report).to.include({ status: 'succeeded', restarts: 1, inputs: PROFILES });
    expect(report.progress).to.deep.equal({ done: PROFILES, total: PROFILES });
    expect(failed).to.include({ status: 'failed', restarts: 2 });
    expect(failed.error).to.contain('Stopped 3 times');
  });
});
