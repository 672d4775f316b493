import type { ListLookup } from '../../engine/list-lookup.js';
import type { Logger } from '../../logging/logger.js';
import type { ListChange, ListStore } from './list-store.js';

/** One list as this instance holds it. Never changed in place: a change makes a new one. */
export interface ListState {
  id: string;
  description: string;
  items: ReadonlySet<string>;
  /** The sequence number of its latest change: what a decision logs as the revision it saw. */
  revision: number;
  updatedAt: Date;
  updatedBy: { keyId: string; name: string };
}

/** The lists at one moment: what one decision evaluates against, whatever arrives meanwhile. */
export interface ListView extends ListLookup {
  state(listId: string): ListState | undefined;
}

function viewOf(lists: ReadonlyMap<string, ListState>): ListView {
  return { get: (listId) => lists.get(listId)?.items, state: (listId) => lists.get(listId) };
}

/** Applies changes in order to a map of lists; each list touched is copied once per batch. */
export function applyChanges(lists: ReadonlyMap<string, ListState>, changes: readonly ListChange[]): Map<string, ListState> {
  const next = new Map(lists);
  const copied = new Map<string, Set<string>>();
  for (const change of changes) {
    const before = next.get(change.listId);
    let items: Set<string>;
    if (change.op === 'replace') items = new Set(change.items);
    else {
      items = copied.get(change.listId) ?? new Set(before?.items);
      for (const item of change.items) {
        if (change.op === 'add') items.add(item);
        else items.delete(item);
      }
    }
    copied.set(change.listId, items);
    next.set(change.listId, {
      id: change.listId,
      description: change.description ?? before?.description ?? '',
      items,
      revision: change.seq,
      updatedAt: change.at,
      updatedBy: change.by,
    });
  }
  return next;
}

/**
 * Every list, held in memory as Sets (membership is one lookup per condition) and kept up to date by
 * asking the store for the change after the last one seen, every `pollMs`: one _id lookup when nothing
 * changed. Writes go through here too: a writer catches up, checks its change against the lists as of
 * the last change, and takes the next sequence number; when another writer took it, it catches up and
 * checks again. So two instances adding at once both land, and no check is made on stale lists.
 */
export class ListRegistry {
  private lists: ReadonlyMap<string, ListState> = new Map();
  private current: ListView = viewOf(this.lists);
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private catching: Promise<void> | undefined;
  /** This instance's writes, one at a time: each would only take the number the previous one took. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ListStore,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

  async start(): Promise<void> {
    const changes = await this.store.all();
    this.lists = applyChanges(this.lists, changes);
    this.current = viewOf(this.lists);
    this.head = changes.reduce((head, change) => Math.max(head, change.seq), 0);
    await this.catchUp();
    this.timer = setInterval(() => {
      this.catchUp().catch((error: Error) => this.logger.warn('list refresh failed', { message: error.message }));
    }, this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The lists as they are now, fixed: what a decision reads. */
  view(): ListView {
    return this.current;
  }

  /** Whether a list exists, once caught up with every instance's changes (draft validation). */
  async exists(listId: string): Promise<boolean> {
    await this.catchUp();
    return this.current.state(listId) !== undefined;
  }

  all(): ListState[] {
    return [...this.lists.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /**
   * The lists at the revisions a logged decision saw: the current items when the list has not changed
   * since, else the list rebuilt from its changes up to that revision (changes are never deleted).
   */
  async asOf(revisions: Readonly<Record<string, number>>): Promise<ListLookup> {
    const lists = new Map<string, ReadonlySet<string>>();
    for (const [id, revision] of Object.entries(revisions)) {
      const current = this.current.state(id);
      if (revision === 0) continue;
      if (current?.revision === revision) lists.set(id, current.items);
      else lists.set(id, applyChanges(new Map(), await this.store.listUpTo(id, revision)).get(id)?.items ?? new Set());
    }
    return lists;
  }

  /** Reads the changes written since the last one seen; concurrent callers share one read. */
  catchUp(): Promise<void> {
    this.catching ??= this.readNewChanges().finally(() => {
      this.catching = undefined;
    });
    return this.catching;
  }

  /**
   * Writes a change made from the lists as they are once caught up: `make` sees them and answers the
   * change to write (undefined: nothing to change), or throws to refuse. Answers the list after it.
   */
  async write(
    make: (lists: ListView) => Omit<ListChange, 'seq'> | undefined,
  ): Promise<{ state: ListState | undefined; change: ListChange | undefined }> {
    const run = this.writes.then(async () => {
      for (let attempt = 0; attempt < 1000; attempt += 1) {
        await this.catchUp();
        const made = make(this.current);
        if (!made) return { state: undefined, change: undefined };
        const change: ListChange = { ...made, seq: this.head + 1 };
        if (await this.store.append(change)) {
          // A read already under way may have started before the insert: read until it is seen.
          while (this.head < change.seq) await this.catchUp();
          return { state: this.current.state(change.listId), change };
        }
      }
      throw new Error('ListRegistry: write() found the next change taken 1000 times');
    });
    // The next write waits for this one whatever its outcome: its caller gets the rejection.
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async readNewChanges(): Promise<void> {
    const found: ListChange[] = [];
    for (;;) {
      const change = await this.store.at(this.head + found.length + 1);
      if (!change) break;
      found.push(change);
    }
    if (found.length === 0) return;
    this.lists = applyChanges(this.lists, found);
    this.current = viewOf(this.lists);
    this.head += found.length;
  }
}
