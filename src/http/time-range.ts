import type { FromSchema } from 'json-schema-to-ts';
import { validationFailed } from '../errors/domain-error.js';
import { parseInstant } from '../time/iso-time.js';

/** Query-string schema fragment for endpoints filtered by a time range. */
export const timeRangeQueryProperties = {
  from: { type: 'string', format: 'date-time' },
  to: { type: 'string', format: 'date-time' },
} as const;

export type TimeRangeQuery = FromSchema<{ type: 'object'; properties: typeof timeRangeQueryProperties; additionalProperties: false }>;

/**
 * Reads `from`/`to` query values with the one parser of instants (the query schema has already refused
 * what it cannot read, and this answers the same 400 if it is ever called without it); `from` after `to`
 * is a 400.
 */
export function parseTimeRange(query: TimeRangeQuery): { from?: Date; to?: Date } {
  const from = instantAt(query.from, '/query/from');
  const to = instantAt(query.to, '/query/to');
  if (from && to && from > to) throw validationFailed('from must not be after to.', [{ path: '/query/from', message: 'is after to' }]);
  return { from, to };
}

function instantAt(text: string | undefined, path: string): Date | undefined {
  if (text === undefined) return undefined;
  const instant = parseInstant(text);
  if (!instant)
    throw validationFailed('A query parameter is invalid.', [{ path, message: 'must be an ISO-8601 date-time with T and an offset or Z' }]);
  return instant;
}
