import { expect } from 'chai';
import express, { Router } from 'express';
import sinon from 'sinon';
import supertest from 'supertest';
import { errorHandler } from '../../src/http/error-handler.js';
import { reportResponseProblems } from '../../src/http/middleware.js';
import { route, routeRegistry, type RouteSpec } from '../../src/http/route.js';
import type { Logger } from '../../src/logging/logger.js';

const thingSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, count: { type: 'integer' } },
  required: ['id', 'count'],
} as const;

const TAG = 'Response check tests';
const base = { summary: 'A thing', tag: TAG } as const;

/** An app with routes registered by `register`, answers checked (or not), and the service's error handler. */
function appWith(register: (router: Router) => void, checked = true) {
  const logger = { error: sinon.spy(), warn: sinon.spy() } as unknown as Logger;
  const app = express();
  app.use((_req, res, next) => {
    res.locals.requestId = 'r-1';
    next();
  });
  if (checked) app.use(reportResponseProblems(logger));
  const router = Router();
  register(router);
  app.use(router);
  app.use(errorHandler(logger));
  return { http: supertest(app), logged: logger.error as sinon.SinonSpy };
}

function thingRoute(router: Router, answer: (res: express.Response) => void, extra: Partial<RouteSpec> = {}) {
  route(
    router,
    {
      ...base,
      method: 'get',
      path: '/thing',
      roles: 'public',
      responses: { 200: { description: 'The thing', schema: thingSchema } },
      ...extra,
    },
    ({ res }) => {
      answer(res);
    },
  );
}

describe('response check (RESPONSE_VALIDATION)', () => {
  // route() registers every spec for the OpenAPI document this process serves in later tests.
  after(() => {
    for (let i = routeRegistry.length - 1; i >= 0; i--) if (routeRegistry[i]!.tag === TAG) routeRegistry.splice(i, 1);
  });

  it('when a JSON answer lacks a field its schema requires, then 500 INTERNAL names the route, the status and the field, and it is logged', async () => {
    const { http, logged } = appWith((router) => thingRoute(router, (res) => res.json({ id: 't-1' })));
    const res = await http.get('/thing');
    expect(res.status).to.equal(500);
    expect(res.body.error.code).to.equal('INTERNAL');
    expect(res.body.error.message).to.equal('GET /thing answered 200 with a body that does not match its declared schema.');
    expect(res.body.error.details).to.deep.equal([{ path: '/count', message: 'is required' }]);
    expect(logged.calledOnce).to.equal(true);
    expect(logged.firstCall.args[1]).to.include({ requestId: 'r-1', route: 'GET /thing', status: 200 });
  });

  it('when a field has the wrong type, then 500 pointing at it', async () => {
    const { http } = appWith((router) => thingRoute(router, (res) => res.json({ id: 't-1', count: '3' })));
    const res = await http.get('/thing');
    expect(res.status).to.equal(500);
    expect(res.body.error.details).to.deep.equal([{ path: '/count', message: 'must be integer' }]);
  });

  it('when the answer matches its schema, then it goes out unchanged and nothing is logged', async () => {
    const { http, logged } = appWith((router) => thingRoute(router, (res) => res.json({ id: 't-1', count: 3 })));
    const res = await http.get('/thing');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ id: 't-1', count: 3 });
    expect(logged.called).to.equal(false);
  });

  it('when an error is answered in the envelope with a declared status, then it goes out unchanged', async () => {
    const { http, logged } = appWith((router) => thingRoute(router, (res) => res.json({ id: 't-1', count: 3 }), { roles: 'any' }));
    const res = await http.get('/thing');
    expect(res.status).to.equal(401);
    expect(res.body.error.code).to.equal('UNAUTHENTICATED');
    expect(logged.called).to.equal(false);
  });

  it('when a route answers a status it does not declare, then 500 naming the status', async () => {
    const { http } = appWith((router) => thingRoute(router, (res) => res.status(202).json({ id: 't-1', count: 3 })));
    const res = await http.get('/thing');
    expect(res.status).to.equal(500);
    expect(res.body.error.message).to.equal('GET /thing answered 202, a status it does not declare.');
  });

  it('when a body comes without a declared schema or in an undeclared content type, then 500 naming it', async () => {
    const { http } = appWith((router) => {
      thingRoute(router, (res) => res.type('text/plain').send('three'));
      route(router, { ...base, method: 'get', path: '/bare', roles: 'public', responses: { 200: { description: 'Bare' } } }, ({ res }) => {
        res.json({ any: 'thing' });
      });
    });
    const plain = await http.get('/thing');
    expect(plain.status).to.equal(500);
    expect(plain.body.error.message).to.equal('GET /thing answered 200 as text/plain; it declares application/json.');
    const bare = await http.get('/bare');
    expect(bare.status).to.equal(500);
    expect(bare.body.error.message).to.equal('GET /bare answered 200 as application/json; it declares no body.');
  });

  it('when a route declares an alternative content type, then a body of that type goes out', async () => {
    const { http } = appWith((router) =>
      thingRoute(router, (res) => res.type('text/csv').send('id,count\nt-1,3\n'), {
        responses: { 200: { description: 'The thing', schema: thingSchema, alternatives: { 'text/csv': { type: 'string' } } } },
      }),
    );
    const res = await http.get('/thing');
    expect(res.status).to.equal(200);
    expect(res.text).to.equal('id,count\nt-1,3\n');
  });

  describe('NDJSON streams: each line is checked against the declared item schema', () => {
    const ndjson = { responses: { 200: { description: 'Things, a line each', contentType: 'application/x-ndjson', schema: thingSchema } } };
    const stream = (lines: object[]) => (res: express.Response) => {
      res.status(200).setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
      for (const line of lines) res.write(`${JSON.stringify(line)}\n`);
      res.end();
    };

    it('when every line matches, then the stream goes out whole', async () => {
      const { http } = appWith((router) =>
        thingRoute(
          router,
          stream([
            { id: 'a', count: 1 },
            { id: 'b', count: 2 },
          ]),
          ndjson,
        ),
      );
      const res = await http.get('/thing').buffer(true);
      expect(res.status).to.equal(200);
      expect(res.text).to.equal('{"id":"a","count":1}\n{"id":"b","count":2}\n');
    });

    it('when the first line does not match, then 500 naming the line', async () => {
      const { http } = appWith((router) => thingRoute(router, stream([{ id: 'a' }, { id: 'b', count: 2 }]), ndjson));
      const res = await http.get('/thing');
      expect(res.status).to.equal(500);
      expect(res.body.error.message).to.equal('GET /thing answered 200 with line 1 that does not match its declared schema.');
    });

    it('when a later line does not match, then the connection is cut: the client never sees a complete stream', async () => {
      const { http, logged } = appWith((router) => thingRoute(router, stream([{ id: 'a', count: 1 }, { id: 'b' }]), ndjson));
      const failure = await http.get('/thing').then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failure, 'the request fails').to.be.instanceOf(Error);
      expect(logged.firstCall.args[1]).to.include({
        message: 'GET /thing answered 200 with line 2 that does not match its declared schema.',
      });
    });
  });

  it('when response validation is off, then a mismatching answer goes out as it is', async () => {
    const { http } = appWith((router) => thingRoute(router, (res) => res.status(202).json({ id: 't-1' })), false);
    const res = await http.get('/thing');
    expect(res.status).to.equal(202);
    expect(res.body).to.deep.equal({ id: 't-1' });
  });
});
