/** One problem in a request, located by a JSON pointer into it. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** An error that maps to the contract's error envelope and an HTTP status. */
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

export const validationFailed = (message: string, details: ErrorDetail[] = []): AppError =>
  new AppError(400, 'VALIDATION_FAILED', message, details);
export const unauthenticated = (message = 'A valid API key is required (Authorization: Bearer <key>).'): AppError =>
  new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message: string): AppError => new AppError(403, 'FORBIDDEN', message);
export const notFound = (message: string): AppError => new AppError(404, 'NOT_FOUND', message);
export const conflict = (message: string, details: ErrorDetail[] = []): AppError =>
  new AppError(409, 'CONFLICT', message, details);
export const unavailable = (message: string): AppError => new AppError(503, 'UNAVAILABLE', message);
