import { expect } from 'chai';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const BEIJING = { lat: 39.9, lon: 116.4 };

function farEventRule(threshold: number) {
  return {
    name: 'event-far-from-residence',
    priority: 10,
    conditions: { all: [{ fact: 'eventDistanceFromResidenceKm', operator: 'greaterThan', value: threshold }] },
    event: {
      type: 'alert',
      params: { code: 'LOCATION_MISMATCH', severity: 'high', message: '{{eventDistanceFromResidenceKm}} km from residence' },
    },
  };
}

const highIncomeRule = {
  name: 'high-income',
  conditions: { all: [{ fact: 'financials', path: '$.monthlyIncome', operator: 'greaterThanInclusive', value: 30000 }] },
  event: { type: 'tag', params: { tag: 'income-high' } },
};

function farTest(expectAlert: boolean) {
  return {
    name: 'a Beijing application from a Guangzhou resident',
    profile: { type: 'individual', basic: { residence: GUANGZHOU } },
    event: { type: 'loan_application', at: '2026-11-21T01:30:00+08:00', location: BEIJING },
    expect: { alerts: expectAlert ? ['LOCATION_MISMATCH'] : [], outcome: expectAlert ? 'decline' : 'approve' },
  };
}

describe('Rulesets API', () => {
  let app: TestApp;
  let editor: Record<string, string>;
  let publisher: Record<string, string>;
  let decider: Record<string, string>;

  before(async () => {
    app = await startTestApp('rulesets');
    editor = bearer(await issueKey(app, ['rules:edit'], 'analyst'));
    publisher = bearer(await issueKey(app, ['rules:publish'], 'risk-lead'));
    decider = bearer(await issueKey(app, ['decide']));
  });
  after(() => app.stop());

  async function createRuleset(id: string, kind = 'fraud'): Promise<void> {
    const res = await app
      .http()
      .post('/v1/rulesets')
      .set(editor)
      .send({ id, kind, description: `test ${id}` });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
  }

  function saveDraft(id: string, draft: object) {
    return app.http().put(`/v1/rulesets/${id}/draft`).set(editor).send(draft);
  }

  describe('GET /v1/facts', () => {
    it('lists every contract fact with a type and a description, to any role', async () => {
      const res = await app.http().get('/v1/facts').set(decider);
      expect(res.status).to.equal(200);
      const names = res.body.items.map((item: { name: string }) => item.name);
      expect(names).to.include.members([
        'age',
        'businessYears',
        'debtToIncome',
        'eventLocalHour',
        'eventDistanceFromResidenceKm',
        'trajectoryDistanceFromResidenceKm',
        'lateNightActivityShare30d',
        'activityCount30d',
        'applicationsLast24h',
        'basic',
        'company',
        'financials',
        'credit',
        'ecommerce',
        'interests',
        'sentiment',
        'activity',
        'attributes',
        'event',
      ]);
      for (const item of res.body.items) expect(item.description, item.name).to.be.a('string').and.not.empty;
    });

    it('lists every operator with the kind of value it takes, so an editor can offer the right input', async () => {
      const res = await app.http().get('/v1/facts').set(decider);
      const kinds = Object.fromEntries(
        res.body.operators.map((operator: { name: string; valueKind: string }) => [operator.name, operator.valueKind]),
      );
      expect(kinds).to.include({
        between: 'range',
        greaterThan: 'number',
        in: 'list',
        matches: 'pattern',
        before: 'instant',
        withinLastDays: 'days',
        equal: 'scalar',
      });
      for (const operator of res.body.operators) expect(operator.description, operator.name).to.be.a('string').and.not.empty;
    });
  });

  describe('POST /v1/rulesets', () => {
    it('when the id is new, then 201 with an empty draft; when it exists, then 409 CONFLICT', async () => {
      await createRuleset('dup-check');
      const again = await app.http().post('/v1/rulesets').set(editor).send({ id: 'dup-check', kind: 'fraud' });
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal('CONFLICT');
    });

    it('when id or kind are invalid, then 400 pointing at them', async () => {
      const res = await app.http().post('/v1/rulesets').set(editor).send({ id: 'Has Spaces', kind: 'magic' });
      expect(res.status).to.equal(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include.members(['/id', '/kind']);
    });

    it('when the key lacks rules:edit, then 403', async () => {
      const res = await app.http().post('/v1/rulesets').set(decider).send({ id: 'nope', kind: 'fraud' });
      expect(res.status).to.equal(403);
    });

    it('lists shipped and created rulesets with their versions', async () => {
      const res = await app.http().get('/v1/rulesets').set(decider);
      expect(res.status).to.equal(200);
      const fraud = res.body.items.find((item: { id: string }) => item.id === 'fraud-alerts');
      expect(fraud).to.include({ kind: 'fraud', activeVersion: 1, latestVersion: 1 });
    });
  });

  describe('PUT /v1/rulesets/{id}/draft validation', () => {
    before(() => createRuleset('validation'));

    const cases: { name: string; rules: unknown[]; path: string; message?: RegExp }[] = [
      {
        name: 'an unknown fact',
        rules: [
          {
            name: 'r',
            conditions: { all: [{ fact: 'shoeSize', operator: 'equal', value: 42 }] },
            event: { type: 'tag', params: { tag: 't' } },
          },
        ],
        path: '/rules/0/conditions/all/0/fact',
        message: /unknown fact "shoeSize"/,
      },
      {
        name: 'an unknown operator',
        rules: [
          {
            name: 'r',
            conditions: { any: [{ fact: 'age', operator: 'roughly', value: 30 }] },
            event: { type: 'tag', params: { tag: 't' } },
          },
        ],
        path: '/rules/0/conditions/any/0/operator',
      },
      {
        name: 'between without [lo, hi]',
        rules: [
          {
            name: 'r',
            conditions: { all: [{ fact: 'age', operator: 'between', value: 30 }] },
            event: { type: 'tag', params: { tag: 't' } },
          },
        ],
        path: '/rules/0/conditions/all/0/value',
      },
      {
        name: 'a path on a fact that has none',
        rules: [
          {
            name: 'r',
            conditions: { all: [{ fact: 'age', path: '$.years', operator: 'greaterThan', value: 3 }] },
            event: { type: 'tag', params: { tag: 't' } },
          },
        ],
        path: '/rules/0/conditions/all/0/path',
      },
      {
        name: 'an unknown event type',
        rules: [
          { name: 'r', conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 3 }] }, event: { type: 'email', params: {} } },
        ],
        path: '/rules/0/event/type',
      },
      {
        name: 'missing event params',
        rules: [
          {
            name: 'r',
            conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 3 }] },
            event: { type: 'alert', params: { code: 'X' } },
          },
        ],
        path: '/rules/0/event/params/severity',
      },
      {
        name: 'a duplicate rule name',
        rules: [highIncomeRule, highIncomeRule],
        path: '/rules/1/name',
      },
      // '^(a+)+$', refused here before, is harmless on RE2: a back-reference is what RE2 cannot run.
      ...[
        { what: 'a back-reference', value: '^(a+)\\1$', message: /back-reference/ },
        { what: 'a lookahead', value: '^(?=.*\\d)\\w+$', message: /lookahead or lookbehind, which RE2 does not support/ },
      ].map(({ what, value, message }) => ({
        name: `a regular expression with ${what}`,
        rules: [
          {
            name: 'r',
            conditions: { all: [{ fact: 'basic', path: '$.occupation', operator: 'matches', value }] },
            event: { type: 'tag', params: { tag: 't' } },
          },
        ],
        path: '/rules/0/conditions/all/0/value',
        message,
      })),
      {
        name: "regular expressions past the ruleset's size budget (11 of size 92)",
        rules: [
          {
            name: 'r',
            conditions: {
              any: Array.from({ length: 11 }, (_, index) => ({
                fact: 'attributes',
                path: '$.note',
                operator: 'matches',
                value: `(?:.{0,4}a){1,4}x${index}y`,
              })),
            },
            event: { type: 'tag', params: { tag: 't' } },
          },
        ],
        path: '/rules/0/conditions/any/10/value',
        message: /total size of 10\d\d here; at most 1000 are allowed \(this pattern: 93\)/,
      },
      ...[
        { what: 'list', placeholder: 'activity', type: 'array' },
        { what: 'object', placeholder: 'basic', type: 'object' },
      ].map(({ what, placeholder, type }) => ({
        name: `a message placeholder naming a whole ${what} ({{${placeholder}}})`,
        rules: [
          {
            name: 'r',
            conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 3 }] },
            event: { type: 'alert', params: { code: 'X', severity: 'low', message: `seen {{${placeholder}}}` } },
          },
        ],
        path: '/rules/0/event/params/message',
        message: new RegExp(`\\{\\{${placeholder}\\}\\} names a fact of type ${type}`),
      })),
      {
        name: 'nesting deeper than the limit',
        rules: [
          {
            name: 'deep',
            conditions: {
              all: [
                {
                  not: { all: [{ not: { all: [{ not: { all: [{ not: { all: [{ fact: 'age', operator: 'equal', value: 1 }] } }] } }] } }] },
                },
              ],
            },
            event: { type: 'tag', params: { tag: 't' } },
          },
        ],
        path: '/rules/0/conditions/all/0/not/all/0/not/all/0/not/all/0/not',
      },
      {
        name: 'a message naming an unknown fact',
        rules: [
          {
            name: 'r',
            conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 3 }] },
            event: { type: 'tag', params: { tag: 't', message: '{{nope}}' } },
          },
        ],
        path: '/rules/0/event/params/message',
      },
      {
        name: 'a group priority that is not an integer',
        rules: [
          {
            name: 'r',
            conditions: { all: [{ any: [{ fact: 'age', operator: 'greaterThan', value: 3 }], priority: 'high' }] },
            event: { type: 'tag', params: { tag: 't' } },
          },
        ],
        path: '/rules/0/conditions/all/0/priority',
      },
      {
        name: 'a message placeholder that is not a fact path',
        rules: [
          {
            name: 'r',
            conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 3 }] },
            event: { type: 'tag', params: { tag: 't', message: 'x {{ no-such-fact }}' } },
          },
        ],
        path: '/rules/0/event/params/message',
      },
      {
        name: 'an operator that does not fit the fact type (contains on the string fact type)',
        rules: [
          {
            name: 'r',
            conditions: { all: [{ fact: 'type', operator: 'contains', value: 'sme' }] },
            event: { type: 'tag', params: { tag: 't' } },
          },
        ],
        path: '/rules/0/conditions/all/0/operator',
        message: /never holds on fact "type", a string/,
      },
      {
        name: 'a matches pattern written as a literal with flags',
        rules: [
          {
            name: 'r',
            conditions: { all: [{ fact: 'attributes', path: '$.segment', operator: 'matches', value: '/^vip$/i' }] },
            event: { type: 'tag', params: { tag: 't' } },
          },
        ],
        path: '/rules/0/conditions/all/0/value',
        message: /flags such as "i" are not supported/,
      },
      {
        name: 'a value that is an object (a fact reference)',
        rules: [
          {
            name: 'r',
            conditions: { all: [{ fact: 'age', operator: 'equal', value: { fact: 'businessYears' } }] },
            event: { type: 'tag', params: { tag: 't' } },
          },
        ],
        path: '/rules/0/conditions/all/0/value',
      },
    ];
    for (const { name, rules, path, message } of cases) {
      it(`when a rule has ${name}, then 400 VALIDATION_FAILED pointing at ${path}`, async () => {
        const res = await saveDraft('validation', { rules, tests: [] });
        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
        const detail = res.body.error.details.find((d: { path: string }) => d.path === path);
        expect(detail, JSON.stringify(res.body.error.details)).to.exist;
        if (message) expect(detail.message).to.match(message);
      });
    }

    it('when there are more rules than the limit, then 400 at /rules', async () => {
      const rules = Array.from({ length: 201 }, (_, i) => ({ ...highIncomeRule, name: `r-${i}` }));
      const res = await saveDraft('validation', { rules });
      expect(res.status).to.equal(400);
      expect(res.body.error.details[0].path).to.equal('/rules');
    });

    it('when a ruleset holds more than 300 matches conditions, then 400 at /rules before any pattern is compiled', async () => {
      const rules = Array.from({ length: 7 }, (_, rule) => ({
        name: `r-${rule}`,
        conditions: {
          any: Array.from({ length: 50 }, (_, leaf) => ({
            fact: 'attributes',
            path: '$.note',
            operator: 'matches',
            value: `^${rule}-${leaf}$`,
          })),
        },
        event: { type: 'tag', params: { tag: 't' } },
      }));
      const res = await saveDraft('validation', { rules });
      expect(res.status).to.equal(400);
      expect(res.body.error.details).to.deep.equal([
        { path: '/rules', message: 'a ruleset may hold at most 300 "matches" conditions (has 350)' },
      ]);
    });

    it('when patterns the old analysis refused are saved (IPv4, domains, number lists, alternatives repeated), then they are accepted', async () => {
      const patterns = [
        '(北京|上海)+',
        '^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$',
        '^([a-z0-9-]+\\.)+[a-z]{2,}$',
        '^(\\d+,)*\\d+$',
      ];
      const rules = [
        {
          name: 'r',
          conditions: { any: patterns.map((value) => ({ fact: 'attributes', path: '$.note', operator: 'matches', value })) },
          event: { type: 'tag', params: { tag: 't', message: 'note {{attributes.note}}' } },
        },
      ];
      await createRuleset('patterns');
      const res = await saveDraft('patterns', { rules });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    });

    it('when a draft is rejected, then the stored draft is unchanged', async () => {
      const res = await app.http().get('/v1/rulesets/validation').set(editor);
      expect(res.body.draft.rules).to.deep.equal([]);
    });

    it('when the ruleset is unknown, then 404', async () => {
      const res = await saveDraft('no-such-ruleset', { rules: [] });
      expect(res.status).to.equal(404);
    });
  });

  describe('draft tests, publish, activate and rollback', () => {
    before(() => createRuleset('lifecycle'));

    it('when the draft is valid, then it is saved and its tests run', async () => {
      const saved = await saveDraft('lifecycle', { rules: [farEventRule(300), highIncomeRule], tests: [farTest(true)] });
      expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
      expect(saved.body.checksum).to.match(/^sha256:[0-9a-f]{64}$/);
      expect(saved.body.updatedBy.name).to.equal('analyst');

      const tested = await app.http().post('/v1/rulesets/lifecycle/draft/test').set(editor);
      expect(tested.status).to.equal(200);
      expect(tested.body).to.include({ passed: 1, failed: 0 });
      expect(tested.body.results[0].actual.alerts).to.deep.equal(['LOCATION_MISMATCH']);
    });

    it('when published, then version 1 is active with a checksum, publisher and time', async () => {
      const res = await app.http().post('/v1/rulesets/lifecycle/versions').set(publisher);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.version).to.equal(1);
      const version = await app.http().get('/v1/rulesets/lifecycle/versions/1').set(decider);
      expect(version.status).to.equal(200);
      expect(version.body.checksum).to.equal(res.body.checksum);
      expect(version.body.publishedBy.name).to.equal('risk-lead');
      expect(version.body.rules).to.have.length(2);
      const ruleset = await app.http().get('/v1/rulesets/lifecycle').set(decider);
      expect(ruleset.body).to.include({ activeVersion: 1, latestVersion: 1, servingVersion: 1 });
    });

    it('when the draft equals the latest version, then publishing is refused with 409', async () => {
      const res = await app.http().post('/v1/rulesets/lifecycle/versions').set(publisher);
      expect(res.status).to.equal(409);
      expect(res.body.error.message).to.match(/equals the latest version/);
    });

    it('when a draft test fails, then publishing is refused with 409 naming the test', async () => {
      await saveDraft('lifecycle', { rules: [farEventRule(3000), highIncomeRule], tests: [farTest(true)] }).expect(200);
      const tested = await app.http().post('/v1/rulesets/lifecycle/draft/test').set(editor);
      expect(tested.body).to.include({ passed: 0, failed: 1 });
      const res = await app.http().post('/v1/rulesets/lifecycle/versions').set(publisher);
      expect(res.status).to.equal(409);
      expect(res.body.error.details[0].path).to.equal('/tests/0');
      expect(res.body.error.details[0].message).to.contain('alerts');
    });

    it('when published with activate false, then the new version exists but is not active', async () => {
      await saveDraft('lifecycle', { rules: [farEventRule(3000), highIncomeRule], tests: [farTest(false)] }).expect(200);
      const res = await app.http().post('/v1/rulesets/lifecycle/versions').set(publisher).send({ activate: false });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ version: 2, activeVersion: 1 });
    });

    it('when activating version 2 and rolling back to 1, then each takes effect and versions stay immutable', async () => {
      const forward = await app.http().put('/v1/rulesets/lifecycle/active').set(publisher).send({ version: 2 });
      expect(forward.status).to.equal(200);
      expect(forward.body.activeVersion).to.equal(2);
      const back = await app.http().put('/v1/rulesets/lifecycle/active').set(publisher).send({ version: 1 });
      expect(back.status).to.equal(200);
      const ruleset = await app.http().get('/v1/rulesets/lifecycle').set(decider);
      expect(ruleset.body).to.include({ activeVersion: 1, latestVersion: 2, servingVersion: 1 });
      expect(ruleset.body.versions.map((v: { version: number }) => v.version)).to.deep.equal([1, 2]);
      const v1 = await app.http().get('/v1/rulesets/lifecycle/versions/1').set(decider);
      expect(v1.body.rules[0].conditions.all[0].value).to.equal(300);
    });

    it('when the version does not exist, then 404 for read and activate', async () => {
      expect((await app.http().get('/v1/rulesets/lifecycle/versions/9').set(decider)).status).to.equal(404);
      expect((await app.http().put('/v1/rulesets/lifecycle/active').set(publisher).send({ version: 9 })).status).to.equal(404);
      expect((await app.http().put('/v1/rulesets/lifecycle/active').set(publisher).send({ version: 'two' })).status).to.equal(400);
    });

    it('when the service runs without FOUR_EYES, then a ruleset says fourEyes false (its last editor may publish)', async () => {
      const res = await app.http().get('/v1/rulesets/lifecycle').set(editor);
      expect(res.status).to.equal(200);
      expect(res.body.fourEyes).to.equal(false);
    });

    it('when an editor without rules:publish publishes, then 403', async () => {
      const res = await app.http().post('/v1/rulesets/lifecycle/versions').set(editor);
      expect(res.status).to.equal(403);
    });
  });
});

