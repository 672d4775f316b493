import { expect } from 'chai';
import { startTestApp, bearer, type TestApp } from '../helpers/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Issues a key as `admin` would; answers the clear key and its id. */
async function issue(app: TestApp, by: string, body: object): Promise<{ key: string; id: string }> {
  const res = await app.http().post('/v1/api-keys').set(bearer(by)).send(body);
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${JSON.stringify(res.body)}`);
  return { key: res.body.key, id: res.body.id };
}

async function bootstrapKeyId(app: TestApp, adminKey = app.adminKey): Promise<string> {
  const list = await app.http().get('/v1/api-keys').query({ limit: 500 }).set(bearer(adminKey));
  return list.body.items.find((item: { name: string }) => item.name === 'bootstrap-admin').id;
}

describe('API key expiry, the last admin and the bootstrap restore', () => {
  describe('expiresAt', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp('keyexpiry');
    });
    after(() => app.stop());

    it('when expiresAt is in the past or not a time, then 400 with a pointer to /expiresAt and no key', async () => {
      const before = (await app.http().get('/v1/api-keys').set(bearer(app.adminKey))).body.items.length;
      for (const expiresAt of [new Date(Date.now() - 1000).toISOString(), 'next tuesday', 42]) {
        const res = await app
          .http()
          .post('/v1/api-keys')
          .set(bearer(app.adminKey))
          .send({ name: 'x', roles: ['decide'], expiresAt });
        expect(res.status, String(expiresAt)).to.equal(400);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
        expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('/expiresAt');
      }
      const after = (await app.http().get('/v1/api-keys').set(bearer(app.adminKey))).body.items.length;
      expect(after).to.equal(before);
    });

    it('when a key reaches its expiresAt, then it answers 401 from then on, and is listed with its expiry', async () => {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const created = await app
        .http()
        .post('/v1/api-keys')
        .set(bearer(app.adminKey))
        .send({ name: 'temp', roles: ['profiles:read'], expiresAt });
      expect(created.status).to.equal(201);
      expect(created.body.expiresAt).to.equal(expiresAt);
      expect((await app.http().get('/v1/profiles').set(bearer(created.body.key))).status).to.equal(200);

      await sleep(Date.parse(expiresAt) - Date.now() + 100);
      const refused = await app.http().get('/v1/profiles').set(bearer(created.body.key));
      expect(refused.status).to.equal(401);
      expect(refused.body.error.code).to.equal('UNAUTHENTICATED');
      const listed = (await app.http().get('/v1/api-keys').set(bearer(app.adminKey))).body.items.find(
        (item: { id: string }) => item.id === created.body.id,
      );
      expect(listed).to.include({ expiresAt, revokedAt: null });
    });
  });

  describe('the last active admin key', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp('lastadmin');
    });
    after(() => app.stop());

    it('when the only active admin key is revoked, then 409 CONFLICT and it keeps working', async () => {
      const res = await app
        .http()
        .delete(`/v1/api-keys/${await bootstrapKeyId(app)}`)
        .set(bearer(app.adminKey));
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal('CONFLICT');
      expect((await app.http().get('/v1/api-keys').set(bearer(app.adminKey))).status).to.equal(200);
    });

    it('when the other admin key has expired, then it does not count and the revocation is refused', async () => {
      const shortLived = await issue(app, app.adminKey, {
        name: 'short-admin',
        roles: ['admin'],
        expiresAt: new Date(Date.now() + 1000).toISOString(),
      });
      await sleep(1100);
      const res = await app
        .http()
        .delete(`/v1/api-keys/${await bootstrapKeyId(app)}`)
        .set(bearer(app.adminKey));
      expect(res.status).to.equal(409);
      expect((await app.http().get('/v1/api-keys').set(bearer(shortLived.key))).status).to.equal(401);
    });

    it('when two admins revoke each other at the same moment, then one is refused and an admin key remains', async () => {
      const first = await issue(app, app.adminKey, { name: 'admin-a', roles: ['admin'] });
      const second = await issue(app, app.adminKey, { name: 'admin-b', roles: ['admin'] });
      expect(
        (
          await app
            .http()
            .delete(`/v1/api-keys/${await bootstrapKeyId(app)}`)
            .set(bearer(first.key))
        ).status,
      ).to.equal(200);

      const answers = await Promise.all([
        app.http().delete(`/v1/api-keys/${second.id}`).set(bearer(first.key)),
        app.http().delete(`/v1/api-keys/${first.id}`).set(bearer(second.key)),
      ]);
      expect(answers.map((res) => res.status).sort()).to.deep.equal([200, 409]);
      const working = await Promise.all(
        [first.key, second.key].map(async (key) => (await app.http().get('/v1/api-keys').set(bearer(key))).status),
      );
      expect(working.sort()).to.deep.equal([200, 401]);
    });
  });

  describe('BOOTSTRAP_ADMIN_KEY on a restart', () => {
    let app: TestApp;
    let bootstrapKey: string;
    after(() => app.stop());

    it('when the bootstrap key was revoked and no admin key is active, then a restart restores it and records it', async () => {
      app = await startTestApp('bootrestore');
      bootstrapKey = app.adminKey;
      const bootstrapId = await bootstrapKeyId(app);
      const temporary = await issue(app, bootstrapKey, {
        name: 'temporary-admin',
        roles: ['admin'],
        expiresAt: new Date(Date.now() + 1500).toISOString(),
      });
      expect((await app.http().delete(`/v1/api-keys/${bootstrapId}`).set(bearer(temporary.key))).status).to.equal(200);
      expect((await app.http().get('/v1/api-keys').set(bearer(bootstrapKey))).status).to.equal(401);
      await sleep(1600);
      expect((await app.http().get('/v1/api-keys').set(bearer(temporary.key))).status, 'no admin key is active now').to.equal(401);

      await app.stop();
      app = await startTestApp('bootrestore', { MONGODB_DB: app.config.mongodbDb, BOOTSTRAP_ADMIN_KEY: bootstrapKey });
      const list = await app.http().get('/v1/api-keys').query({ limit: 500 }).set(bearer(bootstrapKey));
      expect(list.status).to.equal(200);
      const restored = list.body.items.filter((item: { name: string }) => item.name === 'bootstrap-admin');
      expect(restored).to.have.length(1);
      expect(restored[0]).to.include({ id: bootstrapId, revokedAt: null, expiresAt: null });
      const events = await app.http().get('/v1/audit/events').query({ type: 'api-key.restored' }).set(bearer(bootstrapKey));
      expect(events.body.items.map((event: { subject: { id: string } }) => event.subject.id)).to.deep.equal([bootstrapId]);
    });

    it('when the bootstrap key was revoked and another admin key is active, then a restart leaves it revoked', async () => {
      const other = await issue(app, bootstrapKey, { name: 'lasting-admin', roles: ['admin'] });
      expect(
        (
          await app
            .http()
            .delete(`/v1/api-keys/${await bootstrapKeyId(app, bootstrapKey)}`)
            .set(bearer(other.key))
        ).status,
      ).to.equal(200);

      await app.stop();
      app = await startTestApp('bootrestore', { MONGODB_DB: app.config.mongodbDb, BOOTSTRAP_ADMIN_KEY: bootstrapKey });
      expect((await app.http().get('/v1/api-keys').set(bearer(bootstrapKey))).status).to.equal(401);
      const events = await app.http().get('/v1/audit/events').query({ type: 'api-key.restored' }).set(bearer(other.key));
      expect(events.body.items).to.have.length(1);
    });
  });
});
