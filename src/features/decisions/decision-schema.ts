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
        properties: { product: { type: 'string' }, rank: { type: 'integer' }, message: messageSchema, ...sourceProperties },
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
          message: messageSchema,
          ...sourceProperties,
        },
        required: ['code', 'severity', 'ruleset', 'version', 'rule'],
      },
    },
    explanations: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ...sourceProperties, fired: { type: 'boolean' }, conditions: { type: 'array', items: conditionSchema } },
        required: ['ruleset', 'version', 'rule', 'fired', 'conditions'],
      },
    },
    rulesetVersions: { type: 'object', additionalProperties: { type: 'integer' } },
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
    rulesets: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'integer' }, checksum: { type: 'string' } } },
    },
    engine: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        version: { type: 'string' },
        semantics: { type: 'string', description: 'The rule semantics the decision was evaluated with, e.g. lender-rules/1' },
      },
    },
    hash: { type: 'string' },
    masked: { type: ['object', 'null'], description: 'Set when an erasure removed the personal data' },
  },
  required: [...decisionResponseSchema.required, 'facts', 'request', 'caller', 'requestId'],
} as const;

export interface DecisionRequest {
  profileId: string;
  event: { type: string; at?: string; [key: string]: unknown };
  rulesets?: string[];
  versions?: Record<string, number>;
}
