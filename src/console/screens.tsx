import type { ComponentType } from 'react';
import type { Role } from '../auth/roles.js';
import { OverviewScreen } from './screens/overview/overview-screen.js';
import { RulesetsScreen } from './screens/rulesets.js';
import { RulesetPage } from './screens/ruleset/ruleset-page.js';
import { DecisionSearchScreen } from './screens/decisions/decision-search.js';
import { DecisionPage } from './screens/decisions/decision-page.js';
import { LogIntegrityScreen } from './screens/decisions/log-integrity.js';
import { ProfilesScreen } from './screens/profiles/profiles-screen.js';
import { ProfilePage } from './screens/profiles/profile-page.js';
import { PROFILE_READERS } from './screens/profiles/profile-roles.js';
import { JobsScreen } from './screens/jobs/jobs-screen.js';
import { JobRunsScreen } from './screens/jobs/job-runs.js';
import { TagChangesScreen } from './screens/jobs/tag-changes.js';
import { ListsScreen } from './screens/lists/lists-screen.js';
import { ListPage } from './screens/lists/list-page.js';
import { AlertQueueScreen } from './screens/alerts/alert-queue.js';
import { AlertPage } from './screens/alerts/alert-page.js';

/** One screen of the console: where it lives, who may open it, and whether the navigation lists it. */
export interface ScreenSpec {
  pattern: string;
  title: string;
  /** Roles of which the key needs one; empty: any signed-in key. */
  roles: Role[];
  /** The navigation's label, for screens listed there. */
  nav?: string;
  component: ComponentType<{ params: Record<string, string>; path: string }>;
}

export const SCREENS: ScreenSpec[] = [
  { pattern: '/', title: 'Overview', roles: [], nav: 'Overview', component: OverviewScreen },
  { pattern: '/rulesets', title: 'Rulesets', roles: ['rules:edit', 'rules:publish'], nav: 'Rulesets', component: RulesetsScreen },
  { pattern: '/rulesets/:id', title: 'Ruleset', roles: ['rules:edit', 'rules:publish'], component: RulesetPage },
  { pattern: '/rulesets/:id/:tab', title: 'Ruleset', roles: ['rules:edit', 'rules:publish'], component: RulesetPage },
  { pattern: '/decisions', title: 'Search decisions', roles: ['audit:read'], nav: 'Decisions', component: DecisionSearchScreen },
  { pattern: '/decisions/:id', title: 'Decision', roles: ['audit:read', 'alerts:review'], component: DecisionPage },
  { pattern: '/audit', title: 'Verify and export the log', roles: ['audit:read'], nav: 'Verify log', component: LogIntegrityScreen },
  { pattern: '/profiles', title: 'Profiles', roles: PROFILE_READERS, nav: 'Profiles', component: ProfilesScreen },
  { pattern: '/profiles/:id', title: 'Profile', roles: [...PROFILE_READERS, 'alerts:review'], component: ProfilePage },
  { pattern: '/alerts', title: 'Review alerts', roles: ['alerts:review'], nav: 'Alerts', component: AlertQueueScreen },
  { pattern: '/alerts/:id', title: 'Alert', roles: ['alerts:review'], component: AlertPage },
  { pattern: '/jobs', title: 'Jobs', roles: ['admin'], nav: 'Jobs', component: JobsScreen },
  { pattern: '/jobs/:name', title: 'Job runs', roles: ['admin'], component: JobRunsScreen },
  { pattern: '/jobs/retag/runs/:runId', title: 'Tag changes of a retag run', roles: PROFILE_READERS, component: TagChangesScreen },
  { pattern: '/lists', title: 'Lists', roles: [], nav: 'Lists', component: ListsScreen },
  { pattern: '/lists/:id', title: 'List', roles: [], component: ListPage },
];
