import { validationFailed } from './app-error.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** Query-string schema fragment shared by every list endpoint. */
export const pageQueryProperties = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
  cursor: { type: 'string', minLength: 1, maxLength: 512 },
} as const;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url JSON of the last item's sort key. */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(cursor: string | undefined, keys: (keyof T)[]): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
    if (value && typeof value === 'object' && keys.every((key) => typeof value[key] === 'string')) return value;
  } catch {
    // fall through to the 400 below
  }
  throw validationFailed('The cursor is invalid.', [{ path: '/cursor', message: 'is not a cursor this service issued' }]);
}
