import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import type { EmbeddedDbSync } from '../../src/config/config.js';
import type { BenchDatabase } from './bench-database.js';
import { startNodeChild, type RunningChild } from './child-process.js';

/**
 * The service started as `npm start` would start it (its own process): against a bench database, or
 * (`embedded`) on its own embedded database in `dataDir`, as it runs by default.
 */
export interface BenchService {
  child: RunningChild;
  adminKey: string;
  dbName: string;
  call<T = unknown>(method: string, route: string, body?: unknown, key?: string): Promise<T>;
  /** Issues an API key with these roles, as an admin would. */
  issueKey(name: string, roles: string[]): Promise<string>;
}

export async function startService(
  db: BenchDatabase,
  label: string,
  options: { nodeArgs?: string[]; env?: Record<string, string>; dataDir: string; embedded?: { sync: EmbeddedDbSync; dbName: string } },
): Promise<BenchService> {
  const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
  const dbName = options.embedded?.dbName ?? db.freshName(label);
  const database: Record<string, string> = options.embedded ? { EMBEDDED_DB_SYNC: options.embedded.sync } : { MONGODB_URI: db.uri };
  const child = await startNodeChild(
    path.join(REPO_ROOT, 'build', 'src', 'main.js'),
    {
      ...options.env,
      ...database,
      MONGODB_DB: dbName,
      LOG_LEVEL: 'warn',
      BOOTSTRAP_ADMIN_KEY: adminKey,
      DATA_DIR: options.dataDir,
    },
    { readyPath: '/readyz', nodeArgs: options.nodeArgs },
  );
  const call = async <T>(method: string, route: string, body?: unknown, key = adminKey): Promise<T> => {
    const res = await fetch(`${child.url}${route}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`bench: ${method} ${route} answered ${res.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    child,
    adminKey,
    dbName,
    call,
    issueKey: async (name, roles) => (await call<{ key: string }>('POST', '/v1/api-keys', { name, roles })).key,
  };
}
