import { expect } from 'chai';
import sinon from 'sinon';
import { connectDatabase, type Database } from '../../src/db/database.js';
import { DecisionLogStore } from '../../src/features/decisions/decision-log-store.js';
import { DecisionLogWriter, LogWriteRefused } from '../../src/features/decisions/decision-log-writer.js';
import { sealableRecord, type DecisionCore, type LoggableRecord } from '../../src/features/decisions/decision-record.js';
import { freshDbName } from '../helpers/test-app.js';

function record(decisionId: string): LoggableRecord {
  const core: DecisionCore = {
    decisionId,
    createdAt: '2026-11-21T00:00:00.000Z',
    evaluatedAt: '2026-11-21T00:00:00.000Z',
    requestId: `req-${decisionId}`,
    caller: { keyId: 'k', name: 'writer-test' },
    rulesets: [],
    engine: { name: 'test', version: '0' },
    outcome: 'approve',
    score: 0,
    tags: [],
    tagSources: [],
    firedRules: [],
    products: [],
    alerts: [],
    timings: { totalMs: 0, factsMs: 0, evaluateMs: 0 },
  };
  const personal = { profileId: 'W-1', request: { profileId: 'W-1', event: { type: 'login', at: core.evaluatedAt } }, facts: { absent: undefined }, explanations: [], messages: {} };
  return sealableRecord(core, personal, null);
}

describe('DecisionLogWriter', () => {
  let database: Database;
  let store: DecisionLogStore;

  before(async () => {
    database = await connectDatabase(process.env.MONGODB_URI!, freshDbName('logwriter'));
    store = new DecisionLogStore(database.connection);
    await store.init();
  });
  afterEach(() => sinon.restore());
  after(async () => {
    await database.connection.dropDatabase();
    await database.close();
  });

  it('when many entries arrive together, then they go in a few inserts, one at a time, and every one is stored', async () => {
    let inFlight = 0;
    let overlapped = false;
    const real = store.insertMany.bind(store);
    const insertMany = sinon.stub(store, 'insertMany').callsFake(async (records) => {
      inFlight += 1;
      if (inFlight > 1) overlapped = true;
      try {
        return await real(records);
      } finally {
        inFlight -= 1;
      }
    });
    const writer = new DecisionLogWriter(store);
    const ids = Array.from({ length: 60 }, (_, i) => `dec_writer_${i}`);
    await Promise.all(ids.map((id) => writer.write(record(id))));
    const calls = insertMany.callCount;
    expect(calls).to.be.within(1, 10);
    expect(overlapped).to.equal(false);
    for (const id of ids) expect(await store.get(id), id).to.not.equal(undefined);
  });

  it('when one entry of a batch is refused, then only its writer is told, with the database code', async () => {
    const writer = new DecisionLogWriter(store);
    const results = await Promise.allSettled([writer.write(record('dec_writer_new')), writer.write(record('dec_writer_0'))]);
    expect(results[0].status).to.equal('fulfilled');
    expect(results[1].status).to.equal('rejected');
    expect((results[1] as PromiseRejectedResult).reason).to.be.instanceOf(LogWriteRefused).and.include({ code: 11000 });
  });

  it('reads back an entry with exactly the content its hash covers (absent values dropped)', async () => {
    const logged = await store.get('dec_writer_1');
    expect(logged!.personal!.facts).to.deep.equal({});
    expect(logged!.hash).to.equal(record('dec_writer_1').hash);
  });
});
