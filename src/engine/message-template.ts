/**
 * Renders an event's `params.message` for a person: `{{fact}}` and `{{fact.path.to.field}}` are replaced
 * with the values seen during evaluation; everything outside `{{...}}` is kept. Templates are compiled
 * once (split into literals and pre-parsed paths): rendering runs on every fired rule of every decision,
 * so it must cost less than evaluating the rules.
 *
 * A message is plain text that customers' and callers' data flows into, read by staff and logged with
 * every decision: it is at most 500 characters, and holds no control characters and no bidi controls
 * (which can make a reader see other text than what is there). Markup stays literal text: escaping it
 * is the job of whatever displays the message (the console renders text). Objects and lists render as a
 * short summary (`{3 fields}`, `[12 items]`); lists of plain values as the values, up to the limit.
 */

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const MISSING = 'n/a';
const MAX_CACHED = 1000;
/** The longest rendered message; a longer one is cut and ends with an ellipsis. */
export const MAX_MESSAGE_LENGTH = 500;
// C0 controls (tab and newline included: a message is one line), DEL, C1 controls, and the bidi
// embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

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

function formatScalar(value: unknown): string | undefined {
  if (value === undefined || value === null) return MISSING;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : MISSING;
  return undefined;
}

/** Plain values joined (`travel, fitness`), no further than a message can show; else a count. */
function formatList(items: readonly unknown[]): string {
  let text = '';
  for (let index = 0; index < items.length && text.length <= MAX_MESSAGE_LENGTH; index += 1) {
    const item = formatScalar(items[index]);
    if (item === undefined) return `[${items.length} items]`;
    text += index === 0 ? item : `, ${item}`;
  }
  return text;
}

function formatValue(value: unknown): string {
  const scalar = formatScalar(value);
  if (scalar !== undefined) return scalar;
  if (Array.isArray(value)) return formatList(value);
  if (typeof value === 'object' && value !== null) return `{${Object.keys(value).length} fields}`;
  return MISSING;
}

/** What a rendered message may hold: no control or bidi characters, at most 500 characters. */
export function plainText(text: string): string {
  const clean = text.replace(UNSAFE_CHARACTERS, '');
  if (clean.length <= MAX_MESSAGE_LENGTH) return clean;
  let end = MAX_MESSAGE_LENGTH - 1;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // never half a surrogate pair
  return `${clean.slice(0, end)}…`;
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
  if (paths.length === 0) {
    const text = plainText(literals[0]!);
    return () => text;
  }
  return (values) => {
    let text = literals[0]!;
    for (let index = 0; index < paths.length; index += 1) text += formatValue(valueAt(values, paths[index]!)) + literals[index + 1]!;
    return plainText(text);
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