describe('Rulesets with FOUR_EYES=true', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp('foureyes', { FOUR_EYES: 'true' });
  });
  after(() => app.stop());

  it('when the service runs with FOUR_EYES=true, then a ruleset says fourEyes true, so a client can tell the last editor before publishing', async () => {
    const res = await app.http().get('/v1/rulesets/fraud-alerts').set(bearer(app.adminKey));
    expect(res.status).to.equal(200);
    expect(res.body.fourEyes).to.equal(true);
  });

  it('when the last editor publishes, then 403; when someone else does, then 201', async () => {
    const both = bearer(await issueKey(app, ['rules:edit', 'rules:publish'], 'editor-and-publisher'));
    const other = bearer(await issueKey(app, ['rules:publish'], 'second-pair-of-eyes'));
    await app.http().post('/v1/rulesets').set(both).send({ id: 'four-eyes', kind: 'tagging' }).expect(201);
    await app
      .http()
      .put('/v1/rulesets/four-eyes/draft')
      .set(both)
      .send({ rules: [highIncomeRule] })
      .expect(200);
    const own = await app.http().post('/v1/rulesets/four-eyes/versions').set(both);
    expect(own.status).to.equal(403);
    const theirs = await app.http().post('/v1/rulesets/four-eyes/versions').set(other);
    expect(theirs.status).to.equal(201);
  });
});

