import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/logger.js';
import { runWithRequestContext } from '../logging/request-context.js';
import type { Caller } from '../auth/roles.js';
import { unavailable } from '../errors/domain-error.js';
import type { ResponseProblem } from './response-check.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a well-formed `X-Request-Id` or makes one, returns it, and scopes the request's logs to it. */
export function requestId() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const offered = req.get('x-request-id');
    const id = offered && REQUEST_ID_PATTERN.test(offered) ? offered : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    runWithRequestContext({ requestId: id }, next);
  };
}

/** One line per request with the route pattern (never the raw URL: it holds customer ids). */
export function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const caller = res.locals.caller as Caller | undefined;
      logger.info('request', {
        requestId: res.locals.requestId,
        method: req.method,
        route: req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched',
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        keyId: caller?.keyId,
      });
    });
    next();
  };
}

export interface Authenticator {
  /** Undefined for an unknown key; throws when the key cannot be checked (the database is unavailable). */
  authenticate(presentedKey: string): Promise<Caller | undefined>;
}

/**
 * Resolves the caller from `Authorization: Bearer <key>` without rejecting anything: each route
 * decides whether it needs a key (401, or the lookup's failure: 503) and which roles (403).
 */
export function authenticate(keys: Authenticator) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (match) {
      try {
        res.locals.caller = await keys.authenticate(match[1]!);
      } catch (error) {
        // Public routes (health probes) must still answer while the key store is unavailable.
        res.locals.authenticationFailure = error;
      }
    }
    next();
  };
}

/**
 * While the database is known to be down, answers 503 at once: otherwise each request would wait
 * for the driver's server selection (seconds) before failing. (Authentication, before it, does not
 * look keys up then: the key cache answers.)
 */
export function refuseWhileDatabaseDown(unavailableReason: () => string | undefined) {
  return (_req: Request, _res: Response, next: NextFunction): void => {
    const reason = unavailableReason();
    next(reason === undefined ? undefined : unavailable(`The database is unavailable: ${reason}. Try again shortly.`));
  };
}

/** Lets every route check its answers (see response-check.ts); a mismatch is logged as an error with the request id. */
export function reportResponseProblems(logger: Logger) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.locals.reportResponseProblem = (problem: ResponseProblem) =>
      logger.error('an answer does not match its declaration', { requestId: res.locals.requestId, ...problem });
    next();
  };
}
