import mongoose, { type Connection } from 'mongoose';
import { DatabaseAvailability } from './database-availability.js';

/** The one mongoose connection of an instance. Stores receive it; nothing else touches mongoose. */
export interface Database {
  connection: Connection;
  /** Whether the database is known to be down, and why (fed by the driver and the embedded database's supervisor). */
  availability: DatabaseAvailability;
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

interface Log {
  info(message: string, meta?: object): unknown;
  warn(message: string, meta?: object): unknown;
}

const silent: Log = { info: () => undefined, warn: () => undefined };

export interface ConnectOptions {
  log?: Log;
  /** Called once when an outage begins. */
  onOutage?: () => void;
}

export async function connectDatabase(uri: string, dbName: string, { log = silent, onOutage }: ConnectOptions = {}): Promise<Database> {
  const connection = await mongoose
    .createConnection(uri, {
      dbName,
      // Fail fast rather than queue operations while disconnected: callers answer 503.
      bufferCommands: false,
      autoIndex: false,
      autoCreate: false,
      serverSelectionTimeoutMS: 5000,
      maxPoolSize: 20,
    })
    .asPromise();

  async function ping(timeoutMs = 1000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const db = connection.db;
      if (!db) return false;
      await Promise.race([
        db.command({ ping: 1 }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('ping timed out')), timeoutMs);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  const availability = new DatabaseAvailability(() => ping(), log, onOutage);
  // The driver marks a server unknown on a network error or a failed heartbeat: from then on, until
  // a probe answers, an operation would only wait out the server selection timeout.
  const client = connection.getClient();
  // However the connection gets closed, a closed client is not an outage to probe for.
  client.on('topologyClosed', () => availability.stop());
  client.on('topologyDescriptionChanged', (event) => {
    const servers = [...event.newDescription.servers.values()];
    if (servers.some((server) => server.isWritable)) return;
    const error = servers.find((server) => server.error)?.error;
    availability.markDown(`the database server does not answer${error ? `: ${error.message}` : ''}`);
  });

  return {
    connection,
    availability,
    ping,
    async close() {
      availability.stop();
      await connection.close();
    },
  };
}
