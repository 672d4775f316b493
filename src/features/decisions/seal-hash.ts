import { createHash } from 'node:crypto';
import { canonicalJson } from '../../json/canonical-json.js';
import type { SealRecord } from './seal-store.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The hash of the chain's start: what seal 1 points back to. */
export const GENESIS_HASH = sha256('decision-log-genesis');

/** The root over an interval's entries: the hash of their ids and hashes, in seal order. */
export function rootHashOf(entries: { id: string; hash: string }[]): string {
  return sha256(entries.map((entry) => `${entry.id}:${entry.hash}`).join('\n'));
}

/** A seal's own hash covers its interval, root and predecessor, so no seal can be altered or dropped unseen. */
export function sealHashOf(seal: Pick<SealRecord, 'seq' | 'from' | 'to' | 'count' | 'rootHash' | 'prevHash'>): string {
  return sha256(
    canonicalJson({
      seq: seal.seq,
      from: seal.from.toISOString(),
      to: seal.to.toISOString(),
      count: seal.count,
      rootHash: seal.rootHash,
      prevHash: seal.prevHash,
    }),
  );
}
