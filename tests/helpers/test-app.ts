import { randomBytes } from 'node:crypto';
import supertest from 'supertest';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createServer, type Server } from '../../src/server.js';
import { connectDatabase, type Database } from '../../src/db/database.js';

export interface TestApp {
  url: string;
  server: Server;
  config: Config;
  adminKey: string;
  /** supertest bound to the running app */
  http: () => ReturnType<typeof supertest>;
  stop(): Promise<void>;
}

/**
 * Every service a test starts checks each answer against the schema its route declares for the status
 * (a mismatch is a 500 naming it), so every test that reads an answer also checks the API reference.
 */
export const CHECKED_RESPONSES = { RESPONSE_VALIDATION: 'true' } as const;

/** A database name no other test file uses, so every file starts from an empty database. */
export function freshDbName(label: string): string {
  return `t_${label.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

/** Starts the real service on port 0 against the test database server. */
export async function startTestApp(label: string, env: Record<string, string> = {}, overrides: Partial<Config> = {}): Promise<TestApp> {
  // A restart on the same database passes the first run's key: adminKey must be the one configured.
  const adminKey = env.BOOTSTRAP_ADMIN_KEY ?? `test-admin-${randomBytes(16).toString('hex')}`;
  const config = loadConfig({
    MONGODB_URI: process.env.MONGODB_URI,
    MONGODB_DB: freshDbName(label),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ...CHECKED_RESPONSES,
    ...env,
    BOOTSTRAP_ADMIN_KEY: adminKey,
  });
  Object.assign(config, overrides);
  const server = createServer(config, { logger: createLogger('error', { silent: !process.env.TEST_LOGS }) });
  const { url } = await server.start();
  return { url, server, config, adminKey, http: () => supertest(url), stop: () => server.stop() };
}

/** Issues a key with the given roles through the API, as an admin would. */
export async function issueKey(app: TestApp, roles: string[], name = `key-${roles.join('-')}`): Promise<string> {
  const res = await app.http().post('/v1/api-keys').set('Authorization', `Bearer ${app.adminKey}`).send({ name, roles });
  if (res.status !== 201) throw new Error(`issueKey: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.key as string;
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** A direct connection to the app's database, for tests that must reach behind the API (tampering). */
export async function openTestDatabase(app: TestApp): Promise<Database> {
  return connectDatabase(process.env.MONGODB_URI!, app.config.mongodbDb);
}
