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
});
