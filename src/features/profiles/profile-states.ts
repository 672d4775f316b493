import type { CacheCounter } from '../../metrics/service-metrics.js';
import { ProfileCache, type ReadState } from './profile-cache.js';
import { type ProfileState, type StoredVelocity, withTags } from './profile-doc.js';
import type { ProfileStore, StateUpdate } from './profile-store.js';
import { KeyedQueue } from '../../async/keyed-queue.js';
import type { VelocitySlotStore } from './velocity-slot-store.js';

/**
 * A loan application writes its profile's head as a checkpoint once the head is this many slots past
 * the checkpoint the profile holds: a read then follows at most this many slot records.
 */
export const CHECKPOINT_EVERY = 16;

export interface ProfileStatesOptions {
  /** This instance is the database's only client (the embedded database: it holds the DATA_DIR lock). */
  exclusive: boolean;
  /** Memory bound of the cache; 0: no cache. */
  cacheBytes: number;
  /** On a shared database, the cache's staleness bound; undefined: no cache there. */
  maxAgeMs: number | undefined;
  /** Counts the cache's hits and misses (/metrics). */
  counter: CacheCounter;
}

/**
 * A cached state with an update of this instance applied (tags replaced, the velocity head moved
 * forward, its size following; the checkpoint when the head was written to the profile too).
 */
function applied(state: ReadState, update: StateUpdate, checkpointed: boolean): ReadState {
  if (update.subject !== state.subject) return state;
  const velocity = update.velocity && (!state.velocity || update.velocity.n > state.velocity.n) ? update.velocity : state.velocity;
  const bytes = state.bytes + (velocity?.times.length ?? 0) - (state.velocity?.times.length ?? 0);
  const checkpointN = checkpointed ? Math.max(update.velocity!.n, state.checkpointN ?? 0) : state.checkpointN;
  const profile = update.tags ? withTags(state.profile, update.tags) : state.profile;
  return { ...state, profile, velocity, bytes, ...(checkpointN !== undefined && { checkpointN }) };
}

/**
 * The profiles as decisions read and update them. On an exclusive database this instance sees every
 * write, so a cache bounded in memory is exact; on a shared one the cache is off unless given a staleness
 * bound. What decisions derive onto profiles (tags, velocity heads) is written through, before the
 * answer: a later decision, here or on another instance, or after a restart, reads what was answered.
 */
export class ProfileStates {
  private readonly cache: ProfileCache | undefined;
  private readonly exclusive: boolean;
  /** A profile's writes one after another: the cached copy then follows them in the order the database took them. */
  private readonly writes = new KeyedQueue();
  /** Profiles being deleted (how many deletes of each are under way): no decision writes onto them meanwhile. */
  private readonly deleting = new Map<string, number>();

  constructor(
    private readonly store: ProfileStore,
    private readonly slots: VelocitySlotStore,
    options: ProfileStatesOptions,
  ) {
    this.exclusive = options.exclusive;
    const cached = options.cacheBytes > 0 && (options.exclusive || options.maxAgeMs !== undefined);
    this.cache = cached
      ? new ProfileCache(options.cacheBytes, options.exclusive ? undefined : options.maxAgeMs, options.counter)
      : undefined;
    store.hooks = {
      changed: (profileIds) => this.cache?.forget(profileIds),
      beforeDelete: async (profileId) => {
        this.deleting.set(profileId, (this.deleting.get(profileId) ?? 0) + 1);
        this.cache?.forget([profileId]);
        // The writes queued before this delete finish first; those queued after it find it deleting.
        await this.writes.run(profileId, async () => undefined);
      },
      afterDelete: (profileId) => {
        const left = (this.deleting.get(profileId) ?? 1) - 1;
        if (left > 0) this.deleting.set(profileId, left);
        else this.deleting.delete(profileId);
      },
    };
  }

  /** The profile, its subject and its velocity head; undefined when there is no such profile. */
  get(profileId: string): Promise<ProfileState | undefined> {
    return this.cache ? this.cache.get(profileId, () => this.read(profileId)) : this.read(profileId);
  }

  /** The same, read from the database whatever is cached (another instance may have moved on). */
  async fresh(profileId: string): Promise<ProfileState | undefined> {
    const state = await this.read(profileId);
    this.cache?.forget([profileId]);
    return state;
  }

  /** The head after `from` (a head kept elsewhere, for profiles from before heads were kept with them). */
  async headAfter(subject: string, from: StoredVelocity): Promise<StoredVelocity> {
    return (await this.slots.headAfter(subject, from)).head;
  }

  /** The profile as stored, its head followed through the slots recorded after its checkpoint. */
  private async read(profileId: string): Promise<ReadState | undefined> {
    const state = await this.store.state(profileId);
    if (!state?.velocity) return state;
    const { head } = await this.slots.headAfter(state.subject, state.velocity);
    return { ...state, velocity: head, bytes: state.bytes + head.times.length - state.velocity.times.length };
  }

  /**
   * Writes what a decision derived onto its profile, landing only on the profile with that subject;
   * answers once the database acknowledged it. A velocity head is written to the profile as its
   * checkpoint when tags are written too, or once it is CHECKPOINT_EVERY slots past the profile's
   * checkpoint (`read`: the state the decision read); otherwise it is recorded as its slot's record. The cached copy follows the write; a read under way when it
   * began is not kept (it may predate the write).
   */
  record(update: StateUpdate, read?: ProfileState): Promise<void> {
    return this.writes.run(update.profileId, () => this.write(update, read));
  }

  private async write(update: StateUpdate, read: ProfileState | undefined): Promise<void> {
    // On an exclusive database the write goes by _id alone: it must still be the profile the decision read.
    if (this.exclusive && !(await this.stillThere(update))) return;
    this.cache?.forgetReads(update.profileId);
    const { velocity, ...rest } = update;
    const checkpointN = this.cache?.peek(update.profileId)?.checkpointN ?? read?.checkpointN;
    // With tags to write the profile is written anyway: the head goes with them, and needs no slot record.
    const checkpoint =
      velocity !== undefined && (rest.tags !== undefined || checkpointN === undefined || velocity.n - checkpointN >= CHECKPOINT_EVERY);
    const onProfile: StateUpdate = checkpoint ? update : rest;
    let failed: string[];
    try {
      if (velocity && !checkpoint) await this.slots.record(update.subject, velocity);
      failed = await this.store.writeStates([onProfile], { forwardOnly: !this.exclusive });
    } catch (error) {
      this.cache?.forget([update.profileId]);
      throw error;
    }
    if (failed.length > 0) {
      this.cache?.forget([update.profileId]);
      throw new Error('ProfileStates: record() the database refused the update');
    }
    this.cache?.update(update.profileId, (state) => applied(state, update, checkpoint));
  }

  /**
   * Whether the profile still has the decision's subject: not being deleted, and its subject as cached
   * (exact here: this instance makes every write) or read. A delete waits for this write to finish.
   */
  private async stillThere({ profileId, subject }: StateUpdate): Promise<boolean> {
    if (this.deleting.has(profileId)) return false;
    const cached = this.cache?.peek(profileId);
    return (cached ? cached.subject : await this.store.subjectOf(profileId)) === subject;
  }

  /** Cached profiles (a gauge for /metrics). */
  get cached(): number {
    return this.cache?.size ?? 0;
  }
}

export type { ReadState };
