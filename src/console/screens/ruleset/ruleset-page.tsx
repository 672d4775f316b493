import type { ComponentType } from 'react';
import type { RulesetDetail } from '../../api/types.js';
import { Loaded } from '../../components/status.js';
import { href, navigate } from '../../router.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import type { Role } from '../../../auth/roles.js';
import { RulesetContext } from './ruleset-context.js';
import { DraftTab } from './draft-tab.js';
import { TestsTab } from './tests-tab.js';
import { BacktestTab } from './backtest-tab.js';
import { DiffTab } from './diff-tab.js';
import { VersionsTab } from './versions-tab.js';
import { HistoryTab } from './history-tab.js';
import { ShadowTab } from './shadow-tab.js';

/** A tab of the ruleset page: one task a person does with the ruleset. */
interface Tab {
  id: string;
  label: string;
  roles: Role[];
  component: ComponentType;
}

export const RULESET_TABS: Tab[] = [
  { id: 'draft', label: 'Edit the draft', roles: ['rules:edit'], component: DraftTab },
  { id: 'tests', label: 'Test the draft', roles: ['rules:edit', 'rules:publish'], component: TestsTab },
  { id: 'backtest', label: 'Backtest this draft', roles: ['rules:edit', 'rules:publish'], component: BacktestTab },
  { id: 'diff', label: 'Compare versions', roles: [], component: DiffTab },
  { id: 'versions', label: 'Publish and roll back', roles: [], component: VersionsTab },
  { id: 'shadow', label: 'Shadow on live traffic', roles: [], component: ShadowTab },
  { id: 'history', label: 'History', roles: [], component: HistoryTab },
];

/** `#/rulesets/:id` and `#/rulesets/:id/:tab`: the ruleset's header and the tab the person opened. */
export function RulesetPage({ params }: { params: Record<string, string> }) {
  const session = useSession();
  const id = params.id!;
  const state = useAsync(() => session.api.get<RulesetDetail>(`/v1/rulesets/${encodeURIComponent(id)}`), [session.api, id]);
  const tabs = RULESET_TABS.filter((tab) => tab.roles.length === 0 || session.can(...tab.roles));
  const current = tabs.find((tab) => tab.id === params.tab) ?? tabs[0]!;
  return (
    <section aria-labelledby="ruleset-title">
      <p>
        <a href={href('/rulesets')}>← Rulesets</a>
      </p>
      <Loaded state={state} what="the ruleset">
        {(ruleset) => (
          <RulesetContext.Provider value={{ ruleset, reload: state.reload }}>
            <h1 id="ruleset-title">
              {ruleset.id} <span className="muted">({ruleset.kind})</span>
            </h1>
            <p>{ruleset.description}</p>
            <p>
              Active version: <strong>{ruleset.activeVersion ?? 'none'}</strong> · latest: {ruleset.latestVersion ?? 'none'} · serving on
              this instance: {ruleset.servingVersion ?? 'none'}
            </p>
            <div role="tablist" aria-label="Ruleset tasks" className="tabs">
              {tabs.map((tab) => (
                <button
                  key={tab.id}
                  type="button"
                  role="tab"
                  id={`tab-${tab.id}`}
                  aria-selected={tab === current}
                  aria-controls="ruleset-tabpanel"
                  onClick={() => navigate(`/rulesets/${ruleset.id}/${tab.id}`)}
                >
                  {tab.label}
                </button>
              ))}
            </div>
            <div role="tabpanel" id="ruleset-tabpanel" aria-labelledby={`tab-${current.id}`}>
              <current.component />
            </div>
          </RulesetContext.Provider>
        )}
      </Loaded>
    </section>
  );
}
