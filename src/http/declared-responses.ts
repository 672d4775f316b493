import { errorEnvelopeSchema } from './list-schema.js';
import type { ResponseSpec, RouteSpec } from './route.js';

/** The error statuses every route may answer, in the contract's envelope; a public route only 503 (and 500). */
export const ERROR_STATUSES: Readonly<Record<number, string>> = {
  400: 'VALIDATION_FAILED: the request is invalid (details point at each problem)',
  401: 'UNAUTHENTICATED: missing or unknown API key',
  403: 'FORBIDDEN: the key lacks the role',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE: body over 1 MB',
  415: 'UNSUPPORTED_MEDIA_TYPE: body is not application/json',
  500: 'INTERNAL: an unexpected failure (logged with the request id)',
  503: 'UNAVAILABLE: the database is unavailable or the latency budget ran out',
};

const PUBLIC_ERROR_STATUSES = new Set([500, 503]);

export const JSON_CONTENT_TYPE = 'application/json';

/**
 * Every status a route may answer and what it answers with it: the statuses its spec declares, then
 * the shared error statuses in the envelope. The OpenAPI document and the response check both read
 * this, so what is documented is what is checked.
 */
export function declaredResponses(spec: RouteSpec): Map<number, ResponseSpec> {
  const declared = new Map<number, ResponseSpec>(Object.entries(spec.responses).map(([status, response]) => [Number(status), response]));
  for (const [status, description] of Object.entries(ERROR_STATUSES).map(([status, text]) => [Number(status), text] as const)) {
    if (spec.roles === 'public' && !PUBLIC_ERROR_STATUSES.has(status)) continue;
    if (!declared.has(status)) declared.set(status, { description, schema: errorEnvelopeSchema });
  }
  return declared;
}

/** The content types a declared answer may come in: its own (JSON unless it says), then its alternatives. */
export function contentTypesOf(response: ResponseSpec): string[] {
  const own = response.schema !== undefined || response.contentType !== undefined ? [response.contentType ?? JSON_CONTENT_TYPE] : [];
  return [...own, ...Object.keys(response.alternatives ?? {})];
}
