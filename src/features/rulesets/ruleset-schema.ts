import type { FromSchema } from 'json-schema-to-ts';
import { notReservedKey } from '../../json/object-keys.js';
import { RULESET_KINDS, ruleSchema } from '../../engine/rule-schema.js';
import { draftSchema, rulesetTestSchema } from './draft-schema.js';

export const RULESET_ID_PATTERN = '^[a-z0-9-]{1,64}$';
/** A ruleset id a client creates or names: decisions key their versions by it. */
export const rulesetIdSchema = { type: 'string', pattern: RULESET_ID_PATTERN, ...notReservedKey } as const;

export const rulesetIdParam = { id: { type: 'string', pattern: RULESET_ID_PATTERN } } as const;
export const versionParam = { version: { type: 'integer', minimum: 1 } } as const;

export const createRulesetSchema = {
  type: 'object',
  properties: {
    id: rulesetIdSchema,
    kind: { type: 'string', enum: RULESET_KINDS },
    description: { type: 'string', maxLength: 1000 },
  },
  required: ['id', 'kind'],
  additionalProperties: false,
} as const;
export type CreateRulesetRequest = FromSchema<typeof createRulesetSchema>;

/** A shipped ruleset file in rulesets/: the ruleset and its first draft, tests included. */
export const shippedRulesetSchema = {
  type: 'object',
  properties: {
    ...createRulesetSchema.properties,
    rules: draftSchema.properties.rules,
    tests: draftSchema.properties.tests,
  },
  required: ['id', 'kind', 'description', 'rules', 'tests'],
  additionalProperties: false,
} as const;

const actorSchema = { type: ['object', 'null'], properties: { keyId: { type: 'string' }, name: { type: 'string' } } } as const;

export const rulesetSummarySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: RULESET_KINDS },
    description: { type: 'string' },
    activeVersion: { type: ['integer', 'null'] },
    latestVersion: { type: ['integer', 'null'] },
  },
  required: ['id', 'kind', 'description', 'activeVersion', 'latestVersion'],
} as const;

export const draftViewSchema = {
  type: 'object',
  properties: {
    rules: { type: 'array', items: ruleSchema },
    tests: { type: 'array', items: rulesetTestSchema },
    checksum: { type: 'string' },
    updatedAt: { type: 'string', format: 'date-time' },
    updatedBy: actorSchema,
  },
  required: ['rules', 'tests', 'checksum', 'updatedAt'],
} as const;

const versionSummarySchema = {
  type: 'object',
  properties: { version: { type: 'integer' }, publishedAt: { type: 'string' }, publishedBy: actorSchema, checksum: { type: 'string' } },
  required: ['version', 'publishedAt', 'publishedBy', 'checksum'],
} as const;

export const rulesetDetailSchema = {
  type: 'object',
  properties: {
    ...rulesetSummarySchema.properties,
    draft: draftViewSchema,
    versions: { type: 'array', items: versionSummarySchema },
    createdAt: { type: 'string' },
    createdBy: actorSchema,
    servingVersion: {
      type: ['integer', 'null'],
      description: 'The version this instance evaluates right now (follows activeVersion within 5 s)',
    },
    fourEyes: {
      type: 'boolean',
      description: "Whether publishing is refused to the draft's last editor (FOUR_EYES): a second person must publish",
    },
  },
  required: [...rulesetSummarySchema.required, 'draft', 'versions'],
} as const;

export const versionDetailSchema = {
  type: 'object',
  properties: {
    ...versionSummarySchema.properties,
    rules: { type: 'array', items: ruleSchema },
    tests: { type: 'array', items: rulesetTestSchema },
  },
  required: ['version', 'rules', 'tests', 'checksum', 'publishedAt', 'publishedBy'],
} as const;

export const publishSchema = {
  type: 'object',
  properties: { activate: { type: 'boolean', default: true } },
  additionalProperties: false,
} as const;

export const activateSchema = {
  type: 'object',
  properties: { version: { type: 'integer', minimum: 1 } },
  required: ['version'],
  additionalProperties: false,
} as const;

export const testReportSchema = {
  type: 'object',
  properties: {
    passed: { type: 'integer' },
    failed: { type: 'integer' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          passed: { type: 'boolean' },
          actual: { type: 'object' },
          failures: { type: 'array', items: { type: 'string' } },
        },
        required: ['name', 'passed', 'actual'],
      },
    },
  },
  required: ['passed', 'failed', 'results'],
} as const;
