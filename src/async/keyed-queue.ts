/**
 * Runs tasks one at a time per key, in the order they arrive; tasks of different keys run freely. A
 * key holds memory only while it has tasks pending. Keys come from client input, hence a Map.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    // The queue goes on whatever a task's outcome: its caller gets the rejection, not the next task.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
