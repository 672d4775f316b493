import type { FromSchema } from 'json-schema-to-ts';
import { rulesetIdSchema } from '../rulesets/ruleset-schema.js';
import { actorSchema } from '../audit/audit-schema.js';

/** At most this far ahead: a snooze is a checked customer's respite, not a permanent exemption. */
export const MAX_SNOOZE_DAYS = 90;

export const snoozeIdSchema = { type: 'string', pattern: '^snz_[a-z0-9]{1,60}$' } as const;

export const snoozeRequestSchema = {
  type: 'object',
  properties: {
    ruleset: rulesetIdSchema,
    rule: { type: 'string', minLength: 1, maxLength: 200 },
    until: { type: 'string', format: 'date-time', description: `In the future, at most ${MAX_SNOOZE_DAYS} days ahead` },
    reason: { type: 'string', minLength: 1, maxLength: 1000 },
  },
  required: ['ruleset', 'rule', 'until', 'reason'],
  additionalProperties: false,
} as const;

export const snoozeSchema = {
  type: 'object',
  properties: {
    snoozeId: snoozeIdSchema,
    profileId: { type: 'string' },
    ruleset: { type: 'string' },
    rule: { type: 'string' },
    until: { type: 'string', format: 'date-time' },
    reason: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: actorSchema,
    removedAt: { type: ['string', 'null'], format: 'date-time' },
    active: { type: 'boolean', description: 'Holds now: not removed and until is ahead' },
  },
  required: ['snoozeId', 'profileId', 'ruleset', 'rule', 'until', 'reason', 'createdAt', 'createdBy', 'removedAt', 'active'],
  additionalProperties: false,
} as const;

export type SnoozeRequest = FromSchema<typeof snoozeRequestSchema>;
export type SnoozeView = FromSchema<typeof snoozeSchema>;
