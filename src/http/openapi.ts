import { Router } from 'express';
import { route, routeRegistry, type RouteSpec } from './route.js';
import { errorEnvelopeSchema } from './list-schema.js';

const ERROR_STATUSES: Record<number, string> = {
  400: 'VALIDATION_FAILED: the request is invalid (details point at each problem)',
  401: 'UNAUTHENTICATED: missing or unknown API key',
  403: 'FORBIDDEN: the key lacks the role',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE: body over 1 MB',
  415: 'UNSUPPORTED_MEDIA_TYPE: body is not application/json',
  503: 'UNAVAILABLE: the database is unavailable or the latency budget ran out',
};

/** Strips our validator-only keywords so the document is plain OpenAPI 3.1 JSON Schema. */
function clean(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(clean);
  if (schema && typeof schema === 'object') {
    return Object.fromEntries(
      Object.entries(schema)
        .filter(([key]) => !key.startsWith('x-'))
        .map(([key, value]) => [key, key === 'format' && value === 'iana-timezone' ? undefined : clean(value)])
        .filter(([, value]) => value !== undefined),
    );
  }
  return schema;
}

function operation(spec: RouteSpec): object {
  const parameters = [
    ...Object.entries(spec.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: clean(schema) })),
    ...Object.entries(spec.query?.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: spec.query?.required?.includes(name) ?? false,
      schema: clean(schema),
    })),
    ...Object.entries(spec.headers ?? {}).map(([name, header]) => ({
      name,
      in: 'header',
      required: false,
      description: header.description,
      schema: clean(header.schema),
    })),
  ];
  const responses: Record<string, object> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema && { content: { [response.contentType ?? 'application/json']: { schema: clean(response.schema) } } }),
    };
  }
  const errors = Object.keys(ERROR_STATUSES)
    .map(Number)
    .filter((status) => spec.roles !== 'public' || status === 503);
  for (const status of errors) {
    responses[status] ??= {
      description: ERROR_STATUSES[status],
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.roles === 'public' ? { security: [] } : {}),
    ...(Array.isArray(spec.roles) && { description: `Roles: ${spec.roles.join(', ')} (or admin).` }),
    ...(parameters.length > 0 && { parameters }),
    ...(spec.body && {
      requestBody: { required: !spec.bodyOptional, content: { 'application/json': { schema: clean(spec.body) } } },
    }),
    responses,
  };
}

/** The OpenAPI 3.1 document of every registered route, generated from the same schemas that validate. */
export function openApiDocument(): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const spec of routeRegistry) {
    const path = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][spec.method] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lender decisioning service',
      version: '1.0.0',
      description: 'Profiles, versioned rulesets, explained decisions and a tamper-evident decision log.',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <api-key>' } },
      schemas: { Error: errorEnvelopeSchema },
    },
    security: [{ apiKey: [] }],
    paths,
  };
}

export function openApiRoutes(): Router {
  const router = Router();
  route(
    router,
    {
      method: 'get',
      path: '/openapi.json',
      summary: 'This document',
      tag: 'Meta',
      roles: 'public',
      responses: { 200: { description: 'OpenAPI 3.1' } },
    },
    ({ res }) => {
      res.json(openApiDocument());
    },
  );
  return router;
}
