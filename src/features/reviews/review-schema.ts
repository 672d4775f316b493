import type { FromSchema } from 'json-schema-to-ts';
import { actorSchema } from '../audit/audit-schema.js';
import { decisionResponseSchema, loggedDecisionSchema } from '../decisions/decision-schema.js';
import { profileIdSchema, storedProfileSchema } from '../profiles/profile-schema.js';
import { pageQueryProperties } from '../../http/pagination.js';
import { timeRangeQueryProperties } from '../../http/time-range.js';
import { OUTCOMES } from '../../engine/rule-schema.js';
import { REVIEW_LABELS } from './review-store.js';

export const reviewRequestSchema = {
  type: 'object',
  properties: {
    label: { type: 'string', enum: REVIEW_LABELS },
    note: { type: 'string', maxLength: 2000 },
  },
  required: ['label', 'note'],
  additionalProperties: false,
} as const;

export const reviewSchema = {
  type: 'object',
  properties: {
    reviewId: { type: 'string' },
    decisionId: { type: 'string' },
    label: { type: 'string', enum: REVIEW_LABELS },
    note: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    reviewedBy: actorSchema,
  },
  required: ['reviewId', 'decisionId', 'label', 'note', 'createdAt', 'reviewedBy'],
  additionalProperties: false,
} as const;

export const alertItemSchema = {
  type: 'object',
  properties: {
    decisionId: { type: 'string' },
    profileId: { type: ['string', 'null'], description: 'null once the profile was erased' },
    alerts: decisionResponseSchema.properties.alerts,
    outcome: { type: 'string', enum: OUTCOMES },
    createdAt: { type: 'string', format: 'date-time' },
    review: { oneOf: [reviewSchema, { type: 'null' }], description: 'The latest review, null while the alert is open' },
  },
  required: ['decisionId', 'profileId', 'alerts', 'outcome', 'createdAt', 'review'],
  additionalProperties: false,
} as const;

export const alertQuerySchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['open', 'reviewed'] },
    code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,63}$' },
    profileId: { ...profileIdSchema, description: "One customer's alerts (what an analyst opening an alert sees of their history)" },
    ...timeRangeQueryProperties,
    ...pageQueryProperties,
  },
  additionalProperties: false,
} as const;

export type ReviewRequest = FromSchema<typeof reviewRequestSchema>;
export type ReviewView = FromSchema<typeof reviewSchema>;
export type AlertItem = FromSchema<typeof alertItemSchema>;
export type AlertQuery = FromSchema<typeof alertQuerySchema>;

/** What an analyst opens: the alerted or snoozed decision as the log shows it, the customer's recent activity, the reviews. */
export const alertDetailSchema = {
  type: 'object',
  properties: {
    decision: loggedDecisionSchema,
    recentActivity: {
      type: 'array',
      items: storedProfileSchema.properties.activity.items,
      description:
        "The profile's activity of the last 30 days before now, newest first, at most 100 (empty once the profile was erased or deleted)",
    },
    reviews: { type: 'array', items: reviewSchema, description: 'Every review of the decision, newest first' },
  },
  required: ['decision', 'recentActivity', 'reviews'],
  additionalProperties: false,
} as const;

export type AlertDetail = FromSchema<typeof alertDetailSchema>;
