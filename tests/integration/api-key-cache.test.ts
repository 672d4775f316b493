import { expect } from 'chai';
import sinon from 'sinon';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';
import { ApiKeyStore } from '../../src/features/api-keys/api-key-store.js';
import { hashKey } from '../../src/features/api-keys/api-key-service.js';
import { KEY_CACHE_BOUNDS } from '../../src/features/api-keys/api-key-cache.js';
import { DatabaseUnavailableError } from '../../src/db/database-errors.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('API key caches', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp('keycache');
  });
  after(() => app.stop());
  afterEach(() => sinon.restore());

  it('when the same unknown key is sent again and again, then the database is read for it once', async () => {
    const lookups = sinon.spy(ApiKeyStore.prototype, 'findByHash');
    const unknown = 'ldk_flood-of-one-bad-key';
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await app.http().get('/v1/facts').set(bearer(unknown))).status);
    const burst = await Promise.all(Array.from({ length: 10 }, () => app.http().get('/v1/facts').set(bearer(unknown))));
    statuses.push(...burst.map((res) => res.status));

    expect(statuses).to.deep.equal(Array(20).fill(401));
    expect(lookups.getCalls().filter((call) => call.args[0] === hashKey(unknown))).to.have.length(1);
  });

  it('when a key is issued on this instance, then it works at once without a lookup', async () => {
    const lookups = sinon.spy(ApiKeyStore.prototype, 'findByHash');
    const key = await issueKey(app, ['decide']);
    expect((await app.http().get('/v1/facts').set(bearer(key))).status).to.equal(200);
    expect(lookups.getCalls().filter((call) => call.args[0] === hashKey(key))).to.have.length(0);
  });

  describe('while the key lookup fails because the database is unavailable', () => {
    let validated: string;

    before(async function () {
      this.timeout(KEY_CACHE_BOUNDS.freshMs + 10_000);
      validated = await issueKey(app, ['decide']);
      expect((await app.http().get('/v1/facts').set(bearer(validated))).status).to.equal(200);
      // Past the fresh bound, every request for this key looks it up again.
      await sleep(KEY_CACHE_BOUNDS.freshMs + 100);
    });

    it('when a key was validated within the stale bound, then it still works', async () => {
      const lookups = sinon.stub(ApiKeyStore.prototype, 'findByHash').rejects(new DatabaseUnavailableError('the database is down'));
      const res = await app.http().get('/v1/facts').set(bearer(validated));
      expect(res.status).to.equal(200);
      expect(lookups.callCount, 'the key was looked up, and the lookup failed').to.be.greaterThan(0);
    });

    it('when a key was never validated here, then 503 UNAVAILABLE at once, not 401', async () => {
      sinon.stub(ApiKeyStore.prototype, 'findByHash').rejects(new DatabaseUnavailableError('the database is down'));
      const started = Date.now();
      const res = await app.http().get('/v1/facts').set(bearer('ldk_never-seen-before'));
      expect(res.status).to.equal(503);
      expect(res.body.error.code).to.equal('UNAVAILABLE');
      expect(Date.now() - started).to.be.below(1000);
    });

    it('when the lookup hangs, then an unknown key gets 503 within the decision budget and a validated key still works', async () => {
      sinon.stub(ApiKeyStore.prototype, 'findByHash').returns(new Promise(() => undefined));
      const started = Date.now();
      const unknown = await app.http().get('/v1/facts').set(bearer('ldk_also-never-seen'));
      const elapsed = Date.now() - started;
      expect(unknown.status).to.equal(503);
      expect(elapsed)
        .to.be.at.least(app.config.decisionTimeoutMs - 20)
        .and.below(app.config.decisionTimeoutMs + 800);
      expect((await app.http().get('/v1/facts').set(bearer(validated))).status).to.equal(200);
    });

    it('when a public route is called with a key meanwhile, then it still answers', async () => {
      sinon.stub(ApiKeyStore.prototype, 'findByHash').rejects(new DatabaseUnavailableError('the database is down'));
      expect((await app.http().get('/healthz').set(bearer('ldk_probe-with-a-header'))).status).to.equal(200);
    });
  });
});
