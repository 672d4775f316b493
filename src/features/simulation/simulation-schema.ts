import type { FromSchema } from 'json-schema-to-ts';
import { decisionEventSchema } from '../../facts/decision-event.js';
import { OUTCOMES } from '../../engine/rule-schema.js';

/** POST /v1/rulesets/{id}/simulate: what to compare (candidate, baseline) and on which inputs. */
export const simulateSchema = {
  type: 'object',
  properties: {
    candidate: {
      oneOf: [
        { type: 'string', const: 'draft' },
        { type: 'integer', minimum: 1 },
      ],
    },
    baseline: {
      oneOf: [
        { type: 'string', const: 'active' },
        { type: 'integer', minimum: 1 },
      ],
    },
    against: {
      oneOf: [
        {
          type: 'object',
          properties: {
            profiles: {
              type: 'object',
              properties: {
                limit: { type: 'integer', minimum: 1, maximum: 10_000_000 },
                event: { ...decisionEventSchema, required: [] },
              },
              required: ['limit'],
              additionalProperties: false,
            },
          },
          required: ['profiles'],
          additionalProperties: false,
        },
        {
          type: 'object',
          properties: {
            decisions: {
              type: 'object',
              properties: { from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } },
              required: ['from', 'to'],
              additionalProperties: false,
            },
          },
          required: ['decisions'],
          additionalProperties: false,
        },
      ],
    },
  },
  required: ['candidate', 'baseline', 'against'],
  additionalProperties: false,
} as const;

export type SimulateRequest = FromSchema<typeof simulateSchema>;

/** A count the caller may not see is null: below 5, without audit:read (see simulation-disclosure.ts). */
const count = { type: ['integer', 'null'], minimum: 0 } as const;
const outcomeCounts = {
  type: 'object',
  properties: { approve: count, review: count, decline: count },
  required: ['approve', 'review', 'decline'],
  additionalProperties: false,
} as const;
const deltas = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  description: 'Inputs yielding each name under candidate minus under baseline (names with no change left out)',
} as const;
const names = { type: 'array', items: { type: 'string' } } as const;
const yielded = {
  type: 'object',
  properties: { tags: names, products: names, alerts: names, outcome: { type: 'string', enum: OUTCOMES }, score: { type: 'number' } },
  required: ['tags', 'products', 'alerts', 'outcome', 'score'],
  additionalProperties: false,
} as const;
const checksum = { type: 'string' } as const;
const progress = {
  type: 'object',
  properties: { done: { type: 'integer', minimum: 0 }, total: { type: 'integer', minimum: 0 } },
  required: ['done', 'total'],
  additionalProperties: false,
} as const;
const simulationId = { type: 'string', pattern: '^sim_[0-9a-f-]{36}$' } as const;

/** The comparison, as the caller may see it. */
const reportProperties = {
  ruleset: { type: 'string' },
  candidate: {
    type: 'object',
    properties: { version: { oneOf: [{ type: 'string', const: 'draft' }, { type: 'integer' }] }, checksum },
    required: ['version', 'checksum'],
    additionalProperties: false,
  },
  baseline: {
    type: 'object',
    properties: { version: { type: 'integer' }, checksum },
    required: ['version', 'checksum'],
    additionalProperties: false,
  },
  against: { type: 'string', enum: ['profiles', 'decisions'] },
  inputs: { type: 'integer', minimum: 0 },
  changed: {
    type: 'object',
    description: 'How many inputs changed: in anything, in outcome, tags, products, alerts',
    properties: { any: count, outcome: count, tags: count, products: count, alerts: count },
    required: ['any', 'outcome', 'tags', 'products', 'alerts'],
    additionalProperties: false,
  },
  outcomes: {
    type: 'object',
    description: 'The outcome spread: how many inputs end in each outcome under baseline and candidate',
    properties: { baseline: outcomeCounts, candidate: outcomeCounts },
    required: ['baseline', 'candidate'],
    additionalProperties: false,
  },
  rules: {
    type: 'array',
    description: 'Per rule of either side: in how many inputs it fired under baseline and candidate',
    items: {
      type: 'object',
      properties: { rule: { type: 'string' }, baseline: count, candidate: count },
      required: ['rule', 'baseline', 'candidate'],
      additionalProperties: false,
    },
  },
  deltas: {
    type: 'object',
    properties: { tags: deltas, alerts: deltas, products: deltas },
    required: ['tags', 'alerts', 'products'],
    additionalProperties: false,
  },
  examples: {
    type: 'array',
    description: 'Up to 20 inputs that changed (only with audit:read)',
    items: {
      type: 'object',
      properties: {
        input: {
          type: 'object',
          properties: { profileId: { type: ['string', 'null'] }, decisionId: { type: 'string' } },
          additionalProperties: false,
        },
        before: yielded,
        after: yielded,
      },
      required: ['input', 'before', 'after'],
      additionalProperties: false,
    },
  },
  notes: { type: 'array', items: { type: 'string' } },
  disclosure: {
    type: 'object',
    description: '`full` with audit:read; `aggregate` without: no examples, counts below minimumCount null',
    properties: { level: { type: 'string', enum: ['full', 'aggregate'] }, minimumCount: { type: 'integer' } },
    required: ['level'],
    additionalProperties: false,
  },
} as const;
const reportRequired = [
  'ruleset',
  'candidate',
  'baseline',
  'against',
  'inputs',
  'changed',
  'outcomes',
  'rules',
  'deltas',
  'notes',
  'disclosure',
] as const;

/** 200: the comparison, answered at once (up to SIMULATION_INLINE_LIMIT inputs). */
export const simulationReportSchema = {
  type: 'object',
  properties: reportProperties,
  required: reportRequired,
  additionalProperties: false,
} as const;

/** 202: a larger run started in the background; fetch it by id. */
export const simulationStartedSchema = {
  type: 'object',
  properties: { simulationId, status: { type: 'string', const: 'running' }, progress },
  required: ['simulationId', 'status', 'progress'],
  additionalProperties: false,
} as const;

const errorProperty = { type: ['string', 'null'], description: 'Why it failed (running and failed runs)' } as const;

/** A background run: running or failed (with its error), or succeeded with the comparison. */
export const simulationStateSchema = {
  type: 'object',
  properties: {
    simulationId,
    status: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
    progress,
    error: errorProperty,
    ...reportProperties,
  },
  required: ['simulationId', 'status', 'progress'],
  additionalProperties: false,
  description: "The comparison's fields come with status succeeded; error with running and failed",
  // Each branch names the properties it requires (ajv's strict mode checks that a required property is defined).
  oneOf: [
    { type: 'object', properties: { status: { enum: ['running', 'failed'] }, error: errorProperty }, required: ['status', 'error'] },
    { type: 'object', properties: { status: { const: 'succeeded' }, ...reportProperties }, required: ['status', ...reportRequired] },
  ],
} as const;
