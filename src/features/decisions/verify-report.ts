export type ProblemKind = 'entry' | 'seal' | 'event' | 'chain' | 'retirement';

export interface VerifyProblem {
  kind: ProblemKind;
  /** decisionId for an entry, audit event id for an event, seal number for a seal or the chain, retirement number. */
  id: string;
  problem: string;
}

export interface VerifyReport {
  from: string;
  to: string;
  ok: boolean;
  sealsChecked: number;
  entriesChecked: number;
  eventsChecked: number;
  /** Entries logged after the newest seal: not sealed yet, so not yet provable (reported as problems once overdue). */
  unsealedEntries: number;
  /** The last seal checked: to go on from there, ask again with fromSeal = lastSeal + 1. Null when no seal was in range. */
  lastSeal: number | null;
  /** The newest seal in the database, as `GET /v1/audit/seals/head` publishes it. */
  head: { number: number; hash: string } | null;
  /** Seals whose entries retention removed (1..retiredThroughSeal), by the latest retirement record. */
  retiredThroughSeal: number;
  /** Whether this instance holds DECISION_SEAL_KEY, so that keyed hashes were checked. */
  keyed: boolean;
  /** Seals hashed without the key (written before it was configured): evident only against whoever cannot recompute hashes. */
  unkeyedSeals: number;
  /** Masks on entries logged before subjects existed, which no erasure record can be matched to. */
  legacyMasks: number;
  /** How many problems were found; `problems` lists the first MAX_PROBLEMS. */
  problemCount: number;
  problems: VerifyProblem[];
}

const MAX_PROBLEMS = 1000;

/** Collects problems, keeping the first MAX_PROBLEMS: a wholesale forgery must not make the report unbounded. */
export class Problems {
  readonly list: VerifyProblem[] = [];
  count = 0;

  add(kind: ProblemKind, id: string | number, problem: string): void {
    this.count += 1;
    if (this.list.length < MAX_PROBLEMS) this.list.push({ kind, id: String(id), problem });
  }
}