describe('Rulesets across two instances on one database', () => {
  let first: TestApp;
  let second: TestApp;
  before(async () => {
    first = await startTestApp('twoinstances');
    second = await startTestApp('twoinstances', { MONGODB_DB: first.config.mongodbDb, BOOTSTRAP_ADMIN_KEY: first.adminKey });
  });
  after(async () => {
    await second.stop();
    await first.stop();
  });

  async function servingOn(app: TestApp): Promise<number | null> {
    const res = await app.http().get('/v1/rulesets/shared').set(bearer(first.adminKey));
    return res.body.servingVersion;
  }

  it('when one instance rolls back, then the other serves the rolled-back version within 5 s', async () => {
    const admin = bearer(first.adminKey);
    await first.http().post('/v1/rulesets').set(admin).send({ id: 'shared', kind: 'fraud' }).expect(201);
    await first
      .http()
      .put('/v1/rulesets/shared/draft')
      .set(admin)
      .send({ rules: [farEventRule(300)] })
      .expect(200);
    await first.http().post('/v1/rulesets/shared/versions').set(admin).expect(201);
    await first
      .http()
      .put('/v1/rulesets/shared/draft')
      .set(admin)
      .send({ rules: [farEventRule(500)] })
      .expect(200);
    await first.http().post('/v1/rulesets/shared/versions').set(admin).expect(201);

    const deadline = Date.now() + 5000;
    while ((await servingOn(second)) !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await servingOn(second)).to.equal(2);

    const rolledBackAt = Date.now();
    await first.http().put('/v1/rulesets/shared/active').set(admin).send({ version: 1 }).expect(200);
    expect(await servingOn(first), 'the instance that rolled back serves it at once').to.equal(1);
    while ((await servingOn(second)) !== 1 && Date.now() - rolledBackAt < 5000) await new Promise((r) => setTimeout(r, 100));
    expect(await servingOn(second)).to.equal(1);
    expect(Date.now() - rolledBackAt).to.be.below(5000);
  });
});
