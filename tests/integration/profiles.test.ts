import { expect } from 'chai';
import { startTestApp, bearer, issueKey, openTestDatabase, type TestApp } from '../helpers/test-app.js';
import { fixture } from '../helpers/fixtures.js';

describe('Profiles API', () => {
  let app: TestApp;
  let writer: Record<string, string>;
  let reader: Record<string, string>;
  let marketing: Record<string, string>;
  const individual = fixture('profiles/individual-guangzhou.json');
  const sme = fixture('profiles/sme-shenzhen.json');

  before(async () => {
    app = await startTestApp('profiles');
    writer = bearer(await issueKey(app, ['profiles:write']));
    reader = bearer(await issueKey(app, ['decide']));
    marketing = bearer(await issueKey(app, ['profiles:read']));
  });
  after(() => app.stop());

  describe('PUT /v1/profiles/{profileId}', () => {
    it('when the profile is new, then 201 with the stored profile; when it exists, then 200 and createdAt kept', async () => {
      const created = await app.http().put('/v1/profiles/C-1001').set(writer).send(individual);
      expect(created.status).to.equal(201);
      expect(created.body).to.include({ profileId: 'C-1001', type: 'individual' });
      expect(created.body.basic).to.deep.equal(individual.basic);
      expect(created.body.tags).to.deep.equal([]);
      expect(created.body.createdAt).to.equal(created.body.updatedAt);

      const replaced = await app
        .http()
        .put('/v1/profiles/C-1001')
        .set(writer)
        .send({ type: 'individual', financials: { monthlyIncome: 1 } });
      expect(replaced.status).to.equal(200);
      expect(replaced.body.createdAt).to.equal(created.body.createdAt);
      expect(replaced.body.financials).to.deep.equal({ monthlyIncome: 1 });
      expect(replaced.body, 'a replacement drops sections it leaves out').not.to.have.property('basic');
    });

    it('when a top-level key is unknown, then 400 with its JSON pointer', async () => {
      const res = await app.http().put('/v1/profiles/C-2').set(writer).send({ type: 'sme', nickname: 'Bob' });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      expect(res.body.error.details).to.deep.include({ path: '/nickname', message: 'is not an allowed property' });
    });

    it('when nested values are wrong, then every problem is listed with its pointer', async () => {
      const res = await app
        .http()
        .put('/v1/profiles/C-3')
        .set(writer)
        .send({
          type: 'company',
          basic: { residence: { city: 'Guangzhou', lat: 123, lon: 113.26, zip: '510000' } },
          activity: [{ at: 'yesterday', kind: 'login' }],
          attributes: { nested: { not: 'flat' }, 'dotted.key': 1 },
          timezone: 'Mars/Olympus',
        });
      expect(res.status).to.equal(400);
      const paths = res.body.error.details.map((detail: { path: string }) => detail.path);
      expect(paths).to.include.members([
        '/type',
        '/basic/residence/lat',
        '/basic/residence/zip',
        '/activity/0/at',
        '/attributes/nested',
        '/attributes/dotted.key',
        '/timezone',
      ]);
    });

    it('when type is missing, then 400 pointing at /type', async () => {
      const res = await app.http().put('/v1/profiles/C-4').set(writer).send({ basic: {} });
      expect(res.status).to.equal(400);
      expect(res.body.error.details).to.deep.include({ path: '/type', message: 'is required' });
    });

    it('when the profileId is malformed, then 400 and nothing is stored', async () => {
      const res = await app
        .http()
        .put(`/v1/profiles/${'x'.repeat(65)}`)
        .set(writer)
        .send({ type: 'sme' });
      expect(res.status).to.equal(400);
      expect(res.body.error.details[0].path).to.equal('/params/profileId');
      const bad = await app.http().put('/v1/profiles/has%20space').set(writer).send({ type: 'sme' });
      expect(bad.status).to.equal(400);
    });

    it('when the body names another profileId, then 400', async () => {
      const res = await app.http().put('/v1/profiles/C-5').set(writer).send({ type: 'sme', profileId: 'C-6' });
      expect(res.status).to.equal(400);
      expect((await app.http().get('/v1/profiles/C-5').set(reader)).status).to.equal(404);
    });
  });

  describe('storage', () => {
    it('keeps the client sections as one JSON text beside the type', async () => {
      const database = await openTestDatabase(app);
      try {
        const profiles = database.connection.db!.collection('profiles');
        await app.http().put('/v1/profiles/STORE-1').set(writer).send(sme).expect(201);
        const stored = await profiles.findOne({ _id: 'STORE-1' } as never);
        expect(stored!.type).to.equal('sme');
        expect(JSON.parse(stored!.body).company).to.deep.equal(sme.company);
        expect(stored).to.not.have.property('company');
      } finally {
        await database.close();
      }
    });
  });

  describe('GET and DELETE /v1/profiles/{profileId}', () => {
    it('when the profile is unknown, then 404 NOT_FOUND', async () => {
      const res = await app.http().get('/v1/profiles/nobody').set(reader);
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal('NOT_FOUND');
    });

    it('when a profile is erased, then 204 and it is gone; erasing again is still 204', async () => {
      await app.http().put('/v1/profiles/ERASE-1').set(writer).send(sme).expect(201);
      expect((await app.http().delete('/v1/profiles/ERASE-1').set(writer)).status).to.equal(204);
      expect((await app.http().get('/v1/profiles/ERASE-1').set(reader)).status).to.equal(404);
      expect((await app.http().delete('/v1/profiles/ERASE-1').set(writer)).status).to.equal(204);
    });
  });

  describe('POST /v1/profiles/bulk', () => {
    it('when some items are bad, then the good ones are written and each bad one is reported', async () => {
      const res = await app
        .http()
        .post('/v1/profiles/bulk')
        .set(writer)
        .send({
          profiles: [
            { profileId: 'B-1', ...individual },
            { profileId: 'B-2', type: 'alien' },
            { ...sme },
            { profileId: 'B-3', ...sme },
            { profileId: 'B-1', type: 'sme' },
          ],
        });
      expect(res.status).to.equal(200);
      expect(res.body.upserted).to.equal(2);
      expect(res.body.errors.map((error: { index: number }) => error.index)).to.deep.equal([1, 2, 4]);
      expect(res.body.errors[0]).to.deep.include({ index: 1, profileId: 'B-2' });
      expect(res.body.errors[0].error.details[0].path).to.equal('/profiles/1/type');
      expect(res.body.errors[1].profileId).to.equal(null);
      expect((await app.http().get('/v1/profiles/B-3').set(reader)).body.company).to.deep.equal(sme.company);
      expect((await app.http().get('/v1/profiles/B-2').set(reader)).status).to.equal(404);
    });

    it('when there are more than 1000 profiles, then 400 and nothing is written', async () => {
      const profiles = Array.from({ length: 1001 }, (_, i) => ({ profileId: `OVER-${i}`, type: 'individual' }));
      const res = await app.http().post('/v1/profiles/bulk').set(writer).send({ profiles });
      expect(res.status).to.equal(400);
      expect(res.body.error.details[0].path).to.equal('/profiles');
      expect((await app.http().get('/v1/profiles/OVER-0').set(reader)).status).to.equal(404);
    });
  });

  describe('GET /v1/profiles', () => {
    before(async () => {
      const profiles = Array.from({ length: 7 }, (_, i) => ({ profileId: `L-${i}`, type: i % 2 === 0 ? 'sme' : 'individual' }));
      await app.http().post('/v1/profiles/bulk').set(writer).send({ profiles }).expect(200);
    });

    it('when paging by type, then every match appears once across pages, in order', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: { items: { profileId: string }[]; nextCursor: string | null } } = await app
          .http()
          .get('/v1/profiles')
          .query({ type: 'sme', limit: 2, ...(cursor ? { cursor } : {}) })
          .set(marketing);
        expect(res.status).to.equal(200);
        expect(res.body.items.length).to.be.at.most(2);
        seen.push(...res.body.items.map((item: { profileId: string }) => item.profileId));
        cursor = res.body.nextCursor;
      } while (cursor);
      const smeIds = seen.filter((id) => id.startsWith('L-'));
      expect(smeIds).to.deep.equal(['L-0', 'L-2', 'L-4', 'L-6']);
      expect(new Set(seen).size).to.equal(seen.length);
    });

    it('when filtering by a tag nobody has, then an empty page', async () => {
      const res = await app.http().get('/v1/profiles?tag=high-value').set(marketing);
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ items: [], nextCursor: null });
    });

    it('when a query parameter carries an operator object, then 400, never a query operator', async () => {
      const res = await app.http().get('/v1/profiles?tag[$ne]=x').set(marketing);
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      const repeated = await app.http().get('/v1/profiles?tag=a&tag=b').set(marketing);
      expect(repeated.status).to.equal(400);
      expect(repeated.body.error.details[0].path).to.equal('/query/tag');
    });

    it('when limit or cursor are out of range or forged, then 400', async () => {
      expect((await app.http().get('/v1/profiles?limit=501').set(marketing)).status).to.equal(400);
      expect((await app.http().get('/v1/profiles?limit=0').set(marketing)).status).to.equal(400);
      expect((await app.http().get('/v1/profiles?cursor=bm9wZQ').set(marketing)).status).to.equal(400);
    });
  });
});
