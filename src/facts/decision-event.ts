import type { FromSchema } from 'json-schema-to-ts';
import { extensionKeySchema } from '../json/object-keys.js';

/** The event a decision is about; extra scalar fields are allowed and readable as `event` paths. */
export const decisionEventSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 64 },
    at: { type: 'string', format: 'date-time' },
    amount: { type: 'number', minimum: 0 },
    location: {
      type: 'object',
      properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 } },
      required: ['lat', 'lon'],
      additionalProperties: false,
    },
    deviceId: { type: 'string', maxLength: 128 },
    channel: { type: 'string', maxLength: 64 },
  },
  required: ['type'],
  propertyNames: extensionKeySchema,
  additionalProperties: { type: ['string', 'number', 'boolean'], maxLength: 1000 },
  maxProperties: 50,
} as const;

/** The event as a request carries it. */
export type DecisionEventInput = FromSchema<typeof decisionEventSchema>;

/** The event a decision is about (the request's `event`), with `at` always resolved to an ISO time. */
export type DecisionEvent = DecisionEventInput & { at: string };
