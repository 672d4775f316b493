import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { decisionEventSchema } from '../../facts/decision-event.js';
import { OUTCOMES } from '../../engine/rule-schema.js';
import { actorSchema } from '../audit/audit-schema.js';

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
const labelCounts = {
  type: 'object',
  properties: { fraud: count, legitimate: count, unsure: count },
  required: ['fraud', 'legitimate', 'unsure'],
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
/** A background run's id, in paths and answers. */
export const simulationIdSchema = { type: 'string', pattern: '^sim_[0-9a-f-]{36}$' } as const;

const fairnessSide = {
  type: 'object',
  properties: {
    approve: count,
    review: count,
    decline: count,
    approvalRate: { type: ['number', 'null'], minimum: 0, maximum: 1, description: 'null when the group is too small to disclose' },
  },
  required: ['approve', 'review', 'decline', 'approvalRate'],
  additionalProperties: false,
} as const;
/** One value under the baseline and one under the candidate. */
const bySide = <const T extends JSONSchema>(schema: T) =>
  ({
    type: 'object',
    properties: { baseline: schema, candidate: schema },
    required: ['baseline', 'candidate'],
    additionalProperties: false,
  }) as const;
const fairnessSchema = {
  type: 'object',
  description:
    'Outcome rates by group of each protected attribute the inputs carry (PROTECTED_FACTS; age in bands), and the adverse ' +
    'impact ratio: the lowest group approval rate ÷ the highest, over groups of at least minimumGroupSize inputs, flagged below threshold',
  properties: {
    threshold: { type: 'number' },
    minimumGroupSize: { type: 'integer' },
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          attribute: { type: 'string', description: 'The protected fact, e.g. basic.gender or age' },
          notStated: { ...count, description: 'Inputs that do not carry it' },
          groups: {
            type: 'array',
            items: {
              type: 'object',
              properties: { group: { type: 'string' }, inputs: count, baseline: fairnessSide, candidate: fairnessSide },
              required: ['group', 'inputs', 'baseline', 'candidate'],
              additionalProperties: false,
            },
          },
          adverseImpactRatio: bySide({ type: ['number', 'null'], minimum: 0, maximum: 1 }),
          flagged: bySide({ type: 'boolean' }),
        },
        required: ['attribute', 'notStated', 'groups', 'adverseImpactRatio', 'flagged'],
        additionalProperties: false,
      },
    },
  },
  required: ['threshold', 'minimumGroupSize', 'attributes'],
  additionalProperties: false,
} as const;

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
  labels: {
    type: 'object',
    description:
      "Against logged decisions: per alert rule, how many reviewed decisions (by their latest review's label) it hits under baseline and candidate",
    properties: {
      reviewed: { ...count, description: 'Inputs with a review' },
      rules: {
        type: 'array',
        items: {
          type: 'object',
          properties: { rule: { type: 'string' }, code: { type: 'string' }, baseline: labelCounts, candidate: labelCounts },
          required: ['rule', 'code', 'baseline', 'candidate'],
          additionalProperties: false,
        },
      },
    },
    required: ['reviewed', 'rules'],
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
  fairness: fairnessSchema,
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

export const SIMULATION_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

const dateTime = { type: 'string', format: 'date-time' } as const;
const maybeDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const errorProperty = { type: ['string', 'null'], description: 'Why it failed (null unless it failed)' } as const;

/** What a background run shows of itself, whatever its state. */
const stateProperties = {
  simulationId: simulationIdSchema,
  status: { type: 'string', enum: SIMULATION_STATUSES },
  progress,
  requestedBy: { ...actorSchema, description: 'The API key that started it (absent on runs stored before runs had requesters)' },
  createdAt: { ...dateTime, description: 'When it was queued' },
  startedAt: maybeDateTime,
  endedAt: maybeDateTime,
  restarts: { type: 'integer', minimum: 0, description: 'How many times another instance took it over after its instance died' },
  ahead: { type: 'integer', minimum: 0, description: 'While queued: how many unfinished runs were queued before it' },
  cancelledBy: { ...actorSchema, type: ['object', 'null'], description: 'Once cancelled: who cancelled it' },
} as const;
const stateRequired = ['simulationId', 'status', 'progress', 'createdAt', 'startedAt', 'endedAt', 'restarts'] as const;
const { ruleset, candidate, baseline, against } = reportProperties;
const headerRequired = ['ruleset', 'candidate', 'baseline', 'against'] as const;

/** A background run without its report: what a list shows of every run, and GET of one not succeeded. */
export const simulationSummarySchema = {
  type: 'object',
  properties: { ...stateProperties, ruleset, candidate, baseline, against, error: errorProperty },
  required: [...stateRequired, ...headerRequired, 'error'],
  additionalProperties: false,
} as const;

/** 202: a larger run, queued; follow it by its id. */
export const simulationQueuedSchema = {
  ...simulationSummarySchema,
  properties: { ...simulationSummarySchema.properties, status: { type: 'string', const: 'queued' } },
  required: [...simulationSummarySchema.required, 'ahead'],
} as const;

/** A background run that succeeded, with its comparison as the caller may see it. */
const succeededSchema = {
  type: 'object',
  properties: { ...stateProperties, status: { type: 'string', const: 'succeeded' }, ...reportProperties },
  required: [...stateRequired, ...reportRequired],
  additionalProperties: false,
} as const;

/** GET of one background run: its state, with the comparison (the fields of simulate's 200) once it succeeded. */
export const simulationStateSchema = {
  oneOf: [simulationSummarySchema, succeededSchema],
  description: 'Queued, running, failed or cancelled (with error, or who cancelled it), or succeeded with the comparison',
} as const;
