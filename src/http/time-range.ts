import { validationFailed } from './app-error.js';

/** Query-string schema fragment for endpoints filtered by a time range. */
export const timeRangeQueryProperties = {
  from: { type: 'string', format: 'date-time' },
  to: { type: 'string', format: 'date-time' },
} as const;

/** Parses validated `from`/`to` query values; `from` after `to` is a 400. */
export function parseTimeRange(query: { from?: string; to?: string }): { from?: Date; to?: Date } {
  const from = query.from ? new Date(query.from) : undefined;
  const to = query.to ? new Date(query.to) : undefined;
  if (from && to && from > to) throw validationFailed('from must not be after to.', [{ path: '/query/from', message: 'is after to' }]);
  return { from, to };
}
