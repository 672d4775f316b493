import { expect } from 'chai';
import { connectDatabase } from '../../src/db/database.js';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';

describe('API keys and roles', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp('apikeys');
  });
  after(() => app.stop());

  describe('POST /v1/api-keys', () => {
    it('when an admin issues a key, then 201 with id, name, roles and the clear key once', async () => {
      const res = await app
        .http()
        .post('/v1/api-keys')
        .set(bearer(app.adminKey))
        .send({ name: 'loan-origination', roles: ['decide'] });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ name: 'loan-origination' });
      expect(res.body.roles).to.deep.equal(['decide']);
      expect(res.body.id).to.be.a('string');
      expect(res.body.key).to.be.a('string').with.length.greaterThan(40);

      const list = await app.http().get('/v1/api-keys').set(bearer(app.adminKey));
      const listed = list.body.items.find((item: { id: string }) => item.id === res.body.id);
      expect(listed).to.include({ name: 'loan-origination' });
      expect(listed).not.to.have.property('key');
      expect(JSON.stringify(list.body)).not.to.contain(res.body.key);
    });

    it('when the role is unknown, then 400 with a pointer to it', async () => {
      const res = await app
        .http()
        .post('/v1/api-keys')
        .set(bearer(app.adminKey))
        .send({ name: 'x', roles: ['decide', 'god'] });
      expect(res.status).to.equal(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('/roles/1');
    });

    it('when a non-admin asks, then 403 FORBIDDEN', async () => {
      const decider = await issueKey(app, ['decide']);
      const res = await app
        .http()
        .post('/v1/api-keys')
        .set(bearer(decider))
        .send({ name: 'x', roles: ['admin'] });
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('FORBIDDEN');
    });
  });

  describe('authentication', () => {
    it('when the key is unknown, then 401 UNAUTHENTICATED', async () => {
      const res = await app.http().get('/v1/profiles').set(bearer('ldk_not-a-real-key'));
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('UNAUTHENTICATED');
    });

    it('when the scheme is not Bearer, then 401', async () => {
      const res = await app.http().get('/v1/profiles').set('Authorization', `Basic ${app.adminKey}`);
      expect(res.status).to.equal(401);
    });

    it('stores keys only as hashes', async () => {
      const key = await issueKey(app, ['audit:read'], 'compliance');
      const database = await connectDatabase(process.env.MONGODB_URI!, app.config.mongodbDb);
      try {
        const docs = await database.connection.db!.collection('api_keys').find({}).toArray();
        const stored = JSON.stringify(docs);
        expect(stored).not.to.contain(key);
        expect(stored).not.to.contain(app.adminKey);
        expect(docs.every((doc) => /^[0-9a-f]{64}$/.test(String(doc.hash)))).to.equal(true);
      } finally {
        await database.close();
      }
    });

    it('when the bootstrap key is configured again on restart, then no second key is created', async () => {
      const before = (await app.http().get('/v1/api-keys').set(bearer(app.adminKey))).body.items.filter(
        (item: { name: string }) => item.name === 'bootstrap-admin',
      );
      const again = await startTestApp('apikeys', { MONGODB_DB: app.config.mongodbDb, BOOTSTRAP_ADMIN_KEY: app.adminKey });
      await again.stop();
      const after = (await app.http().get('/v1/api-keys').set(bearer(app.adminKey))).body.items.filter(
        (item: { name: string }) => item.name === 'bootstrap-admin',
      );
      expect(before).to.have.length(1);
      expect(after).to.have.length(1);
    });
  });

  describe('DELETE /v1/api-keys/{keyId}', () => {
    it('when an admin revokes a key, then that key gets 401 at once', async () => {
      const created = await app
        .http()
        .post('/v1/api-keys')
        .set(bearer(app.adminKey))
        .send({ name: 'feed', roles: ['profiles:write'] });
      const key = created.body.key as string;
      expect((await app.http().get('/v1/profiles').set(bearer(key))).status).to.equal(200);

      const revoked = await app.http().delete(`/v1/api-keys/${created.body.id}`).set(bearer(app.adminKey));
      expect(revoked.status).to.equal(200);
      expect(revoked.body.revokedAt).to.be.a('string');
      expect((await app.http().get('/v1/profiles').set(bearer(key))).status).to.equal(401);
    });

    it('when the key id is unknown, then 404', async () => {
      const res = await app.http().delete('/v1/api-keys/no-such-key').set(bearer(app.adminKey));
      expect(res.status).to.equal(404);
    });
  });

  describe('role checks on profiles', () => {
    before(async () => {
      await app.http().put('/v1/profiles/role-read').set(bearer(app.adminKey)).send({ type: 'individual' }).expect(201);
    });

    const cases: { roles: string[]; read: number; list: number; write: number }[] = [
      { roles: ['decide'], read: 200, list: 403, write: 403 },
      { roles: ['audit:read'], read: 200, list: 200, write: 403 },
      { roles: ['profiles:read'], read: 200, list: 200, write: 403 },
      { roles: ['profiles:write'], read: 200, list: 200, write: 201 },
      { roles: ['rules:edit'], read: 403, list: 403, write: 403 },
      { roles: ['admin'], read: 200, list: 200, write: 201 },
    ];
    cases.forEach(({ roles, read, list, write }, index) => {
      it(`when the key has ${roles.join(',')}, then reading one profile answers ${read}, listing ${list} and writing ${write}`, async () => {
        const key = await issueKey(app, roles);
        const put = await app.http().put(`/v1/profiles/role-${index}`).set(bearer(key)).send({ type: 'individual' });
        expect(put.status).to.equal(write);
        expect((await app.http().get('/v1/profiles/role-read').set(bearer(key))).status).to.equal(read);
        const listed = await app.http().get('/v1/profiles').set(bearer(key));
        expect(listed.status).to.equal(list);
        if (list === 403) expect(listed.body.error.code).to.equal('FORBIDDEN');
      });
    });
  });
});
