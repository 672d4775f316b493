import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { bearer, issueKey, startTestApp, type TestApp } from '../helpers/test-app.js';
import { expectAccessible, launchBrowser, ROOMY_BUDGET, screenshot, signIn, textOf } from '../helpers/browser.js';

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const FROM_BEIJING = { type: 'login', location: { lat: 39.9, lon: 116.4 } };
const RULE = 'event-far-from-residence';

describe('console: alert review and snoozes', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let analystKey: string;
  let loans: Record<string, string>;
  /** The alerted decisions of FR-1 and FR-2. */
  const alerted = new Map<string, string>();

  before(async function () {
    this.timeout(60_000);
    app = await startTestApp('console-alert-review', ROOMY_BUDGET);
    analystKey = await issueKey(app, ['alerts:review'], 'fraud-analyst');
    loans = bearer(await issueKey(app, ['decide', 'profiles:write'], 'loan-origination'));
    for (const profileId of ['FR-1', 'FR-2']) {
      const activity = [
        { at: new Date(Date.now() - 3_600_000).toISOString(), kind: 'login', lat: 23.1, lon: 113.2, deviceId: `dev-${profileId}` },
      ];
      await app
        .http()
        .put(`/v1/profiles/${profileId}`)
        .set(loans)
        .send({ type: 'individual', basic: { residence: GUANGZHOU }, activity })
        .expect(201);
      const res = await app
        .http()
        .post('/v1/decisions')
        .set(loans)
        .send({ profileId, event: FROM_BEIJING, rulesets: ['fraud-alerts'] })
        .expect(200);
      alerted.set(profileId, res.body.decisionId);
    }
    browser = await launchBrowser();
  });
  beforeEach(async () => {
    page = await browser.newPage();
  });
  afterEach(async () => page.close());
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function label(decisionId: string, which: string, note: string): Promise<void> {
    await page.getByRole('link', { name: `Open alert of decision ${decisionId}` }).click();
    await page.getByRole('heading', { name: `Alert of decision ${decisionId}` }).waitFor();
    await page.getByRole('radio', { name: which }).check();
    await page.getByLabel('Note').fill(note);
    await page.getByRole('button', { name: 'Save label' }).click();
    await page.getByText(`Labelled ${which}.`).waitFor();
    await page.getByRole('table', { name: 'Reviews' }).getByRole('rowheader', { name: which }).waitFor();
  }

  it('when an analyst labels two alerts and snoozes a rule for one customer, then the next decision for that customer shows the rule snoozed in the decision detail', async () => {
    await signIn(page, app.url, analystKey);
    const nav = await page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents();
    expect(nav).to.include('Alerts');
    expect(nav).to.not.include('Decisions');

    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Alerts' }).click();
    const queue = page.getByRole('table', { name: 'Alerts' });
    await queue.waitFor();
    expect(await queue.getByRole('row').count()).to.equal(3);
    await expectAccessible(page, 'alert queue');

    await label(alerted.get('FR-2')!, 'legitimate', 'travelling, confirmed by phone');
    // The alert as an analyst opens it: the alert, the customer's recent activity, the explanation.
    expect(await textOf(page.getByRole('table', { name: 'Alerts raised' }))).to.include('LOCATION_MISMATCH');
    expect(await textOf(page.getByRole('table', { name: /latest activities of FR-2/ }))).to.include('dev-FR-2');
    await page.getByRole('heading', { name: 'Explanation' }).waitFor();
    await expectAccessible(page, 'alert');

    await page.getByRole('link', { name: '← Review alerts' }).click();
    await queue.waitFor();
    expect(await queue.getByRole('row').count()).to.equal(2);
    await label(alerted.get('FR-1')!, 'fraud', 'customer denies the login');

    const reviewed = await app.http().get('/v1/alerts?status=reviewed').set(bearer(analystKey)).expect(200);
    expect(
      reviewed.body.items.map((item: { profileId: string; review: { label: string } }) => [item.profileId, item.review.label]),
    ).to.deep.equal([
      ['FR-2', 'legitimate'],
      ['FR-1', 'fraud'],
    ]);

    // FR-1 checked out after all: the analyst snoozes the rule on the customer's profile page.
    await page.getByRole('link', { name: 'FR-1 (snoozes)' }).click();
    await page.getByRole('heading', { name: 'Snoozed rules' }).waitFor();
    await page.getByLabel('Ruleset').selectOption('fraud-alerts');
    await page.getByLabel('Rule', { exact: true }).locator(`option[value="${RULE}"]`).waitFor({ state: 'attached' });
    await page.getByLabel('Rule', { exact: true }).selectOption(RULE);
    await page.getByLabel('Reason').fill('new job in Beijing, verified');
    await page.getByRole('button', { name: 'Snooze rule' }).click();
    await page.getByText(`Snoozed fraud-alerts / ${RULE}`).waitFor();
    const snoozes = page.getByRole('table', { name: 'Snoozed rules' });
    expect(await textOf(snoozes)).to.include('new job in Beijing, verified');
    expect(await textOf(snoozes)).to.include('active');
    await expectAccessible(page, 'profile with snoozes');

    const next = await app
      .http()
      .post('/v1/decisions')
      .set(loans)
      .send({ profileId: 'FR-1', event: FROM_BEIJING, rulesets: ['fraud-alerts'] })
      .expect(200);
    expect(next.body.alerts).to.deep.equal([]);

    await page.goto(`${app.url}/console/#/decisions/${next.body.decisionId}`);
    const rule = page.locator('details', { has: page.getByText(RULE, { exact: true }) });
    await rule.waitFor();
    expect(await textOf(rule.locator('summary'))).to.include('fired · snoozed for this customer: yields nothing');
    expect(await textOf(page.getByRole('note').filter({ hasText: 'Snoozed for this customer' }))).to.include(`fraud-alerts / ${RULE}`);
    await page.getByText('No alerts.').waitFor();
    await expectAccessible(page, 'decision with a snoozed rule');
    await screenshot(page, 'alert-review-snoozed-decision');
  });

  it("when a rules owner backtests over logged decisions, then the report shows per alert rule the analysts' labels it hits, baseline → candidate", async () => {
    const analyst = bearer(analystKey);
    await app
      .http()
      .post(`/v1/decisions/${alerted.get('FR-1')}/reviews`)
      .set(analyst)
      .send({ label: 'fraud', note: 'denied' })
      .expect(201);
    await app
      .http()
      .post(`/v1/decisions/${alerted.get('FR-2')}/reviews`)
      .set(analyst)
      .send({ label: 'legitimate', note: 'ok' })
      .expect(201);
    await signIn(page, app.url, await issueKey(app, ['rules:edit', 'audit:read'], 'rules-owner'));
    await page.goto(`${app.url}/console/#/rulesets/fraud-alerts/backtest`);
    await page.getByRole('radio', { name: /Logged decisions of a time range/ }).check();
    await page.getByRole('button', { name: 'Run the backtest' }).click();
    const labels = page.getByRole('table', { name: "Analysts' labels hit by each alert rule" });
    await labels.waitFor();
    const row = labels.getByRole('row').filter({ hasText: `${RULE} (LOCATION_MISMATCH)` });
    expect(await row.getByRole('cell').allTextContents()).to.deep.equal(['1 → 1', '1 → 1', '0 → 0']);
    await expectAccessible(page, 'backtest with label counts');
  });

  it('when a key without alerts:review signs in, then it is offered no alert queue', async () => {
    await signIn(page, app.url, await issueKey(app, ['audit:read']));
    expect(await page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents()).to.not.include('Alerts');
  });
});
