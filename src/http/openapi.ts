import { Router } from 'express';
import { route, routeRegistry, type RouteSpec } from './route.js';
import { errorEnvelopeSchema } from './list-schema.js';
import { declaredResponses } from './declared-responses.js';

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
  for (const [status, response] of declaredResponses(spec)) {
    const content = Object.entries({
      ...(response.schema !== undefined && { [response.contentType ?? 'application/json']: response.schema }),
      ...response.alternatives,
    }).map(([type, schema]) => [type, { schema: schema === errorEnvelopeSchema ? { $ref: '#/components/schemas/Error' } : clean(schema) }]);
    responses[status] = { description: response.description, ...(content.length > 0 && { content: Object.fromEntries(content) }) };
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

/** What GET /openapi.json answers: an OpenAPI 3.1 document (its parts are OpenAPI's, not restated here). */
const openApiDocumentSchema = {
  type: 'object',
  properties: {
    openapi: { type: 'string', const: '3.1.0' },
    info: {
      type: 'object',
      properties: { title: { type: 'string' }, version: { type: 'string' }, description: { type: 'string' } },
      required: ['title', 'version'],
    },
    components: { type: 'object', description: 'The security scheme and the Error envelope' },
    security: { type: 'array', items: { type: 'object' } },
    paths: { type: 'object', description: 'Every route: its parameters, body, roles and a schema per status it answers' },
  },
  required: ['openapi', 'info', 'components', 'security', 'paths'],
  additionalProperties: false,
} as const;

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
      responses: { 200: { description: 'OpenAPI 3.1', schema: openApiDocumentSchema } },
    },
    ({ res }) => {
      res.json(openApiDocument());
    },
  );
  return router;
}
