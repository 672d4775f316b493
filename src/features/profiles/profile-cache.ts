import type { CacheCounter } from '../../metrics/service-metrics.js';
import type { ProfileState } from './profile-doc.js';

/** A profile state as read, with the size of its stored body (what its memory is estimated from). */
export type ReadState = ProfileState & { bytes: number };

/** Parsed objects take a few times the JSON text they come from; the rest is the entry's own overhead. */
const estimatedBytes = (state: ReadState): number => state.bytes * 4 + 2048;

interface Entry {
  state: ReadState;
  size: number;
  /** performance.now() when read: on a shared database, kept up to the staleness bound from there. */
  readAt: number;
}

/**
 * States by profile id, least recently used first (a Map keeps insertion order: a use moves an entry to
 * the end), up to `maxBytes` of estimated size, each for at most `maxAgeMs` when given.
 */
class BoundedStates {
  private readonly map = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxAgeMs: number | undefined,
  ) {}

  get(profileId: string, used = true): ReadState | undefined {
    const entry = this.map.get(profileId);
    if (!entry) return undefined;
    if (this.maxAgeMs !== undefined && performance.now() - entry.readAt > this.maxAgeMs) {
      this.delete(profileId);
      return undefined;
    }
    if (used) {
      this.map.delete(profileId);
      this.map.set(profileId, entry);
    }
    return entry.state;
  }

  /** Keeps a state read at `readAt`. */
  set(profileId: string, state: ReadState, readAt = performance.now()): void {
    this.delete(profileId);
    const size = Math.min(estimatedBytes(state), this.maxBytes);
    this.map.set(profileId, { state, size, readAt });
    this.bytes += size;
    for (const [oldest] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  readAt(profileId: string): number | undefined {
    return this.map.get(profileId)?.readAt;
  }

  delete(profileId: string): void {
    const entry = this.map.get(profileId);
    if (!entry) return;
    this.map.delete(profileId);
    this.bytes -= entry.size;
  }

  get size(): number {
    return this.map.size;
  }
}

interface Read {
  promise: Promise<ReadState | undefined>;
  /** A write of this profile ended after the read began: what it answers must not be kept. */
  stale: boolean;
}

/**
 * The profiles decisions read, kept in memory up to a size bound (least recently used go first) and, on a
 * database other instances share, for at most a maximum age. Writes through the profile store make it
 * forget what they touched; a read that was under way when a write ended is not kept (it may predate the
 * write). Concurrent misses of one profile share one read. Cached states are shared: never mutated.
 */
export class ProfileCache {
  private readonly entries: BoundedStates;
  private readonly reads = new Map<string, Read>();

  constructor(
    maxBytes: number,
    maxAgeMs: number | undefined,
    private readonly counter: CacheCounter = { hit: () => undefined, miss: () => undefined },
  ) {
    this.entries = new BoundedStates(maxBytes, maxAgeMs);
  }

  /** The cached state, or what `read` answers (kept unless a write ended meanwhile). */
  async get(profileId: string, read: () => Promise<ReadState | undefined>): Promise<ProfileState | undefined> {
    const cached = this.entries.get(profileId);
    if (cached) {
      this.counter.hit();
      return cached;
    }
    this.counter.miss();
    const shared = this.reads.get(profileId);
    if (shared) return shared.promise;
    // The staleness bound counts from when the read began.
    const began = performance.now();
    const pending: Read = { promise: read(), stale: false };
    this.reads.set(profileId, pending);
    try {
      const state = await pending.promise;
      if (state && !pending.stale) this.entries.set(profileId, state, began);
      return state;
    } finally {
      if (this.reads.get(profileId) === pending) this.reads.delete(profileId);
    }
  }

  /** Replaces a cached state by what `change` makes of it (a write this instance made); nothing when it is not cached. */
  update(profileId: string, change: (state: ReadState) => ReadState | undefined): void {
    const cached = this.entries.get(profileId, false);
    if (!cached) return;
    const next = change(cached);
    // The change does not make the rest of the state any younger.
    if (next) this.entries.set(profileId, next, this.entries.readAt(profileId));
    else this.entries.delete(profileId);
  }

  /** Written or deleted: the cached states go, and reads under way are answered but not kept. */
  forget(profileIds: readonly string[]): void {
    for (const profileId of profileIds) {
      this.entries.delete(profileId);
      this.forgetReads(profileId);
    }
  }

  /** About to be written by this instance (which then updates the cached state): reads under way are answered but not kept. */
  forgetReads(profileId: string): void {
    const read = this.reads.get(profileId);
    if (!read) return;
    read.stale = true;
    this.reads.delete(profileId);
  }

  /** The cached state, if any, without counting it as used. */
  peek(profileId: string): ReadState | undefined {
    return this.entries.get(profileId, false);
  }

  get size(): number {
    return this.entries.size;
  }
}
