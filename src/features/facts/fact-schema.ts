/** The answer of `GET /v1/facts`; the console derives its type from it. */
export const factListSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, type: { type: 'string' }, description: { type: 'string' } },
        required: ['name', 'type', 'description'],
        additionalProperties: false,
      },
    },
    operators: {
      type: 'array',
      description:
        'Every operator conditions may use, with the kind of value it takes (number, list, range, pattern, instant, days, scalar or any)',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, description: { type: 'string' }, valueKind: { type: 'string' } },
        required: ['name', 'description', 'valueKind'],
        additionalProperties: false,
      },
    },
  },
  required: ['items', 'operators'],
  additionalProperties: false,
} as const;
