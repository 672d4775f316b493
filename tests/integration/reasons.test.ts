import { expect } from 'chai';
import type { Db } from 'mongodb';
import type { Database } from '../../src/db/database.js';
import { startTestApp, bearer, issueKey, openTestDatabase, type TestApp } from '../helpers/test-app.js';
import { editLogEntry, withTampering } from '../helpers/log-entry-editing.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const BEIJING = { lat: 39.9, lon: 116.4 };

/** A score rule on the customer's credit score, giving `reason`. */
const scoreRule = (name: string, below: number, points: number, reason?: string) => ({
  name,
  conditions: { all: [{ fact: 'credit', path: '$.score', operator: 'lessThan', value: below }] },
  event: { type: 'score', params: { points, ...(reason && { reason }) } },
});

const RISK_REASONS = {
  LOW_SCORE: 'Your credit score is lower than we require.',
  VERY_LOW_SCORE: 'Your credit score is far lower than we require.',
  THIN_FILE: 'Your credit history is too short.',
  OTHER: 'Something else.',
};

/** Points for a score of 500: 10 + 30 + 30 + 50 = 120; two 30-point rules tie and break by name. */
const RISK_RULES = [
  scoreRule('score-under-900', 900, 10, 'OTHER'),
  scoreRule('score-under-700-b', 700, 30, 'LOW_SCORE'),
  scoreRule('score-under-700-a', 700, 30, 'THIN_FILE'),
  scoreRule('score-under-600', 600, 50, 'VERY_LOW_SCORE'),
  scoreRule('score-under-800-no-reason', 800, 5),
  scoreRule('score-under-650-bonus', 650, -20, 'OTHER'),
];

const FRAUD_RULES = [
  {
    name: 'far-away',
    conditions: { all: [{ fact: 'eventDistanceFromResidenceKm', operator: 'greaterThan', value: 300 }] },
    event: { type: 'alert', params: { code: 'FAR', severity: 'medium', reason: 'LOCATION' } },
  },
  {
    name: 'very-far-away',
    conditions: { all: [{ fact: 'eventDistanceFromResidenceKm', operator: 'greaterThan', value: 1000 }] },
    event: { type: 'alert', params: { code: 'VERY_FAR', severity: 'high', reason: 'LOCATION_FAR' } },
  },
  {
    name: 'any-application',
    conditions: { all: [{ fact: 'event', path: '$.type', operator: 'equal', value: 'loan_application' }] },
    event: { type: 'alert', params: { code: 'NOTE', severity: 'low', reason: 'LOCATION' } },
  },
];
const FRAUD_REASONS = { LOCATION: 'The application came from far away.', LOCATION_FAR: 'The application came from very far away.' };

