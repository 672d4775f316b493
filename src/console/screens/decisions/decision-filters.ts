/**
 * The decision search's filters, kept in the address (`#/decisions?alert=LOCATION_MISMATCH&from=...`)
 * so that a search can be shared: only filter values go there, never the key.
 *
 * Pure: no React or DOM, so it is unit-tested in Node.
 */

export const FILTER_NAMES = ['profileId', 'outcome', 'alert', 'ruleset', 'from', 'to'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
export type DecisionFilters = Partial<Record<FilterName, string>>;

/** The filters a hash query holds; unknown names and empty values are dropped. */
export function filtersFromQuery(query: URLSearchParams): DecisionFilters {
  const filters: DecisionFilters = {};
  for (const name of FILTER_NAMES) {
    const value = query.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

/** The query string of the filters (`?alert=X&from=...`), in a fixed order so equal searches have equal addresses. */
export function filtersQuery(filters: DecisionFilters, extra: Record<string, string | number | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const name of FILTER_NAMES) if (filters[name]) search.set(name, filters[name]!);
  for (const [name, value] of Object.entries(extra)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

const pad = (value: number) => String(value).padStart(2, '0');

/** An instant as a datetime-local input shows it, in the browser's time zone (`2026-11-21T01:30`). */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local input's value as an instant (ISO, UTC); undefined when empty or not a time. */
export function fromLocalInput(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The instants [from, to) of a calendar day (`2026-11-21`) in the browser's time zone. */
export function localDayRange(day: string): { from: string; to: string } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  return { from: new Date(year, month, date).toISOString(), to: new Date(year, month, date + 1).toISOString() };
}

/** Today's date (`2026-11-21`) in the browser's time zone. */
export function localToday(now = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
