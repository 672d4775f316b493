import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../src/config/repo-root.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export const NO_CHROMIUM_MESSAGE =
  "No Chromium found for the browser tests. Install Debian's package (apt-get install chromium) or point CHROMIUM_PATH at a Chromium or Chrome binary. (.ci/run installs it when missing.)";

/** The Chromium the browser tests drive: CHROMIUM_PATH, else the usual install paths; undefined when there is none. */
export function findChromium(env: Record<string, string | undefined> = process.env): string | undefined {
  const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : CANDIDATES;
  return candidates.find((candidate) => fs.existsSync(candidate));
}

/**
 * Launches headless Chromium from the system's packages (Playwright's own download does not work here).
 * The flags stop Chromium's background connections, which the closed network refuses.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_CHROMIUM_MESSAGE);
  return chromium.launch({
    executablePath,
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-gpu',
    ],
  });
}

/**
 * The decision budget of the browser journeys' services (DECISION_TIMEOUT_MS, which also bounds a key's
 * lookup): roomy, so that a journey on a busy machine is about what the page shows, not about latency.
 */
export const ROOMY_BUDGET = { DECISION_TIMEOUT_MS: '20000' };

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output', 'screenshots');

/**
 * Keeps the screen for a reviewer to look at: test-output/screenshots/<name>.png, the whole page, or
 * only what the window shows (`fullPage: false`, e.g. for the README's picture).
 */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page as it is now and fails on any WCAG 2 A/AA violation, listing each. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Evaluated, not injected as a <script> element: the console's CSP refuses inline scripts.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: unknown, options: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map(
      (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')})`,
    );
  });
  expect(violations, `axe-core on ${screen}`).to.deep.equal([]);
}

/** Signs in on the console at `url` with `key`, as a person does, and waits for the screens it allows. */
export async function signIn(page: Page, url: string, key: string): Promise<void> {
  await page.goto(`${url}/console/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
}

/** The text of an element once it is visible (Playwright waits for it, up to its default timeout). */
export async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible' });
  return (await locator.textContent()) ?? '';
}
