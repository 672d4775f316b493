import { expect } from 'chai';
import { bearer, issueKey, startTestApp, type TestApp } from '../helpers/test-app.js';
import { BEIJING_APPLICATION, rulesetWithCandidate, storeGuangzhouProfile, until } from '../helpers/shadow.js';

type Body = any;
const FAST = { SHADOW_FLUSH_MS: '200', RULESET_POLL_MS: '100' };

/** The answer without what differs from one decision to the next. */
const answered = ({ decisionId: _id, evaluatedAt: _at, latencyMs: _ms, ...rest }: Body) => rest;

async function decide(app: TestApp, key: Record<string, string>, profileId: string, rulesetId: string): Promise<Body> {
  const res = await app
    .http()
    .post('/v1/decisions')
    .set(key)
    .send({ profileId, event: BEIJING_APPLICATION, rulesets: [rulesetId] });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body;
}

const reportOf = async (app: TestApp, key: Record<string, string>, rulesetId: string): Promise<Body> =>
  (await app.http().get(`/v1/rulesets/${rulesetId}/shadow`).set(key)).body;

describe('Shadow evaluation (champion–challenger)', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let decider: Record<string, string>;
  let publisher: Record<string, string>;
  let reader: Record<string, string>;

  before(async () => {
    app = await startTestApp('shadow', FAST);
    admin = bearer(app.adminKey);
    decider = bearer(await issueKey(app, ['decide']));
    publisher = bearer(await issueKey(app, ['rules:publish'], 'risk-lead'));
    reader = bearer(await issueKey(app, ['rules:edit'], 'analyst'));
    await storeGuangzhouProfile(app, 'SH-1');
  });
  after(() => app.stop());

  it('when a published version is shadowed, then answers and log entries are those without a shadow, and the report counts decisions, differences and both versions’ rule hits', async () => {
    await rulesetWithCandidate(app, 'shadow-counts');
    const before = await decide(app, decider, 'SH-1', 'shadow-counts');
    expect(before.outcome).to.equal('decline');

    const set = await app.http().put('/v1/rulesets/shadow-counts/shadow').set(publisher).send({ version: 2 });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    expect(set.body).to.include({ rulesetId: 'shadow-counts', version: 2, activeVersion: 1, decisions: 0 });

    const during = [];
    for (let i = 0; i < 3; i++) during.push(await decide(app, decider, 'SH-1', 'shadow-counts'));
    for (const decision of during) {
      expect(answered(decision)).to.deep.equal(answered(before));
      const logged = await app.http().get(`/v1/decisions/${decision.decisionId}`).set(admin).expect(200);
      expect(logged.body.outcome).to.equal('decline');
      expect(logged.body.rulesetVersions).to.deep.equal({ 'shadow-counts': 1 });
      expect(logged.body.explanations.map((e: Body) => `${e.ruleset}@${e.version}`)).to.deep.equal(['shadow-counts@1']);
    }

    const report = await until(
      () => reportOf(app, reader, 'shadow-counts'),
      (body) => body.decisions === 3,
    );
    expect(report).to.include({ version: 2, activeVersion: 1, decisions: 3, errors: 0, unevaluated: 0 });
    expect(report.changed).to.deep.equal({ outcome: 3, tags: 0, products: 0, alerts: 3 });
    expect(report.rules).to.have.deep.members([
      { rule: 'event-far-from-residence', hitsActive: 3, hitsShadow: 0 },
      { rule: 'amount-above-twice-income', hitsActive: 0, hitsShadow: 3 },
    ]);
    expect(Date.parse(report.since)).to.be.at.most(Date.now());
  });

  it('when a key without audit:read reads the report, then it has the counts but no examples; with audit:read, the examples name the differing decisions', async () => {
    await rulesetWithCandidate(app, 'shadow-examples');
    await app.http().put('/v1/rulesets/shadow-examples/shadow').set(publisher).send({ version: 2 }).expect(200);
    const decided = [await decide(app, decider, 'SH-1', 'shadow-examples'), await decide(app, decider, 'SH-1', 'shadow-examples')];

    const auditor = bearer(await issueKey(app, ['audit:read'], 'compliance'));
    const full = await until(
      () => reportOf(app, auditor, 'shadow-examples'),
      (body) => body.decisions === 2,
    );
    expect(full.examples.map((e: Body) => e.decisionId)).to.have.members(decided.map((d) => d.decisionId));
    expect(full.examples[0].changed).to.deep.equal(['outcome', 'alerts']);

    const counts = await reportOf(app, reader, 'shadow-examples');
    expect(counts.decisions).to.equal(2);
    expect(counts).to.not.have.property('examples');
    const again = await app.http().put('/v1/rulesets/shadow-examples/shadow').set(publisher).send({ version: 2 });
    expect(again.body, 'PUT answers as GET does').to.not.have.property('examples');
    expect(again.body.decisions, 'setting the shadow again starts a new report').to.equal(0);
    expect((await reportOf(app, auditor, 'shadow-examples')).examples).to.deep.equal([]);
  });

  it('when the version to shadow is not published or is the active one, or the ruleset does not exist, then 404 or 409 in the error envelope and no shadow is set', async () => {
    await rulesetWithCandidate(app, 'shadow-refusals');
    const unpublished = await app.http().put('/v1/rulesets/shadow-refusals/shadow').set(publisher).send({ version: 3 });
    expect(unpublished.status).to.equal(404);
    expect(unpublished.body.error.code).to.equal('NOT_FOUND');
    const active = await app.http().put('/v1/rulesets/shadow-refusals/shadow').set(publisher).send({ version: 1 });
    expect(active.status).to.equal(409);
    expect(active.body.error.code).to.equal('CONFLICT');
    const invalid = await app.http().put('/v1/rulesets/shadow-refusals/shadow').set(publisher).send({ version: 'two' });
    expect(invalid.status).to.equal(400);
    expect(invalid.body.error.details[0].path).to.equal('/version');
    const unknown = await app.http().put('/v1/rulesets/no-such-ruleset/shadow').set(publisher).send({ version: 1 });
    expect(unknown.status).to.equal(404);

    const none = await app.http().get('/v1/rulesets/shadow-refusals/shadow').set(reader);
    expect(none.status).to.equal(404);
    expect(none.body.error.code).to.equal('NOT_FOUND');
  });

  it('when a key without rules:publish sets or clears a shadow, then 403', async () => {
    await rulesetWithCandidate(app, 'shadow-roles');
    expect((await app.http().put('/v1/rulesets/shadow-roles/shadow').set(reader).send({ version: 2 })).status).to.equal(403);
    await app.http().put('/v1/rulesets/shadow-roles/shadow').set(publisher).send({ version: 2 }).expect(200);
    expect((await app.http().delete('/v1/rulesets/shadow-roles/shadow').set(reader)).status).to.equal(403);
    expect((await app.http().get('/v1/rulesets/shadow-roles/shadow').set(decider)).status, 'any role reads').to.equal(200);
  });

  it('when the shadow is cleared, then 204, the report is gone, decisions are no longer evaluated, and the set and the clear are audit events', async () => {
    await rulesetWithCandidate(app, 'shadow-clear');
    await app.http().put('/v1/rulesets/shadow-clear/shadow').set(publisher).send({ version: 2 }).expect(200);
    const cleared = await app.http().delete('/v1/rulesets/shadow-clear/shadow').set(publisher);
    expect(cleared.status).to.equal(204);
    expect((await app.http().get('/v1/rulesets/shadow-clear/shadow').set(reader)).status).to.equal(404);
    expect((await app.http().delete('/v1/rulesets/shadow-clear/shadow').set(publisher)).status, 'nothing left to clear').to.equal(404);

    const history = await app.http().get('/v1/rulesets/shadow-clear/history').set(reader).expect(200);
    const events = history.body.items.map((e: Body) => ({ type: e.type, data: e.data, by: e.actor?.name }));
    expect(events.slice(0, 2)).to.deep.equal([
      { type: 'ruleset.shadow-cleared', data: { version: 2 }, by: 'risk-lead' },
      { type: 'ruleset.shadow-set', data: { version: 2, activeVersion: 1, replaced: null }, by: 'risk-lead' },
    ]);

    // A new shadow starts from nothing: the cleared one's counts are not carried over.
    await app.http().put('/v1/rulesets/shadow-clear/shadow').set(publisher).send({ version: 2 }).expect(200);
    expect((await reportOf(app, reader, 'shadow-clear')).decisions).to.equal(0);
  });

  it('when a decision pins the ruleset to a version, then the shadow does not count it', async () => {
    await rulesetWithCandidate(app, 'shadow-pinned');
    await app.http().put('/v1/rulesets/shadow-pinned/shadow').set(publisher).send({ version: 2 }).expect(200);
    await app
      .http()
      .post('/v1/decisions')
      .set(decider)
      .send({ profileId: 'SH-1', event: BEIJING_APPLICATION, rulesets: ['shadow-pinned'], versions: { 'shadow-pinned': 2 } })
      .expect(200);
    await decide(app, decider, 'SH-1', 'shadow-pinned');
    const report = await until(
      () => reportOf(app, reader, 'shadow-pinned'),
      (body) => body.decisions >= 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await reportOf(app, reader, 'shadow-pinned')).decisions).to.equal(1);
    expect(report.changed.outcome).to.equal(1);
  });
});

