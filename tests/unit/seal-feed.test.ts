import { expect } from 'chai';
import { SealFeed } from '../../src/features/decisions/seal-feed.js';

describe('SealFeed', () => {
  const at = (ms: number) => new Date(Date.UTC(2026, 10, 30) + ms);
  const entry = (id: string, ms: number) => ({ id, hash: `h-${id}`, createdAt: at(ms) });

  it('when entries were logged since it started, then an interval gets those created in it, by time and then id', () => {
    const feed = new SealFeed(at(0));
    feed.logged([entry('b', 20), entry('c', 10)]);
    feed.logged([entry('a', 20), entry('d', 40), entry('e', 5)]);
    expect(feed.between(at(5), at(40))?.map((fed) => fed.id)).to.deep.equal(['e', 'c', 'a', 'b']);
  });

  it('when an interval begins before it started, then it answers nothing (the log is read instead)', () => {
    const feed = new SealFeed(at(100));
    feed.logged([entry('a', 150)]);
    expect(feed.between(at(99), at(200))).to.equal(undefined);
    expect(feed.between(at(100), at(200))?.map((fed) => fed.id)).to.deep.equal(['a']);
  });

  it('when a write was in doubt, then no interval beginning before that moment is answered, and later ones are', () => {
    const feed = new SealFeed(at(0));
    feed.logged([entry('a', 10)]);
    feed.inDoubt(at(50));
    feed.logged([entry('b', 60)]);
    expect(feed.between(at(0), at(100))).to.equal(undefined);
    expect(feed.between(at(50), at(100))?.map((fed) => fed.id)).to.deep.equal(['b']);
  });

  it('when an interval is sealed, then its entries are let go', () => {
    const feed = new SealFeed(at(0));
    feed.logged([entry('a', 10), entry('b', 30)]);
    feed.sealedUntil(at(20));
    expect(feed.between(at(20), at(40))?.map((fed) => fed.id)).to.deep.equal(['b']);
    expect(
      feed.between(at(0), at(40))?.map((fed) => fed.id),
      'what was sealed is not kept',
    ).to.deep.equal(['b']);
  });

  it('when more entries wait than it keeps, then it starts again from that moment', () => {
    const feed = new SealFeed(at(0));
    feed.logged(Array.from({ length: 100_000 }, (_, index) => entry(`e${index}`, 1)));
    feed.logged([entry('over', 2)]);
    expect(feed.between(at(0), at(10))).to.equal(undefined);
  });
});
