/**
 * The one reading of the times clients send and the service stores: request validation (ajv's `date-time`
 * and `date` formats), facts, operators, stores, replay and simulations all parse with these functions,
 * so a time that validates is a time every part of the service reads the same way. Pure; nothing throws.
 */

// RFC 3339 profile of ISO-8601: `T` between date and time, seconds optional, at most 9 fraction digits, an
// offset `Z` or ±hh:mm. A local time without a zone would be read in the server's zone, which is never what
// a client meant, so it is refused rather than guessed; so are a space separator, `+0800` and leap seconds
// (Date cannot hold 23:59:60, and silently reading it as something else would move the event).
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date without a zone, as written `YYYY-MM-DD`. `month` is 1–12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * Parses an ISO-8601 date-time with an offset or `Z` (e.g. `2026-11-21T01:30:00+08:00`) into an instant;
 * `undefined` for anything else, including impossible dates such as 30 February and leap seconds.
 * Fractions beyond milliseconds are truncated, as Date does. A valid Date is returned as it is.
 */
export function parseInstant(value: unknown): Date | undefined {
  if (value instanceof Date) return isValidInstant(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = ISO_INSTANT.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((index) => Number(match[index]));
  const second = Number(match[6] ?? 0);
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const [offsetHours, offsetMinutes] = [Number(match[9] ?? 0), Number(match[10] ?? 0)];
  if (!isCalendarDate(year!, month!, day!)) return undefined;
  if (hour! > 23 || minute! > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const instant = new Date(0);
  instant.setUTCFullYear(year!, month! - 1, day!);
  instant.setUTCHours(hour!, minute!, second, millisecond);
  const offsetMs = (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  instant.setTime(instant.getTime() - offsetMs);
  return isValidInstant(instant) ? instant : undefined;
}

/** Parses a real calendar date `YYYY-MM-DD` (no time, no zone); `undefined` for anything else. */
export function parseCalendarDate(value: unknown): CalendarDate | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isCalendarDate(year, month, day) ? { year, month, day } : undefined;
}

export function isValidInstant(value: unknown): value is Date {
  return value instanceof Date && Number.isFinite(value.getTime());
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}
