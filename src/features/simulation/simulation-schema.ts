import type { FromSchema } from 'json-schema-to-ts';
import { decisionEventSchema } from '../../facts/decision-event.js';

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
