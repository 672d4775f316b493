import type { JSONSchema } from 'json-schema-to-ts';

/** The contract's list envelope around an item schema. */
export function listOf<const S extends JSONSchema>(itemSchema: S) {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: itemSchema }, nextCursor: { type: ['string', 'null'] } },
    required: ['items', 'nextCursor'],
    additionalProperties: false,
  } as const;
}

export const errorEnvelopeSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, message: { type: 'string' } },
            required: ['path', 'message'],
            additionalProperties: false,
          },
        },
      },
      required: ['code', 'message', 'details'],
      additionalProperties: false,
    },
  },
  required: ['error'],
  additionalProperties: false,
} as const;
