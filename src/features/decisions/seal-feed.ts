/** A log entry as a seal holds it, with the time that places it in a seal's interval. */
export interface FedEntry {
  id: string;
  hash: string;
  createdAt: Date;
}

/** Entries kept at most (~200 bytes each): past it, the feed starts again and the sealer reads the log. */
const MAX_ENTRIES = 100_000;

/**
 * The log entries this instance wrote, handed to the sealer so that it need not query the log by time.
 * Only where the instance is its database's only client (the embedded database): then every entry is
 * written here, and the feed is complete from the moment it started, except around an entry whose
 * write stayed in doubt (it may have landed unseen). The embedded database answers a query by time with
 * a scan of the whole log, which, once a minute, grew with the log; on MongoDB the index answers it.
 */
export class SealFeed {
  private entries: FedEntry[] = [];
  /** Every entry created at or after this time (ms) that landed is in `entries`. */
  private completeSince: number;

  constructor(startedAt: Date = new Date()) {
    this.completeSince = startedAt.getTime();
  }

  /** Entries the database acknowledged. */
  logged(entries: readonly FedEntry[]): void {
    if (this.entries.length + entries.length > MAX_ENTRIES) {
      this.inDoubt();
      return;
    }
    for (const entry of entries) this.entries.push(entry);
  }

  /** An entry may have landed unseen: no interval that began before now is taken from the feed. */
  inDoubt(now: Date = new Date()): void {
    this.entries = [];
    this.completeSince = Math.max(this.completeSince, now.getTime());
  }

  /**
   * The entries created in [from, until) in seal order (time, then id), or undefined when the feed may
   * miss some of them (the sealer then reads the log).
   */
  between(from: Date, until: Date): FedEntry[] | undefined {
    if (from.getTime() < this.completeSince) return undefined;
    const [start, end] = [from.getTime(), until.getTime()];
    return this.entries
      .filter((entry) => entry.createdAt.getTime() >= start && entry.createdAt.getTime() < end)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Entries created before `to` are sealed: they are let go, and nothing before `to` is asked again. */
  sealedUntil(to: Date): void {
    const end = to.getTime();
    this.entries = this.entries.filter((entry) => entry.createdAt.getTime() >= end);
  }
}
