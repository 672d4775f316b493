/**
 * Flattens a JSON Schema into the rows of a Markdown table (field, type, required, notes), one row per
 * field at any depth, so that a reader sees a body's every field without reading JSON Schema.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  not?: JsonSchema;
  format?: string;
  pattern?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  propertyNames?: JsonSchema;
  $ref?: string;
}

export interface SchemaRow {
  field: string;
  type: string;
  required: boolean;
  notes: string[];
}

/** Where a shape was first shown, so that a later identical shape can point there instead of repeating it. */
export interface ShapeRegistry {
  /**
   * The label and link of the first place that showed this shape, or undefined (and it is recorded as
   * here). Requests and answers are kept apart: a request's rows also say which objects accept more fields.
   */
  firstPlace(schema: JsonSchema, here: string, request: boolean): string | undefined;
}

/** Shapes with fewer fields than this are repeated where they occur: a pointer would cost more than the rows. */
const MIN_SHARED_FIELDS = 6;

/** A registry keyed by the canonical text of a shape; `here` is a Markdown label with its link. */
export function shapeRegistry(): ShapeRegistry {
  const seen = new Map<string, string>();
  return {
    firstPlace(schema, here, request) {
      if (countFields(schema) < MIN_SHARED_FIELDS) return undefined;
      const key = `${request ? 'request' : 'answer'}:${canonical(schema)}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, here);
      return first;
    },
  };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function countFields(schema: JsonSchema): number {
  const nested = [...Object.values(schema.properties ?? {}), ...(schema.items ? [schema.items] : []), ...(schema.oneOf ?? [])];
  return Object.keys(schema.properties ?? {}).length + nested.reduce((sum, child) => sum + countFields(child), 0);
}

const code = (text: string): string => `\`${text}\``;

const literal = (value: unknown): string => code(JSON.stringify(value));

/** A one-line type: `string (date-time)`, `"tag" | "alert"`, `array of string`, `map of number`. */
export function typeOf(schema: JsonSchema): string {
  if (schema.$ref) return `see ${schema.$ref.split('/').pop()}`;
  if (schema.const !== undefined) return literal(schema.const);
  if (schema.enum) return schema.enum.map(literal).join(' | ');
  if (schema.oneOf) {
    const types = [...new Set(schema.oneOf.map(typeOf))];
    return types.length === 1 && schema.oneOf.length > 1 ? `one of ${schema.oneOf.length} ${types[0]}s` : types.join(' or ');
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const named = types.map((type) => {
    if (type === 'array') return schema.items ? `array of ${typeOf(schema.items)}` : 'array';
    if (type === 'object' && !schema.properties && typeof schema.additionalProperties === 'object') {
      return `map of ${typeOf(schema.additionalProperties)}`;
    }
    if (type === 'string' && schema.format) return `string (${schema.format})`;
    return type;
  });
  return named.length > 0 ? named.join(' | ') : 'any';
}

const range = (min: number | undefined, max: number | undefined, unit = ''): string | undefined => {
  if (min !== undefined && max !== undefined) return `${min}–${max}${unit}`;
  if (min !== undefined) return `≥ ${min}${unit}`;
  if (max !== undefined) return `≤ ${max}${unit}`;
  return undefined;
};

/** Constraints a reader must respect, in the schema's own terms. */
export function notesOf(schema: JsonSchema, { request }: { request: boolean }): string[] {
  const notes: string[] = [];
  const value = range(schema.minimum, schema.maximum);
  if (value) notes.push(value);
  const length = range(schema.minLength, schema.maxLength, ' chars');
  if (length) notes.push(length);
  const items = range(schema.minItems, schema.maxItems, ' items');
  if (items) notes.push(items);
  if (schema.uniqueItems) notes.push('unique items');
  if (schema.pattern) notes.push(`pattern ${code(schema.pattern)}`);
  if (schema.maxProperties !== undefined) notes.push(`≤ ${schema.maxProperties} keys`);
  if (schema.propertyNames?.pattern) notes.push(`keys match ${code(schema.propertyNames.pattern)}`);
  const refusedKeys = schema.propertyNames?.not?.enum;
  if (refusedKeys) notes.push(`keys not ${refusedKeys.map(literal).join(', ')}`);
  if (schema.not?.enum) notes.push(`not ${schema.not.enum.map(literal).join(', ')}`);
  if (schema.default !== undefined) notes.push(`default ${literal(schema.default)}`);
  if (request && schema.properties && schema.additionalProperties !== false) notes.push('other fields allowed');
  if (schema.description) notes.push(schema.description.replace(/\s+/g, ' '));
  return notes;
}

interface RowContext {
  request: boolean;
  shapes: ShapeRegistry;
  /** Markdown label of the body or response these rows belong to, e.g. "the request body of [PUT /v1/x](#put-v1x)". */
  place: string;
}

/** The rows of every field under `schema`, depth first, fields in declaration order. */
export function schemaRows(schema: JsonSchema, context: RowContext, prefix = ''): SchemaRow[] {
  const rows: SchemaRow[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const field = `${prefix}${name}`;
    const row: SchemaRow = { field, type: typeOf(property), required: required.has(name), notes: notesOf(property, context) };
    rows.push(row);
    rows.push(...nestedRows(property, row, context, field));
  }
  return rows;
}

/** Rows of the fields inside one field: an object's, an array's items', or each alternative's of a oneOf. */
function nestedRows(property: JsonSchema, row: SchemaRow, context: RowContext, field: string): SchemaRow[] {
  const inner = property.items?.properties ? property.items : property.properties ? property : undefined;
  const path = property.items?.properties ? `${field}[]` : field;
  if (inner) {
    const first = context.shapes.firstPlace(inner, `${code(path)} in ${context.place}`, context.request);
    if (first !== undefined) {
      row.notes.push(`fields as ${first}`);
      return [];
    }
    return schemaRows(inner, context, `${path}.`);
  }
  if (!property.oneOf) return [];
  return property.oneOf.flatMap((alternative, index) => {
    const rows = schemaRows(alternative, context, `${field}.`);
    const direct = new Set(Object.keys(alternative.properties ?? {}).map((name) => `${field}.${name}`));
    for (const nested of rows) if (direct.has(nested.field)) nested.notes.unshift(`alternative ${index + 1} of ${code(field)}`);
    return rows;
  });
}

/** Every `|` is escaped, inside code spans too: GitHub splits table cells before it reads code spans. */
const cell = (text: string): string => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

/** A Markdown table of the rows, or undefined when there are none. */
export function rowsTable(rows: SchemaRow[]): string | undefined {
  if (rows.length === 0) return undefined;
  const lines = ['| field | type | required | notes |', '|---|---|---|---|'];
  for (const row of rows) {
    lines.push(`| ${code(row.field)} | ${cell(row.type)} | ${row.required ? 'yes' : ''} | ${cell(row.notes.join('; '))} |`);
  }
  return lines.join('\n');
}
