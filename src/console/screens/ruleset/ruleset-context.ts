import { createContext, useContext } from 'react';
import type { RulesetDetail } from '../../api/types.js';

/** The ruleset a page shows, shared by its tabs; `reload` after anything that changes it (save, publish, activate). */
export interface RulesetPageState {
  ruleset: RulesetDetail;
  reload(): void;
}

export const RulesetContext = createContext<RulesetPageState | null>(null);

export function useRuleset(): RulesetPageState {
  const state = useContext(RulesetContext);
  if (!state) throw new Error('useRuleset: outside a ruleset page');
  return state;
}
