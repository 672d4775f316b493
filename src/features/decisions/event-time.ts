import { validationFailed } from '../../errors/domain-error.js';
import { parseInstant } from '../../time/iso-time.js';

// Event times a decision accepts: clients' clocks drift a little, but an event years ahead or back is
// a mistake or an attempt to game the velocity history, and is refused rather than counted.
const EARLIEST_EVENT = Date.parse('2000-01-01T00:00:00Z');
const MAX_EVENT_LEAD_MS = 5 * 60 * 1000;

/** The client's event time, when it sent one; a 400 at /event/at when it cannot be read or is out of bounds. */
export function boundedEventTime(at: string | undefined, now: Date): Date | undefined {
  if (at === undefined) return undefined;
  const instant = parseInstant(at);
  let problem: string | undefined;
  if (instant === undefined) problem = 'must be an ISO 8601 date-time with an offset or Z';
  else if (instant.getTime() < EARLIEST_EVENT) problem = 'must not be before 2000-01-01T00:00:00Z';
  else if (instant.getTime() > now.getTime() + MAX_EVENT_LEAD_MS) problem = "must not be more than 5 minutes after the service's clock";
  if (problem) throw validationFailed('The event time is out of range.', [{ path: '/event/at', message: problem }]);
  return instant;
}
