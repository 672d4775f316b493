import type { ErrorDetail } from '../errors/domain-error.js';

/** What a 503 tells a client to wait before it tries again (whole seconds, as Retry-After takes them). */
export const RETRY_AFTER_SECONDS = 1;

/**
 * An answer in the contract's error envelope with its HTTP status: what the error handler makes of a
 * domain error, and what the HTTP layer throws itself for refusals only HTTP knows (413, 415, 431...).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): { error: { code: string; message: string; details: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}
