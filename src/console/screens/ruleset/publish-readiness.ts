/**
 * Why a publish or an activation would be refused, worked out before the click from what the console
 * knows (the key's roles and id, the draft's last editor and checksum, the latest version, the draft's
 * test results and whether the service runs with four eyes). Pure, so it is unit-tested.
 */

export interface PublishSituation {
  mayPublish: boolean;
  roles: readonly string[];
  keyId: string;
  fourEyes: boolean;
  draft: { checksum: string; updatedBy?: { keyId?: string } | null };
  latest?: { version: number; checksum: string };
  /** Names of the draft tests that fail (empty while unknown). */
  failingTests: readonly string[];
}

/** The reason publishing is not offered, or undefined when nothing known stands in the way. */
export function publishBlocker(situation: PublishSituation): string | undefined {
  if (!situation.mayPublish) return `Publishing needs the rules:publish role; this key has ${situation.roles.join(', ')}.`;
  if (situation.latest && situation.latest.checksum === situation.draft.checksum) {
    return `The draft equals version ${situation.latest.version}: there is nothing new to publish.`;
  }
  if (situation.fourEyes && isLastEditor(situation)) {
    return 'Four-eyes rule: you saved this draft last, so a second person must publish it. Ask a colleague with rules:publish to publish it.';
  }
  if (situation.failingTests.length > 0) {
    return `${situation.failingTests.length} draft test(s) fail, so publishing would be refused. Fix them on the “Test the draft” tab.`;
  }
  return undefined;
}

export const isLastEditor = (situation: Pick<PublishSituation, 'draft' | 'keyId'>): boolean =>
  situation.draft.updatedBy?.keyId === situation.keyId;

/** A change of the active version, from the one active now (null: none) to another. */
export interface Move {
  from: number | null;
  to: number;
}

/** The confirm button: "Roll back to version 1", "Roll forward to version 3", "Activate version 1" (when none is active). */
export function moveName(move: Move): string {
  if (move.from === null) return `Activate version ${move.to}`;
  return move.to < move.from ? `Roll back to version ${move.to}` : `Roll forward to version ${move.to}`;
}

/** The confirmation's question, naming both versions: "Roll back fraud-alerts from version 2 to version 1?" */
export function moveQuestion(rulesetId: string, move: Move): string {
  if (move.from === null) return `Activate version ${move.to} of ${rulesetId}?`;
  return `${move.to < move.from ? 'Roll back' : 'Roll forward'} ${rulesetId} from version ${move.from} to version ${move.to}?`;
}
