import { expect } from 'chai';
import sinon from 'sinon';
import { connectDatabase, type Database } from '../../src/db/database.js';
import { VelocitySlotStore, slotId } from '../../src/features/profiles/velocity-slot-store.js';
import { freshDbName } from '../helpers/test-app.js';

describe('VelocitySlotStore', () => {
  let database: Database;
  let store: VelocitySlotStore;
  const state = (n: number) => ({ n, times: JSON.stringify([[n, n]]) });

  before(async () => {
    database = await connectDatabase(process.env.MONGODB_URI!, freshDbName('slots'));
    store = new VelocitySlotStore(database.connection);
    await store.init();
  });
  after(async () => {
    await database.connection.dropDatabase();
    await database.close();
  });

  const stored = () => database.connection.db!.collection('velocity_slots').find({}).sort({ _id: 1 }).toArray();

  it('when many slots are recorded at once, then each is acknowledged once stored, and recording one again counts as stored', async () => {
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.record('s-batch', state(n))));
    expect((await stored()).map((doc) => doc._id)).to.deep.equal([1, 2, 3, 4, 5].map((n) => slotId('s-batch', n)));
    // A repair records a slot its log entry holds: the record may be there already.
    await store.record('s-batch', state(3));
    expect(await stored()).to.have.length(5);
  });

  it('when the head is read from a checkpoint, then it follows the unbroken run of slots after it and stops at the first gap', async () => {
    for (const n of [1, 2, 3, 5]) await store.record('s-gap', state(n));
    expect(await store.headAfter('s-gap', { n: 0, times: '[]' })).to.deep.equal({ head: state(3), found: 3 });
    expect(await store.headAfter('s-gap', state(2))).to.deep.equal({ head: state(3), found: 1 });
    expect(await store.headAfter('s-gap', state(3)), 'slot 4 was never recorded').to.deep.equal({ head: state(3), found: 0 });
    expect(await store.headAfter('s-none', { n: 7, times: '[[7,7]]' })).to.deep.equal({ head: { n: 7, times: '[[7,7]]' }, found: 0 });
  });

  it("when a subject is erased, then its records are gone and other subjects' stay", async () => {
    await store.record('s-erased', state(1));
    await store.record('s-erased', state(2));
    await store.record('s-kept', state(1));
    expect(await store.erase('s-erased')).to.equal(2);
    expect(await store.headAfter('s-erased', { n: 0, times: '[]' })).to.deep.equal({ head: { n: 0, times: '[]' }, found: 0 });
    expect((await store.headAfter('s-kept', { n: 0, times: '[]' })).found).to.equal(1);
  });

  it('when an insert fails as a whole, then every record in it is refused to its caller, and the records after it are stored', async () => {
    // A document over the 16 MB limit fails the insert it goes in.
    const huge = { n: 1, times: 'x'.repeat(17 * 1024 * 1024) };
    const together = await Promise.allSettled([store.record('s-refused', huge), store.record('s-refused', state(2))]);
    expect(together.map((result) => result.status)).to.deep.equal(['rejected', 'rejected']);
    await store.record('s-refused', state(1));
    expect(await store.headAfter('s-refused', { n: 0, times: '[]' })).to.deep.equal({ head: state(1), found: 1 });
  });

  it('when the connection breaks under an insert (the driver names no document), then no record of it counts as stored', async () => {
    const { collection } = (store as unknown as { model: { collection: { insertMany(): Promise<unknown> } } }).model;
    const broken = sinon.stub(collection, 'insertMany').rejects(Object.assign(new Error('connection reset'), { writeErrors: [] }));
    try {
      const results = await Promise.allSettled([store.record('s-broken', state(1)), store.record('s-broken', state(2))]);
      expect(results.map((result) => result.status)).to.deep.equal(['rejected', 'rejected']);
    } finally {
      broken.restore();
    }
  });
});
