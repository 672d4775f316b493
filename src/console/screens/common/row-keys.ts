/**
 * React keys for rows that have no id of their own. A row keeps its key when rows before it move, come
 * or go, so React moves its DOM (and the keyboard focus or typed text in it) with it, instead of showing
 * another item in it as index keys would.
 */

/**
 * Keys for rows named by their items (rules, tests, lines of text): the name, and for a name seen
 * before in the list, the name with its occurrence.
 */
export function keysByName(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const occurrence = (seen.get(name) ?? 0) + 1;
    seen.set(name, occurrence);
    return occurrence === 1 ? name : JSON.stringify([name, occurrence]);
  });
}

/**
 * Keys for the rows of a list edited in place whose items have no names (a condition's list of values):
 * a row added at the end gets a new key, a row removed through `remove` takes its key with it, and a
 * list shortened elsewhere loses its last keys.
 */
export class ListKeys {
  private keys: number[] = [];
  private next = 0;

  /** The keys of a list of `count` rows (the same keys while the count stays). */
  of(count: number): readonly number[] {
    while (this.keys.length < count) this.keys.push(this.next++);
    this.keys.length = count;
    return [...this.keys];
  }

  /** Row `index` is removed: the rows after it keep their keys. */
  remove(index: number): void {
    this.keys.splice(index, 1);
  }
}
