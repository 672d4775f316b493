/** Recognising driver errors without importing the driver: code 11000 is a unique-index violation. */
export function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: { code?: number }[] } | null;
  return e?.code === 11000 || (Array.isArray(e?.writeErrors) && e.writeErrors.some((w) => w.code === 11000));
}

const UNAVAILABLE_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongooseServerSelectionError',
  'DatabaseUnavailableError',
]);

export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Socket errors the driver lets through unwrapped: a write on a connection whose server just died
 * fails with EPIPE ("This socket has been ended by the other party") before the driver notices.
 */
const SOCKET_ERROR_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED']);

/** True when the error says the database could not be reached (503), not that a request was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { name?: string; message?: string; code?: unknown } | null;
  if (!e) return false;
  if (e.name && UNAVAILABLE_ERRORS.has(e.name)) return true;
  if (typeof e.code === 'string' && SOCKET_ERROR_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && /buffering timed out|connection .* closed|client was closed/i.test(e.message);
}
