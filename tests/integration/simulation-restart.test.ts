import { expect } from 'chai';
import fs from 'node:fs';
import supertest from 'supertest';
import { connectDatabase } from '../../src/db/database.js';
import { freshDataDir } from '../helpers/embedded-server.js';
import { killGroup, spawnService, waitUntilGone, type ServiceProcess } from '../helpers/service-process.js';
import { bearer, freshDbName, openTestDatabase, startTestApp, type TestApp } from '../helpers/test-app.js';
import { simulateProfiles, simulationPath, storeBigProfiles, waitForSimulation, type Http } from '../helpers/simulations.js';

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
    const id = await startRun(first.http);
    await waitForSimulation(first.http, bearer(ADMIN), id, runningWithProgress);

    await first.stop();
    apps.splice(apps.indexOf(first), 1);

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
    const poll = async (id: string) => (await http().get(simulationPath(id)).set(bearer(ADMIN))).body;
    for (let i = 0; i < 300 && !(runningWithProgress(await poll(restarted)) && runningWithProgress(await poll(abandoned))); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await poll(abandoned)).status).to.equal('running');

    killGroup(service);
    expect(await waitUntilGone([service.child.pid!], 10_000)).to.deep.equal([]);
    // As if the second run had already been taken over twice after crashes.
    const direct = await connectDatabase(process.env.MONGODB_URI!, database);
    const simulations = direct.connection.db!.collection('simulations');
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
