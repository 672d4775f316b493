import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { bearer, issueKey, startTestApp, type TestApp } from '../helpers/test-app.js';
import { expectAccessible, launchBrowser, ROOMY_BUDGET, screenshot, signIn, textOf } from '../helpers/browser.js';

describe('console: sign-in', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    app = await startTestApp('console-sign-in', ROOMY_BUDGET);
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

  it('when /console/ is requested without a key, then the console is served with a CSP that allows only its own scripts', async () => {
    const res = await app.http().get('/console/');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/text\/html/);
    expect(res.headers['content-security-policy']).to.include("script-src 'self'");
    expect(res.text).to.not.match(/<script>(?!<\/script>)/);
    await app.http().get('/console').expect(301).expect('Location', '/console/');
  });

  it('when the sign-in screen has loaded, then the scripts the browser fetched for it weigh at most 250 KB gzipped; the editors and charts are not among them', async () => {
    const scripts: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.endsWith('.js')) scripts.push(response.url());
    });
    await page.goto(`${app.url}/console/`);
    await page.getByLabel('API key').waitFor();
    expect(scripts, 'the entry script').to.have.length.at.least(1);
    expect(scripts.filter((url) => /draft-editor|json-view|line-diff|uPlot/.test(url))).to.deep.equal([]);
    let gzipped = 0;
    for (const url of scripts) gzipped += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
    expect(gzipped, 'bytes of JavaScript, gzipped').to.be.within(1, 250_000);
  });

  it('when a person signs in with the admin key, then the console says which roles it has and lists the screens they allow', async () => {
    await page.goto(`${app.url}/console/`);
    await expectAccessible(page, 'sign-in');
    await signIn(page, app.url, app.adminKey);
    expect(await textOf(page.getByLabel('Signed in as'))).to.include('roles: admin');
    const nav = page.getByRole('navigation', { name: 'Screens' });
    expect(await nav.getByRole('link').allTextContents()).to.include.members(['Overview', 'Rulesets']);
    const stored = await page.evaluate(() => Object.keys(sessionStorage).map((key) => [key, sessionStorage.getItem(key)]));
    expect(stored).to.deep.equal([['decisioning.console.key', app.adminKey]]);
    expect(await page.evaluate(() => localStorage.length)).to.equal(0);
    expect(page.url()).to.not.include(app.adminKey);
    await expectAccessible(page, 'overview');
    await screenshot(page, 'sign-in-overview');
  });

  it('when the key is wrong, then the sign-in says it was refused and keeps nothing', async () => {
    await page.goto(`${app.url}/console/`);
    await page.getByLabel('API key').fill('not-a-key-at-all-0000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await textOf(page.getByRole('alert'))).to.include('refused (401)');
    expect(await page.evaluate(() => sessionStorage.length)).to.equal(0);
  });

  it('when a decide-only key signs in, then no rules editor is offered, and its address says the roles do not allow it', async () => {
    const decideKey = await issueKey(app, ['decide'], 'loan-system');
    await signIn(page, app.url, decideKey);
    const links = await page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents();
    expect(links).to.not.include('Rulesets');
    await page.goto(`${app.url}/console/#/rulesets`);
    expect(await textOf(page.getByRole('alert'))).to.include('do not allow this screen');
  });

  it('when the person signs out, then the key is dropped from the tab', async () => {
    await signIn(page, app.url, app.adminKey);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).to.equal(0);
  });

  it('when the key is revoked while signed in, then the next screen tells the person and asks for a key again', async () => {
    const editorKey = await issueKey(app, ['rules:edit'], 'editor-to-revoke');
    await signIn(page, app.url, editorKey);
    const { body } = await app.http().get('/v1/api-keys').set(bearer(app.adminKey));
    const id = (body.items as { id: string; name: string }[]).find((key) => key.name === 'editor-to-revoke')!.id;
    await app.http().delete(`/v1/api-keys/${id}`).set(bearer(app.adminKey)).expect(200);
    await page.getByRole('link', { name: 'Rulesets' }).click();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'refused (401)' }))).to.include('Sign in again');
    expect(await page.evaluate(() => sessionStorage.length)).to.equal(0);
  });
});
