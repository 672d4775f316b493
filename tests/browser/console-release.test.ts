import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { bearer, issueKey, startTestApp, type TestApp } from '../helpers/test-app.js';
import { expectAccessible, launchBrowser, ROOMY_BUDGET, screenshot, textOf } from '../helpers/browser.js';

const LATE_NIGHT_RULE = {
  name: 'late-night-application',
  description: 'An application made between midnight and 05:59 local time',
  conditions: { all: [{ fact: 'eventLocalHour', operator: 'between', value: [0, 5] }] },
  event: {
    type: 'alert',
    params: { code: 'LATE_NIGHT_APPLICATION', severity: 'medium', message: 'Applied at {{eventLocalHour}}:00 local time' },
  },
};

const LATE_NIGHT_TEST = {
  name: 'an application at 02:30 local time raises LATE_NIGHT_APPLICATION',
  profile: { type: 'individual' },
  event: { type: 'loan_application', at: '2026-11-21T02:30:00+08:00' },
  expect: { alerts: ['LATE_NIGHT_APPLICATION'], outcome: 'review' },
};

/** 02:30 in Shanghai, the zone of the stored profiles (the default) and of the browser in these tests. */
const LATE_NIGHT_AT = '2026-11-21T02:30:00+08:00';
// Five: a rules publisher without audit:read sees counts of 5 and more (smaller ones are withheld).
const PROFILES = ['N-1', 'N-2', 'N-3', 'N-4', 'N-5'];

interface ShippedTest {
  profile: { timezone?: string };
  event: { at: string };
  expect: { alerts?: string[]; outcome?: string };
}

const localHour = (at: string, timeZone = 'Asia/Shanghai') =>
  Number(new Intl.DateTimeFormat('en', { hour: 'numeric', hourCycle: 'h23', timeZone }).format(new Date(at)));

/** A shipped test whose event falls between 00:00 and 05:59 now also expects the new medium alert (so at least review). */
function expectingLateNightAlert(test: ShippedTest): ShippedTest {
  if (localHour(test.event.at, test.profile.timezone) > 5) return test;
  const expected = { ...test.expect };
  if (expected.alerts) expected.alerts = [...expected.alerts, 'LATE_NIGHT_APPLICATION'];
  if (expected.outcome === 'approve') expected.outcome = 'review';
  return { ...test, expect: expected };
}

