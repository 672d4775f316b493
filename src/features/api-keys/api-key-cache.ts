import type { Caller } from '../../auth/roles.js';

/**
 * How long what this instance learnt about a presented key is trusted. Each bound is what another
 * instance's change can take to bite here: a revocation elsewhere (`freshMs`), a key created or
 * restored elsewhere that was presented here while unknown (`unknownMs`), and, while the database
 * is unavailable, a revocation made just before the outage (`staleMs`).
 */
export const KEY_CACHE_BOUNDS = {
  /** A known key is used without a lookup for this long. */
  freshMs: 5000,
  /** A known key whose lookup fails because the database is unavailable is still accepted this long after its last lookup. */
  staleMs: 5 * 60_000,
  /** A key that was unknown, revoked or expired answers 401 without a lookup for this long. */
  unknownMs: 5000,
  /** Entries per cache; the oldest go first, so a flood of random keys cannot grow memory or evict known keys. */
  maxEntries: 10_000,
} as const;

export interface KnownKey {
  caller: Caller;
  expiresAt: Date | null;
  /** When the lookup that found it started (ms since the epoch). */
  checkedAt: number;
}

/**
 * Two bounded maps keyed by key hash: keys found active, and keys that were not. Pure bookkeeping:
 * it never reads the database; the service decides when to look up.
 */
export class ApiKeyCache {
  private readonly known = new Map<string, KnownKey>();
  private readonly unknown = new Map<string, number>();
  /** Bumped by every change made here, so that a lookup that started before it is not cached after it. */
  private changes = 0;

  get generation(): number {
    return this.changes;
  }

  knownKey(hash: string): KnownKey | undefined {
    return this.known.get(hash);
  }

  /** True while a recent lookup found nothing usable under this hash. */
  isKnownUnknown(hash: string, now: number): boolean {
    const checkedAt = this.unknown.get(hash);
    if (checkedAt === undefined) return false;
    if (now - checkedAt < KEY_CACHE_BOUNDS.unknownMs) return true;
    this.unknown.delete(hash);
    return false;
  }

  /** Records a lookup's answer unless this instance changed a key since the lookup started. */
  learn(hash: string, found: KnownKey | undefined, generation: number): void {
    if (generation !== this.changes) return;
    if (found) this.store(hash, found);
    else this.forget(hash, Date.now());
  }

  /** A key this instance just created or restored: usable at once, even if it was presented before. */
  remember(hash: string, key: KnownKey): void {
    this.changes += 1;
    this.store(hash, key);
  }

  /** A key that is unknown, revoked or expired as of `now`. */
  forget(hash: string, now: number): void {
    this.known.delete(hash);
    this.unknown.delete(hash);
    this.unknown.set(hash, now);
    evictOldest(this.unknown);
  }

  /** A key revoked on this instance: refused at once. */
  revoked(keyId: string): void {
    this.changes += 1;
    for (const [hash, entry] of this.known) if (entry.caller.keyId === keyId) this.forget(hash, Date.now());
  }

  private store(hash: string, key: KnownKey): void {
    this.unknown.delete(hash);
    this.known.delete(hash);
    this.known.set(hash, key);
    evictOldest(this.known);
  }
}

function evictOldest(map: Map<string, unknown>): void {
  while (map.size > KEY_CACHE_BOUNDS.maxEntries) map.delete(map.keys().next().value!);
}
