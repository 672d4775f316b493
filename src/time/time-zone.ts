/**
 * Calendar arithmetic in the customer's IANA time zone, with Intl only. Pure: every function takes the
 * instant it reasons about; none reads the wall clock. Invalid input answers `undefined`, never throws.
 */
import { isLeapYear, isValidInstant, parseCalendarDate } from './iso-time.js';

/** The wall-clock reading of an instant in a zone. `month` is 1–12, `weekday` 0 (Sunday) – 6. */
export interface LocalDateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** A zone's formatters: every date part, and the hour alone (five times cheaper, for activity lists). */
interface ZoneFormatters {
  parts: Intl.DateTimeFormat;
  hour: Intl.DateTimeFormat;
}

// Building a DateTimeFormat costs far more than using one, so each zone gets its own, kept for the process.
// `null` remembers a zone Intl refused, so a bad zone costs one failed construction, not one per call.
// Valid zone names are a bounded set, but case variants and garbage are not: the cap keeps memory bounded.
const MAX_CACHED_ZONES = 1000;
const formatters = new Map<string, ZoneFormatters | null>();

function formattersFor(timeZone: string): ZoneFormatters | undefined {
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached ?? undefined;
  let created: ZoneFormatters | null;
  try {
    const base = { timeZone, hourCycle: 'h23', hour: 'numeric' } as const;
    created = {
      parts: new Intl.DateTimeFormat('en-US', {
        ...base,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        minute: 'numeric',
        weekday: 'short',
      }),
      hour: new Intl.DateTimeFormat('en-US', base),
    };
  } catch {
    created = null;
  }
  if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
  formatters.set(timeZone, created);
  return created ?? undefined;
}

/** True when Intl knows `timeZone` as an IANA zone (or an alias of one). */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  return typeof timeZone === 'string' && timeZone.length > 0 && formattersFor(timeZone) !== undefined;
}

/** The local hour (0–23) of `instant` in `timeZone`; the same as `localDateParts(...).hour`, faster. */
export function localHour(instant: Date, timeZone: string): number | undefined {
  if (!isValidInstant(instant)) return undefined;
  const hour = Number(formattersFor(timeZone)?.hour.format(instant));
  // Some ICU versions write midnight as 24 even with h23; it is hour 0 of the same day.
  return Number.isInteger(hour) ? hour % 24 : undefined;
}

/**
 * The last instants converted, per zone: one decision asks for its event time's local parts several times
 * (age, business years, local hour, weekday), and formatting is the costly part.
 */
const recentParts: { ms: number; timeZone: string; parts: Readonly<LocalDateParts> | undefined }[] = [];
const RECENT_PARTS = 4;

/** The local year, month, day, hour, minute and weekday of `instant` in `timeZone` (read-only: it may be shared). */
export function localDateParts(instant: Date, timeZone: string): Readonly<LocalDateParts> | undefined {
  if (!isValidInstant(instant)) return undefined;
  const ms = instant.getTime();
  for (const recent of recentParts) if (recent.ms === ms && recent.timeZone === timeZone) return recent.parts;
  const parts = formatParts(instant, timeZone);
  if (recentParts.unshift({ ms, timeZone, parts }) > RECENT_PARTS) recentParts.pop();
  return parts;
}

function formatParts(instant: Date, timeZone: string): Readonly<LocalDateParts> | undefined {
  const formatter = formattersFor(timeZone)?.parts;
  if (!formatter) return undefined;
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value;
  const weekday = WEEKDAYS[parts.weekday ?? ''];
  const local = {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24, // 24 for midnight on some ICU versions, as above
    minute: Number(parts.minute),
    weekday: weekday ?? Number.NaN,
  };
  return Object.values(local).every(Number.isInteger) ? Object.freeze(local) : undefined;
}

/**
 * Whole years from the calendar date `from` (`YYYY-MM-DD`) to the local date of `instant` in `timeZone`:
 * an age or an anniversary count. A 29 February date is reached on 1 March in non-leap years. Answers
 * `undefined` for a malformed date or zone, or when `from` is after the instant's local date.
 */
export function wholeYearsSince(from: unknown, instant: Date, timeZone: string): number | undefined {
  const start = parseCalendarDate(from);
  const local = localDateParts(instant, timeZone);
  if (!start || !local) return undefined;
  const leapDayInCommonYear = start.month === 2 && start.day === 29 && !isLeapYear(local.year);
  const anniversary = leapDayInCommonYear ? { month: 3, day: 1 } : { month: start.month, day: start.day };
  const reached = local.month > anniversary.month || (local.month === anniversary.month && local.day >= anniversary.day);
  const years = local.year - start.year - (reached ? 0 : 1);
  return years >= 0 ? years : undefined;
}
