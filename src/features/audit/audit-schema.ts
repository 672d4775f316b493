/** One audit event as the API shows it (declared once: validation of answers, OpenAPI, the console's types). */
export const auditEventSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    actor: { type: 'object', properties: { keyId: { type: 'string' }, name: { type: 'string' } } },
    at: { type: 'string', format: 'date-time' },
    subject: { type: 'object', properties: { kind: { type: 'string' }, id: { type: 'string' } } },
    data: { type: 'object' },
  },
  required: ['id', 'type', 'actor', 'at', 'subject', 'data'],
} as const;
