/**
 * Admission control for a latency-budgeted path: at most `limit` requests are worked on at once, a
 * bounded queue holds what the limit can start within `queueMs`, and the rest is refused at once.
 *
 * Why not a timeout: a request refused when its budget runs out has already spent database work, and
 * under overload every request runs out of budget together. Refusing at the door costs almost nothing
 * and keeps the admitted ones within budget.
 *
 * The limit adapts as TCP's congestion window does (AIMD, as in Netflix's concurrency-limits): each
 * completion within `latencyTargetMs` while the limit was in use adds 1/limit (one per round of
 * `limit` completions); a completion past the target, or one that failed for lack of time or
 * database, multiplies it by `backoffRatio`, at most once per round trip (completions of requests
 * started before the last decrease cannot cause another), so that a burst of slow answers does not
 * collapse it to the minimum. The queue admits, in arrival order, as many waiters as the current
 * rate (limit ÷ mean service time) can start within `queueMs`; a waiter still waiting then is refused.
 *
 * Pure bookkeeping apart from one timer per waiter: it knows nothing of HTTP (see admission.ts).
 */

export interface LimiterSettings {
  initialLimit: number;
  minLimit: number;
  maxLimit: number;
  /** Waiters at most, whatever the rate. */
  maxQueue: number;
  /** The longest a waiter waits; the queue holds only what the current rate starts within it. */
  queueMs: number;
  /** A completion slower than this (service time, without the queue) counts as a sign of overload. */
  latencyTargetMs: number;
  /** The decrease: the limit is multiplied by this. */
  backoffRatio: number;
}

export type ShedReason = 'queue-full' | 'queue-timeout';

/** Held by an admitted request until it completes. */
export interface Permit {
  /** When the work started (after any wait), in the limiter's clock. */
  readonly startedAt: number;
  /** How long it waited in the queue (ms); 0 when admitted at once. */
  readonly waitedMs: number;
}

export type Admission =
  | { kind: 'admitted'; permit: Permit }
  | { kind: 'queued'; permit: Promise<Permit>; cancel(): void }
  | { kind: 'shed'; reason: ShedReason };

/** A limiter's state, for metrics and logs. */
export interface LimiterState {
  limit: number;
  inFlight: number;
  queued: number;
  queueCapacity: number;
  meanServiceMs: number;
}

/** How a completed request went, from the limiter's point of view. */
export interface Completion {
  /** It failed for lack of time or database (a budget overrun, an outage): a sign of overload, whatever its latency. */
  overloaded: boolean;
  /** It never reached the work it was admitted for (the client went away): no sample. */
  abandoned?: boolean;
}

export class ShedError extends Error {
  constructor(readonly reason: ShedReason) {
    super(`ConcurrencyLimiter: shed (${reason})`);
    this.name = 'ShedError';
  }
}

interface Waiter {
  enqueuedAt: number;
  admit(permit: Permit): void;
  shed(reason: ShedReason): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Weight of the newest completion in the mean service time. */
const MEAN_WEIGHT = 0.1;

export class ConcurrencyLimiter {
  private currentLimit: number;
  private running = 0;
  private readonly waiters: Waiter[] = [];
  private meanMs: number;
  /** When the limit was last decreased: completions of requests started before it cannot decrease it again. */
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly settings: LimiterSettings,
    private readonly now: () => number = () => performance.now(),
    /** Called with the new integer limit whenever it changes. */
    private readonly onLimitChange: (limit: number, previous: number) => void = () => undefined,
  ) {
    if (settings.minLimit < 1 || settings.maxLimit < settings.minLimit) {
      throw new Error(`ConcurrencyLimiter: needs 1 ≤ minLimit ≤ maxLimit, got ${settings.minLimit} and ${settings.maxLimit}`);
    }
    this.currentLimit = clamp(settings.initialLimit, settings.minLimit, settings.maxLimit);
    // Until the first completion, assume the target: the queue starts as large as the target allows.
    this.meanMs = settings.latencyTargetMs;
  }

  /** The whole number of requests allowed in flight. */
  get limit(): number {
    return Math.floor(this.currentLimit);
  }

  state(): LimiterState {
    return {
      limit: this.limit,
      inFlight: this.running,
      queued: this.waiters.length,
      queueCapacity: this.queueCapacity(),
      meanServiceMs: this.meanMs,
    };
  }

  /** How many may wait now: what the current rate starts within `queueMs`, at most `maxQueue`. */
  queueCapacity(): number {
    const perMs = this.limit / Math.max(this.meanMs, 0.1);
    return Math.min(this.settings.maxQueue, Math.round(perMs * this.settings.queueMs));
  }

  /** Admits at once, queues, or sheds; the caller must `release` every permit it is given. */
  acquire(): Admission {
    if (this.running < this.limit && this.waiters.length === 0) return { kind: 'admitted', permit: this.start(0) };
    if (this.waiters.length >= this.queueCapacity()) return { kind: 'shed', reason: 'queue-full' };
    let waiter!: Waiter;
    const permit = new Promise<Permit>((resolve, reject) => {
      const enqueuedAt = this.now();
      waiter = {
        enqueuedAt,
        admit: resolve,
        shed: (reason) => reject(new ShedError(reason)),
        timer: setTimeout(() => this.drop(waiter, 'queue-timeout'), this.settings.queueMs),
      };
    });
    this.waiters.push(waiter);
    return { kind: 'queued', permit, cancel: () => this.drop(waiter, undefined) };
  }

  /** Ends a permit's work: frees its place, adapts the limit, and starts waiters. */
  release(permit: Permit, completion: Completion): void {
    const inFlightBefore = this.running;
    this.running -= 1;
    if (!completion.abandoned) this.sample(permit, inFlightBefore, completion.overloaded);
    this.admitWaiters();
  }

  private sample(permit: Permit, inFlightBefore: number, overloaded: boolean): void {
    const serviceMs = this.now() - permit.startedAt;
    const previous = this.limit;
    if (overloaded || serviceMs > this.settings.latencyTargetMs) {
      if (permit.startedAt >= this.lastDecreaseAt) {
        this.currentLimit = Math.max(this.settings.minLimit, this.currentLimit * this.settings.backoffRatio);
        this.lastDecreaseAt = this.now();
      }
    } else if (inFlightBefore * 2 >= this.limit) {
      // Only while the limit is in use: an idle service learns nothing about its capacity.
      this.currentLimit = Math.min(this.settings.maxLimit, this.currentLimit + 1 / this.currentLimit);
    }
    if (!overloaded) this.meanMs += MEAN_WEIGHT * (serviceMs - this.meanMs);
    if (this.limit !== previous) this.onLimitChange(this.limit, previous);
  }

  private start(waitedMs: number): Permit {
    this.running += 1;
    return { startedAt: this.now(), waitedMs };
  }

  private admitWaiters(): void {
    while (this.running < this.limit && this.waiters.length > 0) {
      const waiter = this.waiters.shift()!;
      clearTimeout(waiter.timer);
      waiter.admit(this.start(this.now() - waiter.enqueuedAt));
    }
  }

  /** Takes a waiter out of the queue: shed (timed out) or cancelled (its client went away). */
  private drop(waiter: Waiter, reason: ShedReason | undefined): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    clearTimeout(waiter.timer);
    if (reason) waiter.shed(reason);
  }
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
