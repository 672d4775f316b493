import type { FromSchema } from 'json-schema-to-ts';
import { notReservedKey } from '../../json/object-keys.js';
import { OUTCOMES, reasonCatalogueSchema, RULESET_KINDS, ruleSchema } from '../../engine/rule-schema.js';
import { draftSchema, rulesetTestSchema } from './draft-schema.js';
import { actorSchema } from '../audit/audit-schema.js';

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
    reasons: reasonCatalogueSchema,
    acknowledgeProtected: {
      type: 'string',
      minLength: 1,
      maxLength: 1000,
      description: 'Why the shipped ruleset may read protected facts (recorded when it is published on first start)',
    },
  },
  required: ['id', 'kind', 'description', 'rules', 'tests'],
  additionalProperties: false,
} as const;

const actorOrNullSchema = { ...actorSchema, type: ['object', 'null'] } as const;
const instant = { type: 'string', format: 'date-time' } as const;

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
  additionalProperties: false,
} as const;

export const draftViewSchema = {
  type: 'object',
  properties: {
    rules: { type: 'array', items: ruleSchema },
    tests: { type: 'array', items: rulesetTestSchema },
    reasons: reasonCatalogueSchema,
    checksum: { type: 'string' },
    updatedAt: instant,
    updatedBy: actorOrNullSchema,
    warnings: {
      type: 'array',
      description:
        'Where a risk or product draft reads a protected fact (PROTECTED_FACTS), as JSON pointers like errors; publishing it needs acknowledgeProtected',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        required: ['path', 'message'],
        additionalProperties: false,
      },
    },
  },
  required: ['rules', 'tests', 'reasons', 'checksum', 'updatedAt', 'updatedBy', 'warnings'],
  additionalProperties: false,
} as const;

const versionSummarySchema = {
  type: 'object',
  properties: { version: { type: 'integer' }, publishedAt: instant, publishedBy: actorOrNullSchema, checksum: { type: 'string' } },
  required: ['version', 'publishedAt', 'publishedBy', 'checksum'],
  additionalProperties: false,
} as const;

export const rulesetDetailSchema = {
  type: 'object',
  properties: {
    ...rulesetSummarySchema.properties,
    draft: draftViewSchema,
    versions: { type: 'array', items: versionSummarySchema },
    createdAt: instant,
    createdBy: actorOrNullSchema,
    servingVersion: {
      type: ['integer', 'null'],
      description: 'The version this instance evaluates right now (follows activeVersion within 5 s); on GET',
    },
    fourEyes: {
      type: 'boolean',
      description: "Whether publishing is refused to the draft's last editor (FOUR_EYES): a second person must publish; on GET",
    },
  },
  required: [...rulesetSummarySchema.required, 'draft', 'versions', 'createdAt', 'createdBy'],
  additionalProperties: false,
} as const;

export const versionDetailSchema = {
  type: 'object',
  properties: {
    ...versionSummarySchema.properties,
    rules: { type: 'array', items: ruleSchema },
    tests: { type: 'array', items: rulesetTestSchema },
    reasons: reasonCatalogueSchema,
  },
  required: ['version', 'rules', 'tests', 'reasons', 'checksum', 'publishedAt', 'publishedBy'],
  additionalProperties: false,
} as const;

export const publishSchema = {
  type: 'object',
  properties: {
    activate: { type: 'boolean', default: true },
    acknowledgeProtected: {
      type: 'string',
      minLength: 1,
      maxLength: 1000,
      pattern: '\\S',
      description: 'Why this risk or product draft may read protected facts (required when it does; recorded in the audit event)',
    },
  },
  additionalProperties: false,
} as const;

export const activateSchema = {
  type: 'object',
  properties: { version: { type: 'integer', minimum: 1 } },
  required: ['version'],
  additionalProperties: false,
} as const;

const names = { type: 'array', items: { type: 'string' } } as const;

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
          actual: {
            type: 'object',
            description: 'What the ruleset yielded for the test',
            properties: {
              tags: names,
              products: names,
              alerts: names,
              outcome: { type: 'string', enum: OUTCOMES },
              score: { type: 'number' },
              firedRules: names,
              reasons: { ...names, description: 'The principal reason codes, most important first, before the REASONS_MAX cap' },
            },
            required: ['tags', 'products', 'alerts', 'outcome', 'score', 'firedRules'],
            additionalProperties: false,
          },
          failures: { ...names, description: 'For a failed test, what differed from expect' },
        },
        required: ['name', 'passed', 'actual', 'failures'],
        additionalProperties: false,
      },
    },
  },
  required: ['passed', 'failed', 'results'],
  additionalProperties: false,
} as const;

/** What a publish answers. */
export const publishedSchema = {
  type: 'object',
  properties: {
    version: { type: 'integer' },
    checksum: { type: 'string' },
    activeVersion: { type: ['integer', 'null'], description: 'The active version after the publish' },
  },
  required: ['version', 'checksum', 'activeVersion'],
  additionalProperties: false,
} as const;

/** What an activation answers. */
export const activatedSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, activeVersion: { type: 'integer' } },
  required: ['id', 'activeVersion'],
  additionalProperties: false,
} as const;

export type RulesetSummary = FromSchema<typeof rulesetSummarySchema>;
export type TestReport = FromSchema<typeof testReportSchema>;
