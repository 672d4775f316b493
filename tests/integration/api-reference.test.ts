import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const SCRIPT = path.join(REPO_ROOT, 'build', 'scripts', 'api-reference.js');

describe('API reference: the document it is generated from', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp('api-reference');
  });
  after(() => app.stop());

  it('when the document built without a database is compared with the served /openapi.json, then they are equal', async () => {
    const served = (await app.http().get('/openapi.json')).body as { paths: object };
    const built = JSON.parse(execFileSync(process.execPath, [SCRIPT, '--json'], { encoding: 'utf8' })) as { paths: object };
    const missing = 'scripts/api-reference/route-document.ts must create every router the service serves';
    expect(Object.keys(built.paths).sort(), missing).to.deep.equal(Object.keys(served.paths).sort());
    expect(built).to.deep.equal(served);
  });
});
