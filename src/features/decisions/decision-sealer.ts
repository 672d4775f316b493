import { isDuplicateKey } from '../../db/database-errors.js';
import type { EvidenceKey } from '../../crypto/evidence-key.js';
import type { AuditEventStore } from '../audit/audit-event-store.js';
import type { DecisionLogStore } from './decision-log-store.js';
import { checkSealHash, GENESIS_HASH, rootHashOf, sealHashOf } from './seal-hash.js';
import type { SealedItem, SealHeader, SealRecord, SealStore } from './seal-store.js';
import type { SealFeed } from './seal-feed.js';

const MAX_ENTRIES_PER_SEAL = 10_000;

interface Log {
  info(message: string, meta?: object): unknown;
  error(message: string, meta?: object): unknown;
}

/** Why the sealer will not extend the chain: it would seal over evidence that was removed or rewritten. */
export class ChainBroken extends Error {
  constructor(reason: string) {
    super(`DecisionSealer: refused to seal: ${reason}`);
    this.name = 'ChainBroken';
  }
}

/**
 * Chains the decision log and the audit trail: each run seals everything logged since the last seal
 * (up to a lag) into new seals holding the entries' and events' hashes, their roots and the previous
 * seal's hash, keyed with the seal key when there is one. Each new seal's number and hash go to the
 * service log, outside the database. Before extending the chain it checks that the chain it extends
 * is whole: no missing number, no seal behind or different from the newest one this instance has seen.
 */
export class DecisionSealer {
  /** The newest seal this instance wrote or checked: the chain must never fall behind it. */
  private knownHead: { seq: number; hash: string } | undefined;

  constructor(
    private readonly log: DecisionLogStore,
    private readonly events: AuditEventStore,
    private readonly seals: SealStore,
    private readonly key: EvidenceKey,
    private readonly instanceId: string,
    /** Entries younger than this are left for the next seal, so an insert still in flight is never skipped. */
    private readonly lagMs: number,
    private readonly logger?: Log,
    /** The entries this instance wrote, when it is its database's only client: the log is then not queried by time. */
    private readonly feed?: SealFeed,
  ) {}

  /** Seals what is due; answers how many seals and entries it wrote. Safe to run on many instances at once. */
  async sealDue(now = new Date(), lagMs = this.lagMs): Promise<{ seals: number; entries: number }> {
    const until = new Date(now.getTime() - lagMs);
    let written = { seals: 0, entries: 0 };
    for (;;) {
      const last = await this.checkedHead();
      const from = last?.to ?? (await this.oldest());
      if (!from || from >= until) return written;
      const { entries, to } = await this.interval(from, until);
      const events = await this.events.hashesBetween(from, to);
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
        keyed: this.key.keyed,
        events,
        eventCount: events.length,
        eventRoot: rootHashOf(events),
      };
      seal.hash = sealHashOf(seal, this.key);
      try {
        await this.seals.insert(seal);
      } catch (error) {
        // Another instance wrote this seal first; its work is as good as ours.
        if (isDuplicateKey(error)) return written;
        throw error;
      }
      this.knownHead = { seq: seal.seq, hash: seal.hash };
      this.feed?.sealedUntil(to);
      // The published head: kept outside the database, it is what a rewritten chain cannot match.
      this.logger?.info('decision log sealed', { seal: seal.seq, hash: seal.hash, entries: seal.count, events: events.length });
      written = { seals: written.seals + 1, entries: written.entries + entries.length };
      if (to >= until) return written;
    }
  }

  /**
   * The newest seal, once checked to be a whole continuation of what this instance knew: its hash
   * verifies, its number does not fall behind the known head, and every seal from there (or, on a
   * first run, its predecessor and seal 1) is present and linked.
   */
  private async checkedHead(): Promise<SealHeader | undefined> {
    const known = this.knownHead;
    const latest = (known && (await this.newestFrom(known.seq))) ?? (await this.seals.latest());
    if (!latest) {
      if (known) this.refuse(`every seal is gone; this instance last saw seal ${known.seq}`);
      return undefined;
    }
    if (latest.keyed && !this.key.keyed) this.refuse('the chain is keyed and this instance has no DECISION_SEAL_KEY');
    if (!checkSealHash(latest, this.key)) this.refuse(`seal ${latest.seq} does not match its hash`);
    if (known && latest.seq < known.seq) this.refuse(`the newest seal is ${latest.seq}; this instance already saw seal ${known.seq}`);
    if (known && latest.seq === known.seq) {
      if (latest.hash !== known.hash) this.refuse(`seal ${latest.seq} differs from the one this instance saw`);
      return latest;
    }
    const [start, anchor] = known ? [known.seq + 1, known] : [Math.max(1, latest.seq - 1), undefined];
    let previous: { seq: number; hash: string } | undefined = anchor;
    if (!known && latest.seq > 2 && !(await this.seals.header(1))) this.refuse('seal 1 is missing');
    for (let seq = start; seq <= latest.seq; seq++) {
      const seal = seq === latest.seq ? latest : await this.seals.header(seq);
      if (!seal) this.refuse(`seal ${seq} is missing before seal ${latest.seq}`);
      const expected = previous?.hash ?? (seq === 1 ? GENESIS_HASH : undefined);
      if (expected !== undefined && seal.prevHash !== expected) this.refuse(`seal ${seq} does not chain to seal ${seq - 1}`);
      previous = seal;
    }
    this.knownHead = { seq: latest.seq, hash: latest.hash };
    return latest;
  }

  /**
   * The newest seal found by number from seal `seq` on (each read by `_id`), undefined when seal `seq`
   * is gone: once an instance has seen the chain, it never asks for the highest number, a sort the
   * embedded database answers by reading every seal, entry lists included, once a minute.
   */
  private async newestFrom(seq: number): Promise<SealHeader | undefined> {
    let newest = await this.seals.header(seq);
    if (!newest) return undefined;
    for (;;) {
      const next = await this.seals.header(newest.seq + 1);
      if (!next) return newest;
      newest = next;
    }
  }

  private refuse(reason: string): never {
    this.logger?.error('decision log not sealed: the chain is broken', { reason });
    throw new ChainBroken(reason);
  }

  /** Where the very first seal starts: the oldest entry or audit event. */
  private async oldest(): Promise<Date | undefined> {
    const [entry, event] = await Promise.all([this.log.oldestCreatedAt(new Date(0)), this.events.oldestAt()]);
    if (!entry || !event) return entry ?? event;
    return new Date(Math.min(entry.getTime(), event.getTime()));
  }

  /** The entries of [from, until), cut at a time boundary when there are too many for one seal. */
  private async interval(from: Date, until: Date): Promise<{ entries: SealedItem[]; to: Date }> {
    const rows = this.feed?.between(from, until) ?? (await this.log.hashesBetween(from, until));
    if (rows.length <= MAX_ENTRIES_PER_SEAL) return { entries: rows.map(({ id, hash }) => ({ id, hash })), to: until };
    // Cut where the time changes, so that entries sharing a timestamp stay in one seal.
    let cut = MAX_ENTRIES_PER_SEAL;
    while (cut > 0 && rows[cut]!.createdAt.getTime() === rows[cut - 1]!.createdAt.getTime()) cut -= 1;
    if (cut === 0) cut = rows.length;
    const to = cut < rows.length ? rows[cut]!.createdAt : until;
    return { entries: rows.slice(0, cut).map(({ id, hash }) => ({ id, hash })), to };
  }
}
