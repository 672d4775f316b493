import type { FromSchema } from 'json-schema-to-ts';
import { notReservedKey } from '../json/object-keys.js';

/** Limits on what a ruleset may hold, so that no ruleset can make evaluation slow or unbounded. */
export const RULESET_LIMITS = {
  rules: 200,
  /** all/any/not levels from the rule's top condition down to a leaf. */
  depth: 8,
  leavesPerRule: 50,
  conditionsPerGroup: 50,
} as const;

export const RULESET_KINDS = ['tagging', 'product', 'fraud', 'risk'] as const;
export const EVENT_TYPES = ['tag', 'product', 'alert', 'score'] as const;
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export const OUTCOMES = ['approve', 'review', 'decline'] as const;

/** A principal reason's code, as a ruleset's catalogue keys it and a rule event names it (uppercase: never a reserved key). */
export const REASON_CODE_PATTERN = '^[A-Z0-9_]{1,40}$';

/** A ruleset's catalogue of principal reasons: code → the text an applicant may read. */
export const reasonCatalogueSchema = {
  type: 'object',
  propertyNames: { pattern: REASON_CODE_PATTERN },
  additionalProperties: { type: 'string', minLength: 1, maxLength: 300 },
  maxProperties: 200,
  description: 'Principal reasons: code → the text an applicant may read (plain language, no rule names)',
} as const;

/** Any event may name the principal reason it gives (a code of its ruleset's catalogue). */
const reasonParam = { reason: { type: 'string', pattern: REASON_CODE_PATTERN } } as const;

/** `$.a.b[0].c`: the only path syntax rules may use (no filters or scripts). */
export const FACT_PATH_PATTERN = '^\\$(\\.[A-Za-z_][A-Za-z0-9_]*|\\[[0-9]{1,4}\\])+$';

export const leafSchema = {
  type: 'object',
  properties: {
    fact: { type: 'string', minLength: 1, maxLength: 64 },
    operator: { type: 'string', minLength: 1, maxLength: 64 },
    value: {},
    path: { type: 'string', pattern: FACT_PATH_PATTERN, maxLength: 200 },
    params: { type: 'object', propertyNames: notReservedKey },
    priority: { type: 'integer', minimum: 1, maximum: 1000 },
    name: { type: 'string', maxLength: 100 },
  },
  required: ['fact', 'operator', 'value'],
  additionalProperties: false,
} as const;

/**
 * A condition is a leaf or a group holding exactly one of all / any / not. Its tree is checked by
 * the rule validator rather than a `oneOf` here, so that each error points at the one node at fault
 * with a message a rule author understands.
 */
const conditionTreeSchema = {
  type: 'object',
  description: 'all / any / not of conditions; leaves are { fact, operator, value, path? }',
} as const;

export const ruleSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9 _.:-]*$' },
    description: { type: 'string', maxLength: 500 },
    priority: { type: 'integer', minimum: 1, maximum: 1000 },
    conditions: conditionTreeSchema,
    event: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: EVENT_TYPES },
        params: { type: 'object' },
      },
      required: ['type', 'params'],
      additionalProperties: false,
    },
  },
  required: ['name', 'conditions', 'event'],
  additionalProperties: false,
} as const;

/** The rules of a ruleset version or draft, as written. */
export const rulesSchema = { type: 'array', items: ruleSchema, maxItems: RULESET_LIMITS.rules } as const;

/** Per event type, the params a rule must give (message is allowed on all). */
export const eventParamsSchemas = {
  tag: {
    type: 'object',
    properties: {
      tag: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
      message: { type: 'string', maxLength: 500 },
      ...reasonParam,
    },
    required: ['tag'],
    additionalProperties: false,
  },
  product: {
    type: 'object',
    properties: {
      product: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
      rank: { type: 'integer', minimum: 1, maximum: 1000 },
      message: { type: 'string', maxLength: 500 },
      ...reasonParam,
    },
    required: ['product', 'rank'],
    additionalProperties: false,
  },
  alert: {
    type: 'object',
    properties: {
      code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,63}$' },
      severity: { type: 'string', enum: SEVERITIES },
      message: { type: 'string', maxLength: 500 },
      ...reasonParam,
    },
    required: ['code', 'severity'],
    additionalProperties: false,
  },
  score: {
    type: 'object',
    properties: { points: { type: 'number', minimum: -1000, maximum: 1000 }, message: { type: 'string', maxLength: 500 }, ...reasonParam },
    required: ['points'],
    additionalProperties: false,
  },
} as const;

export type LeafCondition = FromSchema<typeof leafSchema>;
export type Condition = LeafCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };
export interface Rule {
  name: string;
  description?: string;
  priority?: number;
  conditions: { all: Condition[] } | { any: Condition[] } | { not: Condition };
  event: { type: (typeof EVENT_TYPES)[number]; params: Record<string, unknown> };
}
/** Principal reasons by code (a null-prototype object or one validated against reasonCatalogueSchema). */
export type ReasonCatalogue = Readonly<Record<string, string>>;
export type RulesetKind = (typeof RULESET_KINDS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type Outcome = (typeof OUTCOMES)[number];
