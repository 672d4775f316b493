import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { bearer, issueKey, startTestApp, type TestApp } from '../helpers/test-app.js';
import { expectAccessible, launchBrowser, ROOMY_BUDGET, screenshot, signIn, textOf } from '../helpers/browser.js';
import { AMOUNT_TO_INCOME_RULE, BEIJING_APPLICATION, farEventRule, storeGuangzhouProfile } from '../helpers/shadow.js';

const RULESET = 'shadow-journey';
const DECISIONS = 3;

describe('console: shadow a version on live traffic (publish without activating, shadow, report, activate from the report)', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let loanSystem: Record<string, string>;

  const decide = async () => {
    const res = await app
      .http()
      .post('/v1/decisions')
      .set(loanSystem)
      .send({ profileId: 'SJ-1', event: BEIJING_APPLICATION, rulesets: [RULESET] });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { decisionId: string; outcome: string; alerts: { code: string }[]; rulesetVersions: Record<string, number> };
  };
  const tableRow = (table: string, text: string) => page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text });

  before(async () => {
    app = await startTestApp('console-shadow', { ...ROOMY_BUDGET, SHADOW_FLUSH_MS: '200', RULESET_POLL_MS: '100' });
    browser = await launchBrowser();
    const admin = bearer(app.adminKey);
    loanSystem = bearer(await issueKey(app, ['decide'], 'loan-system'));
    await storeGuangzhouProfile(app, 'SJ-1');
    await app
      .http()
      .post('/v1/rulesets')
      .set(admin)
      .send({ id: RULESET, kind: 'fraud', description: 'Where applications come from' })
      .expect(201);
    await app
      .http()
      .put(`/v1/rulesets/${RULESET}/draft`)
      .set(admin)
      .send({ rules: [farEventRule(300)], tests: [] })
      .expect(200);
    await app.http().post(`/v1/rulesets/${RULESET}/versions`).set(admin).expect(201);
    // The candidate: alert on distance only beyond 3,000 km, and on an amount above twice the monthly income.
    await app
      .http()
      .put(`/v1/rulesets/${RULESET}/draft`)
      .set(bearer(await issueKey(app, ['rules:edit'], 'analyst-ana')))
      .send({ rules: [farEventRule(3000), AMOUNT_TO_INCOME_RULE], tests: [] })
      .expect(200);
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

  it('when a publisher publishes version 2 without activating it, shadows it, and decisions go through the API, then the report shows what would change and the publisher activates version 2 from it', async () => {
    await signIn(page, app.url, await issueKey(app, ['rules:publish', 'audit:read'], 'publisher-pat'));
    await page.goto(`${app.url}/console/#/rulesets/${RULESET}/versions`);
    await page.getByLabel('Make version 2 active at once').uncheck();
    await page.getByRole('button', { name: 'Publish the draft as version 2' }).click();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'Published version 2' }))).to.include('it is not active');

    await page.getByRole('tab', { name: 'Shadow on live traffic' }).click();
    await page.getByText(`No version of ${RULESET} is shadowed.`).waitFor();
    await expectAccessible(page, 'shadow tab without a shadow');
    expect(await page.getByLabel('Version to shadow').inputValue()).to.equal('2');
    await page.getByRole('button', { name: 'Shadow version 2' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 2 is now shadowed' }).waitFor();
    await page.getByText(/Version 2 is evaluated beside version 1 on every live decision since/).waitFor();

    const decided = [];
    for (let i = 0; i < DECISIONS; i++) decided.push(await decide());
    expect(decided.map((d) => d.outcome)).to.deep.equal(['decline', 'decline', 'decline']);
    expect(decided.map((d) => d.rulesetVersions[RULESET])).to.deep.equal([1, 1, 1]);

    const outcomeRow = tableRow('Decisions that would have changed', 'Outcome');
    for (let tries = 0; tries < 50 && (await textOf(outcomeRow)) !== 'Outcome3 (100.0 %)'; tries++) {
      await page.getByRole('button', { name: 'Refresh the report' }).click();
      await page.waitForTimeout(100);
    }
    expect(await textOf(outcomeRow)).to.equal('Outcome3 (100.0 %)');
    expect(await textOf(tableRow('Decisions that would have changed', 'Decisions evaluated'))).to.equal(
      'Decisions evaluated under both versions3',
    );
    expect(await textOf(tableRow('Decisions that would have changed', 'Alert codes'))).to.equal('Alert codes3 (100.0 %)');
    expect(await textOf(tableRow('Decisions that would have changed', 'Tags'))).to.equal('Tags0 (0.0 %)');
    expect(await textOf(tableRow('Rule hits under each version', 'event-far-from-residence'))).to.equal('event-far-from-residence30-3');
    expect(await textOf(tableRow('Rule hits under each version', 'amount-above-twice-income'))).to.equal('amount-above-twice-income03+3');
    const examples = page.getByRole('table', { name: 'The most recent decisions that would have differed' });
    for (const { decisionId } of decided) {
      expect(await textOf(examples.getByRole('row').filter({ hasText: decisionId }))).to.include('Outcome, Alert codes');
    }
    await expectAccessible(page, 'shadow report');

    await page.getByRole('button', { name: 'Activate version 2' }).click();
    const dialog = page.getByRole('dialog', { name: `Activate version 2 of ${RULESET}?` });
    await dialog.waitFor();
    await expectAccessible(page, 'activation from the shadow report');
    await dialog.getByRole('button', { name: 'Activate version 2' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Version 2 of ${RULESET} is now active` })
      .waitFor();
    await page.getByText('Active version: 2').waitFor();
    await page.getByText(/Version 2 has been shadowed since .* and is now the active version/).waitFor();
    await expectAccessible(page, 'shadow report after the activation');
    await screenshot(page, 'shadow-report-activated');

    const after = await decide();
    expect(after.rulesetVersions[RULESET]).to.equal(2);
    expect(after.outcome).to.equal('review');
    expect(after.alerts.map((alert) => alert.code)).to.deep.equal(['AMOUNT_HIGH_FOR_INCOME']);
  });

  it('when an editor without rules:publish opens the shadow report, then it shows the counts without examples and offers no control', async () => {
    await signIn(page, app.url, await issueKey(app, ['rules:edit'], 'analyst-eve'));
    await page.goto(`${app.url}/console/#/rulesets/${RULESET}/shadow`);
    await page.getByRole('table', { name: 'Rule hits under each version' }).waitFor();
    await page.getByText('Examples of differing decisions are shown to keys with the audit:read role.').waitFor();
    await page.getByText(/^Setting a shadow needs the rules:publish role/).waitFor();
    expect(await page.getByRole('button', { name: /Activate|Stop shadowing|Shadow version/ }).count()).to.equal(0);
    await expectAccessible(page, 'shadow report for an editor');
  });
});
