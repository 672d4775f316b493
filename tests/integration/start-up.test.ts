import { expect } from 'chai';
import { Writable } from 'node:stream';
import winston from 'winston';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createServer } from '../../src/server.js';
import { freshDbName } from '../helpers/test-app.js';

/** Starts and stops the service on `database` with `env`; answers the log lines of that run. */
async function startAndStop(database: string, env: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info');
  logger.clear();
  logger.add(
    new winston.transports.Stream({
      stream: new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    }),
  );
  const config = loadConfig({ MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: database, PORT: '0', HOST: '127.0.0.1', ...env });
  const server = createServer(config, { logger });
  await server.start();
  await server.stop();
  return lines;
}

const adminKeyWarnings = (lines: Record<string, unknown>[]) =>
  lines.filter((line) => line.level === 'warn' && String(line.message).includes('no active admin key'));

describe('start-up', () => {
  const database = freshDbName('startup');

  it('when no admin key exists and none is configured, then the start warns and says how to create one', async () => {
    const lines = await startAndStop(database);

    const warnings = adminKeyWarnings(lines);
    expect(warnings).to.have.length(1);
    expect(warnings[0]!.message).to.contain('BOOTSTRAP_ADMIN_KEY=');
  });

  it('when BOOTSTRAP_ADMIN_KEY creates the admin key, then the start does not warn, nor the next one without it', async () => {
    const withKey = await startAndStop(database, { BOOTSTRAP_ADMIN_KEY: 'start-up-test-admin-key-0123456789' });
    const afterwards = await startAndStop(database);

    expect(adminKeyWarnings(withKey)).to.deep.equal([]);
    expect(adminKeyWarnings(afterwards)).to.deep.equal([]);
  });

  it('when DECISION_SEAL_KEY is unset, then the start warns that the log is evident only against whoever cannot recompute hashes; when set, it does not', async () => {
    const sealKeyWarnings = (lines: Record<string, unknown>[]) =>
      lines.filter((line) => line.level === 'warn' && String(line.message).startsWith('DECISION_SEAL_KEY is not set'));
    const unkeyed = await startAndStop(freshDbName('unkeyed'));
    const keyed = await startAndStop(freshDbName('keyed'), { DECISION_SEAL_KEY: 'start-up-test-seal-key-0123456789abcdef' });

    expect(sealKeyWarnings(unkeyed)).to.have.length(1);
    expect(sealKeyWarnings(unkeyed)[0]!.message).to.contain('cannot recompute');
    expect(sealKeyWarnings(keyed)).to.deep.equal([]);
  });

  it('when a seal is written, then its number and hash go to the service log (to keep outside the database)', async () => {
    // The shutdown seals the audit events of the start (the bootstrap key's creation) at once with no lag.
    const lines = await startAndStop(freshDbName('sealline'), {
      BOOTSTRAP_ADMIN_KEY: 'start-up-test-admin-key-0123456789',
      DECISION_SEAL_LAG_MS: '0',
    });

    const sealed = lines.filter((line) => line.message === 'decision log sealed');
    expect(sealed).to.have.length(1);
    expect(sealed[0]).to.include({ level: 'info', seal: 1, entries: 0 });
    expect(sealed[0]!.hash).to.match(/^[0-9a-f]{64}$/);
    expect(sealed[0]!.events).to.be.above(0);
  });
});
