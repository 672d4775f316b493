import type { FromSchema } from 'json-schema-to-ts';
import { actorSchema } from '../audit/audit-schema.js';

const count = { type: 'integer', minimum: 0 } as const;

export const shadowRequestSchema = {
  type: 'object',
  properties: { version: { type: 'integer', minimum: 1, description: 'A published version of the ruleset, not the active one' } },
  required: ['version'],
  additionalProperties: false,
} as const;

export const shadowExampleSchema = {
  type: 'object',
  properties: {
    decisionId: { type: 'string' },
    at: { type: 'string', format: 'date-time', description: 'When the decision was evaluated' },
    changed: { type: 'array', items: { type: 'string', enum: ['outcome', 'tags', 'products', 'alerts'] } },
  },
  required: ['decisionId', 'at', 'changed'],
  additionalProperties: false,
} as const;

/** GET /v1/rulesets/{id}/shadow (and the answer of PUT): counts since the shadow was set, over every instance. */
export const shadowReportSchema = {
  type: 'object',
  properties: {
    rulesetId: { type: 'string' },
    version: { type: 'integer', description: 'The shadow version' },
    since: { type: 'string', format: 'date-time' },
    setBy: actorSchema,
    activeVersion: { type: ['integer', 'null'], description: 'The version decisions are answered with now' },
    decisions: { ...count, description: 'Live decisions evaluated under both versions' },
    changed: {
      type: 'object',
      description: 'Decisions whose outcome, set of tags, products or alert codes would differ under the shadow',
      properties: { outcome: count, tags: count, products: count, alerts: count },
      required: ['outcome', 'tags', 'products', 'alerts'],
      additionalProperties: false,
    },
    rules: {
      type: 'array',
      description: 'Every rule of either version, with how many of those decisions it fired in under each',
      items: {
        type: 'object',
        properties: { rule: { type: 'string' }, hitsActive: count, hitsShadow: count },
        required: ['rule', 'hitsActive', 'hitsShadow'],
        additionalProperties: false,
      },
    },
    errors: { ...count, description: 'Shadow evaluations that failed (the decisions were answered as always)' },
    unevaluated: {
      ...count,
      description: 'Decisions the shadow skipped: it reads a history the active version does not, or the instance was too busy',
    },
    instances: { ...count, description: 'Service instances (each start counts) whose counts are summed' },
    examples: {
      type: 'array',
      items: shadowExampleSchema,
      description: 'The most recent differing decisions (audit:read only)',
    },
  },
  required: [
    'rulesetId',
    'version',
    'since',
    'setBy',
    'activeVersion',
    'decisions',
    'changed',
    'rules',
    'errors',
    'unevaluated',
    'instances',
  ],
  additionalProperties: false,
} as const;

export type ShadowReportView = FromSchema<typeof shadowReportSchema>;
