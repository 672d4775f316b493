import type { FactContext, FactDefinition } from './fact-definition.js';
import {
  activityEntries,
  activityWithinDays,
  eventTimeMs,
  field,
  finiteNumber,
  nonEmptyString,
  type ActivityEntry,
} from './fact-inputs.js';
import { DAY_MS } from '../time/durations.js';
import { localHour } from '../time/time-zone.js';

/**
 * Facts about the customer's recent behaviour. "Last 30 days" is [event time − 30 × 24 h, event time]:
 * relative to the event, never to now, so a replay or a draft test answers what the live decision did.
 * Activity facts are absent when the profile has no activity list at all (nothing is known), and count
 * 0 when the list exists but holds nothing in the window.
 */

const LATE_NIGHT_END_HOUR = 5;

const wholeDaysBetween = (earlierMs: number, laterMs: number) => Math.floor((laterMs - earlierMs) / DAY_MS);

/** Each entry's local hour in the zone it was last asked for: a profile's entries are asked again and again, in its one zone. */
const hours = new WeakMap<ActivityEntry, { zone: string; hour: number | undefined }>();

function localHourOf(entry: ActivityEntry, zone: string): number | undefined {
  const known = hours.get(entry);
  if (known?.zone === zone) return known.hour;
  const hour = localHour(new Date(entry.atMs), zone);
  hours.set(entry, { zone, hour });
  return hour;
}

/** The activity entries before the event (strictly) that were made from the event's device. */
function earlierEntriesFromEventDevice(context: FactContext): readonly ActivityEntry[] | undefined {
  const deviceId = nonEmptyString(field(context.event, 'deviceId'));
  const entries = activityEntries(context);
  const endMs = eventTimeMs(context);
  if (deviceId === undefined || !entries || endMs === undefined) return undefined;
  // Strictly before: an entry at the very instant of the event is most likely the event itself, fed back.
  return entries.filter((entry) => entry.deviceId === deviceId && entry.atMs < endMs);
}

export const ACTIVITY_FACTS: readonly FactDefinition[] = [
  {
    name: 'activityCount30d',
    type: 'integer',
    description: 'Number of activity entries in the 30 days up to the event (later entries ignored)',
    compute: (context) => activityWithinDays(context, 30)?.length,
  },
  {
    name: 'loanApplications30d',
    type: 'integer',
    description: 'Number of loan_application activity entries in the 30 days up to the event',
    compute: (context) => activityWithinDays(context, 30)?.filter((entry) => entry.kind === 'loan_application').length,
  },
  {
    name: 'distinctDevices30d',
    type: 'integer',
    description: 'Number of distinct deviceIds in the activity of the 30 days up to the event',
    compute: (context) => {
      const entries = activityWithinDays(context, 30);
      return entries && new Set(entries.flatMap((entry) => (entry.deviceId === undefined ? [] : [entry.deviceId]))).size;
    },
  },
  {
    name: 'lateNightActivityShare30d',
    type: 'number',
    description: "Share (0–1) of the last 30 days' activity whose local hour is in [0, 5); absent without activity in the window",
    compute: (context) => {
      const entries = activityWithinDays(context, 30);
      if (!entries || entries.length === 0) return undefined;
      let lateNight = 0;
      for (const entry of entries) {
        const hour = localHourOf(entry, context.timeZone);
        if (hour === undefined) return undefined;
        if (hour < LATE_NIGHT_END_HOUR) lateNight += 1;
      }
      return lateNight / entries.length;
    },
  },
  {
    name: 'daysSinceLastActivity',
    type: 'integer',
    description: 'Whole days (24 h periods) from the most recent activity at or before the event to the event time',
    compute: (context) => {
      const entries = activityEntries(context);
      const endMs = eventTimeMs(context);
      if (!entries || endMs === undefined) return undefined;
      let latestMs: number | undefined;
      for (const entry of entries) {
        if (entry.atMs <= endMs && (latestMs === undefined || entry.atMs > latestMs)) latestMs = entry.atMs;
      }
      return latestMs === undefined ? undefined : wholeDaysBetween(latestMs, endMs);
    },
  },
  {
    name: 'eventDeviceId',
    type: 'string',
    description: "The event's deviceId (what block lists of devices are checked against); absent without one",
    compute: (context) => nonEmptyString(field(context.event, 'deviceId')),
  },
  {
    name: 'eventDeviceKnown',
    type: 'boolean',
    description: "Whether event.deviceId appears in the customer's activity before the event; absent without event.deviceId",
    compute: (context) => {
      const earlier = earlierEntriesFromEventDevice(context);
      return earlier === undefined ? undefined : earlier.length > 0;
    },
  },
  {
    name: 'eventDeviceFirstSeenDays',
    type: 'integer',
    description: 'Whole days (24 h periods) since the earliest activity with event.deviceId before the event; absent when unseen',
    compute: (context) => {
      const earlier = earlierEntriesFromEventDevice(context);
      const endMs = eventTimeMs(context);
      if (!earlier || earlier.length === 0 || endMs === undefined) return undefined;
      const firstSeenMs = earlier.reduce((earliest, entry) => Math.min(earliest, entry.atMs), Number.POSITIVE_INFINITY);
      return wholeDaysBetween(firstSeenMs, endMs);
    },
  },
  {
    name: 'applicationsLast24h',
    type: 'integer',
    history: 'applications',
    description:
      'loan_application decisions logged for this profile in the 24 h before the event (of those logged in the last 8 days, at most 1,000); absent when unknown',
    compute: (context) => {
      const count = finiteNumber(context.history?.applicationsLast24h);
      return count !== undefined && Number.isInteger(count) && count >= 0 ? count : undefined;
    },
  },
];
