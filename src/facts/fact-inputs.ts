import type { FactContext } from './fact-definition.js';
import { asPosition, type Position } from './geo.js';
import { isValidInstant, parseInstant } from '../time/iso-time.js';
import { DAY_MS } from '../time/durations.js';

/**
 * Defensive readers shared by the fact modules. Profiles are validated when stored, but draft tests and
 * replays hand facts documents that never went through validation, so every read checks its input's
 * shape and answers `undefined` rather than throwing.
 */

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const finiteNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** The field `key` of `value` when `value` is an object, else `undefined`. */
export const field = (value: unknown, key: string): unknown => (isRecord(value) ? value[key] : undefined);

/** The event time in milliseconds, or `undefined` when the context holds no valid event time. */
export const eventTimeMs = (context: FactContext): number | undefined =>
  isValidInstant(context.eventTime) ? context.eventTime.getTime() : undefined;

/** One well-formed activity entry, its time parsed. Shared by every evaluation of its list: read-only. */
export interface ActivityEntry {
  readonly atMs: number;
  readonly kind: string | undefined;
  readonly position: Position | undefined;
  readonly deviceId: string | undefined;
}

/**
 * Parsed activity lists, by the list they were parsed from. Several facts read the same list (up to 5,000
 * entries), and a profile the decision path keeps in memory is decided about again and again: its list is
 * parsed once. Lists are never changed once read (profiles read from the store are not mutated).
 */
const parsedActivity = new WeakMap<object, ActivityEntry[]>();
/** The window of recent entries per context and number of days: several facts read the same window of one evaluation. */
const recentActivity = new WeakMap<FactContext, { entries: readonly ActivityEntry[]; windows: Map<number, ActivityEntry[]> }>();

/**
 * Every well-formed entry of `profile.activity` (entries without a valid ISO `at` are skipped), whatever
 * its time; `undefined` when the profile has no activity list, so that activity facts are absent rather
 * than a misleading 0 when the data feed sent no activity at all.
 */
export function activityEntries(context: FactContext): readonly ActivityEntry[] | undefined {
  const source: unknown = context.profile?.activity;
  if (!Array.isArray(source)) return undefined;
  const cached = parsedActivity.get(source);
  if (cached) return cached;
  const entries: ActivityEntry[] = [];
  for (const item of source as unknown[]) {
    const at = parseInstant(field(item, 'at'));
    if (!at) continue;
    entries.push({
      atMs: at.getTime(),
      kind: nonEmptyString(field(item, 'kind')),
      position: asPosition(item),
      deviceId: nonEmptyString(field(item, 'deviceId')),
    });
  }
  parsedActivity.set(source, entries);
  return entries;
}

/**
 * The activity entries with `at` in [eventTime − `days` days, eventTime], both ends included; entries
 * after the event are ignored (a profile may be refreshed after the event it is evaluated for).
 * `undefined` when there is no activity list or no valid event time.
 */
export function activityWithinDays(context: FactContext, days: number): readonly ActivityEntry[] | undefined {
  const entries = activityEntries(context);
  const endMs = eventTimeMs(context);
  if (!entries || endMs === undefined) return undefined;
  // The windows of the list the context holds now (a context whose list was replaced starts afresh).
  let known = recentActivity.get(context);
  if (known?.entries !== entries) {
    known = { entries, windows: new Map<number, ActivityEntry[]>() };
    recentActivity.set(context, known);
  }
  const cached = known.windows.get(days);
  if (cached) return cached;
  const startMs = endMs - days * DAY_MS;
  const recent = entries.filter((entry) => entry.atMs >= startMs && entry.atMs <= endMs);
  known.windows.set(days, recent);
  return recent;
}