describe('Shadow evaluation across instances and restarts', function () {
  this.timeout(60_000);
  const apps: TestApp[] = [];
  after(async () => {
    for (const app of apps.splice(0)) await app.stop();
  });

  it('when a second instance on the same database decides, then the report read on the first counts its decisions', async () => {
    const first = await startTestApp('shadowtwo', FAST);
    apps.push(first);
    const second = await startTestApp('shadowtwo', { ...FAST, MONGODB_DB: first.config.mongodbDb, BOOTSTRAP_ADMIN_KEY: first.adminKey });
    apps.push(second);
    const admin = bearer(first.adminKey);
    await rulesetWithCandidate(first, 'shadow-shared');
    await storeGuangzhouProfile(first, 'SH-2');
    await first.http().put('/v1/rulesets/shadow-shared/shadow').set(admin).send({ version: 2 }).expect(200);

    await decide(first, admin, 'SH-2', 'shadow-shared');
    // The second instance learns of the shadow from its poll, like it learns of an activation.
    const onSecond = await until(
      () => reportOf(second, admin, 'shadow-shared'),
      (body) => body.decisions === 1,
    );
    expect(onSecond.decisions, 'the first instance flushed its count').to.equal(1);
    await until(
      async () => {
        await decide(second, admin, 'SH-2', 'shadow-shared');
        return reportOf(second, admin, 'shadow-shared');
      },
      (body) => body.decisions >= 2,
    );
    const secondCount = (await reportOf(second, admin, 'shadow-shared')).decisions - 1;
    expect(secondCount).to.be.at.least(1);

    const onFirst = await until(
      () => reportOf(first, admin, 'shadow-shared'),
      (body) => body.decisions === 1 + secondCount,
    );
    expect(onFirst.decisions).to.equal(1 + secondCount);
    expect(onFirst.instances).to.equal(2);
    expect(onFirst.changed.outcome).to.equal(1 + secondCount);
  });

  it('when the service restarts, then the shadow still evaluates and the report keeps the counts', async () => {
    const first = await startTestApp('shadowrestart', { ...FAST, SHADOW_FLUSH_MS: '60000' });
    apps.push(first);
    const admin = bearer(first.adminKey);
    await rulesetWithCandidate(first, 'shadow-restart');
    await storeGuangzhouProfile(first, 'SH-3');
    await first.http().put('/v1/rulesets/shadow-restart/shadow').set(admin).send({ version: 2 }).expect(200);
    await decide(first, admin, 'SH-3', 'shadow-restart');
    await decide(first, admin, 'SH-3', 'shadow-restart');
    await until(
      () => reportOf(first, admin, 'shadow-restart'),
      (body) => body.decisions === 2,
    );
    // A minute between flushes: only the flush on stop can have written these counts.
    await first.stop();
    apps.splice(apps.indexOf(first), 1);

    const again = await startTestApp('shadowrestart', { ...FAST, MONGODB_DB: first.config.mongodbDb, BOOTSTRAP_ADMIN_KEY: first.adminKey });
    apps.push(again);
    expect((await reportOf(again, admin, 'shadow-restart')).decisions).to.equal(2);
    await decide(again, admin, 'SH-3', 'shadow-restart');
    const report = await until(
      () => reportOf(again, admin, 'shadow-restart'),
      (body) => body.decisions === 3,
    );
    expect(report).to.include({ decisions: 3, version: 2, instances: 2 });
    expect(report.changed.alerts).to.equal(3);
  });
});
