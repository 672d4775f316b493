import type { FromSchema } from 'json-schema-to-ts';
import { profileIdSchema } from '../profiles/profile-schema.js';
import { notReservedKey } from '../../json/object-keys.js';
import { SEVERITIES, OUTCOMES } from '../../engine/rule-schema.js';
import { RULESET_ID_PATTERN, rulesetIdSchema } from '../rulesets/ruleset-schema.js';
import { decisionEventSchema } from '../../facts/decision-event.js';

export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9_.:-]{1,200}$';

export const decisionRequestSchema = {
  type: 'object',
  properties: {
    profileId: profileIdSchema,
    event: decisionEventSchema,
    rulesets: { type: 'array', items: rulesetIdSchema, minItems: 1, maxItems: 50, uniqueItems: true },
    versions: {
      type: 'object',
      propertyNames: { pattern: RULESET_ID_PATTERN, ...notReservedKey },
      additionalProperties: { type: 'integer', minimum: 1 },
      maxProperties: 50,
    },
  },
  required: ['profileId', 'event'],
  additionalProperties: false,
} as const;

const sourceProperties = { ruleset: { type: 'string' }, version: { type: 'integer' }, rule: { type: 'string' } } as const;

const conditionSchema = {
  type: 'object',
  properties: {
    fact: { type: 'string' },
    path: { type: 'string' },
    operator: { type: 'string' },
    value: {},
    factValue: {},
    result: { type: 'boolean' },
    at: { type: 'string', description: 'JSON pointer of the condition inside the rule' },
  },
  required: ['fact', 'operator', 'value', 'result'],
} as const;

export const decisionResponseSchema = {
  type: 'object',
  properties: {
    decisionId: { type: 'string' },
    profileId: { type: ['string', 'null'] },
    outcome: { type: 'string', enum: OUTCOMES },
    score: { type: 'number' },
    tags: { type: 'array', items: { type: 'string' } },
    products: {
      type: 'array',
      items: {
        type: 'object',
        properties: { product: { type: 'string' }, rank: { type: 'integer' }, message: { type: 'string' }, ...sourceProperties },
        required: ['product', 'rank'],
      },
    },
    alerts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          severity: { type: 'string', enum: SEVERITIES },
          message: { type: 'string' },
          ...sourceProperties,
        },
        required: ['code', 'severity', 'ruleset', 'version', 'rule'],
      },
    },
    explanations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          ...sourceProperties,
          priority: { type: 'integer' },
          fired: { type: 'boolean' },
          event: {
            type: 'object',
            properties: { type: { type: 'string' }, params: { type: 'object' } },
            description: 'What the rule yields when it fires',
          },
          conditions: { type: 'array', items: conditionSchema },
        },
        required: ['ruleset', 'version', 'rule', 'fired', 'conditions'],
      },
    },
    rulesetVersions: { type: 'object', additionalProperties: { type: 'integer' } },
    evaluatedAt: { type: 'string', format: 'date-time' },
    latencyMs: { type: 'number' },
  },
  required: [
    'decisionId',
    'profileId',
    'outcome',
    'score',
    'tags',
    'products',
    'alerts',
    'explanations',
    'rulesetVersions',
    'evaluatedAt',
    'latencyMs',
  ],
} as const;

export const loggedDecisionSchema = {
  type: 'object',
  properties: {
    ...decisionResponseSchema.properties,
    facts: { type: ['object', 'null'], description: 'The fact values the rules read (null once erased)' },
    request: { type: ['object', 'null'] },
    caller: { type: 'object', properties: { keyId: { type: 'string' }, name: { type: 'string' } } },
    requestId: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time', description: 'When the entry was logged' },
    timings: { type: 'object', properties: { totalMs: { type: 'number' }, factsMs: { type: 'number' }, evaluateMs: { type: 'number' } } },
    rulesets: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'integer' }, checksum: { type: 'string' } } },
    },
    engine: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' } } },
    hash: { type: 'string' },
    masked: {
      type: ['object', 'null'],
      properties: {
        at: { type: 'string', format: 'date-time' },
        by: { type: 'string' },
        fields: { type: 'array', items: { type: 'string' } },
      },
      description: 'Set when an erasure removed the personal data: when, by whom, which fields',
    },
  },
  required: [...decisionResponseSchema.required, 'facts', 'request', 'caller', 'requestId'],
} as const;

const jsonPointer = { type: 'string', description: 'JSON pointer into the decision' } as const;

export const replayReportSchema = {
  type: 'object',
  properties: {
    decisionId: { type: 'string' },
    identical: { type: 'boolean' },
    differences: {
      type: 'array',
      items: { type: 'object', properties: { path: jsonPointer, logged: {}, replayed: {} }, required: ['path', 'logged', 'replayed'] },
    },
    rulesetVersions: { type: 'object', additionalProperties: { type: 'integer' } },
  },
  required: ['decisionId', 'identical', 'differences'],
} as const;

export type DecisionRequest = FromSchema<typeof decisionRequestSchema>;
