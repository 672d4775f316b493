/**
 * `npm test`: runs every test against a real database. Without MONGODB_URI it starts one embedded
 * FerretDB on a fresh temporary directory for the whole run (each test file uses its own database);
 * with MONGODB_URI the same suite runs against that server.
 *
 * `npm run test:unit` (`--unit`): only tests/unit, the tests of pure code, in a few seconds: no database
 * is started and nothing else the whole suite needs is checked. MONGODB_URI is pointed at a closed port,
 * so that a unit test that reaches for a database fails at once instead of starting one. The
 * evaluators' differential sweeps (tests/differential) need no database either, but take half a minute:
 * `npm test` runs them.
 *
 * Either takes a mocha grep pattern as its last argument: `npm test -- 'POST /v1/decisions'`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Mocha from 'mocha';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/db/embedded-mongo.js';
import { REPO_ROOT } from '../src/config/repo-root.js';
import { findChromium, NO_CHROMIUM_MESSAGE } from '../tests/helpers/browser.js';

const BUILD_DIR = path.join(REPO_ROOT, 'build');
const UNIT_FLAG = '--unit';
/** Port 9 (discard) is closed on loopback; the short selection timeout makes the failure come in a second. */
const NO_DATABASE_URI = 'mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=1000';

/** The compiled tests under `dir` whose source still exists (tsc leaves a moved or deleted test's output behind). */
function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    const source = path.join(REPO_ROOT, path.relative(BUILD_DIR, full)).replace(/\.js$/, '.ts');
    return entry.name.endsWith('.test.js') && fs.existsSync(source) ? [full] : [];
  });
}

/** What the whole suite needs around mocha: a browser and the database; answers how to stop it. */
async function prepareWholeSuite(): Promise<() => Promise<void>> {
  // The console's browser journeys are part of the suite: without a browser the run fails, it never skips them.
  if (!findChromium()) {
    console.error(`[tests] ${NO_CHROMIUM_MESSAGE}`);
    process.exit(1);
  }
  if (process.env.MONGODB_URI) return async () => undefined;
  const log = { info: (message: string) => console.log(`[tests] ${message}`) };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisioning-test-'));
  const embedded: EmbeddedMongo = await startEmbeddedMongo(dataDir, log);
  process.env.MONGODB_URI = embedded.uri;
  process.env.TEST_EMBEDDED = '1';
  return async () => {
    await embedded.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unitOnly = args.includes(UNIT_FLAG);
  const grep = args.filter((arg) => arg !== UNIT_FLAG).at(-1);
  let stop = async (): Promise<void> => undefined;
  if (unitOnly) process.env.MONGODB_URI = NO_DATABASE_URI;
  else stop = await prepareWholeSuite();
  const mocha = new Mocha({ timeout: 30_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files = testFiles(path.join(BUILD_DIR, 'tests', ...(unitOnly ? ['unit'] : []))).sort();
  for (const file of files) mocha.addFile(file);

  let exitCode = 1;
  try {
    exitCode = await new Promise<number>((resolve) => {
      const runner = mocha.run((failures) => {
        const stats = runner.stats!;
        const scope = unitOnly ? ' (unit tests only; npm test runs all)' : '';
        console.log(`\n${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped${scope}`);
        resolve(failures > 0 || stats.passes === 0 ? 1 : 0);
      });
    });
  } finally {
    await stop();
  }
  process.exit(exitCode);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
