import { expect } from 'chai';
import sinon from 'sinon';
import { errorHandler, toAppError } from '../../src/http/error-handler.js';
import { AppError } from '../../src/http/app-error.js';
import type { Logger } from '../../src/logging/logger.js';

function fakeResponse() {
  const res = { statusCode: 0, body: undefined as unknown, headersSent: false, locals: { requestId: 'r-1' }, headers: {} } as any;
  res.setHeader = (name: string, value: string) => {
    res.headers[name.toLowerCase()] = value;
    return res;
  };
  res.status = (code: number) => {
    res.statusCode = code;
    return res;
  };
  res.json = (body: unknown) => {
    res.body = body;
    return res;
  };
  return res;
}

describe('errorHandler()', () => {
  it('when an unexpected error is thrown, then 500 INTERNAL without the stack, logged exactly once', () => {
    const logger = { error: sinon.spy() } as unknown as Logger;
    const res = fakeResponse();
    const boom = new TypeError('cannot read x of undefined');
    errorHandler(logger)(boom, {} as any, res, sinon.spy());
    expect(res.statusCode).to.equal(500);
    expect(res.body).to.deep.equal({
      error: { code: 'INTERNAL', message: 'An internal error occurred; it has been logged.', details: [] },
    });
    expect((logger.error as sinon.SinonSpy).calledOnce).to.equal(true);
    expect((logger.error as sinon.SinonSpy).firstCall.args[1]).to.include({ requestId: 'r-1', message: boom.message });
  });

  it('when a client error is thrown, then it is answered and not logged as an error', () => {
    const logger = { error: sinon.spy() } as unknown as Logger;
    const res = fakeResponse();
    errorHandler(logger)(new AppError(404, 'NOT_FOUND', 'nope'), {} as any, res, sinon.spy());
    expect(res.statusCode).to.equal(404);
    expect((logger.error as sinon.SinonSpy).called).to.equal(false);
  });

  it('when a deliberate 503 is thrown (the database is known down), then it is logged as a warning without a stack', () => {
    const logger = { error: sinon.spy(), warn: sinon.spy() } as unknown as Logger;
    const res = fakeResponse();
    errorHandler(logger)(new AppError(503, 'UNAVAILABLE', 'The database is unavailable.'), {} as any, res, sinon.spy());
    expect(res.statusCode).to.equal(503);
    expect((logger.error as sinon.SinonSpy).called).to.equal(false);
    expect((logger.warn as sinon.SinonSpy).firstCall.args[1]).to.deep.equal({ requestId: 'r-1', reason: 'The database is unavailable.' });
  });

  it('when a 503 is answered, then it carries Retry-After: 1 (the refusal is temporary); other errors do not', () => {
    const logger = { error: sinon.spy(), warn: sinon.spy() } as unknown as Logger;
    const unavailable = fakeResponse();
    errorHandler(logger)(new AppError(503, 'UNAVAILABLE', 'No decision within the budget.'), {} as any, unavailable, sinon.spy());
    expect(unavailable.headers['retry-after']).to.equal('1');
    const notFound = fakeResponse();
    errorHandler(logger)(new AppError(404, 'NOT_FOUND', 'nope'), {} as any, notFound, sinon.spy());
    expect(notFound.headers).not.to.have.property('retry-after');
  });

  const cases: { name: string; error: unknown; status: number; code: string }[] = [
    { name: 'malformed JSON', error: { type: 'entity.parse.failed' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'body too large', error: { type: 'entity.too.large' }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { name: 'unsupported charset', error: { type: 'charset.unsupported' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'duplicate key', error: { code: 11000 }, status: 409, code: 'CONFLICT' },
    { name: 'database unreachable', error: { name: 'MongoServerSelectionError' }, status: 503, code: 'UNAVAILABLE' },
    {
      name: 'a write on a socket the database server just closed',
      error: Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' }),
      status: 503,
      code: 'UNAVAILABLE',
    },
    { name: 'anything else', error: new Error('x'), status: 500, code: 'INTERNAL' },
  ];
  for (const { name, error, status, code } of cases) {
    it(`maps ${name} to ${status} ${code}`, () => {
      const appError = toAppError(error);
      expect([appError.status, appError.code]).to.deep.equal([status, code]);
    });
  }
});
