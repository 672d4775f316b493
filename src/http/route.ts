import express, { type Request, type Response, type Router } from 'express';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { AppError } from './app-error.js';
import { forbidden, unauthenticated, validationFailed } from '../errors/domain-error.js';
import { assertValid, toDetails } from '../schema/validation.js';
import { parametersAjv } from '../schema/ajv.js';
import { hasAnyRole, type Caller, type Role } from '../auth/roles.js';
import { checkResponses, type ResponseProblemReporter } from './response-check.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/** One status a route answers: what it means and what body comes with it (none without schema or contentType). */
export interface ResponseSpec {
  readonly description: string;
  /** The body's schema; for `application/x-ndjson`, the schema of each line. */
  readonly schema?: JSONSchema;
  /** Default `application/json`. */
  readonly contentType?: string;
  /** Other content types a client may ask for with Accept, each with its schema (e.g. `{ 'text/csv': { type: 'string' } }`). */
  readonly alternatives?: Readonly<Record<string, JSONSchema>>;
}

/** A query string's schema: named parameters only, each typed (ajv coerces the strings and fills in defaults). */
export interface QuerySchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, JSONSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties: false;
}

export interface HeaderSpec {
  schema: JSONSchema;
  description: string;
}

/** Everything the service knows about one endpoint: used to serve it, to type its handler and to document it. */
export interface RouteSpec {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** Express-style path, e.g. `/v1/profiles/:profileId`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  /** Roles of which the caller needs one; `public` needs no key; `any` needs a valid key. */
  readonly roles: readonly Role[] | 'any' | 'public';
  /** Every path parameter, by name. */
  readonly params?: Readonly<Record<string, JSONSchema>>;
  readonly query?: QuerySchema;
  /** Query parameters whose empty value (`?code=`) counts as absent: filters a form sends blank. */
  readonly blankQueryAbsent?: readonly string[];
  readonly body?: JSONSchema;
  /** The body may be omitted (e.g. publish with default options). */
  readonly bodyOptional?: boolean;
  /** A larger body than MAX_BODY_BYTES this route takes (a whole list of 100,000 items). */
  readonly maxBodyBytes?: number;
  /** Optional request headers, by their canonical name (`Idempotency-Key`); the handler reads them lower-cased. */
  readonly headers?: Readonly<Record<string, HeaderSpec>>;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

/**
 * The body as the handler receives it. Bodies are validated without filling in defaults (the
 * document validator never changes what it checks), so a property with a default may be absent.
 */
export type BodyOf<S extends RouteSpec> = S extends { body: infer B extends JSONSchema }
  ? FromSchema<B, { keepDefaultedPropertiesOptional: true }> | (S extends { bodyOptional: true } ? undefined : never)
  : undefined;

/** The query after ajv's coercion and defaults: `limit` is a number, and present. */
export type QueryOf<S extends RouteSpec> = S extends { query: infer Q extends QuerySchema } ? FromSchema<Q> : Record<string, never>;

export type ParamsOf<S extends RouteSpec> = S extends { params: infer P extends Readonly<Record<string, JSONSchema>> }
  ? { -readonly [K in keyof P]: FromSchema<P[K]> }
  : Record<string, never>;

export type HeadersOf<S extends RouteSpec> = S extends { headers: infer H extends Readonly<Record<string, HeaderSpec>> }
  ? { -readonly [K in keyof H as Lowercase<K & string>]?: FromSchema<H[K]['schema']> }
  : Record<string, never>;

/** What a handler receives, already authenticated and validated, typed from its spec's schemas. */
export interface RouteContext<S extends RouteSpec = RouteSpec> {
  req: Request;
  res: Response;
  body: BodyOf<S>;
  query: QueryOf<S>;
  params: ParamsOf<S>;
  /** The declared headers the request carries, by their lower-case names. */
  headers: HeadersOf<S>;
  /** Present on every route that is not public. */
  caller: Caller;
}

export type Handler<S extends RouteSpec = RouteSpec> = (ctx: RouteContext<S>) => Promise<void> | void;

/** Registered specs, read by the OpenAPI document. */
export const routeRegistry: RouteSpec[] = [];

const jsonParser = express.json({ limit: MAX_BODY_BYTES, type: () => true, strict: false });

/** An object schema of named values, all required or all optional, for the validator of params or headers. */
function namedValuesSchema(properties: Readonly<Record<string, JSONSchema>>, required: boolean): object {
  return { type: 'object', properties, required: required ? Object.keys(properties) : [], additionalProperties: false };
}

/**
 * Registers an endpoint: role check first (401/403), then the content type (415), the body (400/413),
 * path and query parameters and declared headers (400), and finally the handler with input typed from
 * the spec (write the spec inline, or with `as const` schemas, and the handler's types follow):
 *
 *     route(router, { method: 'get', path: '/v1/things/:id', params: { id: { type: 'string' } },
 *       query: { type: 'object', properties: { limit: { type: 'integer', default: 50 } }, additionalProperties: false },
 *       ... }, async ({ params, query, res }) => { ... params.id is a string, query.limit a number ... });
 */
export function route<const S extends RouteSpec>(router: Router, spec: S, handler: Handler<S>): void {
  const inPath = [...spec.path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]!);
  const declared = Object.keys(spec.params ?? {});
  if (inPath.length !== declared.length || inPath.some((name) => !declared.includes(name))) {
    throw new Error(
      `route(): ${spec.method.toUpperCase()} ${spec.path} must declare exactly its path parameters in params, got [${declared}]`,
    );
  }
  if (!routeRegistry.some((known) => known.method === spec.method && known.path === spec.path)) routeRegistry.push(spec);
  const validateParams = spec.params ? parametersAjv.compile(namedValuesSchema(spec.params, true)) : undefined;
  const validateQuery = parametersAjv.compile(spec.query ?? { type: 'object', properties: {}, additionalProperties: false });
  const headerNames = Object.keys(spec.headers ?? {}).map((name) => name.toLowerCase());
  const validateHeaders = spec.headers
    ? parametersAjv.compile(
        namedValuesSchema(
          Object.fromEntries(Object.entries(spec.headers).map(([name, { schema }]) => [name.toLowerCase(), schema])),
          false,
        ),
      )
    : undefined;

