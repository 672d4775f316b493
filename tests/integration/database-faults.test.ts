import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import { freshDataDir, startEmbeddedServer, type EmbeddedServer } from '../helpers/embedded-server.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const profile = { type: 'individual', basic: { birthDate: '1985-01-01', residence: GUANGZHOU }, financials: { monthlyIncome: 20000 } };
const decisionBody = (i: number) => ({
  profileId: `BURST-${i % 10}`,
  event: { type: 'login', location: { lat: 23.12, lon: 113.25 }, deviceId: `d-${i}`, channel: 'app' },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds, up to timeoutMs; answers whether it did. */
async function eventually(check: () => Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return false;
}

/** Takes the port as soon as the killed process has released it, so that restarts on it fail; refuses every connection. */
async function squat(port: number, timeoutMs: number): Promise<net.Server> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const squatter = net.createServer((socket) => socket.destroy());
    const bound = await new Promise<boolean>((resolve) => {
      squatter.once('error', () => resolve(false));
      squatter.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) return squatter;
    if (Date.now() > deadline) throw new Error(`port ${port} was not released within ${timeoutMs} ms`);
    await sleep(2);
  }
}

async function post(url: string, path: string, headers: Record<string, string>, body: object): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: await res.json() };
}

describe('embedded database faults (the database process is killed for real)', function () {
  this.timeout(120_000);
  const dataDirs: string[] = [];
  let running: EmbeddedServer | undefined;

  before(function () {
    // With MONGODB_URI the service starts no database of its own: there is no process to kill.
    if (process.env.TEST_EMBEDDED !== '1') this.skip();
  });
  afterEach(async () => {
    await running?.server.stop();
    running = undefined;
  });
  after(() => {
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(label: string, env: Record<string, string> = {}): Promise<EmbeddedServer> {
    const dataDir = freshDataDir(label);
    dataDirs.push(dataDir);
    running = await startEmbeddedServer(dataDir, env);
    return running;
  }

  for (const sync of ['normal', 'full']) {
    it(`when the database process is killed during a burst of decisions (EMBEDDED_DB_SYNC=${sync}), then every decision answered 200 is in the log, and every one answered 503 and retried with its Idempotency-Key is logged`, async () => {
      const app = await start(`burst-${sync}`, { EMBEDDED_DB_SYNC: sync, DECISION_TIMEOUT_MS: '1000' });
      for (let i = 0; i < 10; i += 1) await app.http().put(`/v1/profiles/BURST-${i}`).set(app.admin).send(profile).expect(201);
      const killedPid = app.server.diagnostics.embeddedDb()!.pid;

      const total = 300;
      const answers: { status: number; decisionId?: string }[] = new Array(total);
      let next = 0;
      let answered = 0;
      const worker = async () => {
        for (let i = next++; i < total; i = next++) {
          const res = await post(app.url, '/v1/decisions', { ...app.admin, 'Idempotency-Key': `burst-${i}` }, decisionBody(i));
          answers[i] = { status: res.status, decisionId: res.body.decisionId };
          // Kill the database a third of the way in, while decisions are being logged.
          if (++answered === total / 3) process.kill(killedPid, 'SIGKILL');
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));

      expect(await eventually(async () => (await app.http().get('/readyz')).status === 200, 15_000), 'ready again').to.equal(true);
      expect(app.server.diagnostics.embeddedDb()!.pid).to.not.equal(killedPid);
      const statuses = answers.map((answer) => answer.status);
      expect(
        statuses.filter((status) => status !== 200 && status !== 503),
        'only 200 or 503',
      ).to.deep.equal([]);
      expect(statuses.filter((status) => status === 503).length, 'the kill was felt').to.be.above(0);

      for (const [i, answer] of answers.entries()) {
        let decisionId = answer.decisionId;
        if (answer.status === 503) {
          const retried = await post(app.url, '/v1/decisions', { ...app.admin, 'Idempotency-Key': `burst-${i}` }, decisionBody(i));
          expect(retried.status, `retry of decision ${i}`).to.equal(200);
          decisionId = retried.body.decisionId;
        }
        const logged = await app.http().get(`/v1/decisions/${decisionId}`).set(app.admin);
        expect(logged.status, `decision ${i} (answered ${answer.status}) is in the log`).to.equal(200);
      }
    });
  }

  it('when the database process dies and cannot come back at once, then /readyz says why, a request answers 503 well within the decision budget, and the service heals with its data', async () => {
    const app = await start('heal');
    await app.http().put('/v1/profiles/HEAL-1').set(app.admin).send(profile).expect(201);
    const { pid, port } = app.server.diagnostics.embeddedDb()!;

    process.kill(pid, 'SIGKILL');
    const squatter = await squat(port, 2000);
    try {
      const ready = await app.http().get('/readyz');
      expect(ready.status).to.equal(503);
      expect(ready.body.error.code).to.equal('UNAVAILABLE');
      expect(ready.body.error.message).to.match(/^The database is unavailable: .*embedded database process was killed by SIGKILL/);

      let started = Date.now();
      const decision = await post(app.url, '/v1/decisions', app.admin, decisionBody(1));
      expect(Date.now() - started, 'the decision answer, in ms (the budget is 200)').to.be.below(200);
      started = Date.now();
      const profileRead = await app.http().get('/v1/profiles/HEAL-1').set(app.admin);
      expect(Date.now() - started, 'the profile answer, in ms').to.be.below(200);
      expect(decision.status).to.equal(503);
      expect(profileRead.status).to.equal(503);
      expect(profileRead.body.error.message).to.match(/database is unavailable/);
      expect((await app.http().get('/healthz')).status, 'still alive').to.equal(200);

      // A key validated before the outage still works where no database is needed; an unknown one is a 503 at once.
      const facts = await app.http().get('/v1/facts').set(app.admin);
      expect(facts.status, 'facts with a known key').to.equal(200);
      started = Date.now();
      const unknownKey = await app.http().get('/v1/facts').set({ Authorization: 'Bearer ldk_never-seen-during-the-outage' });
      expect(Date.now() - started, 'the unknown key answer, in ms').to.be.below(200);
      expect(unknownKey.status).to.equal(503);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }

    expect(await eventually(async () => (await app.http().get('/readyz')).status === 200, 10_000), 'ready again').to.equal(true);
    const kept = await app.http().get('/v1/profiles/HEAL-1').set(app.admin);
    expect(kept.status).to.equal(200);
    expect(kept.body.basic.residence.city).to.equal('Guangzhou');
    expect(app.server.diagnostics.embeddedDb()!.pid).to.not.equal(pid);
  });
});
