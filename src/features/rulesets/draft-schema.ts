import type { FromSchema } from 'json-schema-to-ts';
import { OUTCOMES, REASON_CODE_PATTERN, reasonCatalogueSchema, rulesSchema, type Rule } from '../../engine/rule-schema.js';
import { decisionEventSchema } from '../../facts/decision-event.js';
import { profileDocumentSchema } from '../profiles/profile-schema.js';

/** The most tests a draft may carry: each runs on every save-and-test and before every publish. */
export const MAX_RULESET_TESTS = 100;

const nameSet = { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 100, uniqueItems: true } as const;

/** A test a rule author writes beside the rules: a profile and an event, and what the ruleset must yield for them. */
export const rulesetTestSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    profile: profileDocumentSchema,
    event: decisionEventSchema,
    history: {
      type: 'object',
      properties: { applicationsLast24h: { type: 'integer', minimum: 0 } },
      additionalProperties: false,
      description: 'What the decision log would tell (draft tests have no log)',
    },
    lists: {
      type: 'object',
      propertyNames: { pattern: '^[a-z0-9-]{1,64}$' },
      additionalProperties: { type: 'array', items: { type: 'string', maxLength: 128 }, maxItems: 1000 },
      maxProperties: 20,
      description: 'The items of each list the test evaluates with (lists it does not name are empty): tests never depend on live lists',
    },
    expect: {
      type: 'object',
      properties: {
        tags: nameSet,
        products: nameSet,
        alerts: nameSet,
        outcome: { type: 'string', enum: OUTCOMES },
        reasons: {
          type: 'array',
          items: { type: 'string', pattern: REASON_CODE_PATTERN },
          maxItems: 50,
          description: 'The principal reason codes, most important first, before the REASONS_MAX cap ([] for approve)',
        },
      },
      additionalProperties: false,
    },
  },
  required: ['name', 'profile', 'event', 'expect'],
  additionalProperties: false,
} as const;

/** A ruleset's draft: its rules, their tests and its catalogue of principal reasons. */
export const draftSchema = {
  type: 'object',
  properties: {
    rules: rulesSchema,
    tests: { type: 'array', items: rulesetTestSchema, maxItems: MAX_RULESET_TESTS },
    reasons: reasonCatalogueSchema,
  },
  required: ['rules'],
  additionalProperties: false,
} as const;

export type RulesetTest = FromSchema<typeof rulesetTestSchema>;
export interface Draft {
  rules: Rule[];
  tests: RulesetTest[];
  reasons: Record<string, string>;
}
