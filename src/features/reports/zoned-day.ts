import { localDateParts } from '../../time/time-zone.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The zone's offset from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = localDateParts(new Date(instant), timeZone)!;
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return wall - Math.floor(instant / 60_000) * 60_000;
}

function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - offsetAt(guess, timeZone);
  return new Date(guess - offsetAt(first, timeZone));
}

/** The instants [from, to) of a calendar day in a time zone (23 or 25 hours long across DST changes). */
export function dayBounds(date: string, timeZone: string): { from: Date; to: Date } {
  const match = DAY.exec(date);
  if (!match) throw new Error(`zonedDay: dayBounds() needs YYYY-MM-DD, got "${date}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return {
    from: localMidnight(year, month, day, timeZone),
    to: localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone),
  };
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function dateIn(instant: Date, timeZone: string): string {
  const parts = localDateParts(instant, timeZone)!;
  return `${parts.year}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`;
}

/** The calendar date `days` days after (or, negative, before) `date`, both YYYY-MM-DD. */
export function shiftDate(date: string, days: number): string {
  const match = DAY.exec(date);
  if (!match) throw new Error(`zonedDay: shiftDate() needs YYYY-MM-DD, got "${date}"`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days)).toISOString().slice(0, 10);
}
