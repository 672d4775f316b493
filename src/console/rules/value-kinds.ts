/**
 * Which input a condition's value gets in the visual builder, and how a value changes when its operator
 * or fact does. The service's `GET /v1/facts` says what kind of value each operator takes (`valueKind`)
 * and each fact's type; together they decide the input, so that numbers stay numbers, `between` takes
 * two, times take a date-time with an offset and lists keep their items' type.
 *
 * Nothing here may lose a value the JSON holds: a value of a type the fact does not suggest is shown
 * with its own type (and a type choice), and a value no typed input can show is shown as JSON.
 *
 * Pure: no React or DOM, so it is unit-tested in Node.
 */

export type ValueKind = 'any' | 'number' | 'list' | 'scalar' | 'range' | 'pattern' | 'instant' | 'days';
/** The type of one typed item: a whole value for `equal`, one entry of an `in` list. */
export type ItemType = 'number' | 'boolean' | 'text';

export type ValueInput =
  | { kind: 'number' | 'days' | 'range' | 'instant' | 'pattern' }
  /** One typed item; `choosable`: the fact does not fix the type (an object fact read with a path), or the value's own type differs. */
  | { kind: 'item' | 'list'; itemType: ItemType; choosable: boolean }
  /** A value no typed input shows without loss (null where no type is known, nested arrays): edited as JSON. */
  | { kind: 'json' };

export const ITEM_TYPES: readonly ItemType[] = ['text', 'number', 'boolean'];

/** The item type a fact fixes: its own for scalar facts, none for objects and arrays (their paths can reach anything). */
export function factItemType(factType: string | undefined): ItemType | undefined {
  if (factType === 'number' || factType === 'integer') return 'number';
  if (factType === 'boolean') return 'boolean';
  if (factType === 'string') return 'text';
  return undefined;
}

export function itemTypeOfValue(value: unknown): ItemType | undefined {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'text';
  return undefined;
}

const isKnownKind = (kind: string | undefined): kind is ValueKind =>
  kind !== undefined && ['any', 'number', 'list', 'scalar', 'range', 'pattern', 'instant', 'days'].includes(kind);

/**
 * The input for a condition: by the operator's value kind, then the fact's type, then the value itself.
 * An unknown operator is treated as `any` (the JSON may name one the service will refuse; the value stays as it is).
 */
export function valueInputFor(valueKind: string | undefined, factType: string | undefined, value: unknown): ValueInput {
  const kind: ValueKind = isKnownKind(valueKind) ? valueKind : 'any';
  const fixed = factItemType(factType);
  if (kind === 'number' || kind === 'days' || kind === 'range' || kind === 'instant' || kind === 'pattern') {
    return fitsKind(kind, value) ? { kind } : { kind: 'json' };
  }
  if (kind === 'list') {
    if (value === null || value === undefined) return { kind: 'list', itemType: fixed ?? 'text', choosable: fixed === undefined };
    if (!Array.isArray(value)) return { kind: 'json' };
    // A null item is an emptied number input: it takes the list's type.
    const own = value.filter((item) => item !== null).map(itemTypeOfValue);
    if (own.some((type) => type === undefined)) return { kind: 'json' };
    const first = own[0] ?? fixed ?? 'text';
    if (own.some((type) => type !== first)) return { kind: 'json' };
    return { kind: 'list', itemType: first, choosable: fixed === undefined || first !== fixed };
  }
  if (value === null || value === undefined) return fixed ? { kind: 'item', itemType: fixed, choosable: false } : { kind: 'json' };
  const own = itemTypeOfValue(value);
  if (own === undefined) return { kind: 'json' };
  return { kind: 'item', itemType: own, choosable: fixed === undefined || own !== fixed };
}

/** Whether a value fits the typed input of a fixed-kind operator (an empty input holds null). */
function fitsKind(kind: 'number' | 'days' | 'range' | 'instant' | 'pattern', value: unknown): boolean {
  if (kind === 'number' || kind === 'days') return value === null || typeof value === 'number';
  if (kind === 'range') return Array.isArray(value) && value.length === 2 && value.every((end) => end === null || typeof end === 'number');
  return typeof value === 'string';
}

/** One item in another type: what a person means when they switch the type of what they typed. */
export function convertItem(value: unknown, to: ItemType): number | boolean | string | null {
  if (to === 'text') return value === null || value === undefined ? '' : typeof value === 'string' ? value : String(value);
  if (to === 'boolean') return value === true || value === 'true';
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** The value a new condition starts with: empty where a person must type something, so that saving it unchanged is refused with the reason. */
export function defaultValue(valueKind: string | undefined, factType: string | undefined): unknown {
  const item = factItemType(factType);
  switch (valueKind) {
    case 'number':
    case 'days':
      return null;
    case 'range':
      return [null, null];
    case 'list':
      return [];
    case 'instant':
    case 'pattern':
      return '';
    default:
      return item === 'number' ? null : item === 'boolean' ? true : '';
  }
}

/** The value carried over when a condition's operator changes kind: `5` becomes `[5, null]` for `between`, `"a"` becomes `["a"]` for `in`. */
export function valueForKind(value: unknown, valueKind: string | undefined, factType: string | undefined): unknown {
  const first = Array.isArray(value) ? value[0] : value;
  switch (valueKind) {
    case 'number':
    case 'days':
      return typeof first === 'number' ? first : convertItem(first, 'number');
    case 'range':
      if (Array.isArray(value) && value.length === 2)
        return value.map((end) => (typeof end === 'number' ? end : convertItem(end, 'number')));
      return [typeof first === 'number' ? first : convertItem(first, 'number'), null];
    case 'list':
      if (Array.isArray(value)) return value;
      return value === null || value === undefined || value === '' ? [] : [value];
    case 'instant':
    case 'pattern':
      return typeof first === 'string' ? first : '';
    default: {
      if (first === undefined) return defaultValue(valueKind, factType);
      const fixed = factItemType(factType);
      return fixed && itemTypeOfValue(first) !== fixed && first !== null ? convertItem(first, fixed) : first;
    }
  }
}

/** A date-time with offset split for a `datetime-local` input and an offset input; undefined when it has another shape. */
export function splitInstant(value: unknown): { local: string; offset: string } | undefined {
  if (value === '') return { local: '', offset: '+08:00' };
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:\d{2})$/.exec(value);
  return match ? { local: match[1]!, offset: match[2]! } : undefined;
}

/** `2026-01-01T00:00` and `+08:00` → `2026-01-01T00:00:00+08:00` (an ISO-8601 time the service's `before` / `after` accept). */
export function joinInstant(local: string, offset: string): string {
  if (local === '') return '';
  const withSeconds = /T\d{2}:\d{2}$/.test(local) ? `${local}:00` : local;
  return `${withSeconds}${offset}`;
}
