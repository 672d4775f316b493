/** The contract's list envelope around an item schema. */
export function listOf(itemSchema: object): object {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: itemSchema }, nextCursor: { type: ['string', 'null'] } },
    required: ['items', 'nextCursor'],
  };
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
          items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } }, required: ['path', 'message'] },
        },
      },
      required: ['code', 'message', 'details'],
    },
  },
  required: ['error'],
} as const;
