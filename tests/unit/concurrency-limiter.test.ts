import { expect } from 'chai';
import sinon from 'sinon';
import { type Admission, ConcurrencyLimiter, type LimiterSettings, type Permit, ShedError } from '../../src/http/concurrency-limiter.js';

const SETTINGS: LimiterSettings = {
  initialLimit: 10,
  minLimit: 2,
  maxLimit: 20,
  maxQueue: 100,
  queueMs: 50,
  latencyTargetMs: 50,
  backoffRatio: 0.9,
};

/** A limiter on a clock the test moves (fake timers move it together with the queue's timers). */
function limiterWith(settings: Partial<LimiterSettings> = {}) {
  const clock = sinon.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  const changes: number[] = [];
  const limiter = new ConcurrencyLimiter(
    { ...SETTINGS, ...settings },
    () => performance.now(),
    (limit) => changes.push(limit),
  );
  return { limiter, clock, changes };
}

function admitted(admission: Admission): Permit {
  if (admission.kind !== 'admitted') throw new Error(`expected admitted, got ${admission.kind}`);
  return admission.permit;
}

/** Runs `count` requests through the limiter one after another, each taking `ms`, with `inFlight` kept busy around them. */
function complete(limiter: ConcurrencyLimiter, clock: sinon.SinonFakeTimers, ms: number, count: number, overloaded = false): void {
  for (let i = 0; i < count; i++) {
    const permit = admitted(limiter.acquire());
    clock.tick(ms);
    limiter.release(permit, { overloaded });
  }
}

/** Holds `count` permits (the limit in use), returns them. */
const hold = (limiter: ConcurrencyLimiter, count: number): Permit[] => Array.from({ length: count }, () => admitted(limiter.acquire()));

