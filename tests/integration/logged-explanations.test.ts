import { expect } from 'chai';
import mongoose from 'mongoose';
import type { Database } from '../../src/db/database.js';
import { fixture } from '../helpers/fixtures.js';
import { generateEvent, generateStoredProfile, mulberry32 } from '../helpers/generators.js';
import { testSealer } from '../helpers/sealing.js';
import { bearer, issueKey, openTestDatabase, startTestApp, type TestApp } from '../helpers/test-app.js';

const APPLICATION = {
  type: 'loan_application',
  at: '2026-11-21T01:30:00+08:00',
  amount: 50000,
  location: { lat: 39.9, lon: 116.4 },
  deviceId: 'd-1',
  channel: 'app',
};

describe('Logged explanations (leaf results, rebuilt on read)', () => {
  let app: TestApp;
  let database: Database;
  let loanSystem: Record<string, string>;
  let compliance: Record<string, string>;
  let feed: Record<string, string>;

  before(async () => {
    // What is logged is under test here, not latency: a roomy budget, so a busy machine answers every decision.
    app = await startTestApp('loggedexpl', { DECISION_TIMEOUT_MS: '20000' });
    database = await openTestDatabase(app);
    loanSystem = bearer(await issueKey(app, ['decide']));
    compliance = bearer(await issueKey(app, ['audit:read']));
    feed = bearer(await issueKey(app, ['profiles:write']));
    for (const name of ['individual-guangzhou', 'sme-shenzhen', 'risky-borrower']) {
      await app
        .http()
        .put(`/v1/profiles/EXPL-${name}`)
        .set(feed)
        .send(fixture(`profiles/${name}.json`))
        .expect(201);
    }
  });
  after(async () => {
    await database.close();
    await app.stop();
  });

  it('when decisions over the four shipped rulesets are read back (GET, list, export, an idempotent retry), then their explanations are the JSON the caller received', async () => {
    for (const name of ['individual-guangzhou', 'sme-shenzhen', 'risky-borrower']) {
      const body = { profileId: `EXPL-${name}`, event: APPLICATION };
      const answered = await app.http().post('/v1/decisions').set(loanSystem).set('Idempotency-Key', `expl-${name}`).send(body);
      expect(answered.status).to.equal(200);
      const explanations = JSON.stringify(answered.body.explanations);
      expect(answered.body.explanations).to.have.length.above(50);

      const logged = await app.http().get(`/v1/decisions/${answered.body.decisionId}`).set(compliance).expect(200);
      const listed = await app
        .http()
        .get('/v1/decisions')
        .query({ profileId: `EXPL-${name}` })
        .set(compliance)
        .expect(200);
      const retried = await app.http().post('/v1/decisions').set(loanSystem).set('Idempotency-Key', `expl-${name}`).send(body);

      expect(JSON.stringify(logged.body.explanations)).to.equal(explanations);
      expect(JSON.stringify(listed.body.items[0].explanations)).to.equal(explanations);
      expect(retried.text).to.equal(answered.text);
      expect(logged.body).not.to.have.property('explanationsUnavailable');
    }
    const exported = await app.http().get('/v1/decisions/export').set(compliance).expect(200);
    const lines = exported.text.trim().split('\n');
    expect(lines).to.have.length(3);
    for (const line of lines) expect(JSON.parse(line).explanations).to.have.length.above(50);
  });

  it('when 200 generated decisions over the four shipped rulesets (half loan applications) are logged, then their stored entries average under 4 KB and hold no explanation text', async () => {
    const rng = mulberry32(4096);
    const profiles = Array.from({ length: 50 }, (_, index) => {
      const { createdAt: _createdAt, ...document } = generateStoredProfile(rng);
      return { profileId: `SIZE-${index}`, ...document };
    });
    await app.http().post('/v1/profiles/bulk').set(feed).send({ profiles }).expect(200);
    const decisionIds: string[] = [];
    for (let index = 0; index < 200; index += 1) {
      const event = { ...generateEvent(rng), ...(index % 2 === 0 && { type: 'loan_application' }) };
      const answered = await app
        .http()
        .post('/v1/decisions')
        .set(loanSystem)
        .send({ profileId: `SIZE-${index % 50}`, event });
      expect(answered.status, answered.text).to.equal(200);
      decisionIds.push(answered.body.decisionId);
    }
    const docs = await database.connection
      .db!.collection('decision_log')
      .find({ _id: { $in: decisionIds } } as never)
      .toArray();
    const bytes = docs.map((doc) => mongoose.mongo.BSON.calculateObjectSize(doc));

    expect(docs).to.have.length(200);
    expect(bytes.reduce((sum, size) => sum + size, 0) / bytes.length).to.be.below(4096);
    for (const doc of docs) {
      const personal = JSON.parse(doc.personal as string);
      expect(personal).not.to.have.property('explanations');
      expect(personal.leafResults).to.have.length(4);
      expect(personal.leafResults.every((code: unknown) => typeof code === 'string')).to.equal(true);
    }
  });

  it('when a ruleset version a decision names is edited in the database, then its explanations are withheld with the reason, and verify reports the entry', async () => {
    const answered = await app
      .http()
      .post('/v1/decisions')
      .set(loanSystem)
      .send({ profileId: 'EXPL-sme-shenzhen', event: APPLICATION, rulesets: ['credit-risk'] })
      .expect(200);
    await testSealer(database).sealDue();
    const versions = database.connection.db!.collection('ruleset_versions');
    const version = await versions.findOne({ rulesetId: 'credit-risk', version: 1 });
    const rules = version!.rules as { conditions: { all?: { value: unknown }[] } }[];
    const edited = structuredClone(rules);
    const leaf = edited.find((rule) => rule.conditions.all?.length)!.conditions.all![0]!;
    leaf.value = typeof leaf.value === 'number' ? leaf.value + 1 : 'edited';
    await versions.updateOne({ _id: version!._id }, { $set: { rules: edited } });
    // A second instance compiles the version afresh (the first keeps what it compiled before the edit).
    const other = await startTestApp('loggedexpl-other', { MONGODB_DB: app.config.mongodbDb, BOOTSTRAP_ADMIN_KEY: app.adminKey });
    try {
      const logged = await other.http().get(`/v1/decisions/${answered.body.decisionId}`).set(compliance).expect(200);
      const report = (await other.http().get('/v1/audit/verify').set(compliance).expect(200)).body;

      expect(logged.body.explanations).to.deep.equal([]);
      expect(logged.body.explanationsUnavailable).to.match(/credit-risk version 1 no longer matches the checksum/);
      expect(logged.body.outcome).to.equal(answered.body.outcome);
      expect(report.ok).to.equal(false);
      expect(report.problems).to.deep.include({
        kind: 'entry',
        id: answered.body.decisionId,
        problem: logged.body.explanationsUnavailable,
      });
    } finally {
      await versions.updateOne({ _id: version!._id }, { $set: { rules } });
      await other.stop();
    }
  });
});
