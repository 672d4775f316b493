import { isDuplicateKey } from '../../db/database-errors.js';
import type { DecisionLogStore } from './decision-log-store.js';
import { GENESIS_HASH, rootHashOf, sealHashOf } from './seal-hash.js';
import type { SealRecord, SealStore } from './seal-store.js';

const MAX_ENTRIES_PER_SEAL = 10_000;

/**
 * Chains the decision log: each run seals everything logged since the last seal (up to a lag) into
 * new seals holding the entries' hashes, their root and the previous seal's hash.
 */
export class DecisionSealer {
  constructor(
    private readonly log: DecisionLogStore,
    private readonly seals: SealStore,
    private readonly instanceId: string,
    /** Entries younger than this are left for the next seal, so an insert still in flight is never skipped. */
    private readonly lagMs: number,
  ) {}

  /** Seals what is due; answers how many seals and entries it wrote. Safe to run on many instances at once. */
  async sealDue(now = new Date(), lagMs = this.lagMs): Promise<{ seals: number; entries: number }> {
    const until = new Date(now.getTime() - lagMs);
    let written = { seals: 0, entries: 0 };
    for (;;) {
      const last = await this.seals.latest();
      const from = last?.to ?? (await this.log.oldestCreatedAt(new Date(0)));
      if (!from || from >= until) return written;
      const { entries, to } = await this.interval(from, until);
      const seal: SealRecord = {
        seq: (last?.seq ?? 0) + 1,
        from,
        to,
        count: entries.length,
        entries,
        rootHash: rootHashOf(entries),
        prevHash: last?.hash ?? GENESIS_HASH,
        hash: '',
        sealedAt: new Date(),
        sealedBy: this.instanceId,
      };
      seal.hash = sealHashOf(seal);
      try {
        await this.seals.insert(seal);
      } catch (error) {
        // Another instance wrote this seal first; its work is as good as ours.
        if (isDuplicateKey(error)) return written;
        throw error;
      }
      written = { seals: written.seals + 1, entries: written.entries + entries.length };
      if (to >= until) return written;
    }
  }

  /** The entries of [from, until), cut at a time boundary when there are too many for one seal. */
  private async interval(from: Date, until: Date): Promise<{ entries: { id: string; hash: string }[]; to: Date }> {
    const rows = await this.log.hashesBetween(from, until);
    if (rows.length <= MAX_ENTRIES_PER_SEAL) return { entries: rows.map(({ id, hash }) => ({ id, hash })), to: until };
    // Cut where the time changes, so that entries sharing a timestamp stay in one seal.
    let cut = MAX_ENTRIES_PER_SEAL;
    while (cut > 0 && rows[cut]!.createdAt.getTime() === rows[cut - 1]!.createdAt.getTime()) cut -= 1;
    if (cut === 0) cut = rows.length;
    const to = cut < rows.length ? rows[cut]!.createdAt : until;
    return { entries: rows.slice(0, cut).map(({ id, hash }) => ({ id, hash })), to };
  }
}