describe('Principal reasons', () => {
  let app: TestApp;
  let database: Database;
  let db: Db;
  let editor: Record<string, string>;
  let publisher: Record<string, string>;
  let loanSystem: Record<string, string>;
  let compliance: Record<string, string>;

  before(async () => {
    app = await startTestApp('reasons', { REASONS_MAX: '4' });
    database = await openTestDatabase(app);
    db = database.connection.db!;
    editor = bearer(await issueKey(app, ['rules:edit']));
    publisher = bearer(await issueKey(app, ['rules:publish']));
    loanSystem = bearer(await issueKey(app, ['decide', 'profiles:write']));
    compliance = bearer(await issueKey(app, ['audit:read']));
    for (const [id, kind, rules, reasons] of [
      ['reasons-risk', 'risk', RISK_RULES, RISK_REASONS],
      ['reasons-fraud', 'fraud', FRAUD_RULES, FRAUD_REASONS],
    ] as const) {
      await app.http().post('/v1/rulesets').set(editor).send({ id, kind, description: id }).expect(201);
      await app.http().put(`/v1/rulesets/${id}/draft`).set(editor).send({ rules, reasons }).expect(200);
      await app.http().post(`/v1/rulesets/${id}/versions`).set(publisher).send({}).expect(201);
    }
    await putProfile('R-POOR', 500);
    await putProfile('R-GOOD', 950);
  });
  after(async () => {
    await database?.close();
    await app.stop();
  });

  async function putProfile(profileId: string, score: number): Promise<void> {
    await app
      .http()
      .put(`/v1/profiles/${profileId}`)
      .set(loanSystem)
      .send({ type: 'individual', basic: { residence: GUANGZHOU }, credit: { score } })
      .expect(201);
  }

  async function decide(profileId: string, location = BEIJING, rulesets = ['reasons-fraud', 'reasons-risk']) {
    const res = await app
      .http()
      .post('/v1/decisions')
      .set(loanSystem)
      .send({ profileId, event: { type: 'loan_application', at: '2026-11-21T10:00:00+08:00', location }, rulesets });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  }

  describe('the catalogue', () => {
    it('when a rule names a reason code the draft does not hold, then saving answers 400 pointing at the reason', async () => {
      const res = await app
        .http()
        .put('/v1/rulesets/reasons-risk/draft')
        .set(editor)
        .send({ rules: [scoreRule('score-under-700', 700, 30, 'NO_SUCH_CODE')], reasons: RISK_REASONS });

      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      expect(res.body.error.details).to.have.length(1);
      expect(res.body.error.details[0].path).to.equal('/rules/0/event/params/reason');
      expect(res.body.error.details[0].message).to.include('NO_SUCH_CODE');
    });

    it('when a reason code is lowercase or a text is empty, then saving answers 400 and stores nothing', async () => {
      const before = (await app.http().get('/v1/rulesets/reasons-risk').set(editor)).body.draft;
      const lower = await app
        .http()
        .put('/v1/rulesets/reasons-risk/draft')
        .set(editor)
        .send({ rules: [], reasons: { low_score: 'text' } });
      const empty = await app
        .http()
        .put('/v1/rulesets/reasons-risk/draft')
        .set(editor)
        .send({ rules: [], reasons: { LOW_SCORE: '' } });

      expect(lower.status).to.equal(400);
      expect(lower.body.error.details.map((detail: { path: string }) => detail.path).join()).to.include('/reasons');
      expect(empty.status).to.equal(400);
      expect(empty.body.error.details[0].path).to.equal('/reasons/LOW_SCORE');
      const after = (await app.http().get('/v1/rulesets/reasons-risk').set(editor)).body.draft;
      expect(after.checksum).to.equal(before.checksum);
    });

    it('when the catalogue text changes in a new version, then each version keeps its own text', async () => {
      await app.http().post('/v1/rulesets').set(editor).send({ id: 'reasons-text', kind: 'risk' }).expect(201);
      const rules = [scoreRule('score-under-700', 700, 80, 'LOW_SCORE')];
      const saved = await app
        .http()
        .put('/v1/rulesets/reasons-text/draft')
        .set(editor)
        .send({ rules, reasons: { LOW_SCORE: 'First text.' } });
      expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
      expect(saved.body.reasons).to.deep.equal({ LOW_SCORE: 'First text.' });
      await app.http().post('/v1/rulesets/reasons-text/versions').set(publisher).send({}).expect(201);
      await app
        .http()
        .put('/v1/rulesets/reasons-text/draft')
        .set(editor)
        .send({ rules, reasons: { LOW_SCORE: 'Second text.' } })
        .expect(200);
      const published = await app.http().post('/v1/rulesets/reasons-text/versions').set(publisher).send({});
      expect(published.status, 'a draft differing only in its reasons is something to publish').to.equal(201);

      const v1 = (await app.http().get('/v1/rulesets/reasons-text/versions/1').set(editor)).body;
      const v2 = (await app.http().get('/v1/rulesets/reasons-text/versions/2').set(editor)).body;
      expect(v1.reasons).to.deep.equal({ LOW_SCORE: 'First text.' });
      expect(v2.reasons).to.deep.equal({ LOW_SCORE: 'Second text.' });
      const pinned = await app
        .http()
        .post('/v1/decisions')
        .set(loanSystem)
        .send({ profileId: 'R-POOR', event: { type: 'login' }, rulesets: ['reasons-text'], versions: { 'reasons-text': 1 } });
      expect(pinned.body.reasons.map((reason: { text: string }) => reason.text)).to.deep.equal(['First text.']);
    });
  });

  describe('POST /v1/decisions', () => {
    it('when a decision declines, then its reasons rank high alerts, then medium, then score rules by points, ties by rule name, at most REASONS_MAX', async () => {
      const decision = await decide('R-POOR');

      expect(decision.outcome).to.equal('decline');
      expect(decision.reasons).to.deep.equal([
        { code: 'LOCATION_FAR', text: FRAUD_REASONS.LOCATION_FAR, ruleset: 'reasons-fraud', version: 1, rule: 'very-far-away' },
        { code: 'LOCATION', text: FRAUD_REASONS.LOCATION, ruleset: 'reasons-fraud', version: 1, rule: 'far-away' },
        { code: 'VERY_LOW_SCORE', text: RISK_REASONS.VERY_LOW_SCORE, ruleset: 'reasons-risk', version: 1, rule: 'score-under-600' },
        { code: 'THIN_FILE', text: RISK_REASONS.THIN_FILE, ruleset: 'reasons-risk', version: 1, rule: 'score-under-700-a' },
      ]);
    });

    it('when only score rules speak, then the points order them and rules without a reason or with negative points give none', async () => {
      const decision = await decide('R-POOR', { lat: GUANGZHOU.lat, lon: GUANGZHOU.lon }, ['reasons-risk']);

      expect(decision.outcome).to.equal('decline');
      expect(decision.reasons.map((reason: { code: string }) => reason.code)).to.deep.equal([
        'VERY_LOW_SCORE',
        'THIN_FILE',
        'LOW_SCORE',
        'OTHER',
      ]);
    });

    it('when a decision approves, then it carries no reasons even though a low alert with a reason fired', async () => {
      const decision = await decide('R-GOOD', { lat: GUANGZHOU.lat, lon: GUANGZHOU.lon });

      expect(decision.outcome).to.equal('approve');
      expect(decision.alerts.map((alert: { code: string }) => alert.code)).to.deep.equal(['NOTE']);
      expect(decision.reasons).to.deep.equal([]);
    });

    it('when a decision with reasons is logged, then the log shows them and replay finds them identical', async () => {
      const decision = await decide('R-POOR');

      const logged = await app.http().get(`/v1/decisions/${decision.decisionId}`).set(compliance);
      const replay = await app.http().post(`/v1/decisions/${decision.decisionId}/replay`).set(compliance);

      expect(logged.body.reasons).to.deep.equal(decision.reasons);
      expect(replay.status, JSON.stringify(replay.body)).to.equal(200);
      expect(replay.body).to.include({ identical: true });
    });

    it('when the logged reasons are edited in the database, then verify reports the entry', async () => {
      const decision = await decide('R-POOR');
      await withTampering(
        db,
        ['decision_log'],
        async () => {
          await editLogEntry(db, decision.decisionId, ({ core }) => {
            // Logged as [code, ruleset index, rule]: the text is the version's, the code is the entry's.
            (core.reasons as [string, number, string][])[0]![0] = 'A_KINDER_REASON';
          });
        },
        async () => {
          const report = (await app.http().get('/v1/audit/verify').set(compliance)).body;
          const problems = report.problems.filter((problem: { id: string }) => problem.id === decision.decisionId);
          expect(problems.map((problem: { problem: string }) => problem.problem)).to.include('content does not match its hash');
        },
      );
    });

    it('when an instance with a smaller REASONS_MAX replays a decision, then replay reports the reasons as a difference', async () => {
      const decision = await decide('R-POOR');
      const other = await startTestApp('reasons-other', {
        MONGODB_DB: app.config.mongodbDb,
        REASONS_MAX: '1',
        BOOTSTRAP_ADMIN_KEY: app.adminKey,
      });
      try {
        const replay = await other.http().post(`/v1/decisions/${decision.decisionId}/replay`).set(compliance);

        expect(replay.status, JSON.stringify(replay.body)).to.equal(200);
        expect(replay.body.identical).to.equal(false);
        expect(replay.body.differences).to.deep.equal([
          { path: '/reasons', logged: decision.reasons, replayed: decision.reasons.slice(0, 1) },
        ]);
      } finally {
        await other.stop();
      }
    });

    it('when the shipped fraud-alerts ruleset declines an application from Beijing, then the applicant is told it came from far away', async () => {
      const decision = await decide('R-GOOD', BEIJING, ['fraud-alerts', 'credit-risk']);

      expect(decision.outcome).to.equal('decline');
      expect(decision.reasons[0]).to.deep.include({
        code: 'APPLICATION_LOCATION',
        ruleset: 'fraud-alerts',
        rule: 'event-far-from-residence',
      });
      expect(decision.reasons[0].text).to.match(/far from your home address/);
    });
  });
});
