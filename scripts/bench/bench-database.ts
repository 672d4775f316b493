import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EmbeddedDbSync } from '../../src/config/config.js';
import { connectDatabase, type Database } from '../../src/db/database.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded-mongo.js';
import { childPidsMatching } from './child-process.js';

/**
 * The database server the HTTP and retag sections run against: an embedded FerretDB on a fresh
 * temporary directory (as `npm test` starts one), or MONGODB_URI when set. Each section uses a
 * database of its own; they are dropped at the end when the server is not ours to delete.
 */
export interface BenchDatabase {
  uri: string;
  /** What it is, for the results: "embedded FerretDB …" or "MONGODB_URI". */
  kind: string;
  /** The FerretDB process, to meter its CPU; undefined for an external server. */
  pid: number | undefined;
  /** A fresh database name, remembered for dropping. */
  freshName(label: string): string;
  connect(dbName: string): Promise<Database>;
  stop(): Promise<void>;
}

export async function startBenchDatabase(
  mongodbUri: string | undefined,
  sync: EmbeddedDbSync,
  log: (line: string) => void,
): Promise<BenchDatabase> {
  let embedded: EmbeddedMongo | undefined;
  let dataDir: string | undefined;
  let uri = mongodbUri;
  if (!uri) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisioning-bench-'));
    embedded = await startEmbeddedMongo(path.join(dataDir, 'db'), { info: (message: string) => log(`database: ${message}`) }, { sync });
    uri = embedded.uri;
  }
  const names: string[] = [];
  const pid = embedded ? childPidsMatching('embedded-mongo')[0] : undefined;
  return {
    uri,
    kind: embedded ? `embedded FerretDB v1 (SQLite backend, synchronous=${sync}) on a fresh temporary directory` : 'MONGODB_URI',
    pid,
    freshName(label) {
      const name = `bench_${label}_${randomBytes(3).toString('hex')}`;
      names.push(name);
      return name;
    },
    connect: (dbName) => connectDatabase(uri, dbName),
    async stop() {
      if (embedded) {
        await embedded.stop();
        fs.rmSync(dataDir!, { recursive: true, force: true });
        return;
      }
      for (const name of names) {
        const database = await connectDatabase(uri, name);
        await database.connection.dropDatabase().catch(() => undefined);
        await database.close();
      }
    },
  };
}