describe('console: publish and roll back (backtest, compare, publish, roll back, history, four eyes)', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let editorKey: string;
  let publisherKey: string;
  let loanSystem: Record<string, string>;

  async function openAs(key: string, path: string): Promise<void> {
    await page.goto(`${app.url}/console/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    await page.goto(`${app.url}/console/#${path}`);
  }

  async function decideLateNight(profileId: string) {
    const res = await app
      .http()
      .post('/v1/decisions')
      .set(loanSystem)
      .send({ profileId, event: { type: 'loan_application', at: LATE_NIGHT_AT }, rulesets: ['fraud-alerts'] });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { alerts: { code: string }[]; rulesetVersions: Record<string, number> };
  }

  const tableRow = (table: string, text: string) => page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text });

  before(async () => {
    // Four eyes on: the publisher below is not the editor, so it may publish; the last-editor journey is refused.
    // A simulation over more than 3 inputs continues in the background, so the console's polling is exercised.
    app = await startTestApp('console-release', { ...ROOMY_BUDGET, FOUR_EYES: 'true', SIMULATION_INLINE_LIMIT: '3' });
    browser = await launchBrowser();
    editorKey = await issueKey(app, ['rules:edit'], 'analyst-ana');
    publisherKey = await issueKey(app, ['rules:publish'], 'publisher-pat');
    loanSystem = bearer(await issueKey(app, ['decide', 'profiles:write'], 'loan-system'));
    for (const profileId of PROFILES)
      await app.http().put(`/v1/profiles/${profileId}`).set(loanSystem).send({ type: 'individual' }).expect(201);
    const v1 = (await app.http().get('/v1/rulesets/fraud-alerts/versions/1').set(bearer(editorKey))).body as {
      rules: object[];
      tests: ShippedTest[];
      reasons: object;
    };
    const draft = {
      rules: [...v1.rules, LATE_NIGHT_RULE],
      tests: [...v1.tests.map(expectingLateNightAlert), LATE_NIGHT_TEST],
      reasons: v1.reasons,
    };
    await app.http().put('/v1/rulesets/fraud-alerts/draft').set(bearer(editorKey)).send(draft).expect(200);
  });
  beforeEach(async () => {
    page = await browser.newPage({ timezoneId: 'Asia/Shanghai' });
    // Shorter than the test's own timeout, so a missing element fails with Playwright's message saying which.
    page.setDefaultTimeout(10_000);
  });
  afterEach(async () => page.close());
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("when a publisher backtests the editor's draft, compares it, publishes it and rolls back, then decisions gain the new alert and lose it again", async () => {
    await openAs(publisherKey, '/rulesets/fraud-alerts/backtest');
    await page.getByRole('heading', { name: 'Backtest this draft' }).waitFor();
    await expectAccessible(page, 'backtest form');
    await page.getByLabel('Candidate (what to try)').selectOption({ label: 'the draft' });
    await page.getByLabel(/Event time \(Asia\/Shanghai/).fill('2026-11-21T02:30');
    await page.getByRole('button', { name: 'Run the backtest' }).click();
    await page.getByRole('heading', { name: 'What the draft would change against version 1' }).waitFor();
    // The publisher lacks audit:read: counts below 5 (the baseline's 0 included) are withheld, 5 is shown.
    expect(await textOf(tableRow('Rule hits', 'late-night-application'))).to.equal(
      'late-night-applicationwithheld (fewer than 5)5withheld',
    );
    expect(await textOf(tableRow('Outcome spread', 'approve'))).to.equal('approve5withheld (fewer than 5)withheld');
    expect(await textOf(tableRow('Outcome spread', 'review'))).to.equal('reviewwithheld (fewer than 5)5withheld');
    expect(await textOf(tableRow('Gained', 'LATE_NIGHT_APPLICATION'))).to.equal('alertLATE_NIGHT_APPLICATION+5');
    await page
      .getByRole('img', { name: /^Rule hits, baseline: version 1 then candidate: the draft: .*late-night-application withheld → 5/ })
      .locator('canvas')
      .waitFor();
    await page
      .getByRole('img', { name: /^Outcome spread/ })
      .locator('canvas')
      .waitFor();
    await page.getByText(/Examples are withheld|Inputs that change \(up to 20\)/).waitFor();
    await expectAccessible(page, 'backtest report');
    await screenshot(page, 'release-backtest-report');

    await page.getByRole('tab', { name: 'Compare versions' }).click();
    expect(await page.getByLabel('Compare', { exact: true }).inputValue()).to.equal('1');
    expect(await page.getByLabel('with', { exact: true }).inputValue()).to.equal('draft');
    expect(await textOf(page.getByRole('status').filter({ hasText: 'version 1 → the draft' }))).to.include(
      'Rules: 1 added, 0 changed, 0 removed, 9 unchanged',
    );
    await page.getByRole('heading', { name: 'Rule late-night-application: added' }).waitFor();
    const lines = await textOf(page.getByLabel('Line diff of rule late-night-application (added)'));
    expect(lines).to.include('+   "name": "late-night-application"').and.to.include('"code": "LATE_NIGHT_APPLICATION"');
    await page.getByRole('heading', { name: `Test ${LATE_NIGHT_TEST.name}: added` }).waitFor();
    await expectAccessible(page, 'compare versions');
    await screenshot(page, 'release-compare-versions');

    await page.getByRole('tab', { name: 'Publish and roll back' }).click();
    expect(await textOf(page.getByText(/draft tests pass/))).to.match(/^All 20 draft tests pass/);
    expect(await textOf(page.getByText(/^Four-eyes rule:/))).to.include('last saved by analyst-ana, so you may publish it');
    await expectAccessible(page, 'publish and roll back');
    await page.getByRole('button', { name: 'Publish the draft as version 2' }).click();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'Published version 2' }))).to.include('and made it active');
    await page.getByText('Active version: 2').waitFor();

    const published = await decideLateNight('N-1');
    expect(published.rulesetVersions['fraud-alerts']).to.equal(2);
    expect(published.alerts.map((alert) => alert.code)).to.include('LATE_NIGHT_APPLICATION');

    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll back fraud-alerts from version 2 to version 1?' });
    await dialog.waitFor();
    await expectAccessible(page, 'roll-back confirmation');
    // Keyboard only: the focus starts on Cancel (Enter alone changes nothing); Shift+Tab reaches the confirmation.
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Cancel');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Roll back to version 1');
    await page.keyboard.press('Enter');
    expect(await textOf(page.getByRole('status').filter({ hasText: 'is now active' }))).to.include(
      'Version 1 of fraud-alerts is now active (was version 2)',
    );
    await page.getByText('Active version: 1').waitFor();

    const rolledBack = await decideLateNight('N-2');
    expect(rolledBack.rulesetVersions['fraud-alerts']).to.equal(1);
    expect(rolledBack.alerts.map((alert) => alert.code)).to.not.include('LATE_NIGHT_APPLICATION');
    await screenshot(page, 'release-publish-and-roll-back');
  });

  it('when a publisher backtests version 2 against the active version over the logged decisions, then only the one that logged the local hour would gain the alert (logged facts are reused)', async () => {
    // A publisher who may also read the log sees every count, however small.
    await openAs(await issueKey(app, ['rules:publish', 'audit:read'], 'publisher-with-audit'), '/rulesets/fraud-alerts/backtest');
    await page.getByLabel('Candidate (what to try)').selectOption({ label: 'version 2' });
    expect(await page.getByLabel('Baseline (what to compare with)').inputValue()).to.equal('active');
    await page.getByRole('radio', { name: /Logged decisions of a time range/ }).check();
    await page.getByRole('button', { name: 'Run the backtest' }).click();
    await page.getByRole('heading', { name: 'What version 2 would change against version 1' }).waitFor();
    expect(await textOf(page.getByText(/^Over 2 logged decisions/))).to.equal('Over 2 logged decisions: 1 would end differently.');
    // The decision made under version 1 never computed eventLocalHour (no rule of version 1 reads it), so it stays absent.
    expect(await textOf(tableRow('Rule hits', 'late-night-application'))).to.equal('late-night-application01+1');
    await expectAccessible(page, 'backtest over logged decisions');
    await screenshot(page, 'release-backtest-decisions');
  });

  it('when the editor opens the history, then it lists the save, the publish and both activations with who and when', async () => {
    await openAs(editorKey, '/rulesets/fraud-alerts/history');
    const table = page.getByRole('table', { name: 'History of fraud-alerts, newest first' });
    await table.waitFor();
    const rows = await table.getByRole('row').allTextContents();
    const mine = rows.slice(1, 5);
    expect(mine[0]).to.match(/Rolled back to version 1publisher-pat \(key [^)]+\)from version 2 to version 1$/);
    expect(mine[1]).to.match(/Rolled forward to version 2publisher-pat \(key [^)]+\)from version 1 to version 2$/);
    expect(mine[2]).to.match(/Published version 2publisher-pat /);
    expect(mine[3]).to.match(/Draft savedanalyst-ana \(key [^)]+\)10 rules, 20 tests/);
    const times = await table
      .locator('time')
      .evaluateAll((elements) => elements.map((element) => Date.parse(element.getAttribute('datetime')!)));
    expect(
      times.slice(0, 4).every((time) => Date.now() - time < 10 * 60_000),
      'the four events happened minutes ago',
    ).to.equal(true);
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    expect(
      rows.some((row) => /Activated version 1system/.test(row)),
      'the shipped installation',
    ).to.equal(true);
    await expectAccessible(page, 'history');
    await screenshot(page, 'release-history');
  });

  it('when the last editor holds rules:publish too, then before any click the console says a second person must publish, and offers no publish', async () => {
    const soloKey = await issueKey(app, ['rules:edit', 'rules:publish'], 'solo-sam');
    const v2 = (await app.http().get('/v1/rulesets/fraud-alerts/versions/2').set(bearer(soloKey))).body as {
      rules: { name: string }[];
      tests: object[];
      reasons: object;
    };
    const rules = v2.rules.map((rule) =>
      rule.name === LATE_NIGHT_RULE.name
        ? {
            ...LATE_NIGHT_RULE,
            event: { ...LATE_NIGHT_RULE.event, params: { ...LATE_NIGHT_RULE.event.params, message: 'Applied in the small hours' } },
          }
        : rule,
    );
    await app
      .http()
      .put('/v1/rulesets/fraud-alerts/draft')
      .set(bearer(soloKey))
      .send({ rules, tests: v2.tests, reasons: v2.reasons })
      .expect(200);

    await openAs(soloKey, '/rulesets/fraud-alerts/versions');
    const publish = page.getByRole('button', { name: 'Publish the draft as version 3' });
    await publish.waitFor();
    expect(await publish.getAttribute('aria-disabled')).to.equal('true');
    const reasonId = await publish.getAttribute('aria-describedby');
    expect(await textOf(page.locator(`[id="${reasonId}"]`))).to.equal(
      'Not offered: Four-eyes rule: you saved this draft last, so a second person must publish it. Ask a colleague with rules:publish to publish it.',
    );
    await publish.click({ force: true });
    expect(await page.getByRole('status').filter({ hasText: 'Published version' }).count()).to.equal(0);
    const ruleset = await app.http().get('/v1/rulesets/fraud-alerts').set(bearer(soloKey));
    expect(ruleset.body).to.include({ latestVersion: 2, fourEyes: true });
    expect((await app.http().post('/v1/rulesets/fraud-alerts/versions').set(bearer(soloKey))).status, 'the service agrees').to.equal(403);
    await expectAccessible(page, 'publish under four eyes');
    await screenshot(page, 'release-four-eyes');
  });

  it('when a test starts failing after the page was opened, then the publish is refused and the failing test is named', async () => {
    await openAs(publisherKey, '/rulesets/fraud-alerts/versions');
    await page.getByText(/^All \d+ draft tests pass/).waitFor();
    const v2 = (await app.http().get('/v1/rulesets/fraud-alerts/versions/2').set(bearer(editorKey))).body as {
      rules: object[];
      tests: object[];
      reasons: object;
    };
    const failing = {
      ...LATE_NIGHT_TEST,
      name: 'a daytime application expected to raise the alert',
      event: { type: 'loan_application', at: '2026-11-21T14:00:00+08:00' },
    };
    await app
      .http()
      .put('/v1/rulesets/fraud-alerts/draft')
      .set(bearer(editorKey))
      .send({ rules: v2.rules, tests: [...v2.tests, failing], reasons: v2.reasons })
      .expect(200);

    await page.getByRole('button', { name: 'Publish the draft as version 3' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Publishing was refused (409)' });
    expect(await textOf(refusal)).to.include('1 draft test(s) failed');
    expect(await textOf(refusal.getByRole('list', { name: 'Reasons' }))).to.include('a daytime application expected to raise the alert');
    expect((await app.http().get('/v1/rulesets/fraud-alerts').set(bearer(editorKey))).body.latestVersion).to.equal(2);
    await screenshot(page, 'release-publish-refused');
  });
});
