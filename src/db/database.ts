import mongoose, { type Connection } from 'mongoose';

/** The one mongoose connection of an instance. Stores receive it; nothing else touches mongoose. */
export interface Database {
  connection: Connection;
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectDatabase(uri: string, dbName: string): Promise<Database> {
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
  return {
    connection,
    async ping(timeoutMs = 1000) {
      try {
        const db = connection.db;
        if (!db) return false;
        await Promise.race([
          db.command({ ping: 1 }),
          new Promise((_, reject) => setTimeout(() => reject(new Error('ping timed out')), timeoutMs).unref()),
        ]);
        return true;
      } catch {
        return false;
      }
    },
    close: () => connection.close(),
  };
}
