import { expect } from 'chai';
import { connectDatabase, type Database } from '../../src/db/database.js';
import { VelocityStore } from '../../src/features/decisions/velocity-store.js';
import {
  afterApplication,
  applicationsWithin24h,
  NO_APPLICATIONS,
  type VelocityHead,
} from '../../src/features/decisions/velocity-history.js';
import { DAY_MS } from '../../src/time/durations.js';
import { freshDbName } from '../helpers/test-app.js';

describe('VelocityStore', () => {
  let database: Database;
  let store: VelocityStore;
  const HOUR = 3600 * 1000;
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

  /** Logs applications one after another as decide does: each state follows the head, then becomes it. */
  async function apply(profileId: string, applications: { at: number; loggedAt: number }[]): Promise<VelocityHead> {
    let head = await store.head(profileId);
    for (const { at, loggedAt } of applications) {
      head = afterApplication(head, new Date(at), new Date(loggedAt));
      await store.advance(profileId, head);
    }
    return head;
  }

  it('when applications are logged, then each profile head counts its own in the 24 h before an event', async () => {
    await apply(
      'V-1',
      [-30 * HOUR, -2 * HOUR, -HOUR, 0].map((offset) => ({ at: now + offset, loggedAt: now })),
    );
    await apply('V-2', [{ at: now - HOUR, loggedAt: now }]);
    expect(await store.head('V-1')).to.include({ n: 4 });
    expect(applicationsWithin24h(await store.head('V-1'), new Date(now))).to.equal(2);
    expect(applicationsWithin24h(await store.head('V-2'), new Date(now))).to.equal(1);
    expect(await store.head('V-3')).to.deep.equal(NO_APPLICATIONS);
  });

  it('when a head is advanced to a slot it already passed, then it stays where it is', async () => {
    const before = await store.head('V-1');
    await store.advance('V-1', { n: 2, times: [] });
    expect(await store.head('V-1')).to.deep.equal(before);
  });

  it('when a profile has many applications logged over a week ago, then the stored head keeps only recent ones and the count stays right', async () => {
    await apply(
      'V-OLD',
      Array.from({ length: 70 }, (_, i) => ({ at: now - 30 * DAY_MS + i * 1000, loggedAt: now - 30 * DAY_MS + i * 1000 })),
    );
    await apply('V-OLD', [{ at: now - HOUR, loggedAt: now }]);
    const head = await store.head('V-OLD');
    expect(head.n, 'the slot counts every application ever logged').to.equal(71);
    expect(head.times).to.deep.equal([[now - HOUR, now]]);
    expect(applicationsWithin24h(head, new Date(now))).to.equal(1);
  });

  it('when an application has an event time far ahead, then it does not push the recent history out', async () => {
    await apply(
      'V-FAR',
      [1, 2, 3].map((i) => ({ at: now - i * HOUR, loggedAt: now })),
    );
    await apply('V-FAR', [{ at: Date.parse('9999-12-31T00:00:00Z'), loggedAt: now }]);
    expect(applicationsWithin24h(await store.head('V-FAR'), new Date(now))).to.equal(3);
  });

  it('when a profile is erased, then its head is gone', async () => {
    await apply('V-ERASE', [{ at: now, loggedAt: now }]);
    expect(await store.erase('V-ERASE')).to.equal(1);
    expect(await store.head('V-ERASE')).to.deep.equal(NO_APPLICATIONS);
  });
});
