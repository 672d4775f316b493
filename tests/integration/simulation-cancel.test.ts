import { expect } from 'chai';
import sinon from 'sinon';
import { SimulationStore } from '../../src/features/simulation/simulation-store.js';
import type { Database } from '../../src/db/database.js';
import { bearer, freshDbName, openTestDatabase, startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  holdRunsAfterFirstInput,
  simulateProfiles,
  simulationPath,
  sleep,
  storeBigProfiles,
  waitForSimulation,
  type Http,
} from '../helpers/simulations.js';

const ADMIN = 'simulation-cancel-admin-key-0123456789';
const PROFILES = 16;
type Body = any;

/** A gate the test opens; `reached` resolves when the held code arrives at it. */
function gate() {
  let arrive!: () => void;
  let open!: () => void;
  const reached = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { reached, arrive, opened, open };
}

describe('cancelling background simulations against racing writes', function () {
  this.timeout(180_000);
  const database = freshDbName('simcancel');
  const admin = bearer(ADMIN);
  /** Runs the simulations (one at a time). */
  let worker: TestApp;
  /** A second instance on the same database that runs none (SIMULATION_CONCURRENCY=0). */
  let other: TestApp;
  let direct: Database;
  const runs = () => direct.connection.db!.collection<Body>('simulations');

  before(async () => {
    const env = { MONGODB_DB: database, BOOTSTRAP_ADMIN_KEY: ADMIN, SIMULATION_INLINE_LIMIT: '1' };
    worker = await startTestApp('simcancel', { ...env, SIMULATION_CONCURRENCY: '1' });
    other = await startTestApp('simcancel', { ...env, SIMULATION_CONCURRENCY: '0' });
    direct = await openTestDatabase(worker);
    await storeBigProfiles(worker.http, admin, PROFILES);
  });
  afterEach(() => sinon.restore());
  after(async () => {
    await direct.close();
    await other.stop();
    await worker.stop();
  });

  async function startRun(http: Http): Promise<string> {
    const res = await simulateProfiles(http, admin, PROFILES);
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    return res.body.simulationId as string;
  }

  const state = async (http: Http, id: string): Promise<Body> => (await http().get(simulationPath(id)).set(admin)).body;

  /**
   * Follows a run through both instances until no instance holds it any more (its lease is gone),
   * checking at every look that it shows `cancelled`; answers its stored document then.
   */
  async function followUntilLetGo(id: string, timeoutMs = 20_000): Promise<Body> {
    const leases = direct.connection.db!.collection<Body>('simulation_leases');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const http of [worker.http, other.http]) {
        const seen = await state(http, id);
        expect(seen.status, JSON.stringify(seen).slice(0, 300)).to.equal('cancelled');
        expect(seen).not.to.have.property('changed');
      }
      if (!(await leases.findOne({ _id: id }))) return runs().findOne({ _id: id });
      expect(Date.now(), 'the run was let go of').to.be.below(deadline);
      await sleep(100);
    }
  }

  /**
   * What FerretDB v1 does with a conditional update, slowed down: it reads the document, then writes
   * it back whole with the update applied. The test holds the first call between the two, so that
   * whatever lands in between is overwritten, as it can be on FerretDB v1 by chance.
   */
  function holdBetweenReadAndWrite<M extends 'claim' | 'heartbeat' | 'settle'>(
    method: M,
    update: (args: Parameters<SimulationStore[M]>) => { expected: string; instance?: string; fields: object },
  ) {
    const held = gate();
    const original = SimulationStore.prototype[method] as (...args: unknown[]) => Promise<unknown>;
    let calls = 0;
    sinon.stub(SimulationStore.prototype, method).callsFake(async function (this: SimulationStore, ...args: unknown[]) {
      if (++calls > 1) return original.apply(this, args);
      const [id] = args as [string];
      const { expected, instance, fields } = update(args as Parameters<SimulationStore[M]>);
      const read = await runs().findOne({ _id: id });
      if (read?.status !== expected || (instance && read.instance !== instance)) return original.apply(this, args);
      held.arrive();
      await held.opened;
      await runs().replaceOne({ _id: id }, { ...read, ...fields });
      return method === 'heartbeat' ? 'running' : true;
    } as never);
    return held;
  }

  it("when a cancel lands between the worker's read and write of its claim, then the run never starts and shows cancelled from the 204 on", async () => {
    const claim = holdBetweenReadAndWrite('claim', ([, expected, fields]) => ({ expected, fields }));
    const id = await startRun(worker.http);
    await claim.reached;

    expect((await worker.http().delete(simulationPath(id)).set(admin)).status).to.equal(204);
    expect((await state(worker.http, id)).status).to.equal('cancelled');
    claim.open();
    await sleep(200); // the claim's write lands over the cancelled document

    const stored = await followUntilLetGo(id);
    expect(stored).to.include({ status: 'cancelled', result: null, startedAt: null });
    expect(stored.progress).to.deep.equal({ done: 0, total: PROFILES });
    const ended = await state(other.http, id);
    expect(ended).to.include({ status: 'cancelled', startedAt: null });
    expect(ended.cancelledBy).to.have.property('keyId');
    const list = (await other.http().get('/v1/rulesets/fraud-alerts/simulations').set(admin)).body;
    expect(list.items.find((item: Body) => item.simulationId === id)).to.include({ status: 'cancelled' });
    await sleep(1500);
    expect(await runs().findOne({ _id: id })).to.include({ status: 'cancelled', result: null });
  });

  it('when a running run is cancelled through another instance while its heartbeat is between its read and its write, then it stops and ends cancelled with its partial progress', async () => {
    holdRunsAfterFirstInput();
    const id = await startRun(worker.http);
    await waitForSimulation(other.http, admin, id, (body) => body.status === 'running' && body.progress.done > 0);
    const heartbeat = holdBetweenReadAndWrite('heartbeat', ([, instance, progress]) => ({
      expected: 'running',
      instance,
      fields: { progress, heartbeatAt: new Date() },
    }));
    await heartbeat.reached;

    expect((await other.http().delete(simulationPath(id)).set(admin)).status).to.equal(204);
    expect((await state(other.http, id)).status).to.equal('cancelled');
    expect((await state(worker.http, id)).status).to.equal('cancelled');
    heartbeat.open();

    const stored = await followUntilLetGo(id);
    expect(stored).to.include({ status: 'cancelled', result: null });
    expect(stored.progress.done).to.be.above(0).and.below(PROFILES);
    expect(stored.cancelledBy).to.have.property('keyId');
    const ended = await state(worker.http, id);
    expect(ended.progress).to.deep.equal(stored.progress);
    expect((await direct.connection.db!.collection('simulation_queue').find({ simulationId: id }).toArray()).length).to.equal(0);
  });

  it('when a cancel lands while the worker writes the end of a run it finished, then the cancel is refused with 409 and the run keeps its report', async () => {
    const end = holdBetweenReadAndWrite('settle', ([, instance, expected, fields]) => ({ expected, instance, fields }));
    const id = await startRun(worker.http);
    await end.reached;

    const cancel = await other.http().delete(simulationPath(id)).set(admin);
    end.open();

    // The finishing instance decided the run's ending before writing it: a 204 here would be a cancel lost.
    expect(cancel.status, JSON.stringify(cancel.body)).to.equal(409);
    expect(cancel.body.error.message).to.contain('succeeded');
    const report = await waitForSimulation(other.http, admin, id, (body) => body.status !== 'running');
    expect(report).to.include({ status: 'succeeded', inputs: PROFILES });
  });
});
