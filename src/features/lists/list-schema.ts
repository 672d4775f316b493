import type { FromSchema } from 'json-schema-to-ts';
import { RULESET_ID_PATTERN } from '../rulesets/ruleset-schema.js';
import { actorSchema } from '../audit/audit-schema.js';

/** The most items a list holds. */
export const MAX_LIST_ITEMS = 100_000;
/** The longest item: device ids, national ids, phone numbers and registration numbers fit with room. */
export const MAX_ITEM_LENGTH = 128;
/** A PUT of 100,000 items of up to 128 characters, with JSON quoting. */
export const MAX_LIST_BODY_BYTES = 16 * 1024 * 1024;

export const listIdParam = { listId: { type: 'string', pattern: RULESET_ID_PATTERN } } as const;

const itemSchema = { type: 'string', minLength: 1, maxLength: MAX_ITEM_LENGTH } as const;

export const putListSchema = {
  type: 'object',
  properties: {
    description: { type: 'string', maxLength: 500 },
    items: { type: 'array', items: itemSchema, maxItems: MAX_LIST_ITEMS },
  },
  required: ['description', 'items'],
  additionalProperties: false,
} as const;

export const addItemsSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: itemSchema, minItems: 1, maxItems: MAX_LIST_ITEMS } },
  required: ['items'],
  additionalProperties: false,
} as const;

const listFields = {
  id: { type: 'string' },
  description: { type: 'string' },
  size: { type: 'integer', description: 'How many items the list holds' },
  revision: { type: 'integer', description: 'The sequence number of its latest change: what decisions log as the revision they saw' },
  updatedAt: { type: 'string', format: 'date-time' },
  updatedBy: actorSchema,
} as const;

export const listSummarySchema = {
  type: 'object',
  properties: listFields,
  required: ['id', 'description', 'size', 'revision', 'updatedAt', 'updatedBy'],
  additionalProperties: false,
} as const;
export type ListSummary = FromSchema<typeof listSummarySchema>;

/** One list with one page of its items (sorted; `q` keeps the items containing it). */
export const listDetailSchema = {
  type: 'object',
  properties: {
    ...listFields,
    items: { type: 'array', items: { type: 'string' } },
    matching: { type: 'integer', description: 'How many items match `q` (all of them without one)' },
    nextCursor: { type: ['string', 'null'] },
  },
  required: ['id', 'description', 'size', 'revision', 'updatedAt', 'updatedBy', 'items', 'matching', 'nextCursor'],
  additionalProperties: false,
} as const;

/** What a change answers: the list after it, and how many items it changed. */
export const listChangeResultSchema = {
  type: 'object',
  properties: { ...listFields, changed: { type: 'integer', description: 'Items added or removed (0: nothing changed)' } },
  required: ['id', 'description', 'size', 'revision', 'updatedAt', 'updatedBy', 'changed'],
  additionalProperties: false,
} as const;
