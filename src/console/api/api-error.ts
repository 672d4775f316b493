/** One problem the service found, located by a JSON pointer into what was sent. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** The service's error envelope, as thrown by the console's API client. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What a person should read for an error: the service's message, or what a status means. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Your API key was refused (401): it is unknown, revoked or expired. Sign in again.';
    if (error.status === 403) return `Your API key lacks the role for this (403): ${error.message}`;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
