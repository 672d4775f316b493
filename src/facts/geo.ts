/** Distances on the Earth's surface, in kilometres. Pure; malformed positions answer `undefined`. */

export interface Position {
  lat: number;
  lon: number;
}

/** The IUGG mean Earth radius: the usual choice for a spherical model. */
export const EARTH_RADIUS_KM = 6371.0088;

const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** The position held by `value` when it has finite `lat` in [-90, 90] and `lon` in [-180, 180]. */
export function asPosition(value: unknown): Position | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { lat, lon } = value as { lat?: unknown; lon?: unknown };
  if (typeof lat !== 'number' || typeof lon !== 'number') return undefined;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  return { lat, lon };
}

/** Great-circle distance between two positions (haversine formula on a sphere of radius 6371.0088 km). */
export function greatCircleDistanceKm(from: Position, to: Position): number {
  const deltaLat = toRadians(to.lat - from.lat);
  const deltaLon = toRadians(to.lon - from.lon);
  const h = Math.sin(deltaLat / 2) ** 2 + Math.cos(toRadians(from.lat)) * Math.cos(toRadians(to.lat)) * Math.sin(deltaLon / 2) ** 2;
  // Rounding can push h a hair above 1 for antipodal points; asin would then answer NaN.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The distance between two values when both are positions (see `asPosition`), else `undefined`. */
export function distanceKmBetween(from: unknown, to: unknown): number | undefined {
  const a = asPosition(from);
  const b = asPosition(to);
  return a && b ? greatCircleDistanceKm(a, b) : undefined;
}

/**
 * The coordinate-wise median (median latitude, median longitude) of `positions`, or `undefined` when there
 * are none. Unlike the mean, one far-away outlier (a trip, a bad GPS fix) barely moves it. Longitudes are
 * taken as plain numbers, so a cloud straddling the antimeridian (±180°) would get a wrong median; the
 * customers served live far from it.
 */
export function medianPosition(positions: readonly Position[]): Position | undefined {
  if (positions.length === 0) return undefined;
  return { lat: median(positions.map((p) => p.lat)), lon: median(positions.map((p) => p.lon)) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
