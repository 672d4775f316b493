import type { ListLookup } from '../../engine/list-lookup.js';
import type { RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import { collectListIds } from '../../engine/rule-lists.js';
import type { ListView } from './list-registry.js';

/** The lists each compiled version names: versions are immutable, so this is worked out once each. */
const listIdsOf = new WeakMap<RulesetEvaluator, readonly string[]>();

function namedLists(ruleset: RulesetEvaluator): readonly string[] {
  let ids = listIdsOf.get(ruleset);
  if (!ids) {
    ids = [...collectListIds(ruleset.rules).keys()];
    listIdsOf.set(ruleset, ids);
  }
  return ids;
}

/** What a decision reads of the lists: one fixed view, and the revision of each list its rulesets name (0: none). */
export interface DecisionLists {
  lookup: ListLookup | undefined;
  /** Logged with the decision, so that replay evaluates against the same items; undefined when no rule reads a list. */
  revisions: Record<string, number> | undefined;
}

export function decisionLists(rulesets: readonly RulesetEvaluator[], source: { view(): ListView } | undefined): DecisionLists {
  const view = source?.view();
  const ids = [...new Set(rulesets.flatMap(namedLists))].sort();
  if (!view || ids.length === 0) return { lookup: view, revisions: undefined };
  const revisions = Object.fromEntries(ids.map((id) => [id, view.state(id)?.revision ?? 0]));
  return { lookup: view, revisions };
}
