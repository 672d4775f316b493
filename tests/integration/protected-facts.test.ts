import { expect } from 'chai';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';

const byGender = (gender: string, points: number) => ({
  name: `${gender}-applicant`,
  conditions: { all: [{ fact: 'basic', path: '$.gender', operator: 'equal', value: gender }] },
  event: { type: 'score', params: { points } },
});
const olderApplicant = {
  name: 'older-applicant',
  conditions: { any: [{ not: { fact: 'age', operator: 'lessThan', value: 60 } }] },
  event: { type: 'score', params: { points: 10 } },
};
const incomeRule = {
  name: 'low-income',
  conditions: { all: [{ fact: 'financials', path: '$.monthlyIncome', operator: 'lessThan', value: 1000 }] },
  event: { type: 'score', params: { points: 10 } },
};

interface FairnessGroup {
  group: string;
  inputs: number | null;
  baseline: { approve: number | null; approvalRate: number | null };
  candidate: { approve: number | null; approvalRate: number | null };
}
interface AttributeFairness {
  attribute: string;
  notStated: number | null;
  groups: FairnessGroup[];
  adverseImpactRatio: { baseline: number | null; candidate: number | null };
  flagged: { baseline: boolean; candidate: boolean };
}

describe('Protected facts and the fairness check', () => {
  let app: TestApp;
  let editor: Record<string, string>;
  let publisher: Record<string, string>;
  let reviewer: Record<string, string>;
  let compliance: Record<string, string>;

  before(async () => {
    app = await startTestApp('protected-facts');
    editor = bearer(await issueKey(app, ['rules:edit']));
    publisher = bearer(await issueKey(app, ['rules:publish']));
    reviewer = bearer(await issueKey(app, ['rules:edit', 'audit:read']));
    compliance = bearer(await issueKey(app, ['audit:read']));
  });
  after(() => app.stop());

  async function createRuleset(id: string, kind: string): Promise<void> {
    await app.http().post('/v1/rulesets').set(editor).send({ id, kind, description: id }).expect(201);
  }
  const saveDraft = (id: string, rules: object[]) => app.http().put(`/v1/rulesets/${id}/draft`).set(editor).send({ rules });

  describe('drafts', () => {
    it('when a risk draft reads basic.gender and age, then saving answers 200 with a warning pointing at each condition', async () => {
      await createRuleset('fair-risk', 'risk');

      const res = await saveDraft('fair-risk', [incomeRule, byGender('female', 30), olderApplicant]);

      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.warnings.map((warning: { path: string }) => warning.path)).to.deep.equal([
        '/rules/1/conditions/all/0/fact',
        '/rules/2/conditions/any/0/not/fact',
      ]);
      expect(res.body.warnings[0].message).to.include('basic.gender');
      const detail = await app.http().get('/v1/rulesets/fair-risk').set(editor);
      expect(detail.body.draft.warnings, 'the draft shows its warnings to whoever publishes it').to.have.length(2);
    });

    it('when a product draft reads other fields of basic beside the gender, then only the gender is warned about', async () => {
      await createRuleset('fair-product', 'product');
      const rule = {
        name: 'educated-women',
        conditions: {
          all: [
            { fact: 'basic', path: '$.education', operator: 'equal', value: 'master' },
            { fact: 'basic', path: '$.gender', operator: 'equal', value: 'female' },
          ],
        },
        event: { type: 'product', params: { product: 'card', rank: 1 } },
      };

      const res = await saveDraft('fair-product', [rule]);

      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.warnings.map((warning: { path: string }) => warning.path)).to.deep.equal(['/rules/0/conditions/all/1/fact']);
    });

    it('when a tagging or fraud draft reads them, then there is no warning and publishing needs no acknowledgement', async () => {
      await createRuleset('fair-tags', 'tagging');
      await createRuleset('fair-fraud', 'fraud');
      const tag = { ...byGender('female', 0), event: { type: 'tag', params: { tag: 'women-offer' } } };

      const tags = await saveDraft('fair-tags', [tag]);
      const fraud = await saveDraft('fair-fraud', [olderApplicant]);

      expect(tags.body.warnings).to.deep.equal([]);
      expect(fraud.body.warnings).to.deep.equal([]);
      await app.http().post('/v1/rulesets/fair-tags/versions').set(publisher).send({}).expect(201);
    });
  });

  describe('publishing', () => {
    it('when a risk draft reading protected facts is published without an acknowledgement, then 409 says why and nothing is published', async () => {
      const res = await app.http().post('/v1/rulesets/fair-risk/versions').set(publisher).send({});

      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal('CONFLICT');
      expect(res.body.error.message).to.include('acknowledgeProtected');
      expect(res.body.error.details.map((detail: { path: string }) => detail.path)).to.include('/rules/1/conditions/all/0/fact');
      const detail = await app.http().get('/v1/rulesets/fair-risk').set(editor);
      expect(detail.body.versions).to.deep.equal([]);
    });

    it('when an acknowledgement of blanks is given, then 400', async () => {
      const res = await app.http().post('/v1/rulesets/fair-risk/versions').set(publisher).send({ acknowledgeProtected: '   ' });

      expect(res.status).to.equal(400);
      expect(res.body.error.details[0].path).to.equal('/acknowledgeProtected');
    });

    it('when it is published with an acknowledgement, then the audit event records it with the conditions it covers', async () => {
      const why = 'Test of the age-based pension rule, approved by the fair-lending committee on 2026-11-30.';

      const res = await app.http().post('/v1/rulesets/fair-risk/versions').set(publisher).send({ acknowledgeProtected: why });

      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const events = await app.http().get('/v1/audit/events').query({ type: 'ruleset.published' }).set(compliance);
      const event = events.body.items.find((item: { subject: { id: string } }) => item.subject.id === 'fair-risk');
      expect(event.data).to.deep.equal({
        version: 1,
        checksum: res.body.checksum,
        acknowledgeProtected: why,
        protectedReads: ['/rules/1/conditions/all/0/fact', '/rules/2/conditions/any/0/not/fact'],
      });
    });

    it('when the shipped product-matching ruleset (which reads age) was installed, then its acknowledgement is in the audit trail', async () => {
      const events = await app.http().get('/v1/audit/events').query({ type: 'ruleset.published' }).set(compliance);
      const event = events.body.items.find((item: { subject: { id: string } }) => item.subject.id === 'product-matching');

      expect(event.data.acknowledgeProtected).to.match(/eligibility/);
      expect(event.data.protectedReads).to.have.length(2);
    });
  });

  it('when PROTECTED_FACTS names a fact a shipped risk ruleset reads, then the service starts and leaves that ruleset unpublished for staff', async () => {
    const other = await startTestApp('protected-shipped', { PROTECTED_FACTS: 'credit.score' });
    try {
      const staff = bearer(await issueKey(other, ['rules:edit']));
      const creditRisk = await other.http().get('/v1/rulesets/credit-risk').set(staff);
      const fraud = await other.http().get('/v1/rulesets/fraud-alerts').set(staff);

      expect(creditRisk.body.activeVersion).to.equal(null);
      expect(creditRisk.body.draft.warnings.length).to.be.greaterThan(0);
      expect(fraud.body.activeVersion, 'fraud rulesets are not restricted').to.equal(1);
    } finally {
      await other.stop();
    }
  });

  describe('backtests', () => {
    before(async () => {
      const feed = bearer(await issueKey(app, ['profiles:write']));
      // 6 women and 6 men (ages 29-31 and 68-70), and 2 profiles without a gender.
      const people = [
        ...Array.from({ length: 6 }, (_, index) => ({ id: `F-${index}`, gender: 'female', born: 1995 + (index % 3) })),
        ...Array.from({ length: 6 }, (_, index) => ({ id: `M-${index}`, gender: 'male', born: 1956 + (index % 3) })),
      ];
      for (const person of people) {
        await app
          .http()
          .put(`/v1/profiles/${person.id}`)
          .set(feed)
          .send({ type: 'individual', basic: { gender: person.gender, birthDate: `${person.born}-06-01` } })
          .expect(201);
      }
      for (const id of ['U-0', 'U-1']) await app.http().put(`/v1/profiles/${id}`).set(feed).send({ type: 'individual' }).expect(201);
      // The baseline (version 1) declines nobody on gender; the draft declines every woman.
      await saveDraft('fair-risk', [byGender('female', 80)]).expect(200);
    });

    const backtest = (key: Record<string, string>) =>
      app
        .http()
        .post('/v1/rulesets/fair-risk/simulate')
        .set(key)
        .send({
          candidate: 'draft',
          baseline: 1,
          against: { profiles: { limit: 100, event: { type: 'loan_application', at: '2026-11-30T10:00:00Z' } } },
        });

    it('when a draft declines every woman, then the backtest reports approval rates by gender with an adverse impact ratio of 0, flagged', async () => {
      const res = await backtest(reviewer);

      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const gender = res.body.fairness.attributes.find((attribute: AttributeFairness) => attribute.attribute === 'basic.gender');
      expect(res.body.fairness).to.include({ threshold: 0.8, minimumGroupSize: 5 });
      expect(gender.notStated).to.equal(2);
      expect(
        gender.groups.map((group: FairnessGroup) => [group.group, group.inputs, group.baseline.approvalRate, group.candidate.approvalRate]),
      ).to.deep.equal([
        ['female', 6, 1, 0],
        ['male', 6, 1, 1],
      ]);
      expect(gender.adverseImpactRatio).to.deep.equal({ baseline: 1, candidate: 0 });
      expect(gender.flagged).to.deep.equal({ baseline: false, candidate: true });
    });

    it('when the inputs carry ages, then outcomes are grouped in the documented age bands', async () => {
      const res = await backtest(reviewer);

      const age = res.body.fairness.attributes.find((attribute: AttributeFairness) => attribute.attribute === 'age');
      expect(age.groups.map((group: FairnessGroup) => [group.group, group.inputs])).to.deep.equal([
        ['25-34', 6],
        ['62+', 6],
      ]);
      expect(age.adverseImpactRatio.candidate).to.equal(0);
      expect(age.flagged.candidate).to.equal(true);
    });

    it('when an editor without audit:read reads the backtest, then counts below 5 are withheld and the ratios stay', async () => {
      const res = await backtest(editor);

      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const gender = res.body.fairness.attributes.find((attribute: AttributeFairness) => attribute.attribute === 'basic.gender');
      expect(gender.notStated, '2 profiles without a gender: below 5').to.equal(null);
      const female = gender.groups.find((group: FairnessGroup) => group.group === 'female');
      expect(female.inputs).to.equal(6);
      expect(female.candidate.approve, 'no woman approved: 0 is below 5').to.equal(null);
      expect(female.candidate.approvalRate).to.equal(0);
      expect(gender.flagged).to.deep.equal({ baseline: false, candidate: true });
    });
  });
});
