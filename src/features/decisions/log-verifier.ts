import type { DecisionLogStore } from './decision-log-store.js';
import { recordProblem } from './decision-record.js';
import { GENESIS_HASH, rootHashOf, sealHashOf } from './seal-hash.js';
import type { SealStore } from './seal-store.js';

export interface VerifyProblem {
  kind: 'entry' | 'seal';
  /** decisionId for an entry, seal number for a seal. */
  id: string;
  problem: string;
}

export interface VerifyReport {
  from: string;
  to: string;
  ok: boolean;
  sealsChecked: number;
  entriesChecked: number;
  /** Entries logged in the range after its last seal: not yet sealed, so not yet provable. */
  unsealedEntries: number;
  problems: VerifyProblem[];
}

/**
 * Recomputes the chain over a time range: each seal's hash and link to its predecessor, each
 * sealed entry's own hash, and that every sealed entry is still there and nothing was added.
 */
export class LogVerifier {
  constructor(
    private readonly log: DecisionLogStore,
    private readonly seals: SealStore,
    /** Entries older than this may have been removed by retention: their absence is expected. */
    private readonly retainedSince: () => Promise<Date | undefined> = async () => undefined,
  ) {}

  async verify(from: Date, to: Date): Promise<VerifyReport> {
    const problems: VerifyProblem[] = [];
    const { previous, seals } = await this.seals.overlapping(from, to);
    const retainedSince = await this.retainedSince();
    let prevHash = previous?.hash ?? (seals[0]?.seq === 1 ? GENESIS_HASH : undefined);
    let entriesChecked = 0;
    for (const seal of seals) {
      const sealId = String(seal.seq);
      if (sealHashOf(seal) !== seal.hash) problems.push({ kind: 'seal', id: sealId, problem: 'seal content does not match its hash' });
      if (prevHash !== undefined && seal.prevHash !== prevHash) {
        problems.push({ kind: 'seal', id: sealId, problem: 'does not chain to the previous seal' });
      }
      if (rootHashOf(seal.entries) !== seal.rootHash || seal.entries.length !== seal.count) {
        problems.push({ kind: 'seal', id: sealId, problem: 'entry list does not match its root hash' });
      }
      prevHash = seal.hash;

      const sealed = new Map(seal.entries.map((entry) => [entry.id, entry.hash]));
      const present = await this.log.hashesBetween(seal.from, seal.to);
      const presentIds = new Set(present.map((entry) => entry.id));
      for (const entry of present) {
        entriesChecked += 1;
        const sealedHash = sealed.get(entry.id);
        if (sealedHash === undefined) {
          problems.push({ kind: 'entry', id: entry.id, problem: `not in seal ${sealId}: added after sealing` });
          continue;
        }
        const record = await this.log.get(entry.id);
        const problem = record ? recordProblem(record) : 'vanished during verification';
        if (problem) problems.push({ kind: 'entry', id: entry.id, problem });
        else if (record!.hash !== sealedHash)
          problems.push({ kind: 'entry', id: entry.id, problem: `hash differs from the one in seal ${sealId}` });
      }
      const retired = retainedSince !== undefined && seal.to <= retainedSince;
      for (const id of sealed.keys()) {
        if (!presentIds.has(id) && !retired)
          problems.push({ kind: 'entry', id, problem: `missing: sealed in seal ${sealId} but no longer in the log` });
      }
    }
    const lastSealedTo = seals.length > 0 ? seals[seals.length - 1]!.to : from;
    const unsealedFrom = lastSealedTo > from ? lastSealedTo : from;
    const unsealedEntries = unsealedFrom < to ? (await this.log.hashesBetween(unsealedFrom, to)).length : 0;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      ok: problems.length === 0,
      sealsChecked: seals.length,
      entriesChecked,
      unsealedEntries,
      problems,
    };
  }
}
