import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createServer, type Server, type ServerOptions } from '../../src/server.js';
import { CHECKED_RESPONSES } from './test-app.js';

export const EMBEDDED_ADMIN = 'embedded-admin-key-0123456789abcdef';

export interface EmbeddedServer {
  server: Server;
  url: string;
  http: () => ReturnType<typeof supertest>;
  admin: { Authorization: string };
}

/** A fresh DATA_DIR under the system's temporary directory. */
export const freshDataDir = (label: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));

/**
 * Starts the service in this process the way `npm start` does, on its own embedded database under
 * `dataDir` (never the test run's shared server): for tests that kill that database.
 */
export async function startEmbeddedServer(
  dataDir: string,
  env: Record<string, string> = {},
  options: ServerOptions = {},
): Promise<EmbeddedServer> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    BOOTSTRAP_ADMIN_KEY: EMBEDDED_ADMIN,
    ...CHECKED_RESPONSES,
    ...env,
  });
  const server = createServer(config, { logger: createLogger('info', { silent: !process.env.TEST_LOGS }), ...options });
  const { url } = await server.start();
  return { server, url, http: () => supertest(url), admin: { Authorization: `Bearer ${EMBEDDED_ADMIN}` } };
}
