/** How the compliance screens write times, numbers and values the service sent, always as plain text. */

/** A time as the person's browser writes it, with the zone, so a screenshot or a copied row is unambiguous. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Any JSON value as short text: strings as they are, the rest as JSON; undefined (an absent fact) says so. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'absent';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)));
  return JSON.stringify(value);
}

export const plural = (count: number, one: string, many = `${one}s`): string => `${count.toLocaleString()} ${count === 1 ? one : many}`;
