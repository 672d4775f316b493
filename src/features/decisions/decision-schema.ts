import type { FromSchema } from 'json-schema-to-ts';
import { profileIdSchema } from '../profiles/profile-schema.js';
import { notReservedKey } from '../../json/object-keys.js';
import { EVENT_TYPES, SEVERITIES, OUTCOMES } from '../../engine/rule-schema.js';
import { RULESET_ID_PATTERN, rulesetIdSchema } from '../rulesets/ruleset-schema.js';
import { decisionEventSchema } from '../../facts/decision-event.js';
import { actorSchema } from '../audit/audit-schema.js';

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

/** A rule's rendered `params.message`: what a reader must know to display it safely. */
const messageSchema = {
  type: 'string',
  maxLength: 500,
  description:
    "the rule's message with its placeholders filled: plain text (not HTML or Markdown: markup in it is literal text " +
    'to be escaped by whoever displays it), one line, at most 500 characters (a longer one ends with "…"), without ' +
    'control characters or bidi controls',
} as const;

const sourceProperties = { ruleset: { type: 'string' }, version: { type: 'integer' }, rule: { type: 'string' } } as const;
const sourceRequired = ['ruleset', 'version', 'rule'] as const;
const versionsByRuleset = { type: 'object', additionalProperties: { type: 'integer' } } as const;

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
  required: ['fact', 'operator', 'value', 'result', 'at'],
  additionalProperties: false,
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
        properties: { product: { type: 'string' }, rank: { type: 'integer' }, message: messageSchema, ...sourceProperties },
        required: ['product', 'rank', ...sourceRequired],
        additionalProperties: false,
      },
    },
    alerts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          severity: { type: 'string', enum: SEVERITIES },
          message: messageSchema,
          ...sourceProperties,
        },
        required: ['code', 'severity', ...sourceRequired],
        additionalProperties: false,
      },
    },
    reasons: {
      type: 'array',
      description:
        'The principal reasons of a decline or review, most important first (alerts by severity, then score rules by points; ' +
        'ties by ruleset id, then rule name), at most REASONS_MAX; [] for approve (and on decisions logged before reasons)',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          text: { type: 'string', description: 'For the applicant: plain text' },
          ...sourceProperties,
        },
        required: ['code', 'text', ...sourceRequired],
        additionalProperties: false,
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
            properties: { type: { type: 'string', enum: EVENT_TYPES }, params: { type: 'object' } },
            required: ['type', 'params'],
            additionalProperties: false,
            description: 'What the rule yields when it fires',
          },
          conditions: { type: 'array', items: conditionSchema },
          snoozed: { type: 'boolean', description: 'true when a snooze held for this rule and profile: explained, yields nothing' },
        },
        required: [...sourceRequired, 'priority', 'fired', 'event', 'conditions'],
        additionalProperties: false,
      },
    },
    snoozes: {
      type: 'array',
      description: 'The snoozes that held for rules this decision evaluated (absent when none did)',
      items: {
        type: 'object',
        properties: { snoozeId: { type: 'string' }, ruleset: { type: 'string' }, rule: { type: 'string' }, until: { type: 'string' } },
        required: ['snoozeId', 'ruleset', 'rule', 'until'],
        additionalProperties: false,
      },
    },
    rulesetVersions: versionsByRuleset,
    evaluatedAt: { type: 'string', format: 'date-time' },
    latencyMs: { type: 'number' },
    explanationsUnavailable: {
      type: 'string',
      description:
        'Only on a logged decision whose explanations cannot be rebuilt (a ruleset version it names is gone or no longer matches its checksum): why',
    },
  },
  required: [
    'decisionId',
    'profileId',
    'outcome',
    'score',
    'tags',
    'products',
    'alerts',
    'reasons',
    'explanations',
    'rulesetVersions',
    'evaluatedAt',
    'latencyMs',
  ],
  additionalProperties: false,
} as const;

export const loggedDecisionSchema = {
  type: 'object',
  properties: {
    ...decisionResponseSchema.properties,
    facts: { type: ['object', 'null'], description: 'The fact values the rules read (null once erased)' },
    request: { type: ['object', 'null'], description: 'The request, its event time resolved (null once erased)' },
    caller: actorSchema,
    requestId: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time', description: 'When the entry was logged' },
    timings: {
      type: 'object',
      properties: { totalMs: { type: 'number' }, factsMs: { type: 'number' }, evaluateMs: { type: 'number' } },
      required: ['totalMs', 'factsMs', 'evaluateMs'],
      additionalProperties: false,
    },
    rulesets: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'string' }, version: { type: 'integer' }, checksum: { type: 'string' } },
        required: ['id', 'version', 'checksum'],
        additionalProperties: false,
      },
    },
    engine: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        version: { type: 'string' },
        semantics: {
          type: 'string',
          description:
            'The rule semantics the decision was evaluated with, e.g. lender-rules/1 (absent on entries logged before it had a name)',
        },
      },
      required: ['name', 'version'],
      additionalProperties: false,
    },
    lists: {
      type: 'object',
      additionalProperties: { type: 'integer' },
      description: 'The revision of each list the rulesets name, as the decision saw it (absent when no rule reads a list)',
    },
    hash: { type: 'string' },
    masked: {
      type: ['object', 'null'],
      properties: {
        at: { type: 'string', format: 'date-time' },
        by: { type: 'string' },
        fields: { type: 'array', items: { type: 'string' } },
        erasure: { type: 'string', description: "The erasure's audit event (absent on masks made before erasures were linked)" },
      },
      required: ['at', 'by', 'fields'],
      additionalProperties: false,
      description: 'Set when an erasure removed the personal data: when, by whom, which fields',
    },
  },
  required: [
    ...decisionResponseSchema.required,
    'facts',
    'request',
    'caller',
    'requestId',
    'createdAt',
    'timings',
    'rulesets',
    'engine',
    'hash',
    'masked',
  ],
  additionalProperties: false,
} as const;

const jsonPointer = { type: 'string', description: 'JSON pointer into the decision' } as const;

export const replayReportSchema = {
  type: 'object',
  properties: {
    decisionId: { type: 'string' },
    identical: { type: 'boolean' },
    differences: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: jsonPointer, logged: {}, replayed: {} },
        required: ['path', 'logged', 'replayed'],
        additionalProperties: false,
      },
    },
    rulesetVersions: versionsByRuleset,
    semantics: { type: 'string', description: 'The rule semantics the logged decision names, which the replay evaluated with' },
  },
  required: ['decisionId', 'identical', 'differences', 'rulesetVersions', 'semantics'],
  additionalProperties: false,
} as const;

export type DecisionRequest = FromSchema<typeof decisionRequestSchema>;
export type ReplayReport = FromSchema<typeof replayReportSchema>;
