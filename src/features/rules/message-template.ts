/**
 * Renders an event's `params.message` for a person: `{{fact}}` and `{{fact.path.to.field}}` are replaced
 * with the values seen during evaluation; everything outside `{{...}}` is kept verbatim.
 */

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const MISSING = 'n/a';

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const smallNumberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * A number as a person reads it: en-US grouping, whole numbers as they are (`1,888`), large ones rounded
 * to a whole number (`1,890` for 1890.2: decimals add nothing at that size), small ones with at most
 * two decimals (`0.73`).
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return MISSING;
  const text =
    Number.isInteger(value) || Math.abs(value) >= 100 ? integerFormat.format(Math.round(value)) : smallNumberFormat.format(value);
  // A value that rounds to zero from below (-0.001) would otherwise read "-0".
  return text === '-0' ? '0' : text;
}

function formatValue(value: unknown): string {
  if (value === undefined || value === null) return MISSING;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : MISSING;
  try {
    return JSON.stringify(value) ?? MISSING;
  } catch {
    return MISSING;
  }
}

/** The value at a dot path (`residence.city`, `categories.0`), following own properties only. */
function valueAt(values: Record<string, unknown>, path: string): unknown {
  let current: unknown = values;
  for (const key of path.split('.')) {
    // Own properties only: `{{event.constructor}}` must not reach into prototypes.
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The paths a template's placeholders name, as written (`eventDistanceFromResidenceKm`, `basic.residence.city`). */
export function placeholderPaths(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/** Replaces each `{{fact}}` / `{{fact.path}}` in `template`; a missing value renders as `n/a`. */
export function renderMessage(template: string, values: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_placeholder, path: string) => formatValue(valueAt(values, path)));
}
