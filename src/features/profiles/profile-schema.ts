import type { FromSchema } from 'json-schema-to-ts';
import { extensionKeySchema } from '../../json/object-keys.js';
import { errorEnvelopeSchema } from '../../http/list-schema.js';

/**
 * The customer financial profile: the one declaration from which validation, the TypeScript types
 * and the OpenAPI document are derived. Every level the contract fixes rejects unknown keys;
 * free-form extension data goes under `attributes`, a flat map of scalars.
 */

const text = (maxLength = 200) => ({ type: 'string', maxLength }) as const;
const nonNegative = { type: 'number', minimum: 0 } as const;
const count = { type: 'integer', minimum: 0 } as const;

export const PROFILE_ID_PATTERN = '^[A-Za-z0-9_.:-]{1,64}$';
export const profileIdSchema = { type: 'string', pattern: PROFILE_ID_PATTERN } as const;

const placeSchema = {
  type: 'object',
  properties: {
    city: text(),
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lon: { type: 'number', minimum: -180, maximum: 180 },
  },
  additionalProperties: false,
} as const;

export const ACTIVITY_KINDS = ['login', 'loan_application', 'repayment', 'browse'] as const;

const activitySchema = {
  type: 'object',
  properties: {
    at: { type: 'string', format: 'date-time' },
    kind: { type: 'string', enum: ACTIVITY_KINDS },
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lon: { type: 'number', minimum: -180, maximum: 180 },
    deviceId: text(128),
    channel: text(64),
  },
  required: ['at', 'kind'],
  additionalProperties: false,
} as const;

/** The profile's sections, shared by the document schema and the bulk item schema. */
const profileProperties = {
  type: { type: 'string', enum: ['individual', 'sme'] },
  timezone: { type: 'string', format: 'iana-timezone', maxLength: 64, description: 'IANA time zone; default Asia/Shanghai' },
  currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code of the money amounts' },
  basic: {
    type: 'object',
    properties: {
      birthDate: { type: 'string', format: 'date' },
      gender: text(32),
      education: text(64),
      occupation: text(),
      residence: placeSchema,
      work: placeSchema,
    },
    additionalProperties: false,
  },
  company: {
    type: 'object',
    properties: {
      registeredAt: { type: 'string', format: 'date' },
      registeredCity: text(),
      industry: text(),
      businessScope: text(2000),
      employees: count,
      office: placeSchema,
    },
    additionalProperties: false,
  },
  financials: {
    type: 'object',
    properties: {
      monthlyIncome: nonNegative,
      annualRevenue: nonNegative,
      totalAssets: nonNegative,
      totalLiabilities: nonNegative,
      monthlyCashFlow: { type: 'number' },
      deposits: nonNegative,
      ownsProperty: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  credit: {
    type: 'object',
    properties: {
      score: { type: 'number', minimum: 0, maximum: 1000 },
      openLoans: count,
      maxOverdueDays: count,
      delinquencies12m: count,
      creditLimit: nonNegative,
      utilization: { type: 'number', minimum: 0, maximum: 10 },
    },
    additionalProperties: false,
  },
  ecommerce: {
    type: 'object',
    properties: {
      monthlySpend: nonNegative,
      ordersPerMonth: nonNegative,
      categories: { type: 'array', items: text(64), maxItems: 100 },
    },
    additionalProperties: false,
  },
  interests: { type: 'array', items: text(64), maxItems: 100 },
  sentiment: {
    type: 'object',
    properties: { negativeMentions30d: count, positiveMentions30d: count },
    additionalProperties: false,
  },
  activity: { type: 'array', items: activitySchema, maxItems: 5000 },
  attributes: {
    type: 'object',
    propertyNames: extensionKeySchema,
    additionalProperties: { type: ['string', 'number', 'boolean'], maxLength: 1000 },
    maxProperties: 200,
  },
} as const;

/** The profile document as a client sends it (PUT body). */
export const profileDocumentSchema = {
  type: 'object',
  properties: { ...profileProperties, profileId: { ...profileIdSchema, description: 'Optional in PUT; must match the path' } },
  required: ['type'],
  additionalProperties: false,
} as const;

/** One item of a bulk upsert: the document with its id. */
export const bulkProfileItemSchema = {
  ...profileDocumentSchema,
  required: ['type', 'profileId'],
} as const;

export const bulkUpsertSchema = {
  type: 'object',
  properties: {
    // Items are checked one by one so that one bad profile never blocks the others.
    profiles: { type: 'array', items: { type: 'object' }, minItems: 1, maxItems: 1000 },
  },
  required: ['profiles'],
  additionalProperties: false,
} as const;

export const tagDetailSchema = {
  type: 'object',
  properties: {
    tag: { type: 'string' },
    ruleset: { type: 'string' },
    version: { type: 'integer' },
    rule: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
  },
  required: ['tag', 'ruleset', 'version', 'rule', 'at'],
  additionalProperties: false,
} as const;

/** The stored profile as the API answers it. */
export const storedProfileSchema = {
  type: 'object',
  properties: {
    ...profileProperties,
    profileId: profileIdSchema,
    tags: { type: 'array', items: { type: 'string' }, description: 'Tags yielded by decisions' },
    tagDetails: { type: 'array', items: tagDetailSchema, description: 'Which ruleset, version and rule set each tag, and when' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['profileId', 'type', 'tags', 'tagDetails', 'createdAt', 'updatedAt'],
  additionalProperties: false,
} as const;

export const bulkUpsertResultSchema = {
  type: 'object',
  properties: {
    upserted: { type: 'integer' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer', description: 'Position in the request' },
          profileId: { type: ['string', 'null'] },
          error: errorEnvelopeSchema.properties.error,
        },
        required: ['index', 'profileId', 'error'],
        additionalProperties: false,
      },
    },
  },
  required: ['upserted', 'errors'],
  additionalProperties: false,
} as const;

/** A PUT body: the document, with the profile's id optional (the path names it). */
export type ProfileDocumentRequest = FromSchema<typeof profileDocumentSchema>;
export type ProfileDocument = Omit<ProfileDocumentRequest, 'profileId'>;
export type TagDetail = FromSchema<typeof tagDetailSchema>;
export type StoredProfile = FromSchema<typeof storedProfileSchema>;
export type Activity = FromSchema<typeof activitySchema>;
export type Place = FromSchema<typeof placeSchema>;

/** The sections a PUT replaces; anything else on the stored document (tags, times) is the service's. */
export const PROFILE_SECTIONS = Object.keys(profileProperties) as (keyof ProfileDocument)[];
