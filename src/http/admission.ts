import type { NextFunction, Request, Response } from 'express';
import { type Caller, hasAnyRole, type Role } from '../auth/roles.js';
import type { AdmissionSettings } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { AdmissionMetrics } from '../metrics/service-metrics.js';
import { AppError, RETRY_AFTER_SECONDS } from './app-error.js';
import { ConcurrencyLimiter, type Permit, type ShedReason, ShedError } from './concurrency-limiter.js';

/** The refusal's envelope, made once (an Error per refusal would capture a stack trace each time). */
const REFUSAL_BODY = Buffer.from(
  JSON.stringify(
    new AppError(
      503,
      'UNAVAILABLE',
      `The service is at capacity and did not start this decision; retry after ${RETRY_AFTER_SECONDS} s.`,
    ).toBody(),
  ),
);

/** Where the limit starts: the reference load (32 connections) is admitted at once before anything is learnt. */
const INITIAL_LIMIT = 32;
/** The multiplicative decrease (TCP Reno halves; a gentler step suits a limit that is not a window of packets). */
const BACKOFF_RATIO = 0.9;

/** The limiter the configuration describes; limit changes are logged at debug level. */
export function configuredLimiter(settings: AdmissionSettings, logger: Logger): ConcurrencyLimiter {
  return new ConcurrencyLimiter(
    {
      initialLimit: INITIAL_LIMIT,
      minLimit: settings.minLimit,
      maxLimit: settings.maxLimit,
      maxQueue: settings.maxQueue,
      queueMs: settings.queueMs,
      latencyTargetMs: settings.latencyTargetMs,
      backoffRatio: BACKOFF_RATIO,
    },
    undefined,
    (limit, previous) => logger.debug('admission: limit changed', { limit, previous }),
  );
}

/** While requests are being shed, one summary line this often (a line per refusal would flood the log). */
const SHED_SUMMARY_MS = 10_000;

export interface AdmissionOptions {
  limiter: ConcurrencyLimiter;
  /** Callers holding one of these roles are admitted, queued or shed; others go on to the route's 401/403. */
  roles: readonly Role[];
  logger: Logger;
  metrics: AdmissionMetrics;
}

/**
 * Admission control in front of one route (POST /v1/decisions): a request is admitted, waits briefly
 * in the limiter's queue, or is answered 503 with Retry-After at once, before any of its work starts
 * (nothing of it is logged, so a retry with the same Idempotency-Key is safe). An admitted request
 * holds its place until its answer is sent or its client goes away.
 *
 * Mounted after authentication, so that only callers who may decide take places; the body is read by
 * the route after admission (a decision's body is small and arrives with its headers).
 */
export function admissionControl({ limiter, roles, logger, metrics }: AdmissionOptions) {
  const shedLog = new ShedLog(logger, limiter);
  metrics.observeLimiter(() => limiter.state());

  const refuse = (res: Response, reason: ShedReason, arrived: number): void => {
    metrics.shed(reason);
    shedLog.record(reason);
    // Written directly: a refusal must cost far less than a decision, and it is the same every time.
    res.writeHead(503, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': REFUSAL_BODY.length,
      'Retry-After': String(RETRY_AFTER_SECONDS),
    });
    res.end(REFUSAL_BODY);
    metrics.answered(503, performance.now() - arrived);
  };

  const proceed = (req: Request, res: Response, next: NextFunction, permit: Permit, arrived: number): void => {
    metrics.admitted(permit.waitedMs);
    let released = false;
    const release = (abandoned: boolean) => {
      if (released) return;
      released = true;
      // A 5xx means the budget ran out or the database failed: overload, whatever the latency says.
      limiter.release(permit, { overloaded: res.statusCode >= 500, abandoned });
      if (!abandoned) metrics.answered(res.statusCode, performance.now() - arrived);
    };
    res.once('finish', () => release(false));
    res.once('close', () => release(!res.writableFinished));
    if (req.destroyed) return release(true);
    next();
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    const caller = res.locals.caller as Caller | undefined;
    if (!caller || !hasAnyRole(caller, roles)) return next();
    const arrived = performance.now();
    const admission = limiter.acquire();
    if (admission.kind === 'shed') return refuse(res, admission.reason, arrived);
    if (admission.kind === 'admitted') return proceed(req, res, next, admission.permit, arrived);
    // A client that goes away while waiting gives its place back.
    const leave = () => admission.cancel();
    res.once('close', leave);
    admission.permit.then(
      (permit) => {
        res.off('close', leave);
        proceed(req, res, next, permit, arrived);
      },
      (error: unknown) => {
        res.off('close', leave);
        if (error instanceof ShedError) refuse(res, error.reason, arrived);
        else next(error);
      },
    );
  };
}

/** Logs when shedding starts, a count every SHED_SUMMARY_MS while it lasts, and when it stops: never per request. */
class ShedLog {
  private counts = new Map<ShedReason, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly limiter: ConcurrencyLimiter,
  ) {}

  record(reason: ShedReason): void {
    if (!this.timer) {
      this.logger.warn('admission: shedding decisions (503 with Retry-After)', { reason, ...this.limiter.state() });
      this.timer = setTimeout(() => this.summarise(), SHED_SUMMARY_MS);
      this.timer.unref();
    }
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }

  private summarise(): void {
    const shed = Object.fromEntries(this.counts);
    const total = [...this.counts.values()].reduce((sum, count) => sum + count, 0);
    this.counts = new Map();
    this.timer = undefined;
    if (total === 0) {
      this.logger.info('admission: shedding stopped', this.limiter.state());
      return;
    }
    this.logger.warn('admission: still shedding', { shed, seconds: SHED_SUMMARY_MS / 1000, ...this.limiter.state() });
    this.timer = setTimeout(() => this.summarise(), SHED_SUMMARY_MS);
    this.timer.unref();
  }
}
