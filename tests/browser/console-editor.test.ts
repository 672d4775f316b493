import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { bearer, issueKey, startTestApp, type TestApp } from '../helpers/test-app.js';
import { expectAccessible, launchBrowser, ROOMY_BUDGET, screenshot, signIn, textOf } from '../helpers/browser.js';

/**
 * The rule this journey adds to fraud-alerts' draft (and leaves there, with its test, every draft test
 * passing): the backtest and publish journeys can start from it.
 */
const LATE_NIGHT_RULE = {
  name: 'late-night-application',
  description: 'An application between 00:00 and 05:59 local time',
  conditions: { all: [{ fact: 'eventLocalHour', operator: 'between', value: [0, 5] }] },
  event: {
    type: 'alert',
    params: { code: 'LATE_NIGHT_APPLICATION', severity: 'low', message: 'Applied at {{eventLocalHour}}:00 local time' },
  },
};

const NEW_TEST = 'application at 02:30 local time from home raises LATE_NIGHT_APPLICATION';
const PROFILE = {
  type: 'individual',
  timezone: 'Asia/Shanghai',
  basic: { birthDate: '1990-05-01', residence: { city: 'Guangzhou', lat: 23.13, lon: 113.26 } },
  financials: { monthlyIncome: 18000 },
};

/** The JSON object that starts at the `{` before `marker` in `text` (strings may hold braces: `{{fact}}`). */
function objectAround(text: string, marker: string): unknown {
  const start = text.lastIndexOf('{', text.indexOf(marker));
  let depth = 0;
  for (let at = start; at < text.length; at += 1) {
    const char = text[at];
    if (char === '"') {
      for (at += 1; text[at] !== '"'; at += text[at] === '\\' ? 2 : 1);
    } else if (char === '{') depth += 1;
    else if (char === '}' && --depth === 0) return JSON.parse(text.slice(start, at + 1));
  }
  throw new Error(`objectAround: no complete object around ${marker}`);
}

