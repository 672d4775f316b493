import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { bearer, issueKey, openTestDatabase, startTestApp, type TestApp } from '../helpers/test-app.js';
import { expectAccessible, launchBrowser, ROOMY_BUDGET, screenshot, textOf } from '../helpers/browser.js';

const MARKUP_CITY = '<img src=x onerror=alert(1)>';
const BEIJING_APPLICATION = {
  type: 'loan_application',
  at: '2026-11-21T01:30:00+08:00',
  amount: 50000,
  location: { lat: 39.9, lon: 116.4 },
  deviceId: 'd-1',
  channel: 'app',
};
const HOME_APPLICATION = { ...BEIJING_APPLICATION, location: { lat: 23.13, lon: 113.26 } };

const fixtureProfile = (name: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'fixtures', 'profiles', `${name}.json`), 'utf8'));

/** A fraud ruleset whose alert message is the customer's residence city, whatever it holds. */
const CITY_ECHO = {
  rules: [
    {
      name: 'echo-residence-city',
      conditions: { all: [{ fact: 'basic', path: '$.residence.city', operator: 'notEqual', value: '' }] },
      event: { type: 'alert', params: { code: 'CITY_ECHO', severity: 'low', message: '{{basic.residence.city}}' } },
    },
  ],
  tests: [],
};

