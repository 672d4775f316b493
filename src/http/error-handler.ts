import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/logger.js';
import { AppError, RETRY_AFTER_SECONDS } from './app-error.js';
import { DomainError, conflict, notFound, unavailable, validationFailed, type ErrorKind } from '../errors/domain-error.js';
import { isDatabaseUnavailable, isDuplicateKey } from '../db/database-errors.js';
import { type DatabaseErrorMetrics, noMetrics } from '../metrics/service-metrics.js';

/** The status and envelope code of each kind of domain error: the contract's, and only here. */
const STATUS_OF: Record<ErrorKind, { status: number; code: string }> = {
  validation: { status: 400, code: 'VALIDATION_FAILED' },
  unauthenticated: { status: 401, code: 'UNAUTHENTICATED' },
  forbidden: { status: 403, code: 'FORBIDDEN' },
  'not-found': { status: 404, code: 'NOT_FOUND' },
  conflict: { status: 409, code: 'CONFLICT' },
  unavailable: { status: 503, code: 'UNAVAILABLE' },
};

function fromDomain(error: DomainError): AppError {
  const { status, code } = STATUS_OF[error.kind];
  return new AppError(status, code, error.message, error.details);
}

/** Maps anything thrown while serving a request to the contract's envelope. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof DomainError) return fromDomain(error);
  const httpError = error as { type?: string; status?: number };
  switch (httpError.type) {
    case 'entity.parse.failed':
      return fromDomain(validationFailed('The request body is not valid JSON.', [{ path: '', message: 'malformed JSON' }]));
    case 'entity.too.large':
      return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 1 MB.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be UTF-8 JSON.');
    case 'request.aborted':
      return fromDomain(validationFailed('The request was aborted by the client.'));
    default:
      break;
  }
  if (isDuplicateKey(error)) return fromDomain(conflict('A record with the same key already exists.'));
  if (isDatabaseUnavailable(error)) return fromDomain(unavailable('The database is unavailable; try again shortly.'));
  if (typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
    return new AppError(httpError.status, 'VALIDATION_FAILED', 'The request could not be processed.');
  }
  return new AppError(500, 'INTERNAL', 'An internal error occurred; it has been logged.');
}

export function notFoundHandler() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(notFound(`No route for ${req.method} ${req.path}.`));
  };
}

/** The one place that answers errors: no stack trace leaves the process, a 500 is logged once with its stack. */
export function errorHandler(logger: Logger, databaseErrors: DatabaseErrorMetrics = noMetrics.database) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    const appError = toAppError(error);
    if (isDatabaseUnavailable(error)) databaseErrors.error('request');
    if ((error instanceof AppError || error instanceof DomainError) && appError.status === 503) {
      // A deliberate refusal (budget spent, database known down): expected, and a flood during an outage.
      logger.warn('request answered 503', { requestId: res.locals.requestId, reason: appError.message });
    } else if (appError.status >= 500) {
      const err = error as Error;
      logger.error('request failed', {
        requestId: res.locals.requestId,
        code: appError.code,
        error: err?.name,
        message: err?.message,
        stack: err?.stack,
      });
    }
    // Every 503 is temporary (a budget, a database outage, capacity): a client may try again after this.
    if (appError.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(appError.status).json(appError.toBody());
  };
}