describe('console: edit and test a draft', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    app = await startTestApp('console-editor', ROOMY_BUDGET);
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

  it('when a rules editor builds a late-night alert in the visual builder, then a wrong value is shown at its condition, the fixed rule passes its test, and the JSON view and the API hold the same rule', async function () {
    this.timeout(120_000);
    const editorKey = await issueKey(app, ['rules:edit'], 'rules-editor');
    await signIn(page, app.url, editorKey);
    await page.getByRole('link', { name: 'Rulesets' }).click();
    await page.getByRole('link', { name: 'fraud-alerts' }).click();
    expect(await page.getByRole('tab', { name: 'Edit the draft' }).getAttribute('aria-selected')).to.equal('true');

    // A new rule: name, event, message with its live preview.
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('Name of rule new-rule').fill('late-night-application');
    const of = 'of rule late-night-application';
    await page.getByLabel(`Description ${of}`).fill(LATE_NIGHT_RULE.description);
    expect(await page.getByLabel(`Event ${of}`).inputValue()).to.equal('alert');
    await page.getByLabel(`Alert code ${of}`).fill('LATE_NIGHT_APPLICATION');
    await page.getByLabel(`Severity ${of}`).selectOption('low');
    await page.getByLabel(`Message template ${of}`).fill('Applied at {{eventLocalHour}}:00 local time');
    expect(await textOf(page.getByLabel(`Preview of the message ${of}`))).to.equal('Applied at n/a:00 local time');
    await page.getByLabel(`Sample value of {{eventLocalHour}} for the message ${of}`).fill('3');
    expect(await textOf(page.getByLabel(`Preview of the message ${of}`))).to.equal('Applied at 3:00 local time');

    // The condition, with the range the wrong way round.
    await page.getByRole('button', { name: `Add a condition to the top group ${of}` }).click();
    await page.getByLabel(`Fact of condition 1 ${of}`).selectOption('eventLocalHour');
    await page.getByLabel(`Operator of condition 1 ${of}`).selectOption('between');
    const lowest = page.getByLabel(`Lowest value of condition 1 ${of}`);
    const highest = page.getByLabel(`Highest value of condition 1 ${of}`);
    await lowest.fill('5');
    await highest.fill('0');
    expect(await textOf(page.locator('.save-bar [role=status]'))).to.include('Unsaved changes');
    await expectAccessible(page, 'draft editor, visual builder');

    await page.getByRole('button', { name: 'Save the draft' }).click();
    const summary = page.locator('.save-bar [role=alert]');
    expect(await textOf(summary)).to.include('rule late-night-application, condition 1, value');
    const condition = page.locator('.rule[data-path="[0]"]');
    expect(await textOf(condition.locator('.problem'))).to.include('"between" needs [lo, hi]: two numbers with lo ≤ hi');
    expect(await lowest.getAttribute('aria-invalid')).to.equal('true');
    const problemId = await lowest.getAttribute('aria-describedby');
    expect(await textOf(page.locator(`[id="${problemId}"]`))).to.include('"between" needs [lo, hi]');
    await expectAccessible(page, 'draft editor with a problem');

    await lowest.fill('0');
    await highest.fill('5');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    expect(await textOf(page.locator('.save-bar [role=status]').filter({ hasText: 'No unsaved changes' }))).to.include('by rules-editor');
    expect(await condition.locator('.problem').count()).to.equal(0);

    // A test for the new rule; the two shipped tests at 01:30 now raise it too, and say so.
    await page.getByRole('tab', { name: 'Test the draft' }).click();
    await page.getByRole('button', { name: 'Add a test' }).click();
    await page.getByLabel('Name of test new test').fill(NEW_TEST);
    const test = `of test ${NEW_TEST}`;
    await page.getByLabel(`Profile ${test} (JSON)`).fill(JSON.stringify(PROFILE, null, 2));
    await page.getByLabel(`Event time ${test}`, { exact: true }).fill('2026-11-21T02:30:00');
    await page.getByLabel(`Amount ${test}`).fill('20000');
    await page.getByLabel(`Latitude of the event ${test}`).fill('23.13');
    await page.getByLabel(`Longitude of the event ${test}`).fill('113.26');
    await page.getByLabel(`Check the alert codes ${test}`).check();
    await page.getByLabel(`Expected alert codes ${test} (separated by commas)`).fill('LATE_NIGHT_APPLICATION');
    await page.getByLabel(`Expected outcome ${test}`).selectOption('approve');
    await page.getByRole('button', { name: 'Save and run the tests' }).click();
    const runStatus = page.locator('.tests-tab > p[role=status]');
    expect(await textOf(runStatus.filter({ hasText: 'Ran 18 tests' }))).to.include('16 passed, 2 failed');
    const newRow = page.getByRole('row', { name: new RegExp(`^${NEW_TEST}`) });
    expect(await textOf(newRow.getByRole('cell').nth(1))).to.equal('passed');
    expect(await textOf(newRow.getByRole('cell').nth(2)))
      .to.include('alerts: LATE_NIGHT_APPLICATION')
      .and.include('fired rules: late-night-application');
    const traveller = page.getByRole('row', { name: /^late-night traveller applying from Beijing/ });
    expect(await textOf(traveller.getByRole('cell').nth(1)))
      .to.include('failed')
      .and.include(
        'alerts: expected [LATE_NIGHT_ACTIVITY, LOCATION_MISMATCH], got [LATE_NIGHT_ACTIVITY, LATE_NIGHT_APPLICATION, LOCATION_MISMATCH]',
      );

    await traveller.getByRole('button', { name: /^Edit test/ }).click();
    await page
      .getByLabel(/^Expected alert codes of test late-night traveller/)
      .fill('LOCATION_MISMATCH, LATE_NIGHT_ACTIVITY, LATE_NIGHT_APPLICATION');
    await page
      .getByRole('row', { name: /^no residence, no activity/ })
      .getByRole('button', { name: /^Edit test/ })
      .click();
    await page.getByLabel(/^Expected alert codes of test no residence/).fill('LATE_NIGHT_APPLICATION');
    await page.getByRole('button', { name: 'Save and run the tests' }).click();
    expect(await textOf(runStatus.filter({ hasText: '18 passed' }))).to.include('18 passed, 0 failed');
    await expectAccessible(page, 'tests of the draft');

    // The JSON view shows the same rule, where the editor left off.
    await page.getByRole('tab', { name: 'Edit the draft' }).click();
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const json = page.getByRole('textbox', { name: 'JSON of the draft of fraud-alerts' });
    await json.locator('.cm-line', { hasText: '"name": "late-night-application"' }).waitFor();
    expect(objectAround(await textOf(json), '"name": "late-night-application"')).to.deep.equal(LATE_NIGHT_RULE);
    await expectAccessible(page, 'draft editor, JSON view');

    const { body } = await app.http().get('/v1/rulesets/fraud-alerts').set(bearer(editorKey)).expect(200);
    expect(body.draft.rules.find((rule: { name: string }) => rule.name === 'late-night-application')).to.deep.equal(LATE_NIGHT_RULE);
    const saved = body.draft.tests.find((candidate: { name: string }) => candidate.name === NEW_TEST);
    expect(saved.event).to.deep.equal({
      type: 'loan_application',
      at: '2026-11-21T02:30:00+08:00',
      amount: 20000,
      location: { lat: 23.13, lon: 113.26 },
    });
    expect(saved.expect).to.deep.equal({ alerts: ['LATE_NIGHT_APPLICATION'], outcome: 'approve' });
    const report = await app.http().post('/v1/rulesets/fraud-alerts/draft/test').set(bearer(editorKey)).expect(200);
    expect(report.body.failed).to.equal(0);
    await screenshot(page, 'console-editor-json-view');
  });

  it('when a power user creates a ruleset and edits its draft as JSON, then invalid JSON is shown and kept, a valid edit shows in the builder and back, and the service marks its problem in the JSON', async function () {
    this.timeout(90_000);
    const editorKey = await issueKey(app, ['rules:edit'], 'json-editor');
    await signIn(page, app.url, editorKey);
    await page.getByRole('link', { name: 'Rulesets' }).click();
    const create = page.getByRole('region', { name: 'Create a ruleset' });
    await create.getByLabel('Id').fill('fraud-alerts');
    await create.getByRole('button', { name: 'Create the ruleset' }).click();
    expect(await textOf(create.getByRole('alert'))).to.include('A ruleset with id fraud-alerts already exists');
    await expectAccessible(page, 'rulesets with the create form');
    await create.getByLabel('Id').fill('json-edits');
    await create.getByLabel('Kind').selectOption('tagging');
    await create.getByLabel('Description').fill('JSON view journey');
    await create.getByRole('button', { name: 'Create the ruleset' }).click();
    await page.getByRole('heading', { level: 1, name: 'json-edits (tagging)' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Edit the draft' }).getAttribute('aria-selected')).to.equal('true');
    expect(await textOf(page.getByText('This draft has no rules yet'))).to.include('add one');
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const json = page.getByRole('textbox', { name: 'JSON of the draft of json-edits' });
    await json.click();
    await page.keyboard.press('Control+A');
    const rule =
      '{"name": "vip", "conditions": {"all": [{"fact": "attributes", "path": "$.vipLevel", "operator": "greaterThanInclusive", "value": 2}]}, "event": {"type": "tag", "params": {"tag": "vip"}}}';
    await page.keyboard.insertText(`{"rules": [${rule}], "tests": [`);
    expect(await textOf(page.locator('.json-view [role=alert]'))).to.match(
      /^Invalid JSON at line 1, column \d+: Expected a value, but the text ends/,
    );
    expect(await textOf(page.locator('.save-bar'))).to.include('Not saved while the JSON view holds invalid JSON');
    expect(await page.getByRole('button', { name: 'Save the draft' }).isDisabled()).to.equal(true);
    await expectAccessible(page, 'JSON view with invalid JSON');

    await page.getByRole('button', { name: 'Visual builder' }).click();
    expect(await textOf(page.getByRole('alert').filter({ hasText: 'holds invalid JSON' }))).to.include('read-only');
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    expect(await textOf(json)).to.include('"tests": [');
    await json.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText(']}');
    expect(await page.locator('.json-view [role=alert]').count()).to.equal(0);

    await page.getByRole('button', { name: 'Visual builder' }).click();
    const of = 'of condition 1 of rule vip';
    expect(await page.getByLabel(`Fact ${of}`, { exact: true }).inputValue()).to.equal('attributes');
    expect(await page.getByLabel(`Path into the fact ${of}`).inputValue()).to.equal('$.vipLevel');
    expect(await page.getByLabel(`Operator ${of}`).inputValue()).to.equal('greaterThanInclusive');
    await page.getByLabel(`Value ${of}`, { exact: true }).fill('3');
    await page.getByLabel('Tag of rule vip').fill('VIP!');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    expect(await textOf(page.locator('.save-bar [role=alert]'))).to.include('rule vip, event tag');
    expect(await page.getByLabel('Tag of rule vip').getAttribute('aria-invalid')).to.equal('true');

    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    expect(await textOf(json)).to.include('"value": 3');
    const problems = page.getByRole('region', { name: 'Problems in this JSON' });
    expect(await textOf(problems))
      .to.include('/rules/0/event/params/tag')
      .and.include('must match pattern');
    const marked = page.locator('.cm-lintRange-error');
    expect(await textOf(marked)).to.equal('"tag": "VIP!"');
    await expectAccessible(page, 'JSON view with a problem');
  });

  it('when an editor builds conditions of every value kind and manages rules, then the saved draft holds typed values, and discarding restores it', async function () {
    this.timeout(90_000);
    await app
      .http()
      .post('/v1/rulesets')
      .set(bearer(app.adminKey))
      .send({ id: 'value-kinds', kind: 'tagging', description: 'Typed values' })
      .expect(201);
    await signIn(page, app.url, await issueKey(app, ['rules:edit'], 'typed-editor'));
    await page.goto(`${app.url}/console/#/rulesets/value-kinds/draft`);
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('Name of rule new-rule').fill('typed');
    await page.getByLabel('Tag of rule typed').fill('typed');
    const add = page.getByRole('button', { name: 'Add a condition to the top group of rule typed' });
    const of = (path: string) => `of condition ${path} of rule typed`;
    const condition = async (path: string, fact: string, operator: string) => {
      await page.getByLabel(`Fact ${of(path)}`, { exact: true }).selectOption(fact);
      await page.getByLabel(`Operator ${of(path)}`).selectOption(operator);
    };
    await add.click();
    await condition('1', 'age', 'in');
    for (const [index, value] of ['20', '30'].entries()) {
      await page.getByRole('button', { name: `Add an item to the value ${of('1')}` }).click();
      await page.getByLabel(`Item ${index + 1} of the value ${of('1')}`, { exact: true }).fill(value);
    }
    await add.click();
    await condition('2', 'event', 'before');
    await page.getByLabel(`Path into the fact ${of('2')}`).fill('$.at');
    await page.getByLabel(`Date and time of the value ${of('2')}`).fill('2026-01-01T00:00');
    await add.click();
    await condition('3', 'eventDeviceKnown', 'equal');
    await page.getByLabel(`Value ${of('3')}`, { exact: true }).selectOption('false');
    await add.click();
    await condition('4', 'interests', 'contains');
    expect(await page.getByLabel(`Type of the value ${of('4')}`).inputValue()).to.equal('text');
    await page.getByLabel(`Value ${of('4')}`, { exact: true }).fill('travel');
    await page.getByRole('button', { name: 'Add a group to the top group of rule typed' }).click();
    await page.getByLabel('Not: negate group 5 of rule typed').check();
    await condition('5.1', 'timezone', 'notEqual');
    await page.getByLabel(`Value ${of('5.1')}`, { exact: true }).fill('Asia/Shanghai');
    await expectAccessible(page, 'builder with every value kind');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.locator('.save-bar [role=status]', { hasText: 'No unsaved changes' }).waitFor();

    const { body } = await app.http().get('/v1/rulesets/value-kinds').set(bearer(app.adminKey)).expect(200);
    expect(body.draft.rules).to.deep.equal([
      {
        name: 'typed',
        conditions: {
          all: [
            { fact: 'age', operator: 'in', value: [20, 30] },
            { fact: 'event', path: '$.at', operator: 'before', value: '2026-01-01T00:00:00+08:00' },
            { fact: 'eventDeviceKnown', operator: 'equal', value: false },
            { fact: 'interests', operator: 'contains', value: 'travel' },
            { not: { all: [{ fact: 'timezone', operator: 'notEqual', value: 'Asia/Shanghai' }] } },
          ],
        },
        event: { type: 'tag', params: { tag: 'typed' } },
      },
    ]);

    const names = () => page.locator('.rule-list .rule-name').allTextContents();
    await page.getByRole('button', { name: 'Duplicate rule typed' }).click();
    await page.getByRole('button', { name: 'Move rule typed-copy up' }).click();
    expect(await names()).to.deep.equal(['typed-copy', 'typed']);
    await page.getByRole('button', { name: 'Delete rule typed', exact: true }).click();
    expect(await names()).to.deep.equal(['typed-copy']);
    expect(await textOf(page.locator('.save-bar [role=status]'))).to.include('Unsaved changes');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(await names()).to.deep.equal(['typed']);
    expect(await textOf(page.locator('.save-bar [role=status]'))).to.include('No unsaved changes');
  });

  it('when an audit:read key opens a ruleset draft, then no editor or Save control is offered, and saving through the API is refused with 403', async () => {
    const auditKey = await issueKey(app, ['audit:read'], 'compliance');
    await signIn(page, app.url, auditKey);
    expect(await page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents()).to.not.include('Rulesets');
    await page.goto(`${app.url}/console/#/rulesets/fraud-alerts/draft`);
    expect(await textOf(page.getByRole('alert'))).to.include('do not allow');
    expect(await page.getByRole('tab', { name: 'Edit the draft' }).count()).to.equal(0);
    expect(await page.getByRole('button', { name: 'Save the draft' }).count()).to.equal(0);
    expect(await page.getByRole('button', { name: /Add a rule|Save and run/ }).count()).to.equal(0);

    const before = await app.http().get('/v1/rulesets/fraud-alerts').set(bearer(app.adminKey)).expect(200);
    const refused = await app.http().put('/v1/rulesets/fraud-alerts/draft').set(bearer(auditKey)).send({ rules: [], tests: [] });
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal('FORBIDDEN');
    const after = await app.http().get('/v1/rulesets/fraud-alerts').set(bearer(app.adminKey)).expect(200);
    expect(after.body.draft.checksum).to.equal(before.body.draft.checksum);
    await screenshot(page, 'console-editor-audit-read');
  });
});
