import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { bearer, issueKey, startTestApp, type TestApp } from '../helpers/test-app.js';
import { expectAccessible, launchBrowser, ROOMY_BUDGET, screenshot, signIn, textOf } from '../helpers/browser.js';
import { fixture } from '../helpers/fixtures.js';

const application = (deviceId: string) => ({
  type: 'loan_application',
  amount: 20000,
  location: { lat: 23.12, lon: 113.32 },
  deviceId,
});

describe('console: lists and tag changes', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    app = await startTestApp('consolelists', ROOMY_BUDGET);
    browser = await launchBrowser();
    const admin = bearer(app.adminKey);
    await app.http().put('/v1/profiles/C-DEVICE').set(admin).send(fixture('profiles/individual-guangzhou.json')).expect(201);
  });
  beforeEach(async () => {
    page = await browser.newPage();
  });
  afterEach(async () => {
    await page.close();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('console: when a publisher adds a device to blocked-devices, then the list shows it and a decision from that device raises DEVICE_BLOCKED', async () => {
    const publisherKey = await issueKey(app, ['rules:publish'], 'fraud-lead');
    const decide = bearer(await issueKey(app, ['decide'], 'loan-origination'));
    await signIn(page, app.url, publisherKey);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Lists' }).click();
    await page.getByRole('link', { name: 'blocked-devices' }).click();
    await page.getByRole('heading', { name: 'List blocked-devices' }).waitFor();
    expect(await textOf(page.getByText('The list is empty.'))).to.equal('The list is empty.');
    await expectAccessible(page, 'an empty list');

    await page.getByLabel('Items to add to blocked-devices, one per line').fill('d-stolen-7\n\nd-stolen-8\nd-stolen-7\n');
    await page.getByRole('button', { name: 'Add 2 items' }).click();
    expect(await textOf(page.getByText(/items added/))).to.contain('2 of 2 items added');
    await page.getByRole('rowheader', { name: 'd-stolen-8' }).waitFor();
    expect(await page.getByRole('rowheader').allTextContents()).to.deep.equal(['d-stolen-7', 'd-stolen-8']);

    const decision = await app
      .http()
      .post('/v1/decisions')
      .set(decide)
      .send({ profileId: 'C-DEVICE', event: application('d-stolen-7') });
    expect(decision.status, JSON.stringify(decision.body)).to.equal(200);
    expect((decision.body.alerts as { code: string }[]).map((alert) => alert.code)).to.include('DEVICE_BLOCKED');

    await page.getByRole('button', { name: 'Remove d-stolen-8 from blocked-devices' }).click();
    await page.getByRole('rowheader', { name: 'd-stolen-8' }).waitFor({ state: 'detached' });
    await page.getByLabel('Items containing').fill('7');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(await textOf(page.getByText(/contains? “7”/))).to.contain('1 item contains “7”');
    await expectAccessible(page, 'a list with items');
    const list = await app.http().get('/v1/lists/blocked-devices').set(decide).expect(200);
    expect(list.body.items).to.deep.equal(['d-stolen-7']);
    await screenshot(page, 'console-lists-blocked-devices');
  });

  it('console: when a retag run changed tags, then its run links to who gained or lost which tag, filterable by tag', async () => {
    const admin = bearer(app.adminKey);
    const profile = (id: string, monthlyIncome: number) => ({
      profileId: id,
      type: 'individual',
      basic: { birthDate: '1990-01-01', residence: { city: 'Guangzhou', lat: 23.13, lon: 113.26 } },
      financials: { monthlyIncome },
    });
    await app
      .http()
      .post('/v1/profiles/bulk')
      .set(admin)
      .send({ profiles: [profile('T-1', 5000), profile('T-2', 5000)] })
      .expect(200);
    await app.http().post('/v1/jobs/retag/run?wait=true').set(admin).expect(200);
    await app
      .http()
      .post('/v1/profiles/bulk')
      .set(admin)
      .send({ profiles: [profile('T-2', 40000)] })
      .expect(200);
    const run = await app.http().post('/v1/jobs/retag/run?wait=true').set(admin).expect(200);

    await signIn(page, app.url, app.adminKey);
    await page.goto(`${app.url}/console/#/jobs/retag`);
    await page
      .getByRole('link', { name: /Tag changes of the run/ })
      .first()
      .click();
    await page.getByRole('heading', { name: `Tag changes of retag run ${run.body.id}` }).waitFor();
    await page.getByRole('rowheader', { name: 'T-2' }).waitFor();
    expect(await page.getByRole('rowheader').allTextContents()).to.deep.equal(['T-2']);
    const row = page.getByRole('row', { name: /T-2/ });
    expect(await textOf(row))
      .to.contain('income-high')
      .and.contain('income-low');
    await page.getByLabel('Only changes of the tag').fill('lifecycle-new');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await textOf(page.getByText('No profile gained or lost lifecycle-new in this run.'))).to.contain('lifecycle-new');
    await page.getByLabel('Only changes of the tag').fill('income-high');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('rowheader', { name: 'T-2' }).waitFor();
    await expectAccessible(page, 'the tag changes of a retag run');
    await screenshot(page, 'console-retag-tag-changes');
  });
});
