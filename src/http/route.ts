import express, { type Request, type Response, type Router } from 'express';
import { AppError } from './app-error.js';
import { forbidden, unauthenticated, validationFailed } from '../errors/domain-error.js';
import { assertValid, toDetails } from '../schema/validation.js';
import { parametersAjv } from '../schema/ajv.js';
import { hasAnyRole, type Caller, type Role } from '../auth/roles.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ResponseSpec {
  description: string;
  schema?: object;
  contentType?: string;
}

/** Everything the service knows about one endpoint: used to serve it and to document it. */
export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express-style path, e.g. `/v1/profiles/:profileId`. */
  path: string;
  summary: string;
  tag: string;
  /** Roles of which the caller needs one; `public` needs no key; `any` needs a valid key. */
  roles: readonly Role[] | 'any' | 'public';
  params?: Record<string, object>;
  query?: { type: 'object'; properties: Record<string, object>; required?: readonly string[]; additionalProperties: false };
  body?: object;
  /** The body may be omitted (e.g. publish with default options). */
  bodyOptional?: boolean;
  headers?: Record<string, { schema: object; description: string }>;
  responses: Record<number, ResponseSpec>;
}

/** What a handler receives, already authenticated and validated. */
// biome-ignore lint/suspicious/noExplicitAny: handlers state their input types; the spec's schemas validate them at run time.
export interface RouteContext<B = any, Q = any, P = any> {
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: P;
  /** Present on every route that is not public. */
  caller: Caller;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers state their input types; the spec's schemas validate them at run time.
export type Handler<B = any, Q = any, P = any> = (ctx: RouteContext<B, Q, P>) => Promise<void> | void;

/** Registered specs, read by the OpenAPI document. */
export const routeRegistry: RouteSpec[] = [];

const jsonParser = express.json({ limit: MAX_BODY_BYTES, type: () => true, strict: false });

/**
 * Registers an endpoint: role check first (401/403), then the content type (415), the body (400/413),
 * path and query parameters (400), and finally the handler with typed, validated input.
 */
// biome-ignore lint/suspicious/noExplicitAny: handlers state their input types; the spec's schemas validate them at run time.
export function route<B = any, Q = any, P = any>(router: Router, spec: RouteSpec, handler: Handler<B, Q, P>): void {
  if (!routeRegistry.some((known) => known.method === spec.method && known.path === spec.path)) routeRegistry.push(spec);
  const paramsSchema = spec.params
    ? { type: 'object', properties: spec.params, required: Object.keys(spec.params), additionalProperties: true }
    : undefined;
  const validateParams = paramsSchema ? parametersAjv.compile(paramsSchema) : undefined;
  const validateQuery = parametersAjv.compile(spec.query ?? { type: 'object', properties: {}, additionalProperties: false });

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

  const readBody = (req: Request, res: Response, next: express.NextFunction): void => {
    if (!spec.body) return next();
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return next();
    if (!req.is(['application/json', 'application/*+json'])) {
      return next(new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json.'));
    }
    jsonParser(req, res, next);
  };

  const run = async (req: Request, res: Response): Promise<void> => {
    let body: unknown = req.body;
    if (spec.body) {
      if (body === undefined) {
        if (!spec.bodyOptional) throw validationFailed('A JSON request body is required.', [{ path: '', message: 'is required' }]);
      } else {
        body = assertValid(spec.body, body, 'The request body');
      }
    }
    const params = { ...req.params };
    if (validateParams && !validateParams(params)) {
      throw validationFailed('A path parameter is invalid.', toDetails(validateParams.errors, '/params'));
    }
    const query = { ...(req.query as object) };
    if (!validateQuery(query)) throw validationFailed('A query parameter is invalid.', toDetails(validateQuery.errors, '/query'));
    await handler({ req, res, body: body as B, query: query as Q, params: params as P, caller: res.locals.caller });
  };

  router[spec.method](spec.path, checkAccess, readBody, run);
}
