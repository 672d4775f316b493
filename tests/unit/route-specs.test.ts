import { expect } from 'chai';
import { routeDocument } from '../../scripts/api-reference/route-document.js';
import { declaredResponses } from '../../src/http/declared-responses.js';
import { Router } from 'express';
import { route, routeRegistry } from '../../src/http/route.js';
import { validatorFor } from '../../src/schema/validation.js';

const name = (spec: { method: string; path: string }) => `${spec.method.toUpperCase()} ${spec.path}`;

describe('route specs', () => {
  before(() => {
    routeDocument();
  });

  it('when every request body and declared answer of every route is compiled by the strict validator, then each compiles', () => {
    const failures: string[] = [];
    for (const spec of routeRegistry) {
      const schemas: [string, unknown][] = [['the request body', spec.body]];
      for (const [status, response] of declaredResponses(spec)) {
        schemas.push([`the ${status} answer`, response.schema]);
        for (const [type, schema] of Object.entries(response.alternatives ?? {})) schemas.push([`the ${status} answer as ${type}`, schema]);
      }
      for (const [what, schema] of schemas) {
        if (schema === undefined) continue;
        try {
          validatorFor(schema as object);
        } catch (error) {
          failures.push(`${name(spec)}, ${what}: ${(error as Error).message}`);
        }
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('when a path names a parameter its spec does not declare (or the other way round), then route() refuses it at registration', () => {
    const spec = { method: 'get', path: '/v1/things/:id', summary: 'A thing', tag: 'Things', roles: 'any', responses: {} } as const;
    expect(() => route(Router(), spec, () => undefined)).to.throw('route(): GET /v1/things/:id must declare exactly its path parameters');
    expect(() => route(Router(), { ...spec, path: '/v1/things', params: { id: { type: 'string' } } }, () => undefined)).to.throw(
      'route(): GET /v1/things must declare exactly its path parameters',
    );
    expect(routeRegistry.some((known) => known.path.startsWith('/v1/things'))).to.equal(false);
  });

  it('when a route answers a success with a body, then it declares what the body is (a schema, or a content type that is not JSON)', () => {
    const undeclared = routeRegistry.flatMap((spec) =>
      Object.entries(spec.responses)
        .filter(([status, response]) => Number(status) !== 204 && response.schema === undefined && response.contentType === undefined)
        .map(([status]) => `${name(spec)} ${status}`),
    );
    expect(undeclared).to.deep.equal([]);
  });
});
