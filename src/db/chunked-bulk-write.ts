/**
 * FerretDB v1.24 (SQLite) never answers an `update` command carrying 100 or more statements, so bulk
 * updates go in commands of at most this many. On MongoDB this only costs a few more round trips.
 */
export const MAX_UPDATES_PER_COMMAND = 50;

/** What a bulk write reports per failed operation (driver shape). */
interface WriteErrorLike {
  index: number;
  code?: number;
  errmsg?: string;
}

/**
 * Runs `write` over consecutive chunks of `operations` (unordered within a chunk) and answers the
 * failed operations by their index in the whole list. Errors that are not per-operation are thrown.
 */
export async function chunkedBulkWrite<T>(operations: T[], write: (chunk: T[]) => Promise<unknown>): Promise<Map<number, string>> {
  const failed = new Map<number, string>();
  for (let start = 0; start < operations.length; start += MAX_UPDATES_PER_COMMAND) {
    try {
      await write(operations.slice(start, start + MAX_UPDATES_PER_COMMAND));
    } catch (error) {
      const writeErrors = (error as { writeErrors?: WriteErrorLike[] | WriteErrorLike }).writeErrors;
      if (writeErrors === undefined) throw error;
      for (const writeError of Array.isArray(writeErrors) ? writeErrors : [writeErrors]) {
        failed.set(start + writeError.index, writeError.errmsg ?? 'write failed');
      }
    }
  }
  return failed;
}
