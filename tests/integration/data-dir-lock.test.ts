import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DataDirLockedError } from '../../src/db/data-dir-lock.js';
import { freshDataDir, startEmbeddedServer, type EmbeddedServer } from '../helpers/embedded-server.js';

describe('the DATA_DIR lock (embedded database)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let running: EmbeddedServer | undefined;

  before(function () {
    if (process.env.TEST_EMBEDDED !== '1') this.skip();
  });
  beforeEach(() => {
    dataDir = freshDataDir('lock');
  });
  afterEach(async () => {
    await running?.server.stop();
    running = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a second server starts on a DATA_DIR in use, then it is refused, naming the directory and the owner, and the first keeps serving', async () => {
    running = await startEmbeddedServer(dataDir);
    const refused = await startEmbeddedServer(dataDir).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(DataDirLockedError);
    expect((refused as Error).message).to.include(`DATA_DIR ${dataDir} is in use by another running service (pid ${process.pid})`);
    expect((await running.http().get('/readyz')).status).to.equal(200);
  });

  it('when the lock was left by a process that no longer runs, then the server takes it over, and releases it on stop', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const lockFile = path.join(dataDir, 'service.lock');
    fs.writeFileSync(lockFile, `${dead}\n`);
    running = await startEmbeddedServer(dataDir);
    expect(fs.readFileSync(lockFile, 'utf8').trim()).to.equal(String(process.pid));
    await running.server.stop();
    running = undefined;
    expect(fs.existsSync(lockFile)).to.equal(false);
  });
});
