/** Who did something: an API key, or the service itself (keyId `system`) for shipped data and jobs. */
export const actorSchema = {
  type: 'object',
  properties: { keyId: { type: 'string' }, name: { type: 'string' } },
  required: ['keyId', 'name'],
  additionalProperties: false,
} as const;

/** One audit event as the API shows it (declared once: validation of answers, OpenAPI, the console's types). */
export const auditEventSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    actor: { ...actorSchema, description: 'Who: an API key, or the service itself (keyId system) for shipped data and jobs' },
    at: { type: 'string', format: 'date-time' },
    subject: {
      type: 'object',
      properties: { kind: { type: 'string' }, id: { type: 'string' } },
      required: ['kind', 'id'],
      additionalProperties: false,
    },
    data: { type: 'object', description: 'What changed; its shape depends on the type' },
  },
  required: ['id', 'type', 'actor', 'at', 'subject', 'data'],
  additionalProperties: false,
} as const;
