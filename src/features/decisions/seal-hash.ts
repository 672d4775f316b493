import { canonicalJson } from '../../json/canonical-json.js';
import { type EvidenceKey, type HashKind, sha256 } from '../../crypto/evidence-key.js';
import type { RetirementRecord } from './retirement-store.js';
import type { SealRecord } from './seal-store.js';

/** The hash of the chain's start: what seal 1 points back to. */
export const GENESIS_HASH = sha256('decision-log-genesis');

/** The root over an interval's entries (or audit events): the hash of their ids and hashes, in seal order. */
export function rootHashOf(entries: { id: string; hash: string }[]): string {
  return sha256(entries.map((entry) => `${entry.id}:${entry.hash}`).join('\n'));
}

type SealHeader = Pick<
  SealRecord,
  'seq' | 'from' | 'to' | 'count' | 'rootHash' | 'prevHash' | 'keyed' | 'eventCount' | 'eventRoot' | 'sealedAt'
>;

/**
 * What a seal's hash covers: its interval, roots and predecessor, so that no seal can be altered or
 * dropped unseen, and (since seals cover audit events) its events' root and whether it is keyed.
 * Seals written before that (no `keyed` field) keep the text they were hashed with.
 */
function sealHashText(seal: SealHeader): string {
  const base = { seq: seal.seq, from: seal.from.toISOString(), to: seal.to.toISOString(), count: seal.count, rootHash: seal.rootHash };
  if (seal.keyed === undefined) return canonicalJson({ ...base, prevHash: seal.prevHash });
  return canonicalJson({
    ...base,
    prevHash: seal.prevHash,
    keyed: seal.keyed,
    eventCount: seal.eventCount ?? 0,
    eventRoot: seal.eventRoot ?? rootHashOf([]),
    sealedAt: seal.sealedAt.toISOString(),
  });
}

/** The hash a new seal gets: keyed with DECISION_SEAL_KEY when there is one. */
export function sealHashOf(seal: SealHeader, key: EvidenceKey): string {
  return key.hash(sealHashText(seal));
}

/**
 * How a stored seal's hash was made, or undefined when it does not match. A seal that says it is keyed
 * must be keyed: only the key's holder can write one, so a plain hash there is a forgery.
 */
export function checkSealHash(seal: SealHeader & { hash: string }, key: EvidenceKey): HashKind | undefined {
  const kind = key.check(seal.hash, sealHashText(seal));
  if (seal.keyed === true && kind !== 'keyed') return undefined;
  if (seal.keyed === false && kind === 'keyed') return undefined;
  return kind;
}

/** What retirement 1 points back to. */
export const RETIREMENT_GENESIS_HASH = sha256('decision-log-retirement-genesis');

type RetirementFields = Pick<RetirementRecord, 'n' | 'throughSeal' | 'sealHash' | 'to' | 'at' | 'prevHash' | 'keyed'>;

function retirementHashText(record: RetirementFields): string {
  const { n, throughSeal, sealHash, to, at, prevHash, keyed } = record;
  return canonicalJson({ n, throughSeal, sealHash, to: to.toISOString(), at: at.toISOString(), prevHash, keyed });
}

export function retirementHashOf(record: RetirementFields, key: EvidenceKey): string {
  return key.hash(retirementHashText(record));
}

/** Whether a retirement record matches its hash, keyed as it says it is. */
export function retirementHashMatches(record: RetirementRecord, key: EvidenceKey): boolean {
  const kind = key.check(record.hash, retirementHashText(record));
  return kind !== undefined && (kind === 'keyed') === record.keyed;
}
