import type { FromSchema } from 'json-schema-to-ts';
import { ROLES } from '../../auth/roles.js';

export const createApiKeySchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    roles: { type: 'array', items: { type: 'string', enum: ROLES }, minItems: 1, maxItems: ROLES.length, uniqueItems: true },
    expiresAt: { type: 'string', format: 'date-time', description: 'After this instant the key is refused (401). Must be in the future.' },
  },
  required: ['name', 'roles'],
  additionalProperties: false,
} as const;

export const apiKeySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'array', items: { type: 'string', enum: ROLES } },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: ['string', 'null'] },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'name', 'roles', 'createdAt', 'createdBy', 'revokedAt', 'expiresAt'],
  additionalProperties: false,
} as const;

/** A key as the API shows it (never the key itself, nor its hash). */
export type ApiKeyView = FromSchema<typeof apiKeySchema>;

export const createdApiKeySchema = {
  ...apiKeySchema,
  properties: { ...apiKeySchema.properties, key: { type: 'string', description: 'The clear key, returned only here.' } },
  required: [...apiKeySchema.required, 'key'],
} as const;

export const keyIdParam = { keyId: { type: 'string', minLength: 1, maxLength: 64 } } as const;
