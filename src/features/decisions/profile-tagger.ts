import type { TagDetail } from '../profiles/profile-schema.js';
import type { TagYield } from '../../engine/decision-outcome.js';

const identity = (tag: Omit<TagDetail, 'at'>): string => `${tag.ruleset}\u0000${tag.rule}\u0000${tag.version}\u0000${tag.tag}`;

/**
 * The tags a profile should carry after an evaluation: each evaluated ruleset's tags are replaced
 * by what it yielded now; tags from rulesets not evaluated are kept. Unchanged tags keep their time.
 * Answers undefined when nothing changed, so the profile is not written.
 */
export function nextTags(
  current: readonly TagDetail[],
  yielded: readonly TagYield[],
  evaluated: ReadonlySet<string>,
  at: Date,
): TagDetail[] | undefined {
  const kept = current.filter((tag) => !evaluated.has(tag.ruleset));
  const previous = new Map(current.map((tag) => [identity(tag), tag]));
  const fresh = yielded.map((tag) => previous.get(identity(tag)) ?? { ...tag, at: at.toISOString() });
  const next = [...kept, ...fresh];
  const before = new Set(current.map(identity));
  const unchanged = next.length === current.length && next.every((tag) => before.has(identity(tag)));
  return unchanged ? undefined : next;
}
