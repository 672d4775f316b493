/** One problem in an input, located by a JSON pointer into it. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** What kind of refusal an error is; each entry point (HTTP, jobs) decides what that means for its callers. */
export type ErrorKind = 'validation' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'unavailable';

/**
 * A refusal by the service's own rules: bad input, a missing record, a conflicting change, a budget
 * or a database that is not there. Use cases, stores and the engine throw these; only the HTTP layer
 * turns them into statuses and the contract's envelope (src/http/error-handler.ts).
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationFailed = (message: string, details: ErrorDetail[] = []): DomainError =>
  new DomainError('validation', message, details);
export const unauthenticated = (message: string): DomainError => new DomainError('unauthenticated', message);
export const forbidden = (message: string): DomainError => new DomainError('forbidden', message);
export const notFound = (message: string): DomainError => new DomainError('not-found', message);
export const conflict = (message: string, details: ErrorDetail[] = []): DomainError => new DomainError('conflict', message, details);
export const unavailable = (message: string): DomainError => new DomainError('unavailable', message);

export const isConflict = (error: unknown): boolean => error instanceof DomainError && error.kind === 'conflict';
