import { expect } from 'chai';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';

function expectEnvelope(body: { error?: { code?: string; message?: string; details?: unknown[] } }, code: string): void {
  expect(body.error?.code).to.equal(code);
  expect(body.error?.message).to.be.a('string').and.not.empty;
  expect(body.error?.details).to.be.an('array');
  expect(JSON.stringify(body)).not.to.match(/at .*\.js:\d+/);
}

describe('HTTP conventions', () => {
  let app: TestApp;
  let writer: string;

  before(async () => {
    app = await startTestApp('conventions');
    writer = await issueKey(app, ['profiles:write']);
  });
  after(() => app.stop());

  describe('GET /healthz and /readyz', () => {
    it('when the process runs, then /healthz answers ok without a key', async () => {
      const res = await app.http().get('/healthz');
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ status: 'ok' });
    });

    it('when the database answers, then /readyz answers ready', async () => {
      const res = await app.http().get('/readyz');
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ status: 'ready' });
    });
  });

  describe('request ids', () => {
    it('when the client sends X-Request-Id, then the response carries the same id', async () => {
      const res = await app.http().get('/healthz').set('X-Request-Id', 'loan-sys-42');
      expect(res.headers['x-request-id']).to.equal('loan-sys-42');
    });

    it('when the client sends none (or a malformed one), then the service makes one', async () => {
      const res = await app.http().get('/healthz').set('X-Request-Id', 'bad id with spaces');
      expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    });
  });

  describe('errors', () => {
    it('when the route is unknown, then 404 NOT_FOUND in the envelope', async () => {
      const res = await app.http().get('/v1/nope').set(bearer(app.adminKey));
      expect(res.status).to.equal(404);
      expectEnvelope(res.body, 'NOT_FOUND');
    });

    it('when the body is malformed JSON, then 400 VALIDATION_FAILED, never a 500', async () => {
      const res = await app
        .http()
        .put('/v1/profiles/C-1')
        .set(bearer(writer))
        .set('Content-Type', 'application/json')
        .send('{"type": "individual",');
      expect(res.status).to.equal(400);
      expectEnvelope(res.body, 'VALIDATION_FAILED');
    });

    it('when the body is over 1 MB, then 413 PAYLOAD_TOO_LARGE', async () => {
      const huge = JSON.stringify({ type: 'individual', attributes: { blob: 'x'.repeat(1024 * 1024 + 10) } });
      const res = await app.http().put('/v1/profiles/C-1').set(bearer(writer)).set('Content-Type', 'application/json').send(huge);
      expect(res.status).to.equal(413);
      expectEnvelope(res.body, 'PAYLOAD_TOO_LARGE');
    });

    it('when the body is not JSON, then 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const res = await app.http().put('/v1/profiles/C-1').set(bearer(writer)).set('Content-Type', 'text/plain').send('type=individual');
      expect(res.status).to.equal(415);
      expectEnvelope(res.body, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('when the body is missing, then 400 VALIDATION_FAILED', async () => {
      const res = await app.http().put('/v1/profiles/C-1').set(bearer(writer));
      expect(res.status).to.equal(400);
      expectEnvelope(res.body, 'VALIDATION_FAILED');
    });

    it('when no key is sent, then 401 UNAUTHENTICATED before the body is read', async () => {
      const res = await app.http().put('/v1/profiles/C-1').set('Content-Type', 'application/json').send('{broken');
      expect(res.status).to.equal(401);
      expectEnvelope(res.body, 'UNAUTHENTICATED');
    });
  });

  describe('GET /openapi.json', () => {
    it('documents every route built so far with the same schemas that validate', async () => {
      const res = await app.http().get('/openapi.json');
      expect(res.status).to.equal(200);
      expect(res.body.openapi).to.equal('3.1.0');
      const paths = Object.keys(res.body.paths);
      expect(paths).to.include.members([
        '/healthz',
        '/readyz',
        '/v1/profiles/{profileId}',
        '/v1/profiles',
        '/v1/profiles/bulk',
        '/v1/api-keys',
      ]);
      const put = res.body.paths['/v1/profiles/{profileId}'].put;
      const bodySchema = put.requestBody.content['application/json'].schema;
      expect(bodySchema.additionalProperties).to.equal(false);
      expect(bodySchema.properties.basic.properties.residence.properties).to.have.keys(['city', 'lat', 'lon']);
      expect(put.responses).to.include.keys(['200', '201', '400', '401', '403']);
    });
  });
});
