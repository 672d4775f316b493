import type { FactContext, FactDefinition } from './fact-definition.js';
import { field } from './fact-inputs.js';
import { parseInstant } from '../time/iso-time.js';
import { localDateParts, wholeYearsSince } from '../time/time-zone.js';

/**
 * Facts about calendar time. All are read in the customer's zone (`context.timeZone`): an event at
 * 16:30 UTC is already the next day in Shanghai, and a birthday is reached on the customer's local date.
 */

const eventLocal = (context: FactContext) => localDateParts(context.eventTime, context.timeZone);

/** `YYYY-MM-DD` of an instant's local date in the customer's zone. */
function localDateOf(instant: Date, context: FactContext): string | undefined {
  const local = localDateParts(instant, context.timeZone);
  if (!local) return undefined;
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(local.year, 4)}-${pad(local.month, 2)}-${pad(local.day, 2)}`;
}

export const TIME_FACTS: readonly FactDefinition[] = [
  {
    name: 'age',
    type: 'integer',
    description: "Whole years from basic.birthDate to the event time, in the customer's zone",
    compute: (context) => wholeYearsSince(field(context.profile?.basic, 'birthDate'), context.eventTime, context.timeZone),
  },
  {
    name: 'businessYears',
    type: 'integer',
    description: "Whole years from company.registeredAt to the event time, in the customer's zone",
    compute: (context) => wholeYearsSince(field(context.profile?.company, 'registeredAt'), context.eventTime, context.timeZone),
  },
  {
    name: 'customerYears',
    type: 'integer',
    description: 'Whole years since the profile was created (createdAt) to the event time; absent without createdAt',
    compute: (context) => {
      const createdAt = parseInstant(context.profile?.createdAt);
      const createdOn = createdAt && localDateOf(createdAt, context);
      return createdOn ? wholeYearsSince(createdOn, context.eventTime, context.timeZone) : undefined;
    },
  },
  {
    name: 'eventLocalHour',
    type: 'integer',
    description: "Hour 0–23 of the event time in the customer's zone",
    compute: (context) => eventLocal(context)?.hour,
  },
  {
    name: 'eventLocalDayOfWeek',
    type: 'integer',
    description: "Day of the week of the event time in the customer's zone: 0 = Sunday … 6 = Saturday",
    compute: (context) => eventLocal(context)?.weekday,
  },
];
