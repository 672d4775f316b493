import type { Request, Response } from 'express';
import type { ErrorDetail } from '../errors/domain-error.js';
import { toDetails, validatorFor } from '../schema/validation.js';
import { contentTypesOf, declaredResponses, JSON_CONTENT_TYPE } from './declared-responses.js';
import type { ResponseSpec, RouteSpec } from './route.js';

/** An answer that does not match what its route declares: the route, the status, what is wrong. */
export interface ResponseProblem {
  route: string;
  status: number;
  message: string;
  details: ErrorDetail[];
}

/** Logs a problem; set on `res.locals.reportResponseProblem` when RESPONSE_VALIDATION is on. */
export type ResponseProblemReporter = (problem: ResponseProblem) => void;

const NDJSON = 'application/x-ndjson';

const mediaTypeOf = (res: Response): string | undefined =>
  String(res.getHeader('content-type') ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase() || undefined;

const isJson = (mediaType: string): boolean => mediaType === JSON_CONTENT_TYPE || /^application\/[^;]+\+json$/.test(mediaType);

type Chunk = string | Buffer | Uint8Array | undefined;

const textOf = (chunk: Chunk): string =>
  chunk === undefined ? '' : typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');

/**
 * Checks every answer a route sends against its declaration, the way Unleash validates responses in
 * its tests: the status must be declared, the body must come in a declared content type, and a JSON
 * body must match the schema declared for its status (error statuses: the envelope). A mismatch is
 * reported and answered as a 500 naming it, so a test that reads the answer fails with the reason.
 *
 * It watches the bytes as they leave (res.write / res.end), so it sees what the client sees: the
 * handler's answer, the error handler's envelope and a streamed NDJSON export, each line of which is
 * checked against the declared item schema. A line found wrong after the first has left cannot turn
 * the answer into a 500 (the 200 is on the wire): the connection is cut, so the client sees a broken
 * stream, never a clean one.
 */
export function checkResponses(spec: RouteSpec, req: Request, res: Response, report: ResponseProblemReporter): void {
  const declared = declaredResponses(spec);
  const routeName = `${spec.method.toUpperCase()} ${spec.path}`;
  const write = res.write.bind(res) as (chunk: Chunk, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (chunk?: Chunk, ...rest: unknown[]) => Response;
  let state: 'unchecked' | 'streaming' | 'refused' = 'unchecked';
  let partialLine = '';
  let lineNumber = 0;

  const problem = (message: string, details: ErrorDetail[] = []): ResponseProblem => ({
    route: routeName,
    status: res.statusCode,
    message,
    details,
  });

  /** The declared answer for this status and content type, or what is wrong with them. */
  const declaration = (): { response: ResponseSpec; mediaType: string | undefined } | ResponseProblem => {
    const response = declared.get(res.statusCode);
    if (!response) return problem(`${routeName} answered ${res.statusCode}, a status it does not declare.`);
    const mediaType = mediaTypeOf(res);
    const allowed = contentTypesOf(response);
    if (mediaType !== undefined && !allowed.includes(mediaType)) {
      const declaredTypes = allowed.length > 0 ? allowed.join(', ') : 'no body';
      return problem(`${routeName} answered ${res.statusCode} as ${mediaType}; it declares ${declaredTypes}.`);
    }
    return { response, mediaType };
  };

  const schemaFor = (response: ResponseSpec, mediaType: string): object | undefined =>
    (mediaType === (response.contentType ?? JSON_CONTENT_TYPE) ? response.schema : response.alternatives?.[mediaType]) as
      | object
      | undefined;

  const checkJson = (text: string, schema: object | undefined, what: string): ResponseProblem | undefined => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return problem(`${routeName} answered ${res.statusCode} with ${what} that is not JSON.`);
    }
    if (schema === undefined) return problem(`${routeName} answered ${res.statusCode} with ${what} but declares no schema for it.`);
    const validate = validatorFor(schema);
    if (validate(value)) return undefined;
    return problem(
      `${routeName} answered ${res.statusCode} with ${what} that does not match its declared schema.`,
      toDetails(validate.errors),
    );
  };

  const checkWholeBody = (chunk: Chunk): ResponseProblem | undefined => {
    const found = declaration();
    if ('message' in found) return found;
    const { response, mediaType } = found;
    const text = textOf(chunk);
    if (text === '' || req.method === 'HEAD' || mediaType === undefined) return undefined;
    if (mediaType === NDJSON) return checkLines(text, response, true);
    return isJson(mediaType) ? checkJson(text, schemaFor(response, mediaType), 'a body') : undefined;
  };

  const checkLines = (text: string, response: ResponseSpec, last: boolean): ResponseProblem | undefined => {
    const lines = (partialLine + text).split('\n');
    partialLine = last ? '' : lines.pop()!;
    for (const line of lines) {
      lineNumber += 1;
      if (line === '') continue;
      const found = checkJson(line, response.schema as object | undefined, `line ${lineNumber}`);
      if (found) return found;
    }
    return undefined;
  };

  /** Answers the problem instead of what the route meant to send (only while nothing has been sent). */
  const refuse = (found: ResponseProblem): void => {
    state = 'refused';
    report(found);
    for (const header of ['content-length', 'content-disposition', 'content-type']) res.removeHeader(header);
    res.statusCode = 500;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    end(JSON.stringify({ error: { code: 'INTERNAL', message: found.message, details: found.details } }));
  };

  res.write = ((chunk: Chunk, ...rest: unknown[]): boolean => {
    if (state === 'refused') return true;
    if (state === 'unchecked') {
      const found = declaration();
      if ('message' in found) {
        refuse(found);
        return true;
      }
      state = 'streaming';
    }
    const response = declared.get(res.statusCode)!;
    if (mediaTypeOf(res) === NDJSON) {
      const found = checkLines(textOf(chunk), response, false);
      if (found) {
        if (!res.headersSent) {
          refuse(found);
          return true;
        }
        state = 'refused';
        report(found);
        res.destroy(new Error(found.message));
        return true;
      }
    }
    return write(chunk, ...rest);
  }) as Response['write'];

  res.end = ((chunk?: Chunk | (() => void), ...rest: unknown[]): Response => {
    if (state === 'refused') return res;
    const body = typeof chunk === 'function' ? undefined : chunk;
    if (state === 'unchecked') {
      const found = checkWholeBody(body);
      if (found) {
        refuse(found);
        return res;
      }
    } else if (mediaTypeOf(res) === NDJSON) {
      const found = checkLines(textOf(body), declared.get(res.statusCode)!, true);
      if (found) {
        state = 'refused';
        report(found);
        res.destroy(new Error(found.message));
        return res;
      }
    }
    return end(chunk as Chunk, ...rest);
  }) as Response['end'];
}
