import type { EvidenceKey } from '../../crypto/evidence-key.js';
import type { AuditEventStore } from '../audit/audit-event-store.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { DecisionLogStore } from './decision-log-store.js';
import { EntryChecks } from './entry-checks.js';
import type { RetirementStore } from './retirement-store.js';
import { checkSealHash, GENESIS_HASH, RETIREMENT_GENESIS_HASH, retirementHashMatches, rootHashOf } from './seal-hash.js';
import type { SealHeader, SealRecord, SealStore } from './seal-store.js';
import { type PageSpan, PageVerifier } from './page-verifier.js';
import { Problems, type VerifyReport } from './verify-report.js';
import type { LoggedExplanations } from './logged-explanations.js';

export type { VerifyProblem, VerifyReport } from './verify-report.js';

/** What to verify: a time range, or a range of seal numbers; and, optionally, a head kept outside the service. */
export interface VerifyRange {
  from: Date;
  /** Undefined: no end, so that entries dated in the future are read too. */
  to?: Date;
  fromSeal?: number;
  toSeal?: number;
  head?: { seq: number; hash: string };
}

/** Sealed entries a page holds in memory at most (one seal more at worst): what bounds verify's memory. */
const PAGE_ENTRIES = 100_000;

export interface LogVerifierDeps {
  log: DecisionLogStore;
  events: AuditEventStore;
  seals: SealStore;
  retirements: RetirementStore;
  profiles: ProfileStore;
  key: EvidenceKey;
  /** What rebuilds entries' explanations (verify checks that they still do). */
  explanations: LoggedExplanations;
  /** The seal lag: an entry older than this and a few sealing runs that no seal covers is overdue. */
  sealLagMs: number;
}

/**
 * Recomputes the evidence: the retirement records, then the seals in range one by one (each seal's
 * hash, its link to its predecessor, its roots, no missing number), and the entries and audit events
 * they cover, a page of seals at a time with one unordered read per page (constant memory, no read per
 * entry): each entry against its own hash and the one its seal holds, its copies and its mask; and
 * every entry or event in the range that no seal covers, whatever its date. With a kept head, checks
 * that the chain still reaches it and matches it.
 */
export class LogVerifier {
  constructor(private readonly deps: LogVerifierDeps) {}

  async verify(range: VerifyRange): Promise<VerifyReport> {
    const { seals, key } = this.deps;
    const problems = new Problems();
    const retiredThrough = await this.checkRetirements(problems);
    const latest = await seals.latest();
    const checks = new EntryChecks(
      key,
      this.deps.events,
      this.deps.profiles,
      problems,
      key.keyed && latest?.keyed === true,
      this.deps.explanations,
    );
    const headSeq = latest?.seq ?? 0;
    const sealOne = headSeq >= 1 ? await seals.header(1) : undefined;
    if (headSeq >= 1 && !sealOne) problems.add('chain', 1, 'seal 1 is missing: the chain has lost its start');
    const pages = new PageVerifier({
      ...this.deps,
      checks,
      problems,
      retiredThrough,
      now: new Date(),
      headTo: latest?.to,
      // Without seal 1, where the chain started is unknown: at the latest, where the oldest remaining seal starts.
      chainStart: sealOne?.from,
    });

    const first = range.fromSeal ?? (await seals.firstEndingAfter(range.from, 1, headSeq));
    const last = Math.min(range.toSeal ?? headSeq, headSeq);
    let previous: SealHeader | undefined = first > 1 ? await seals.header(first - 1) : undefined;
    if (first > 2 && first - 1 <= headSeq && !previous)
      problems.add('seal', first - 1, `missing: seal ${first - 1} is gone from the chain`);
    let expectedPrev: string | undefined = first === 1 ? GENESIS_HASH : previous?.hash;
    let keyedBefore = previous?.keyed === true;
    let sealsChecked = 0;
    let unkeyedSeals = 0;
    let lastSeal: number | null = null;
    let page: SealRecord[] = [];
    let pageEntries = 0;
    let firstPage = true;
    const flush = async (final: boolean) => {
      await pages.verify(this.span(range, page, { firstPage, final, reachedHead: lastSeal === headSeq, headTo: latest?.to }));
      [page, pageEntries, firstPage] = [[], 0, false];
    };

    for (let seq = first; seq <= last; seq++) {
      const seal = await seals.get(seq);
      if (!seal) {
        problems.add('seal', seq, `missing: seal ${seq} is gone from the chain (the newest is ${headSeq})`);
        [expectedPrev, previous] = [undefined, undefined];
        continue;
      }
      if (range.toSeal === undefined && range.to && seal.from >= range.to) break;
      const kind = checkSealHash(seal, key);
      if (!kind) problems.add('seal', seq, 'seal content does not match its hash (or it is keyed with a key this instance lacks)');
      if (kind === 'plain') unkeyedSeals += 1;
      if (kind === 'plain' && keyedBefore) problems.add('seal', seq, 'not keyed, after a keyed seal');
      if (expectedPrev !== undefined && seal.prevHash !== expectedPrev) problems.add('seal', seq, 'does not chain to the previous seal');
      if (previous && seal.from.getTime() !== previous.to.getTime()) problems.add('seal', seq, `does not start where seal ${seq - 1} ends`);
      if (seal.entries && (rootHashOf(seal.entries) !== seal.rootHash || seal.entries.length !== seal.count)) {
        problems.add('seal', seq, 'entry list does not match its root hash');
      }
      if (seal.entries === null && seal.count > 0 && seq > retiredThrough) {
        problems.add('seal', seq, 'its entries were removed without a retirement record');
      }
      if (seal.events && (rootHashOf(seal.events) !== seal.eventRoot || seal.events.length !== seal.eventCount)) {
        problems.add('seal', seq, 'event list does not match its root hash');
      }
      pages.admit(seal, seal.keyed === true && !keyedBefore);
      keyedBefore ||= seal.keyed === true;
      [expectedPrev, previous, lastSeal] = [seal.hash, seal, seq];
      sealsChecked += 1;
      page.push(seal);
      pageEntries += seal.count;
      if (pageEntries >= PAGE_ENTRIES) await flush(false);
    }
    await flush(true);
    if (range.head) await this.checkKeptHead(range.head, lastSeal, problems);

    return {
      from: range.from.toISOString(),
      to: (range.to ?? pages.now).toISOString(),
      ok: problems.count === 0,
      sealsChecked,
      entriesChecked: pages.entriesChecked,
      eventsChecked: pages.eventsChecked,
      unsealedEntries: pages.unsealedEntries,
      lastSeal,
      head: latest ? { number: latest.seq, hash: latest.hash } : null,
      retiredThroughSeal: retiredThrough,
      keyed: key.keyed,
      unkeyedSeals,
      legacyMasks: checks.legacyMasks,
      problemCount: problems.count,
      problems: problems.list,
    };
  }

