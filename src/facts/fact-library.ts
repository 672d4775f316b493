import type { FactContext, FactDefinition, FactHistory, FactProfile } from './fact-definition.js';
import type { DecisionEvent } from './decision-event.js';
import { ACTIVITY_FACTS } from './activity-facts.js';
import { LOCATION_FACTS } from './location-facts.js';
import { FINANCIAL_FACTS, SECTION_FACTS } from './profile-facts.js';
import { TIME_FACTS } from './time-facts.js';
import { parseInstant } from '../time/iso-time.js';

/** The zone of customers whose profile names none. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * A fact that cannot be computed must be absent, so that conditions on it are false: a decision must
 * never fail because one customer's data is odd. The fact modules already answer `undefined` for
 * malformed input; this guard makes "never throws, never NaN" a property of the library rather than a
 * promise each fact has to keep.
 */
function absentWhenUncomputable(definition: FactDefinition): FactDefinition {
  return {
    ...definition,
    compute: (context) => {
      try {
        const value = definition.compute(context);
        return typeof value === 'number' && !Number.isFinite(value) ? undefined : value;
      } catch {
        return undefined;
      }
    },
  };
}

/** Every fact rules may read, in the order `GET /v1/facts` lists them. */
export const FACTS: readonly FactDefinition[] = [
  ...SECTION_FACTS,
  ...TIME_FACTS,
  ...FINANCIAL_FACTS,
  ...LOCATION_FACTS,
  ...ACTIVITY_FACTS,
].map(absentWhenUncomputable);

export const FACTS_BY_NAME: ReadonlyMap<string, FactDefinition> = (() => {
  const byName = new Map<string, FactDefinition>();
  for (const fact of FACTS) {
    if (byName.has(fact.name)) throw new Error(`fact-library: duplicate fact name "${fact.name}"`);
    byName.set(fact.name, fact);
  }
  return byName;
})();

/** The facts among `names` that read `history` (any history when omitted), in the order given. */
export function factsReadingHistory(names: Iterable<string>, history?: FactHistory): string[] {
  return [...names].filter((name) => {
    const read = FACTS_BY_NAME.get(name)?.history;
    return read !== undefined && (history === undefined || read === history);
  });
}

/**
 * Computes the named facts (every fact when `names` is omitted) for one evaluation. Unknown names are
 * ignored, and absent facts are simply not keys of the result.
 */
export function computeFacts(context: FactContext, names?: Iterable<string>): Record<string, unknown> {
  const selected = names === undefined ? FACTS : [...new Set(names)].flatMap((name) => FACTS_BY_NAME.get(name) ?? []);
  const values: Record<string, unknown> = {};
  for (const fact of selected) {
    const value = fact.compute(context);
    if (value !== undefined) values[fact.name] = value;
  }
  return values;
}

/**
 * The event time as every evaluation reads it, live or replayed: `event.at` through the one parser; an
 * invalid Date (which makes every time-relative fact absent) when it is missing or unreadable.
 */
export function eventTimeOf(event: DecisionEvent | undefined): Date {
  return parseInstant(event?.at) ?? new Date(Number.NaN);
}

/**
 * The context facts read for one decision: the event time parsed once from `event.at` (an invalid or
 * missing time gives an invalid Date, which makes every time-relative fact absent) and the customer's
 * zone (`profile.timezone`, else Asia/Shanghai). Callers validate and default `event.at` before this.
 */
export function buildFactContext(profile: FactProfile, event: DecisionEvent, history: FactContext['history'] = {}): FactContext {
  const zone: unknown = profile?.timezone;
  return {
    profile,
    event,
    eventTime: eventTimeOf(event),
    timeZone: typeof zone === 'string' && zone.length > 0 ? zone : DEFAULT_TIME_ZONE,
    history,
  };
}
