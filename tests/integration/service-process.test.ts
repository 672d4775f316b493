import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import { freshDataDir } from '../helpers/embedded-server.js';
import { halfSentRequest } from '../helpers/half-sent-request.js';
import { isRunning, killGroup, spawnService, waitUntilGone, type ServiceProcess } from '../helpers/service-process.js';
import { freshDbName } from '../helpers/test-app.js';

const ADMIN = 'process-admin-key-0123456789abcdef';
const embedded = process.env.TEST_EMBEDDED === '1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The service's environment: its own DATA_DIR, and the run's MongoDB only when the run has no embedded server. */
function serviceEnv(dataDir: string): Record<string, string | undefined> {
  return {
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    BOOTSTRAP_ADMIN_KEY: ADMIN,
    ...(embedded ? {} : { MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: freshDbName('process') }),
  };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`${what}: not within ${ms} ms`)))]);
}

describe('the service as a process (started the way the README says)', function () {
  this.timeout(120_000);
  const started: ServiceProcess[] = [];
  const dataDirs: string[] = [];

  afterEach(() => {
    // Only what a failed test left behind: a passing test has stopped everything itself.
    for (const service of started.splice(0)) if (service.child.exitCode === null) killGroup(service);
  });
  after(() => {
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  function spawn(command: string, args: string[], dataDir: string): ServiceProcess {
    const service = spawnService(command, args, serviceEnv(dataDir));
    started.push(service);
    return service;
  }

  function newDataDir(label: string): string {
    const dir = freshDataDir(label);
    dataDirs.push(dir);
    return dir;
  }

  it('when `npm start` gets SIGTERM during a request, then the request is answered (Connection: close) and neither the service nor its database is left running', async () => {
    const npm = spawn('npm', ['start'], newDataDir('npm-start'));
    const listening = await npm.waitForLog((line) => line.message === 'listening', 90_000);
    const servicePid = listening.pid as number;
    const databasePid = embedded
      ? ((await npm.waitForLog((line) => line.message === 'embedded database ready', 1000)).pid as number)
      : undefined;
    expect(servicePid).to.not.equal(npm.child.pid);

    const inFlight = halfSentRequest(`http://127.0.0.1:${listening.port}`, ADMIN, 'SIGTERM-1');
    await sleep(200);
    process.kill(npm.child.pid!, 'SIGTERM');
    await sleep(200);
    inFlight.finish();
    const res = await inFlight.answer;
    expect(res.status, res.body).to.equal(201);
    expect(res.headers.connection).to.equal('close');

    const exit = await within(npm.exited, 30_000, 'npm exits');
    expect(exit.code).to.equal(0);
    const left = await waitUntilGone([servicePid, ...(databasePid ? [databasePid] : []), -npm.child.pid!], 10_000);
    expect(left, 'processes left running').to.deep.equal([]);
  });

  it('when a second service starts on the same DATA_DIR, then it exits non-zero with a message naming the directory, and the first keeps serving', async function () {
    if (!embedded) this.skip(); // with MONGODB_URI several instances share a database by design
    const dataDir = newDataDir('locked');
    const first = spawn('node', ['build/src/main.js'], dataDir);
    const listening = await first.waitForLog((line) => line.message === 'listening', 90_000);

    const second = spawn('node', ['build/src/main.js'], dataDir);
    const exit = await within(second.exited, 30_000, 'the second service exits');
    expect(exit.code).to.equal(1);
    const said = second.lines.map((line) => JSON.stringify(line)).join('\n');
    expect(said).to.include(`DATA_DIR ${dataDir} is in use by another running service (pid ${listening.pid})`);

    const ready = await fetch(`http://127.0.0.1:${listening.port}/readyz`);
    expect(ready.status).to.equal(200);
    first.child.kill('SIGTERM');
    expect((await within(first.exited, 30_000, 'the first service exits')).code).to.equal(0);
  });

  it('when the embedded database dies and cannot be restarted, then the service exits non-zero so that a process manager can restart it', async function () {
    if (!embedded) this.skip();
    const service = spawn('node', ['build/src/main.js'], newDataDir('no-restart'));
    await service.waitForLog((line) => line.message === 'listening', 90_000);
    const database = await service.waitForLog((line) => line.message === 'embedded database ready', 1000);

    process.kill(database.pid as number, 'SIGKILL');
    // Hold the database's port so that every restart on it fails.
    let squatter: net.Server | undefined;
    const deadline = Date.now() + 2000;
    while (!squatter && Date.now() < deadline) {
      const candidate = net.createServer((socket) => socket.destroy());
      squatter = await new Promise<net.Server | undefined>((resolve) => {
        candidate.once('error', () => resolve(undefined));
        candidate.listen(database.port as number, '127.0.0.1', () => resolve(candidate));
      });
    }
    expect(squatter, 'port taken over').to.not.equal(undefined);
    try {
      const exit = await within(service.exited, 30_000, 'the service exits');
      expect(exit.code).to.equal(1);
      expect(service.lines.some((line) => line.message === 'embedded database cannot be restarted; giving up')).to.equal(true);
      expect(isRunning(database.pid as number)).to.equal(false);
    } finally {
      await new Promise((resolve) => squatter!.close(resolve));
    }
  });
});