  /**
   * The time span a page of seals reads: its seals' interval, widened on the first page to the range's
   * start (entries dated before the chain) and, on the last page of a time range that reaches the
   * newest seal, to the range's end or without end (entries not sealed yet, or dated in the future).
   */
  private span(
    range: VerifyRange,
    page: SealRecord[],
    at: { firstPage: boolean; final: boolean; reachedHead: boolean; headTo: Date | undefined },
  ): PageSpan | undefined {
    const byTime = range.fromSeal === undefined && range.toSeal === undefined;
    const tail = at.final && byTime && (at.reachedHead || at.headTo === undefined);
    const [first, last] = [page[0], page.at(-1)];
    if (!first || !last) return tail ? { from: at.firstPage ? range.from : at.headTo!, to: range.to } : undefined;
    const from = at.firstPage && byTime && range.from < first.from ? range.from : first.from;
    if (!tail) return { from, to: last.to };
    return { from, to: range.to === undefined || range.to > last.to ? range.to : last.to };
  }

  /** Walks the retirement records: each must match its hash and link to the one before; answers the last seal retired. */
  private async checkRetirements(problems: Problems): Promise<number> {
    let prevHash = RETIREMENT_GENESIS_HASH;
    let through = 0;
    for (let n = 1; ; n++) {
      const record = await this.deps.retirements.get(n);
      if (!record) return through;
      if (!retirementHashMatches(record, this.deps.key)) problems.add('retirement', n, 'does not match its hash');
      if (record.prevHash !== prevHash) problems.add('retirement', n, 'does not chain to the previous retirement');
      const seal = await this.deps.seals.header(record.throughSeal);
      if (seal?.hash !== record.sealHash) problems.add('retirement', n, `seal ${record.throughSeal} is not the one it retired`);
      [prevHash, through] = [record.hash, Math.max(through, record.throughSeal)];
    }
  }

  /** The kept head must still be in the chain, unchanged, and reached by links from the last seal checked. */
  private async checkKeptHead(head: { seq: number; hash: string }, lastSeal: number | null, problems: Problems): Promise<void> {
    const { seals, key } = this.deps;
    const kept = await seals.header(head.seq);
    if (!kept) return problems.add('chain', head.seq, `the kept head, seal ${head.seq}, is missing: the chain was cut`);
    if (kept.hash !== head.hash)
      return problems.add('chain', head.seq, `seal ${head.seq} differs from the kept head: the chain was rewritten`);
    if (!checkSealHash(kept, key)) problems.add('chain', head.seq, `seal ${head.seq} does not match its hash`);
    if (lastSeal === null || lastSeal >= head.seq) return;
    let previous = await seals.header(lastSeal);
    for (let seq = lastSeal + 1; seq <= head.seq; seq++) {
      const seal = seq === head.seq ? kept : await seals.header(seq);
      if (!seal) return problems.add('chain', seq, `seal ${seq} is missing: the chain no longer reaches the kept head`);
      if (previous && seal.prevHash !== previous.hash) problems.add('chain', seq, 'does not chain to the previous seal');
      previous = seal;
    }
  }
}
