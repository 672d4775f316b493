import type { FactContext, FactDefinition } from './fact-definition.js';
import { activityWithinDays, field } from './fact-inputs.js';
import { distanceKmBetween, medianPosition, type Position } from './geo.js';

/**
 * Distances in kilometres, rounded to 0.1 km: coordinates in profiles are city- or GPS-grade, so finer
 * digits would be noise, and rounded values read well in explanations and the decision log.
 */

const roundKm = (km: number | undefined) => (km === undefined ? undefined : Math.round(km * 10) / 10);

const residence = (context: FactContext) => field(context.profile?.basic, 'residence');
const eventLocation = (context: FactContext) => field(context.event, 'location');

/** The median position of the last 30 days of activity entries that carry coordinates. */
function recentMedianPosition(context: FactContext): Position | undefined {
  const positions = (activityWithinDays(context, 30) ?? []).flatMap((entry) => (entry.position ? [entry.position] : []));
  return medianPosition(positions);
}

export const LOCATION_FACTS: readonly FactDefinition[] = [
  {
    name: 'eventDistanceFromResidenceKm',
    type: 'number',
    description: 'Great-circle distance in km from event.location to basic.residence',
    compute: (context) => roundKm(distanceKmBetween(eventLocation(context), residence(context))),
  },
  {
    name: 'eventDistanceFromWorkKm',
    type: 'number',
    description: 'Great-circle distance in km from event.location to basic.work',
    compute: (context) => roundKm(distanceKmBetween(eventLocation(context), field(context.profile?.basic, 'work'))),
  },
  {
    name: 'trajectoryDistanceFromResidenceKm',
    type: 'number',
    description:
      'Distance in km from the median position of the last 30 days of activity (entries with lat/lon) to basic.residence; absent when there are none',
    compute: (context) => roundKm(distanceKmBetween(recentMedianPosition(context), residence(context))),
  },
];