  // With RESPONSE_VALIDATION on (tests), every answer is checked against this spec before it leaves.
  const watchResponse = (req: Request, res: Response, next: express.NextFunction): void => {
    const report = res.locals.reportResponseProblem as ResponseProblemReporter | undefined;
    if (report && res.locals.responseChecked !== true) {
      res.locals.responseChecked = true;
      checkResponses(spec, req, res, report);
    }
    next();
  };

  const checkAccess = (_req: Request, res: Response, next: express.NextFunction): void => {
    if (spec.roles === 'public') return next();
    const caller = res.locals.caller as Caller | undefined;
    if (!caller)
      return next(res.locals.authenticationFailure ?? unauthenticated('A valid API key is required (Authorization: Bearer <key>).'));
    if (spec.roles !== 'any' && !hasAnyRole(caller, spec.roles)) {
      return next(forbidden(`This API key lacks a required role (one of: ${spec.roles.join(', ')}).`));
    }
    next();
  };

  const parseJson = spec.maxBodyBytes ? express.json({ limit: spec.maxBodyBytes, type: () => true, strict: false }) : jsonParser;
  const readBody = (req: Request, res: Response, next: express.NextFunction): void => {
    if (!spec.body) return next();
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return next();
    if (!req.is(['application/json', 'application/*+json'])) {
      return next(new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json.'));
    }
    parseJson(req, res, next);
  };

  const run = async (req: Request, res: Response): Promise<void> => {
    let body: unknown = req.body;
    if (spec.body) {
      if (body === undefined) {
        if (!spec.bodyOptional) throw validationFailed('A JSON request body is required.', [{ path: '', message: 'is required' }]);
      } else {
        body = assertValid(spec.body as object, body, 'The request body');
      }
    }
    const params = { ...req.params };
    if (validateParams && !validateParams(params)) {
      throw validationFailed('A path parameter is invalid.', toDetails(validateParams.errors, '/params'));
    }
    const query: Record<string, unknown> = { ...(req.query as object) };
    for (const name of spec.blankQueryAbsent ?? []) if (query[name] === '') delete query[name];
    if (!validateQuery(query)) throw validationFailed('A query parameter is invalid.', toDetails(validateQuery.errors, '/query'));
    const headers = Object.fromEntries(
      headerNames.filter((name) => req.headers[name] !== undefined).map((name) => [name, req.headers[name]]),
    );
    if (validateHeaders && !validateHeaders(headers)) {
      throw validationFailed('A request header is invalid.', toDetails(validateHeaders.errors, '/headers'));
    }
    // The validators have just checked (and coerced) each value against the schema these types come from.
    const input = { body, query, params, headers } as Pick<RouteContext<S>, 'body' | 'query' | 'params' | 'headers'>;
    await handler({ req, res, ...input, caller: res.locals.caller });
  };

  router[spec.method](spec.path, watchResponse, checkAccess, readBody, run);
}
