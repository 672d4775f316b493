import { expect } from 'chai';
import { connectDatabase, type Database } from '../../src/db/database.js';
import { VelocityStore } from '../../src/features/decisions/velocity-store.js';
import { freshDbName } from '../helpers/test-app.js';

describe('VelocityStore', () => {
  let database: Database;
  let store: VelocityStore;
  const DAY = 24 * 3600 * 1000;
  const now = Date.parse('2026-11-21T00:00:00Z');

  before(async () => {
    database = await connectDatabase(process.env.MONGODB_URI!, freshDbName('velocity'));
    store = new VelocityStore(database.connection);
    await store.init();
  });
  after(async () => {
    await database.connection.dropDatabase();
    await database.close();
  });

  it('counts recorded applications in [from, to), per profile', async () => {
    for (const offset of [-30 * 3600 * 1000, -2 * 3600 * 1000, -3600 * 1000, 0]) await store.record('V-1', new Date(now + offset));
    await store.record('V-2', new Date(now - 3600 * 1000));
    expect(await store.countBetween('V-1', new Date(now - DAY), new Date(now))).to.equal(2);
    expect(await store.countBetween('V-2', new Date(now - DAY), new Date(now))).to.equal(1);
    expect(await store.countBetween('V-3', new Date(now - DAY), new Date(now))).to.equal(0);
  });

  it('when a profile has many old entries, then reading trims those older than a week and keeps the count right', async () => {
    for (let i = 0; i < 70; i++) await store.record('V-OLD', new Date(now - 30 * DAY + i * 1000));
    await store.record('V-OLD', new Date(now - 3600 * 1000));
    expect(await store.countBetween('V-OLD', new Date(now - DAY), new Date(now))).to.equal(1);
    const doc = await database.connection.db!.collection('application_velocity').findOne({ _id: 'V-OLD' } as never);
    expect(doc!.at).to.deep.equal([now - 3600 * 1000]);
  });

  it('erases a profile', async () => {
    expect(await store.erase('V-1')).to.equal(1);
    expect(await store.countBetween('V-1', new Date(now - DAY), new Date(now))).to.equal(0);
  });
});
