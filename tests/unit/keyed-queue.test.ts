import { expect } from 'chai';
import { KeyedQueue } from '../../src/async/keyed-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('KeyedQueue', () => {
  it('when tasks of one key overlap in time, then they run one at a time in arrival order, even past a failure', async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        events.push(`start ${name}`);
        await tick();
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([queue.run('p', task('a')), queue.run('p', task('b', true)), queue.run('p', task('c'))]);
    expect(events).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((result) => result.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('when tasks have different keys, then they run at the same time', async () => {
    const queue = new KeyedQueue();
    let running = 0;
    let most = 0;
    const task = async () => {
      most = Math.max(most, ++running);
      await tick();
      running--;
    };
    await Promise.all([queue.run('p', task), queue.run('q', task), queue.run('__proto__', task)]);
    expect(most).to.equal(3);
  });
});
