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

  it('when the decision of a queued entry runs out of budget before its insert, then it is dropped; an entry already inside an insert lands', async () => {
    const writer = new DecisionLogWriter(store);
    const late = new AbortController();
    const kept = writer.write(record('dec_abort_kept'));
    const dropped = writer.write(record('dec_abort_dropped'), late.signal).then(() => undefined, (error: Error) => error);
    late.abort(new Error('budget'));
    await kept;
    const refusal = await dropped;
    expect(refusal?.message).to.equal('budget');
    expect(await store.get('dec_abort_kept')).to.exist;
    expect(await store.get('dec_abort_dropped')).to.equal(undefined);

    const real = store.insertMany.bind(store);
    let insertStarted!: () => void;
    const started = new Promise<void>((resolve) => (insertStarted = resolve));
    sinon.stub(store, 'insertMany').callsFake(async (records) => {
      insertStarted();
      return real(records);
    });
    const inFlight = new AbortController();
    const landing = writer.write(record('dec_abort_in_flight'), inFlight.signal);
    await started;
    inFlight.abort(new Error('budget'));
    await landing;
    expect(await store.get('dec_abort_in_flight'), 'an insert under way is not recalled').to.exist;
  });
});
