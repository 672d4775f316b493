import type { FromSchema } from 'json-schema-to-ts';
import { validationFailed } from '../errors/domain-error.js';
import { parseInstant } from '../time/iso-time.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** Query-string schema fragment shared by every list endpoint. */
export const pageQueryProperties = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
  cursor: { type: 'string', minLength: 1, maxLength: 512 },
} as const;

/** A page's query as a handler receives it: `limit` defaulted, `cursor` as sent. */
export type PageQuery = FromSchema<{ type: 'object'; properties: typeof pageQueryProperties; additionalProperties: false }>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url JSON of the last item's sort key (a Date as its ISO string). */
export function encodeCursor(position: Record<string, string | Date>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** What each field of a cursor holds: an instant (decoded to a Date) or an id. */
type CursorShape = Record<string, 'instant' | 'id'>;
type Position<S extends CursorShape> = { [K in keyof S]: S[K] extends 'instant' ? Date : string };

const MAX_ID_LENGTH = 200;

/**
 * Decodes a cursor this service issued into the position it names. A cursor is client input like any
 * other: every field must have the shape the service writes (an instant the one parser reads, a short id
 * string), or the request is a 400 — a forged value must never reach a query as an invalid Date or an
 * operator object.
 */
export function decodeCursor<S extends CursorShape>(cursor: string | undefined, shape: S): Position<S> | undefined {
  if (cursor === undefined) return undefined;
  const position = decodedPosition(cursor, shape);
  if (!position)
    throw validationFailed('The cursor is invalid.', [{ path: '/query/cursor', message: 'is not a cursor this service issued' }]);
  return position;
}

function decodedPosition<S extends CursorShape>(cursor: string, shape: S): Position<S> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const position = new Map<string, Date | string>();
  for (const [key, kind] of Object.entries(shape)) {
    const field: unknown = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof field !== 'string') return undefined;
    if (kind === 'id') {
      if (field.length === 0 || field.length > MAX_ID_LENGTH) return undefined;
      position.set(key, field);
    } else {
      const instant = parseInstant(field);
      if (!instant) return undefined;
      position.set(key, instant);
    }
  }
  return Object.fromEntries(position) as Position<S>;
}
