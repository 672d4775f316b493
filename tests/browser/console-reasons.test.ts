import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { bearer, issueKey, startTestApp, type TestApp } from '../helpers/test-app.js';
import { expectAccessible, launchBrowser, ROOMY_BUDGET, screenshot, signIn, textOf } from '../helpers/browser.js';

const LOW_SCORE_TEXT = 'Your credit score is lower than we require for this loan.';
const RULES = [
  {
    name: 'low-credit-score',
    conditions: { all: [{ fact: 'credit', path: '$.score', operator: 'lessThan', value: 600 }] },
    event: { type: 'score', params: { points: 80 } },
  },
  {
    name: 'young-applicant',
    conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 21 }] },
    event: { type: 'score', params: { points: 10 } },
  },
];

describe('console: principal reasons and the fairness check', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let loanSystem: Record<string, string>;

  const goTo = (path: string) => page.goto(`${app.url}/console/#${path}`);

  before(async () => {
    app = await startTestApp('console-reasons', ROOMY_BUDGET);
    browser = await launchBrowser();
    const setUp = bearer(await issueKey(app, ['rules:edit', 'profiles:write'], 'set-up'));
    loanSystem = bearer(await issueKey(app, ['decide'], 'loan-system'));
    await app
      .http()
      .post('/v1/rulesets')
      .set(setUp)
      .send({ id: 'credit-reasons', kind: 'risk', description: 'Reasons journey' })
      .expect(201);
    await app.http().put('/v1/rulesets/credit-reasons/draft').set(setUp).send({ rules: RULES }).expect(200);
    await app
      .http()
      .put('/v1/profiles/C-REASONS')
      .set(setUp)
      .send({ type: 'individual', basic: { birthDate: '1980-01-01' }, credit: { score: 550 } })
      .expect(201);
    for (const [index, gender] of ['female', 'female', 'female', 'female', 'female', 'male', 'male', 'male', 'male', 'male'].entries()) {
      await app
        .http()
        .put(`/v1/profiles/G-${index}`)
        .set(setUp)
        .send({ type: 'individual', basic: { gender, birthDate: '1985-03-01' }, credit: { score: gender === 'female' ? 620 : 700 } })
        .expect(201);
    }
  });
  beforeEach(async () => {
    page = await browser.newPage({ timezoneId: 'Asia/Shanghai' });
    page.setDefaultTimeout(10_000);
  });
  afterEach(async () => page.close());
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('when an editor adds a reason, names it on a rule and publishes with an acknowledgement, then a declined decision shows the reason text on its page', async function () {
    this.timeout(120_000);
    const editorKey = await issueKey(app, ['rules:edit', 'rules:publish'], 'credit-editor');
    await signIn(page, app.url, editorKey);
    await goTo('/rulesets/credit-reasons/draft');
    const of = 'of rule low-credit-score';

    // A reason in the catalogue, named on the rule.
    const catalogue = page.getByRole('region', { name: 'Principal reasons' });
    expect(await textOf(catalogue)).to.include('No reasons yet.');
    await catalogue.getByLabel('Code of the new reason').fill('low_score');
    await catalogue.getByLabel('Text of the new reason').fill(LOW_SCORE_TEXT);
    await catalogue.getByRole('button', { name: 'Add reason' }).click();
    expect(await catalogue.getByLabel('Text of reason LOW_SCORE').inputValue()).to.equal(LOW_SCORE_TEXT);
    await page.getByLabel(`Principal reason ${of}`).selectOption('LOW_SCORE');
    expect(await textOf(catalogue.getByRole('row', { name: /LOW_SCORE/ }))).to.include('low-credit-score');

    // Removed from the catalogue while the rule still names it: the service's refusal shows at the rule's reason.
    await catalogue.getByRole('button', { name: 'Remove reason LOW_SCORE' }).click();
    await page.getByRole('button', { name: 'Save the draft' }).click();
    const reason = page.getByLabel(`Principal reason ${of}`);
    await page.locator(`[id="rule-0-event-reason-problem"]`).waitFor();
    expect(await reason.getAttribute('aria-invalid')).to.equal('true');
    expect(await textOf(page.locator('[id="rule-0-event-reason-problem"]'))).to.include(
      'names the reason code LOW_SCORE, which is not in the draft',
    );
    await expectAccessible(page, 'draft editor with an unknown reason');

    await catalogue.getByLabel('Code of the new reason').fill('LOW_SCORE');
    await catalogue.getByLabel('Text of the new reason').fill('A first wording.');
    await catalogue.getByRole('button', { name: 'Add reason' }).click();
    await catalogue.getByLabel('Text of reason LOW_SCORE').fill(LOW_SCORE_TEXT);
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.locator('.save-bar [role=status]').filter({ hasText: 'No unsaved changes' }).waitFor();
    expect(await page.locator('[id="rule-0-event-reason-problem"]').count()).to.equal(0);
    await expectAccessible(page, 'draft editor with its reason catalogue');

    // Publishing: the draft reads age, a protected fact, so the publisher must say why.
    await page.getByRole('tab', { name: 'Publish and roll back' }).click();
    const notice = page.getByRole('note', { name: /This draft reads protected facts/ });
    expect(await textOf(notice.getByRole('list', { name: 'Conditions reading protected facts' }))).to.include(
      'rule young-applicant, condition 1, fact: reads the protected fact age',
    );
    const publish = page.getByRole('button', { name: 'Publish the draft as version 1' });
    expect(await publish.getAttribute('aria-disabled')).to.equal('true');
    await expectAccessible(page, 'publish with protected facts');
    await notice
      .getByLabel('Why this draft may read protected facts')
      .fill('Applicants under 21 need a guarantor by law; reviewed by compliance.');
    expect(await publish.getAttribute('aria-disabled')).to.equal('false');
    await publish.click();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'Published version 1' }))).to.include('and made it active');

    // A decision through the API declines with the reason; its page shows the text.
    const decision = await app
      .http()
      .post('/v1/decisions')
      .set(loanSystem)
      .send({ profileId: 'C-REASONS', event: { type: 'loan_application' }, rulesets: ['credit-reasons'] });
    expect(decision.status, JSON.stringify(decision.body)).to.equal(200);
    expect(decision.body.outcome).to.equal('decline');
    expect(decision.body.reasons).to.deep.equal([
      { code: 'LOW_SCORE', text: LOW_SCORE_TEXT, ruleset: 'credit-reasons', version: 1, rule: 'low-credit-score' },
    ]);
    const compliance = await issueKey(app, ['audit:read'], 'compliance');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, app.url, compliance);
    await goTo(`/decisions/${decision.body.decisionId}`);
    const reasons = page.getByRole('table', { name: 'Principal reasons told to the applicant, most important first' });
    expect(await textOf(reasons.getByRole('row').nth(1))).to.equal(`1${LOW_SCORE_TEXT}LOW_SCOREcredit-reasons v1 / low-credit-score`);
    await expectAccessible(page, 'decision with its reasons');
    await screenshot(page, 'reasons-decision-page');
  });

  it('when a draft declines more women than men, then the backtest shows approval rates by gender and flags the adverse impact ratio', async function () {
    this.timeout(90_000);
    const reviewerKey = await issueKey(app, ['rules:edit', 'audit:read'], 'fair-lending-reviewer');
    await app
      .http()
      .put('/v1/rulesets/credit-reasons/draft')
      .set(bearer(reviewerKey))
      .send({ rules: [{ ...RULES[0], conditions: { all: [{ fact: 'credit', path: '$.score', operator: 'lessThan', value: 650 }] } }] })
      .expect(200);
    await signIn(page, app.url, reviewerKey);
    await goTo('/rulesets/credit-reasons/backtest');
    await page.getByLabel('Candidate (what to try)').selectOption({ label: 'the draft' });
    await page.getByRole('button', { name: 'Run the backtest' }).click();
    await page.getByRole('heading', { name: 'What the draft would change against version 1' }).waitFor();

    const gender = page.getByRole('table', { name: 'Approval rate by gender (basic.gender)' });
    expect(await textOf(gender.getByRole('row', { name: /^female/ }))).to.equal('female5100.0 %0.0 %');
    expect(await textOf(gender.getByRole('row', { name: /^male/ }))).to.equal('male5100.0 %100.0 %');
    expect(await textOf(page.getByText(/^Adverse impact ratio by gender/))).to.include('candidate: the draft 0.00 (below 0.8: flagged)');
    await expectAccessible(page, 'backtest with the fairness check');
    await screenshot(page, 'reasons-backtest-fairness');
  });
});
