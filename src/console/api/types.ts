/**
 * The API's shapes for the console, derived from the same JSON Schemas the service validates with and
 * documents in /openapi.json: a field renamed on the service fails the console's type-check.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type {
  rulesetDetailSchema,
  rulesetSummarySchema,
  versionDetailSchema,
  testReportSchema,
} from '../../features/rulesets/ruleset-schema.js';
import type { decisionResponseSchema, loggedDecisionSchema, replayReportSchema } from '../../features/decisions/decision-schema.js';
import type { ruleSchema } from '../../engine/rule-schema.js';
import type { rulesetTestSchema } from '../../features/rulesets/draft-schema.js';
import type { factListSchema } from '../../features/facts/fact-schema.js';
import type { auditEventSchema } from '../../features/audit/audit-schema.js';
import type { verifyReportSchema } from '../../features/decisions/verify-report.js';
import type { storedProfileSchema } from '../../features/profiles/profile-schema.js';
import type { jobViewSchema, runSchema } from '../../jobs/job-routes.js';
import type { overviewSchema } from '../../features/reports/overview-report.js';
import type { listChangeResultSchema, listDetailSchema, listSummarySchema } from '../../features/lists/list-schema.js';
import type { tagChangeSchema } from '../../jobs/retag-change-routes.js';
import type { shadowReportSchema } from '../../features/shadow/shadow-schema.js';
import type { snoozeSchema } from '../../features/snoozes/snooze-schema.js';
import type { alertDetailSchema, alertItemSchema, reviewSchema } from '../../features/reviews/review-schema.js';
import type { simulationReportSchema } from '../../features/simulation/simulation-schema.js';

export type RulesetSummary = FromSchema<typeof rulesetSummarySchema>;
export type RulesetDetail = FromSchema<typeof rulesetDetailSchema>;
export type VersionDetail = FromSchema<typeof versionDetailSchema>;
export type TestReport = FromSchema<typeof testReportSchema>;
export type DecisionResponse = FromSchema<typeof decisionResponseSchema>;
export type LoggedDecision = FromSchema<typeof loggedDecisionSchema>;
export type Rule = FromSchema<typeof ruleSchema>;
export type RulesetTest = FromSchema<typeof rulesetTestSchema>;
export type FactList = FromSchema<typeof factListSchema>;
export type DraftView = RulesetDetail['draft'];
export type AuditEvent = FromSchema<typeof auditEventSchema>;
export type ReplayReport = FromSchema<typeof replayReportSchema>;
export type VerifyReport = FromSchema<typeof verifyReportSchema>;
export type StoredProfile = FromSchema<typeof storedProfileSchema>;
export type JobView = FromSchema<typeof jobViewSchema>;
export type JobRunView = FromSchema<typeof runSchema>;
export type Overview = FromSchema<typeof overviewSchema>;
export type ListSummary = FromSchema<typeof listSummarySchema>;
export type ListDetail = FromSchema<typeof listDetailSchema>;
export type ListChangeResult = FromSchema<typeof listChangeResultSchema>;
export type TagChange = FromSchema<typeof tagChangeSchema>;
export type ShadowReport = FromSchema<typeof shadowReportSchema>;
export type Snooze = FromSchema<typeof snoozeSchema>;
export type AlertItem = FromSchema<typeof alertItemSchema>;
export type AlertDetail = FromSchema<typeof alertDetailSchema>;
export type Review = FromSchema<typeof reviewSchema>;
export type BacktestFairness = NonNullable<FromSchema<typeof simulationReportSchema>['fairness']>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
