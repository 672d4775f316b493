/**
 * Renders an event's `params.message` for a person: `{{fact}}` and `{{fact.path.to.field}}` are replaced
 * with the values seen during evaluation; everything outside `{{...}}` is kept verbatim. Templates are
 * compiled once (split into literals and pre-parsed paths): rendering runs on every fired rule of every
 * decision, so it must cost less than evaluating the rules.
 */

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const MISSING = 'n/a';
const MAX_CACHED = 1000;

export type MessageRenderer = (values: Readonly<Record<string, unknown>>) => string;

const smallNumberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const formattedFractions = new Map<number, string>();
const compiledTemplates = new Map<string, MessageRenderer>();

/** en-US grouping of a whole number below 1e15 (`-1,888`), without Intl. */
function groupThousands(whole: number): string {
  const digits = String(Math.abs(whole));
  let text = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let index = text.length; index < digits.length; index += 3) text += `,${digits.slice(index, index + 3)}`;
  return whole < 0 && text !== '0' ? `-${text}` : text;
}

/**
 * A number as a person reads it: en-US grouping, whole numbers as they are (`1,888`), large ones rounded
 * to a whole number (`1,890` for 1890.2: decimals add nothing at that size), small ones with at most
 * two decimals (`0.73`).
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return MISSING;
  const size = Math.abs(value);
  if (size >= 1e15) return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(Math.round(value));
  if (Number.isInteger(value) || size >= 100) return groupThousands(Math.round(value));
  let text = formattedFractions.get(value);
  if (text === undefined) {
    text = smallNumberFormat.format(value);
    // A value that rounds to zero from below (-0.001) would otherwise read "-0".
    if (text === '-0') text = '0';
    if (formattedFractions.size >= MAX_CACHED) formattedFractions.clear();
    formattedFractions.set(value, text);
  }
  return text;
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

/** The value at a pre-split dot path (`residence.city`, `categories.0`), following own properties only. */
function valueAt(values: Readonly<Record<string, unknown>>, keys: readonly string[]): unknown {
  let current: unknown = values;
  for (const key of keys) {
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

/** A template turned into a renderer once: literals and paths are split here, not on every render. */
export function compileTemplate(template: string): MessageRenderer {
  const literals: string[] = [];
  const paths: string[][] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index));
    paths.push(match[1]!.split('.'));
    last = match.index! + match[0].length;
  }
  literals.push(template.slice(last));
  if (paths.length === 0) return () => literals[0]!;
  return (values) => {
    let text = literals[0]!;
    for (let index = 0; index < paths.length; index += 1) text += formatValue(valueAt(values, paths[index]!)) + literals[index + 1]!;
    return text;
  };
}

/** Replaces each `{{fact}}` / `{{fact.path}}` in `template`; a missing value renders as `n/a`. */
export function renderMessage(template: string, values: Record<string, unknown>): string {
  let render = compiledTemplates.get(template);
  if (!render) {
    render = compileTemplate(template);
    if (compiledTemplates.size >= MAX_CACHED) compiledTemplates.clear();
    compiledTemplates.set(template, render);
  }
  return render(values);
}
