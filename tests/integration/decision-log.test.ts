import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { startTestApp, bearer, issueKey, openTestDatabase, type TestApp } from '../helpers/test-app.js';
import { editLogEntry } from '../helpers/log-entry-editing.js';
import type { Database } from '../../src/db/database.js';
import { testSealer } from '../helpers/sealing.js';

const RESIDENCE = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };

describe('Decision log', () => {
  let app: TestApp;
  let database: Database;
  let loanSystem: Record<string, string>;
  let compliance: Record<string, string>;
  let feed: Record<string, string>;
  const decisionIds: string[] = [];

  /** Seals everything logged so far, as the minute job would once the entries are old enough. */
  async function sealAll(): Promise<void> {
    await testSealer(database).sealDue();
  }
  const verify = async () => (await app.http().get('/v1/audit/verify').set(compliance)).body;

  before(async () => {
    app = await startTestApp('decisionlog');
    database = await openTestDatabase(app);
    loanSystem = bearer(await issueKey(app, ['decide'], 'loan-origination'));
    compliance = bearer(await issueKey(app, ['audit:read'], 'compliance'));
    feed = bearer(await issueKey(app, ['profiles:write'], 'crm-feed'));
    for (const id of ['LOG-1', 'LOG-2', 'LOG-ERASE']) {
      await app
        .http()
        .put(`/v1/profiles/${id}`)
        .set(feed)
        .send({ type: 'individual', basic: { residence: RESIDENCE } })
        .expect(201);
    }
    const events = [
      { profileId: 'LOG-1', at: '2026-11-21T10:00:00+08:00', location: { lat: 39.9, lon: 116.4 } },
      { profileId: 'LOG-1', at: '2026-11-21T10:05:00+08:00', location: { lat: 23.13, lon: 113.26 } },
      { profileId: 'LOG-2', at: '2026-11-21T10:10:00+08:00', location: { lat: 23.13, lon: 113.26 } },
      { profileId: 'LOG-ERASE', at: '2026-11-21T10:15:00+08:00', location: { lat: 39.9, lon: 116.4 } },
    ];
    for (const { profileId, at, location } of events) {
      const res = await app
        .http()
        .post('/v1/decisions')
        .set(loanSystem)
        .set('X-Request-Id', `req-${decisionIds.length}`)
        .send({ profileId, event: { type: 'loan_application', at, location, deviceId: 'dev-42' }, rulesets: ['fraud-alerts'] });
      expect(res.status).to.equal(200);
      decisionIds.push(res.body.decisionId);
    }
  });
  after(async () => {
    await database.close();
    await app.stop();
  });

  describe('GET /v1/decisions/{id}', () => {
    it('answers the logged decision with facts, request, caller, request id and versions', async () => {
      const res = await app.http().get(`/v1/decisions/${decisionIds[0]}`).set(compliance);
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ decisionId: decisionIds[0], profileId: 'LOG-1', requestId: 'req-0' });
      expect(res.body.caller.name).to.equal('loan-origination');
      expect(res.body.facts.eventDistanceFromResidenceKm).to.be.within(1850, 1930);
      expect(res.body.request.event.deviceId).to.equal('dev-42');
      expect(res.body.rulesets[0]).to.include({ id: 'fraud-alerts', version: 1 }).and.have.property('checksum');
      expect(res.body.engine.name).to.match(/json-rules-engine/);
      expect(res.body.engine.version).to.match(/^\d+\.\d+\.\d+/);
    });

    it('when unknown, then 404; when the caller lacks audit:read, then 403', async () => {
      expect((await app.http().get('/v1/decisions/dec_nope').set(compliance)).status).to.equal(404);
      expect((await app.http().get(`/v1/decisions/${decisionIds[0]}`).set(loanSystem)).status).to.equal(403);
    });

    it('offers no way to change or delete an entry', async () => {
      expect((await app.http().delete(`/v1/decisions/${decisionIds[0]}`).set(bearer(app.adminKey))).status).to.equal(404);
      expect((await app.http().put(`/v1/decisions/${decisionIds[0]}`).set(bearer(app.adminKey)).send({})).status).to.equal(404);
    });
  });

  describe('GET /v1/decisions', () => {
    it('filters by profile, outcome and alert, newest first, with a cursor', async () => {
      const byProfile = await app.http().get('/v1/decisions').query({ profileId: 'LOG-1' }).set(compliance);
      expect(byProfile.body.items.map((i: { decisionId: string }) => i.decisionId)).to.deep.equal([decisionIds[1], decisionIds[0]]);
      const declined = await app.http().get('/v1/decisions').query({ outcome: 'decline', alert: 'LOCATION_MISMATCH' }).set(compliance);
      expect(declined.body.items.map((i: { decisionId: string }) => i.decisionId)).to.have.members([decisionIds[0], decisionIds[3]]);
      const page1 = await app.http().get('/v1/decisions').query({ limit: 3 }).set(compliance);
      const page2 = await app.http().get('/v1/decisions').query({ limit: 3, cursor: page1.body.nextCursor }).set(compliance);
      const all = [...page1.body.items, ...page2.body.items].map((i: { decisionId: string }) => i.decisionId);
      expect(all).to.deep.equal([...decisionIds].reverse());
      expect(page2.body.nextCursor).to.equal(null);
    });

    it('when a filter is malformed, then 400', async () => {
      expect((await app.http().get('/v1/decisions').query({ outcome: 'maybe' }).set(compliance)).status).to.equal(400);
      expect((await app.http().get('/v1/decisions').query({ from: 'yesterday' }).set(compliance)).status).to.equal(400);
      expect((await app.http().get('/v1/decisions?profileId[$ne]=x').set(compliance)).status).to.equal(400);
    });
  });

  describe('GET /v1/decisions/export', () => {
    it('streams one logged decision a line as NDJSON, oldest first', async () => {
      const res = await app
        .http()
        .get('/v1/decisions/export')
        .set(compliance)
        .buffer(true)
        .parse((response, done) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          response.on('end', () => done(null, text));
        });
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^application\/x-ndjson/);
      const lines = (res.body as string)
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines.map((line) => line.decisionId)).to.deep.equal(decisionIds);
      expect(lines[0].facts).to.be.an('object');
    });
  });

  describe('tamper evidence', () => {
    it('when nothing was touched, then verify answers ok over the sealed entries', async () => {
      await sealAll();
      const report = await verify();
      expect(report.ok, JSON.stringify(report.problems)).to.equal(true);
      expect(report.sealsChecked).to.be.at.least(1);
      expect(report.entriesChecked).to.equal(decisionIds.length);
    });

    it('when a profile is erased, then its entries keep the decision but lose personal data, and still verify', async () => {
      const erased = await app.http().delete('/v1/profiles/LOG-ERASE').set(feed);
      expect(erased.status).to.equal(204);
      const res = await app.http().get(`/v1/decisions/${decisionIds[3]}`).set(compliance);
      expect(res.body).to.include({ profileId: null, facts: null, request: null, outcome: 'decline' });
      expect(res.body.alerts[0].code).to.equal('LOCATION_MISMATCH');
      expect(res.body.rulesetVersions).to.deep.equal({ 'fraud-alerts': 1 });
      expect(res.body.masked.fields).to.include.members(['profileId', 'facts', 'request']);
      expect(JSON.stringify(res.body)).not.to.contain('LOG-ERASE');
      const stored = await database.connection.db!.collection('decision_log').findOne({ _id: decisionIds[3] } as never);
      expect(stored, 'the velocity slot and history of the application are erased too').not.to.have.any.keys(
        'velocitySlot',
        'velocityTimes',
      );
      expect(JSON.stringify(stored)).not.to.contain('LOG-ERASE');
      expect(res.body.masked.fields).to.include('velocity');
      const report = await verify();
      expect(report.ok, JSON.stringify(report.problems)).to.equal(true);
      const replay = await app.http().post(`/v1/decisions/${decisionIds[3]}/replay`).set(compliance);
      expect(replay.status).to.equal(409);
    });

    it('stores core and personal part as the exact texts its digest and hash cover', async () => {
      const doc = await database.connection.db!.collection('decision_log').findOne({ _id: decisionIds[0] } as never);
      expect(doc!.core).to.be.a('string');
      expect(doc!.personal).to.be.a('string');
      expect(sha256(doc!.personal)).to.equal(doc!.personalDigest);
      expect(sha256(`{"core":${doc!.core},"personalDigest":"${doc!.personalDigest}"}`)).to.equal(doc!.hash);
      expect(JSON.parse(doc!.core).decisionId).to.equal(decisionIds[0]);
    });

    it('when an entry is edited directly in the database, then verify names it', async () => {
      await editLogEntry(database.connection.db!, decisionIds[1]!, ({ core }) => Object.assign(core, { outcome: 'review', score: 45 }));
      await editLogEntry(database.connection.db!, decisionIds[2]!, ({ personal }) => {
        (personal.facts as Record<string, unknown>).eventDistanceFromResidenceKm = 1;
      });
      const report = await verify();
      expect(report.ok).to.equal(false);
      const ids = report.problems.map((p: { id: string }) => p.id);
      expect(ids).to.include.members([decisionIds[1], decisionIds[2]]);
      expect(ids).not.to.include(decisionIds[0]);
    });

    it('when an entry is deleted directly in the database, then verify reports it missing', async () => {
      await database.connection.db!.collection('decision_log').deleteOne({ _id: decisionIds[0] } as never);
      const report = await verify();
      const problem = report.problems.find((p: { id: string }) => p.id === decisionIds[0]);
      expect(problem.problem).to.match(/missing/);
    });
  });

  describe('GET /v1/audit/events', () => {
    it('lists changes with actor and time: shipped publishes, key creation, erasures', async () => {
      const res = await app.http().get('/v1/audit/events').query({ limit: 500 }).set(compliance);
      expect(res.status).to.equal(200);
      const types = res.body.items.map((e: { type: string }) => e.type);
      expect(types).to.include.members(['ruleset.created', 'ruleset.published', 'ruleset.activated', 'api-key.created', 'profile.erased']);
      const erasure = res.body.items.find((e: { type: string }) => e.type === 'profile.erased');
      expect(erasure.actor.name).to.equal('crm-feed');
      expect(erasure.data.maskedDecisions).to.equal(1);
      const filtered = await app.http().get('/v1/audit/events').query({ type: 'api-key.created' }).set(compliance);
      expect(filtered.body.items.every((e: { type: string }) => e.type === 'api-key.created')).to.equal(true);
    });
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