describe('ConcurrencyLimiter', () => {
  afterEach(() => sinon.restore());

  it('when requests arrive up to the limit, then each is admitted at once; the next one waits in the queue', () => {
    const { limiter } = limiterWith({ initialLimit: 3, minLimit: 3, maxLimit: 3 });
    hold(limiter, 3);
    expect(limiter.acquire().kind).to.equal('queued');
    expect(limiter.state()).to.include({ limit: 3, inFlight: 3, queued: 1 });
  });

  it('when completions are within the latency target while the limit is in use, then the limit grows by about one per round of completions', () => {
    const { limiter, clock, changes } = limiterWith({ initialLimit: 10 });
    const busy = hold(limiter, 9);
    // Completions at 10 ms with 10 in flight: +1/limit each, so about +1 after a round of `limit` of them.
    complete(limiter, clock, 10, 10);
    expect(limiter.limit).to.equal(10);
    complete(limiter, clock, 10, 1);
    expect(limiter.limit).to.equal(11);
    expect(changes).to.deep.equal([11]);
    for (const permit of busy) limiter.release(permit, { overloaded: false });
  });

  it('when the limit is mostly idle, then fast completions do not raise it (an idle service learns nothing of its capacity)', () => {
    const { limiter, clock } = limiterWith({ initialLimit: 10 });
    complete(limiter, clock, 1, 200);
    expect(limiter.limit).to.equal(10);
  });

  it('when a completion is slower than the target, then the limit is multiplied by the backoff ratio, once per round trip', () => {
    const { limiter, clock } = limiterWith({ initialLimit: 10 });
    // Five requests started together and all slow: one decrease, not five (they began before it).
    const together = hold(limiter, 5);
    clock.tick(80);
    for (const permit of together) limiter.release(permit, { overloaded: false });
    expect(limiter.limit).to.equal(9);
    // A request started after that decrease and slow again decreases once more.
    complete(limiter, clock, 80, 1);
    expect(limiter.limit).to.equal(8);
  });

  it('when a request fails for lack of time or database, then it counts as overload whatever its latency', () => {
    const { limiter, clock } = limiterWith({ initialLimit: 10 });
    complete(limiter, clock, 1, 1, true);
    expect(limiter.limit).to.equal(9);
  });

  it('when overload persists, then the limit stops at its minimum', () => {
    const { limiter, clock } = limiterWith({ initialLimit: 10, minLimit: 4, maxLimit: 12 });
    complete(limiter, clock, 100, 50);
    expect(limiter.limit).to.equal(4);
  });

  it('when the limit keeps being used within the target, then it stops at its maximum', () => {
    const { limiter, clock } = limiterWith({ initialLimit: 10, minLimit: 4, maxLimit: 12 });
    const busy = hold(limiter, 9);
    complete(limiter, clock, 5, 500);
    expect(limiter.limit).to.equal(12);
    for (const permit of busy) limiter.release(permit, { overloaded: false });
  });

  it('when the queue holds what the current rate starts within queueMs, then the next arrival is shed at once', () => {
    // limit 4, mean service 10 ms: 0.4 starts per ms, 50 ms of queue = 20 places.
    const { limiter, clock } = limiterWith({ initialLimit: 4, minLimit: 4, maxLimit: 4 });
    for (let i = 0; i < 100; i++) complete(limiter, clock, 10, 1);
    expect(limiter.state().meanServiceMs).to.be.closeTo(10, 0.5);
    hold(limiter, 4);
    const capacity = limiter.queueCapacity();
    expect(capacity).to.equal(20);
    const waiting = Array.from({ length: capacity }, () => limiter.acquire());
    for (const admission of waiting) expect(admission.kind).to.equal('queued');
    expect(limiter.acquire()).to.deep.equal({ kind: 'shed', reason: 'queue-full' });
  });

  it('when the queue is bounded by maxQueue, then it never holds more, whatever the rate', () => {
    const { limiter } = limiterWith({ initialLimit: 4, minLimit: 4, maxLimit: 4, maxQueue: 2 });
    hold(limiter, 4);
    expect([limiter.acquire().kind, limiter.acquire().kind, limiter.acquire().kind]).to.deep.equal(['queued', 'queued', 'shed']);
  });

  it('when places free up, then waiters are admitted in arrival order with the time they waited', async () => {
    const { limiter, clock } = limiterWith({ initialLimit: 2, minLimit: 2, maxLimit: 2 });
    const [first, second] = hold(limiter, 2);
    const order: string[] = [];
    const a = limiter.acquire();
    const b = limiter.acquire();
    if (a.kind !== 'queued' || b.kind !== 'queued') throw new Error('expected both to queue');
    const waited: number[] = [];
    const note = (name: string) => (permit: Permit) => {
      order.push(name);
      waited.push(permit.waitedMs);
    };
    const admittedA = a.permit.then(note('a'));
    const admittedB = b.permit.then(note('b'));
    clock.tick(7);
    limiter.release(first!, { overloaded: false });
    clock.tick(3);
    limiter.release(second!, { overloaded: false });
    await Promise.all([admittedA, admittedB]);
    expect(order).to.deep.equal(['a', 'b']);
    expect(waited).to.deep.equal([7, 10]);
    expect(limiter.state()).to.include({ inFlight: 2, queued: 0 });
  });

  it('when a waiter is still waiting after queueMs, then it is shed (queue-timeout) and leaves the queue', async () => {
    const { limiter, clock } = limiterWith({ initialLimit: 2, minLimit: 2, maxLimit: 2, queueMs: 50 });
    hold(limiter, 2);
    const waiting = limiter.acquire();
    if (waiting.kind !== 'queued') throw new Error('expected to queue');
    const outcome = waiting.permit.then(
      () => 'admitted',
      (error: unknown) => (error instanceof ShedError ? error.reason : 'other'),
    );
    clock.tick(49);
    expect(limiter.state().queued).to.equal(1);
    clock.tick(1);
    expect(await outcome).to.equal('queue-timeout');
    expect(limiter.state().queued).to.equal(0);
  });

  it('when a waiter is cancelled (its client went away), then it takes no place when one frees up', () => {
    const { limiter } = limiterWith({ initialLimit: 1, minLimit: 1, maxLimit: 1 });
    const [only] = hold(limiter, 1);
    const waiting = limiter.acquire();
    if (waiting.kind !== 'queued') throw new Error('expected to queue');
    waiting.cancel();
    limiter.release(only!, { overloaded: false });
    expect(limiter.state()).to.include({ inFlight: 0, queued: 0 });
    expect(limiter.acquire().kind).to.equal('admitted');
  });

  it('when a request was abandoned before its work, then its place is freed without teaching the limit anything', () => {
    const { limiter, clock } = limiterWith({ initialLimit: 10 });
    const permit = admitted(limiter.acquire());
    clock.tick(500);
    limiter.release(permit, { overloaded: false, abandoned: true });
    expect(limiter.state()).to.include({ limit: 10, inFlight: 0 });
  });
});
