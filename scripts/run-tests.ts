/**
 * `npm test`: runs every test against a real database. Without MONGODB_URI it starts one embedded
 * FerretDB on a fresh temporary directory for the whole run (each test file uses its own database);
 * with MONGODB_URI the same suite runs against that server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Mocha from 'mocha';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/db/embedded-mongo.js';
import { REPO_ROOT } from '../src/config/repo-root.js';

function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

async function main(): Promise<void> {
  const log = { info: (message: string) => console.log(`[tests] ${message}`) };
  let embedded: EmbeddedMongo | undefined;
  let dataDir: string | undefined;
  if (!process.env.MONGODB_URI) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisioning-test-'));
    embedded = await startEmbeddedMongo(dataDir, log);
    process.env.MONGODB_URI = embedded.uri;
    process.env.TEST_EMBEDDED = '1';
  }
  const grep = process.argv[2];
  const mocha = new Mocha({ timeout: 30_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files = testFiles(path.join(REPO_ROOT, 'build', 'tests')).sort();
  for (const file of files) mocha.addFile(file);

  let exitCode = 1;
  try {
    exitCode = await new Promise<number>((resolve) => {
      const runner = mocha.run((failures) => {
        const stats = runner.stats!;
        console.log(`\n${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
        resolve(failures > 0 || stats.passes === 0 ? 1 : 0);
      });
    });
  } finally {
    await embedded?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