async function signIn(page: Page, app: TestApp, key: string): Promise<void> {
  await page.goto(`${app.url}/console/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
}

/** The calendar day (`2026-11-30`) of an instant in the browser's time zone, as the console's day inputs take it. */
const browserDay = (page: Page, iso: string) =>
  page.evaluate((instant) => {
    const date = new Date(instant);
    return [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((part) => String(part).padStart(2, '0')).join('-');
  }, iso);

/** The calendar day of an instant in the service's jobs time zone, the days its overview counts. */
const serviceDay = (app: TestApp, iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: app.config.jobs.timezone }).format(new Date(iso));

const navLinks = (page: Page) => page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents();
/** Which of `screens` the navigation offers. */
const offered = async (page: Page, screens: string[]) => (await navLinks(page)).filter((link) => screens.includes(link));

describe('console: compliance, profiles, jobs and overview', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let complianceKey: string;
  let compliance: Record<string, string>;
  let farDecision: {
    decisionId: string;
    evaluatedAt: string;
    explanations: { rule: string; conditions: { fact: string; factValue: number }[] }[];
  };
  let markupDecisionId: string;

  before(async function () {
    this.timeout(60_000);
    // Seal what is logged at once, so verifying the day checks seals as well as entries. The schedule seals once an
    // hour, half an hour away: only the set-up's explicit seal, run once every decision is acknowledged, seals here
    // (a scheduled one could take the job's lease as the set-up runs it, a 409, or seal with no lag beside a write).
    const awayMinute = (new Date().getUTCMinutes() + 30) % 60;
    app = await startTestApp('console-compliance', {
      ...ROOMY_BUDGET,
      DECISION_SEAL_LAG_MS: '0',
      JOBS_TIMEZONE: 'UTC',
      JOB_SEAL_DECISIONS_SCHEDULE: `${awayMinute} * * * *`,
    });
    complianceKey = await issueKey(app, ['audit:read'], 'compliance-officer');
    compliance = bearer(complianceKey);
    const loans = bearer(await issueKey(app, ['decide'], 'loan-origination'));
    const feed = bearer(await issueKey(app, ['profiles:write'], 'crm-feed'));
    const editor = bearer(await issueKey(app, ['rules:edit', 'rules:publish'], 'rules-owner'));

    const guangzhou = fixtureProfile('individual-guangzhou');
    await app.http().put('/v1/profiles/C-GZ').set(feed).send(guangzhou).expect(201);
    await app
      .http()
      .put('/v1/profiles/C-MARKUP')
      .set(feed)
      .send({ ...guangzhou, basic: { ...guangzhou.basic, residence: { city: MARKUP_CITY, lat: 23.13, lon: 113.26 } } })
      .expect(201);
    await app
      .http()
      .post('/v1/rulesets')
      .set(editor)
      .send({ id: 'city-echo', kind: 'fraud', description: 'Quotes the residence city' })
      .expect(201);
    await app.http().put('/v1/rulesets/city-echo/draft').set(editor).send(CITY_ECHO).expect(200);
    await app.http().post('/v1/rulesets/city-echo/versions').set(editor).expect(201);

    const far = await app
      .http()
      .post('/v1/decisions')
      .set(loans)
      .send({ profileId: 'C-GZ', event: BEIJING_APPLICATION, rulesets: ['fraud-alerts', 'customer-tags'] })
      .expect(200);
    farDecision = far.body;
    await app
      .http()
      .post('/v1/decisions')
      .set(loans)
      .send({ profileId: 'C-GZ', event: HOME_APPLICATION, rulesets: ['fraud-alerts'] })
      .expect(200);
    const markup = await app
      .http()
      .post('/v1/decisions')
      .set(loans)
      .send({ profileId: 'C-MARKUP', event: HOME_APPLICATION, rulesets: ['city-echo'] })
      .expect(200);
    markupDecisionId = markup.body.decisionId;
    await app.http().post('/v1/jobs/seal-decisions/run?wait=true').set(bearer(app.adminKey)).expect(200);
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

  it('when a compliance officer searches by alert code, then they open the decision, read the explanation tree with the distance seen, replay it (identical) and verify the day (ok)', async () => {
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await signIn(page, app, complianceKey);
    expect(await navLinks(page)).to.include.members(['Overview', 'Decisions', 'Verify log', 'Profiles']);
    expect(await offered(page, ['Jobs', 'Rulesets'])).to.deep.equal([]);

    await page.getByRole('link', { name: 'Decisions' }).click();
    await page.getByLabel('Alert code').fill('LOCATION_MISMATCH');
    // Read the page once the search has been sent: from then on it shows this search's answer or that it is loading.
    const searched = page.waitForResponse((response) => response.url().includes('/v1/decisions?alert=LOCATION_MISMATCH'));
    await page.getByRole('button', { name: 'Search' }).click();
    await searched;
    expect(await textOf(page.getByRole('status').filter({ hasText: 'Page 1' }))).to.include('1 decision');
    expect(new URL(page.url()).hash).to.equal('#/decisions?alert=LOCATION_MISMATCH');
    const results = page.getByRole('table', { name: 'Results' });
    expect(await results.getByRole('row').count()).to.equal(2);
    expect(await textOf(results.getByRole('row').nth(1)))
      .to.include('LOCATION_MISMATCH (high)')
      .and.include('decline')
      .and.include('C-GZ');
    await expectAccessible(page, 'decision search');

    await results.getByRole('link', { name: farDecision.decisionId }).click();
    await page.getByRole('heading', { name: `Decision ${farDecision.decisionId}` }).waitFor();
    const alerts = page.getByRole('table', { name: 'Alerts raised' });
    expect(await textOf(alerts.getByRole('row').filter({ hasText: 'event-far-from-residence' }))).to.match(
      /LOCATION_MISMATCH\s*high\s*1,8\d\d km from residence/,
    );

    const distance = farDecision.explanations.find((rule) => rule.rule === 'event-far-from-residence')!.conditions[0]!.factValue;
    const tree = page.getByRole('list', { name: 'Conditions of rule event-far-from-residence' });
    const treeText = await textOf(tree);
    expect(treeText).to.include('all of 1 — true');
    expect(treeText).to.include(`eventDistanceFromResidenceKm greaterThan 300 · seen ${Number(distance.toFixed(6))} → true`);
    expect(distance).to.be.within(1850, 1930);
    const quiet = page.getByRole('group').filter({ hasText: 'device-farm — did not fire' });
    expect(await quiet.count(), 'rules that did not fire are listed too').to.equal(1);
    const versions = await app.http().get(`/v1/decisions/${farDecision.decisionId}`).set(compliance);
    const fraudChecksum = versions.body.rulesets.find((ruleset: { id: string }) => ruleset.id === 'fraud-alerts').checksum;
    expect(await textOf(page.getByRole('table', { name: 'Ruleset versions and checksums evaluated' }))).to.include(fraudChecksum);

    // The README's picture (docs/console.png is copied from it): the explanation tree as a 1280×800 window shows it.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('heading', { name: 'Explanation', exact: true }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'console-explanation-tree', { fullPage: false });

    await page.getByRole('button', { name: 'Replay this decision' }).click();
    expect(await textOf(page.getByText(/^Identical:/))).to.include('same outcome, score, tags, products, alerts and explanations');
    await expectAccessible(page, 'decision');
    await screenshot(page, 'compliance-4-decision-replayed');

    // The day the decision was logged (the screen offers today, which the clock may have left since the set-up).
    await page.getByRole('link', { name: 'Verify log' }).click();
    await page.getByLabel('Day', { exact: true }).fill(await browserDay(page, farDecision.evaluatedAt));
    await page.getByRole('button', { name: 'Verify the log over this range' }).click();
    expect(await textOf(page.getByText(/^Intact:/))).to.include('matches its hash and its seal');
    const checked = await textOf(page.getByRole('region', { name: 'Verification' }));
    expect(Number(/Entries checked\s*(\d+)/.exec(checked)?.[1])).to.be.at.least(3);
    expect(Number(/Seals checked\s*(\d+)/.exec(checked)?.[1])).to.be.at.least(1);
    await expectAccessible(page, 'verify and export');
    await screenshot(page, 'compliance-4-verify-the-day');
    expect(requested.filter((url) => url.includes(complianceKey))).to.deep.equal([]);
  });

  it("when a search is changed, then the previous search's results give way to Loading until the new answer comes", async () => {
    await signIn(page, app, complianceKey);
    await page.getByRole('link', { name: 'Decisions' }).click();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'Page 1' }))).to.match(/^Page 1: \d+ decisions/);
    // The new search's answer is held back until the page has been read.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/\/v1\/decisions\?alert=/, async (route) => {
      await held;
      await route.continue();
    });
    const sent = page.waitForRequest((request) => request.url().includes('/v1/decisions?alert=LOCATION_MISMATCH'));
    await page.getByLabel('Alert code').fill('LOCATION_MISMATCH');
    await page.getByRole('button', { name: 'Search' }).click();
    await sent;
    expect(await textOf(page.getByRole('status'))).to.equal('Loading decisions…');
    expect(await page.getByRole('table', { name: 'Results' }).count()).to.equal(0);
    release();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'Page 1' }))).to.include('1 decision');
  });

  it("when the officer exports the day, then the browser downloads the day's decisions as NDJSON from a local object URL", async () => {
    await signIn(page, app, complianceKey);
    await page.getByRole('link', { name: 'Verify log' }).click();
    await page.getByLabel('Day', { exact: true }).fill(await browserDay(page, farDecision.evaluatedAt));
    const range = await page.evaluate(
      ([from, to]) => ({ from: new Date(from!).toISOString(), to: new Date(to!).toISOString() }),
      [await page.getByLabel('From').inputValue(), await page.getByLabel('Before').inputValue()],
    );
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export this range as NDJSON' }).click();
    const download = await downloading;
    expect(download.url()).to.match(/^blob:/);
    expect(download.suggestedFilename()).to.match(/^decisions-.*\.ndjson$/);
    const lines = fs
      .readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { decisionId: string });
    const listed = await app.http().get('/v1/decisions').query(range).set(compliance);
    expect(listed.body.items, 'the day holds the set-up decisions').to.have.length.at.least(3);
    expect(lines.map((line) => line.decisionId).sort()).to.deep.equal(
      listed.body.items.map((item: { decisionId: string }) => item.decisionId).sort(),
    );
    expect(await textOf(page.getByRole('status').filter({ hasText: 'Exported' }))).to.include(`Exported ${lines.length} decisions`);
  });

  it('when an alert message quotes a city written as markup, then the decision screen shows the literal text and creates no element from it', async () => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, app, complianceKey);
    await page.goto(`${app.url}/console/#/decisions?alert=CITY_ECHO`);
    await page.getByRole('link', { name: markupDecisionId }).click();
    const message = page.getByRole('table', { name: 'Alerts raised' }).locator('td.message');
    expect(await textOf(message)).to.equal(MARKUP_CITY);
    expect(await textOf(page.getByRole('table', { name: 'Fact values the rules read' }))).to.include(MARKUP_CITY);
    expect(await page.locator('img').count()).to.equal(0);
    expect(dialogs).to.deep.equal([]);
    await screenshot(page, 'compliance-markup-as-text');
  });

  it('when a profile is looked up, then its tags show where each came from; browsing a segment by that tag lists it', async () => {
    const { body: profile } = await app.http().get('/v1/profiles/C-GZ').set(compliance);
    const detail = (profile.tagDetails as { tag: string; ruleset: string; version: number; rule: string }[])[0]!;
    expect(detail, 'the decision tagged the profile').to.include({ ruleset: 'customer-tags', version: 1 });

    await signIn(page, app, complianceKey);
    await page.getByRole('link', { name: 'Profiles' }).click();
    await page.getByLabel('Profile id').fill('C-GZ');
    await page.getByRole('button', { name: 'Look up' }).click();
    const tags = page.getByRole('table', { name: 'Tags and where they came from' });
    await tags.waitFor();
    expect(await tags.getByRole('row').count()).to.equal(profile.tagDetails.length + 1);
    expect(await textOf(tags.getByRole('row').filter({ has: page.getByRole('rowheader', { name: detail.tag, exact: true }) }))).to.include(
      `customer-tags1${detail.rule}`,
    );
    expect(await textOf(page.getByRole('region', { name: 'Section basic' }))).to.include('"city": "Guangzhou"');
    await expectAccessible(page, 'profile');

    await page.getByRole('link', { name: '← Profiles' }).click();
    await page.getByLabel('Tag').fill(detail.tag);
    await page.getByLabel('Type').selectOption('individual');
    await page.getByRole('button', { name: 'Browse' }).click();
    expect(new URL(page.url()).hash).to.equal(`#/profiles?tag=${detail.tag}&type=individual`);
    const segment = page.getByRole('table', { name: `Profiles tagged ${detail.tag} and of type individual` });
    // allTextContents does not wait: the rows are awaited first (a slow machine rendered the table before them).
    await segment
      .getByRole('rowheader', { name: 'C-GZ', exact: true })
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined);
    expect(await segment.getByRole('rowheader').allTextContents()).to.include('C-GZ');
    await expectAccessible(page, 'profiles');
    await screenshot(page, 'profiles-segment');
  });

  it("when an admin runs a job now, then the run shows in the job's history", async () => {
    await signIn(page, app, app.adminKey);
    await page.getByRole('link', { name: 'Jobs' }).click();
    const jobs = page.getByRole('table', { name: 'Jobs' });
    await jobs.waitFor();
    expect(await jobs.getByRole('rowheader').count()).to.equal(5);
    expect(await textOf(jobs.getByRole('row').filter({ hasText: 'retag' }))).to.include('0 2 * * *');
    await expectAccessible(page, 'jobs');

    await page.getByRole('button', { name: 'Run now: daily-report' }).click();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'Started daily-report' }))).to.match(/run daily-report@manual-/);
    await jobs.getByRole('link', { name: 'daily-report' }).click();
    const runs = page.getByRole('table', { name: 'Runs of daily-report' });
    await runs.getByText('succeeded').first().waitFor();
    const { body } = await app.http().get('/v1/jobs/daily-report/runs').set(bearer(app.adminKey));
    expect(body.items[0]).to.include({ trigger: 'manual', status: 'succeeded' });
    expect(await textOf(runs.getByRole('row').nth(1)))
      .to.include('manual')
      .and.include(`date: ${body.items[0].counts.date}`);
    await expectAccessible(page, 'job runs');
    await screenshot(page, 'jobs-run-history');
  });

  it('when a job is running on some instance, then the jobs screen shows its progress, and run now says it is already running', async () => {
    // A run in progress elsewhere, as the scheduler records it: its lease and its run with the counts so far.
    const database = await openTestDatabase(app);
    const now = new Date();
    const run = {
      _id: 'retag@elsewhere',
      job: 'retag',
      trigger: 'schedule',
      slot: now,
      instance: 'other-instance',
      startedAt: now,
      endedAt: null,
      heartbeatAt: now,
      status: 'running',
      counts: { processed: 500, total: 2000, changed: 12 },
      error: null,
    };
    await database.connection.db!.collection('job_runs').insertOne(run as never);
    await database.connection
      .db!.collection('job_leases')
      .insertOne({ _id: 'retag', holder: 'other-instance', runId: run._id, expiresAt: new Date(Date.now() + 600_000) } as never);
    try {
      await signIn(page, app, app.adminKey);
      await page.goto(`${app.url}/console/#/jobs`);
      const retag = page.getByRole('table', { name: 'Jobs' }).getByRole('row').filter({ hasText: 'Re-evaluates' });
      expect(await textOf(retag))
        .to.include('running')
        .and.include('500 of 2,000');
      expect(await retag.getByRole('progressbar', { name: 'Progress of retag' }).getAttribute('value')).to.equal('500');
      await retag.getByRole('button', { name: 'Run now: retag' }).click();
      expect(await textOf(retag.getByRole('status'))).to.equal('retag is already running: wait for that run to finish.');
    } finally {
      await database.connection.db!.collection('job_leases').deleteOne({ _id: 'retag' } as never);
      await database.connection
        .db!.collection('job_runs')
        .updateOne({ _id: run._id } as never, { $set: { status: 'failed', endedAt: new Date(), error: 'test over' } });
      await database.close();
    }
  });

  it('when an admin opens the overview, then it draws decisions per hour, alerts by code and the rules that fire most, each with its table', async () => {
    // The day of the set-up decisions (the overview opens on the service's today, which may have turned since).
    const day = serviceDay(app, farDecision.evaluatedAt);
    const { body: overview } = await app.http().get('/v1/reports/overview').query({ date: day }).set(bearer(app.adminKey));
    await signIn(page, app, app.adminKey);
    await page.getByLabel('Last day').fill(day);
    expect(await textOf(page.getByRole('status').filter({ hasText: 'decisions from' }))).to.include(`${overview.decisions} decisions`);
    await page.locator('.chart canvas').nth(2).waitFor();
    expect(await page.locator('.chart canvas').count()).to.equal(3);
    expect(await page.getByRole('img', { name: /^Bar chart of alerts by code: / }).getAttribute('aria-label')).to.include(
      'LOCATION_MISMATCH',
    );
    const alerts = page.getByRole('region', { name: 'Alerts by code, as a table' });
    for (const { code, count } of overview.alerts as { code: string; count: number }[]) {
      expect(await textOf(alerts.getByRole('row').filter({ hasText: code }))).to.equal(`${code}${count}`);
    }
    const rules = page.getByRole('region', { name: 'Rules that fire most, as a table' });
    expect(await textOf(rules.getByRole('row').nth(1))).to.equal(
      `${overview.rules[0].rule}${overview.rules[0].ruleset}${overview.rules[0].hits}`,
    );
    await expectAccessible(page, 'overview with charts');
    const weekly = page.waitForResponse((response) => response.url().includes('/v1/reports/overview') && response.url().includes('days=7'));
    await page.getByLabel('the week ending that day').check();
    expect((await weekly).status()).to.equal(200);
    expect(await textOf(page.getByRole('status').filter({ hasText: 'decisions from' }))).to.include(`${overview.decisions} decisions`);
    await screenshot(page, 'overview-admin');
  });

  it('when a decide-only key signs in, then it is offered no decision search and the address says its roles do not allow it; an audit:read key sees no Jobs screen', async () => {
    await signIn(page, app, await issueKey(app, ['decide'], 'loan-system'));
    expect(await offered(page, ['Decisions', 'Verify log', 'Jobs', 'Profiles'])).to.deep.equal([]);
    expect(await textOf(page.locator('.notice')))
      .to.include('audit:read, rules:edit, rules:publish')
      .and.include('this key has decide');
    expect(await page.locator('.chart').count()).to.equal(0);
    await expectAccessible(page, 'overview for a decide-only key');
    await page.goto(`${app.url}/console/#/decisions`);
    expect(await textOf(page.getByRole('alert'))).to.include('do not allow this screen');
    await page.goto(`${app.url}/console/#/decisions/${farDecision.decisionId}`);
    expect(await textOf(page.getByRole('alert'))).to.include('do not allow this screen');

    const other = await browser.newPage();
    try {
      await signIn(other, app, complianceKey);
      expect(await offered(other, ['Jobs'])).to.deep.equal([]);
      await other.goto(`${app.url}/console/#/jobs`);
      expect(await textOf(other.getByRole('alert'))).to.include('do not allow this screen');
      await screenshot(other, 'compliance-5-no-jobs-for-audit');
    } finally {
      await other.close();
    }
  });

  // Last in this file: its decision comes after the set-up's seal, and the other tests count the set-up's decisions.
  it('when the profile of a decision was erased, then the decision shows the erasure mask (when, by whom, which fields), no profile id or facts, and says a replay is refused', async function () {
    // The erasure answers once decisions in flight can no longer land: twice the (roomy) decision budget.
    this.timeout(2 * Number(ROOMY_BUDGET.DECISION_TIMEOUT_MS) + 30_000);
    const feed = bearer(await issueKey(app, ['profiles:write'], 'crm-feed-erasing'));
    const loans = bearer(await issueKey(app, ['decide'], 'loan-origination-erasing'));
    await app.http().put('/v1/profiles/C-ERASED').set(feed).send(fixtureProfile('individual-guangzhou')).expect(201);
    const decided = await app
      .http()
      .post('/v1/decisions')
      .set(loans)
      .send({ profileId: 'C-ERASED', event: HOME_APPLICATION, rulesets: ['fraud-alerts'] })
      .expect(200);
    await app.http().delete('/v1/profiles/C-ERASED').set(feed).expect(204);
    const { body: logged } = await app.http().get(`/v1/decisions/${decided.body.decisionId}`).set(compliance).expect(200);
    expect(logged.masked.fields, 'what the service masked').to.have.length.at.least(1);

    await signIn(page, app, complianceKey);
    await page.goto(`${app.url}/console/#/decisions/${decided.body.decisionId}`);
    const mask = page.getByRole('note');
    expect(await textOf(mask))
      .to.include(`by key ${logged.masked.by}`)
      .and.include(`${logged.masked.fields.join(', ')} removed`)
      .and.include('can no longer be replayed');
    expect(await textOf(page.locator('.facts-list dd').nth(2))).to.equal('erased');
    expect(await page.getByText('Masked by the erasure.', { exact: true }).count(), 'facts and request').to.equal(2);
    expect(await page.getByText('C-ERASED').count(), 'the profile id is nowhere on the page').to.equal(0);
    await page.getByRole('button', { name: 'Replay this decision' }).click();
    expect(await textOf(page.getByRole('alert'))).to.include('This decision was erased: its facts are masked, so it cannot be replayed.');
    await expectAccessible(page, 'erased decision');
    await screenshot(page, 'compliance-erased-decision');
  });
});
